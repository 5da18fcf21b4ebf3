"""Run a manage.py command, turning an unusable database into one clear line."""

from __future__ import annotations

import sys


def run(argv: list[str]) -> None:
    from config.database import BadDatabaseURL
    from config.embedded import EmbeddedServerError

    try:
        from django.core.management import execute_from_command_line
        from django.db.utils import OperationalError

        try:
            execute_from_command_line(argv)
        except BrokenPipeError:
            _quiet_broken_pipe()
        except OperationalError as exc:
            message = _unreachable(exc)
            if message is None:
                raise
            sys.exit(message)
    except (EmbeddedServerError, BadDatabaseURL) as exc:
        if "--traceback" in argv:
            raise
        sys.exit(f"error: {exc}")


def _quiet_broken_pipe() -> None:
    """The reader of our output went away (`| head`): end quietly, as Unix tools do."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # Python's final flush of stdout must not fail too
    sys.exit(141)  # 128 + SIGPIPE, what a shell reports for a tool killed by the pipe


def _unreachable(error: Exception) -> str | None:
    """The one-line message when the server cannot be reached at all, else None."""
    import os

    from django.db import connection

    from config.database import unreachable_message

    try:
        connection.close()
        connection.ensure_connection()
    except Exception:
        return unreachable_message(os.environ.get("DATABASE_URL"), error)
    return None
