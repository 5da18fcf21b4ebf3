"""Run a manage.py command, turning an unreachable database into one clear line."""

from __future__ import annotations

import sys


def run(argv: list[str]) -> None:
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    from config.embedded import EmbeddedServerError

    try:
        execute_from_command_line(argv)
    except EmbeddedServerError as exc:
        sys.exit(f"error: {exc}")
    except OperationalError as exc:
        message = _unreachable(exc)
        if message is None:
            raise
        sys.exit(message)


def _unreachable(error: Exception) -> str | None:
    """The one-line message when the server cannot be reached at all, else None."""
    from django.conf import settings
    from django.db import connection

    from config.database import unreachable_message

    try:
        connection.close()
        connection.ensure_connection()
    except Exception:
        return unreachable_message(settings.DATABASE_URL, error)
    return None
