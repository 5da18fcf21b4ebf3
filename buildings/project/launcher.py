"""Run a management command, turning an unusable database into one clear line: the
entry point of manage.py in a checkout, of `python -m buildings` and of the
`ma-buildings` command an installed wheel provides."""

from __future__ import annotations

import os
import sys


def main(prog: str | None = None) -> None:
    """`prog`: what to call the program in its usage lines, when argv[0] does not say."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buildings.project.settings")
    run([prog or sys.argv[0], *sys.argv[1:]])


def run(argv: list[str]) -> None:
    from buildings.bench import BenchRefused
    from buildings.cluster.shards import ClusterError
    from buildings.postgres.connection import BadDatabaseURL
    from buildings.postgres.embedded import EmbeddedServerError
    from buildings.postgres.retry import WriteConflict, conflict

    try:
        from django.core.management import execute_from_command_line
        from django.db.utils import OperationalError

        try:
            execute_from_command_line(argv)
        except BrokenPipeError:
            _quiet_broken_pipe()
        except OperationalError as exc:
            lost = conflict(exc)
            if lost and "--traceback" not in argv:
                sys.exit(f"error: this command lost {lost} to another writer and was rolled "
                         "back: nothing was written; run it again")
            message = _unreachable(exc)
            if message is None:
                raise
            sys.exit(message)
    except (EmbeddedServerError, BadDatabaseURL, WriteConflict, ClusterError,
            BenchRefused) as exc:
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

    from buildings.postgres.connection import unreachable_message

    try:
        connection.close()
        connection.ensure_connection()
    except Exception:
        return unreachable_message(os.environ.get("DATABASE_URL"), error)
    return None
