"""Hints name the command as the user ran it, so a hint can be pasted back as is.

A newcomer who typed `.venv/bin/python manage.py compare` and is told to run
`python manage.py refresh_views` runs another interpreter (or none at all). The
words before the command name come from `sys.orig_argv` (the command line as
typed): `.venv/bin/python manage.py`, `python -m buildings`, or an installed
script's path. Anywhere else (a test runner, a shell) it is `python manage.py`.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

DEFAULT = "python manage.py"
SCRIPT = "ma-buildings"  # the wheel's console script (pyproject.toml)


def prefix() -> str:
    """The words that run a management command, as this process was started."""
    typed, argv = list(getattr(sys, "orig_argv", [])), sys.argv
    if not argv or not typed or not _runs_commands(Path(argv[0])):
        return DEFAULT
    words = typed[:len(typed) - (len(argv) - 1)]
    if Path(argv[0]).name == SCRIPT:  # the shell found the script: its name runs it again
        words = [SCRIPT if shutil.which(SCRIPT) == argv[0] else argv[0]]
    return shlex.join(words) if words else DEFAULT


def _runs_commands(program: Path) -> bool:
    """manage.py, `python -m buildings`, or the console script: not pytest, not a shell."""
    return (program.name in ("manage.py", SCRIPT)
            or (program.name == "__main__.py" and program.parent.name == "buildings"))


def command(text: str) -> str:
    """`text` (a command name and its arguments) as a pasteable command line."""
    return f"{prefix()} {text}"
