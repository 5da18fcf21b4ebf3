import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def manage(django_db_setup):
    """Run `manage.py ARGS` in a fresh process against the test database.

    The process sees only committed data: the towns the migrations loaded, not
    what a test wrote inside its transaction.
    """
    from urllib.parse import urlsplit, urlunsplit

    from django.conf import settings
    from django.db import connection

    test_url = urlunsplit(urlsplit(settings.DATABASE_URL)
                          ._replace(path="/" + connection.settings_dict["NAME"]))

    def run(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
        import os

        full_env = {**os.environ, "DATABASE_URL": test_url, **(env or {})}
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env,
                              capture_output=True, text=True, timeout=300, **kwargs)

    return run
