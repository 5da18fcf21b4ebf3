import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def manage():
    """Run `manage.py ARGS` in a fresh process; returns the CompletedProcess."""

    def run(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
        import os

        full_env = {**os.environ, **(env or {})}
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env,
                              capture_output=True, text=True, timeout=300, **kwargs)

    return run
