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
    from config.database import current_database_url

    test_url = current_database_url()

    def run(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
        import os

        full_env = {**os.environ, "DATABASE_URL": test_url, **(env or {})}
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env,
                              capture_output=True, text=True, timeout=300, **kwargs)

    return run
