"""A throwaway server of the dashboard on the loopback, for the browser tests and the
load check: gunicorn when the `web` extra is installed (what others would run), else
Django's runserver. Started in its own process, against the database a URL names,
stopped when the block ends."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from importlib.util import find_spec


class ServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command(port: int, workers: int) -> list[str]:
    if find_spec("gunicorn") is not None:
        return [sys.executable, "-m", "gunicorn", "-c", "python:buildings.project.gunicorn",
                "buildings.project.wsgi", "--bind", f"127.0.0.1:{port}",
                "--workers", str(workers), "--access-logfile", "/dev/null"]
    return [sys.executable, "-m", "buildings", "runserver", f"127.0.0.1:{port}", "--noreload"]


@contextlib.contextmanager
def served(database_url: str, workers: int = 2, timeout: float = 60) -> Iterator[str]:
    """Serve the dashboard; yields its base URL (http://127.0.0.1:PORT)."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "",
           "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(command(port, workers), env=env,
                                   stdout=subprocess.DEVNULL, stderr=log, text=True)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(base, process, log, timeout)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait(base: str, process: subprocess.Popen, log, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            last = (log.read().strip().splitlines() or ["(nothing on stderr)"])[-1]
            raise ServerError(f"the server stopped at start: {last}")
        try:
            with urllib.request.urlopen(f"{base}/compare/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise ServerError(f"the server did not answer within {timeout:.0f} s")
