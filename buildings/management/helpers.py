"""Small helpers shared by the management commands: argument types and progress bars."""

from __future__ import annotations

import argparse
import sys

from tqdm import tqdm


def positive_int(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text!r}")
    return value


def int_list(text: str) -> list[int]:
    return [positive_int(part) for part in text.split(",") if part.strip()]


def town_ids(text: str) -> list[int]:
    """Comma-separated MassGIS TOWN_IDs (0 stands for none)."""
    try:
        ids = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        ids = [-1]
    if any(i < 0 for i in ids):
        raise argparse.ArgumentTypeError(f"must be town ids, comma-separated, not {text!r}")
    return ids


def progress_bar(total: int | None, desc: str, unit: str = "rows",
                 delay: float = 0.0, bar_format: str | None = None) -> tqdm:
    """A progress bar on stderr (count and rate), shown only when stderr is a terminal;
    `delay`: only for work still running after that many seconds; `bar_format`: tqdm's."""
    return tqdm(total=total, desc=desc, unit=unit, unit_scale=True, file=sys.stderr,
                disable=not sys.stderr.isatty(), leave=False, delay=delay,
                bar_format=bar_format)


def check_writable(path, option: str) -> None:
    """Refuse, before any work, an output path that cannot be written (one line, exit 2)."""
    import os
    from pathlib import Path

    from django.core.management.base import CommandError

    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    problem = None
    if path.is_dir():
        problem = "a folder; name a file"
    elif not parent.is_dir():
        problem = f"the folder {parent} does not exist; create it or name another file"
    elif not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        problem = "not writable; name another file"
    if problem:
        raise CommandError(f"{option} {path}: {problem}", returncode=2)


def on_every_shard(command, args: list[str]) -> None:
    """For a command that is each shard's own business on a cluster's coordinator (a
    refresh, a summary check): run it on every shard, print a line each, and exit 1
    when one failed."""
    from buildings.cluster.writes import on_every_shard as run

    ok, lines = run(args)
    for line in lines:
        command.stdout.write(line)
    if not ok:
        raise SystemExit(1)


def whatif_for(text: str | None, modes) -> object | None:
    """--criteria: the what-if (buildings/core/whatif.py) the modes will count, or None;
    a bad expression, or a mode that keeps the stored figures, is one line, exit 2."""
    from django.core.management.base import CommandError

    from buildings.analysis import strategies
    from buildings.core.whatif import BadCriteria, parse

    try:
        whatif = None if text is None else parse(text)
        for mode in modes:
            if whatif is not None and mode not in strategies.MODES:  # a custom target
                raise strategies.StoredCriteriaOnly(
                    f"{mode} cannot count what-if criteria; the modes that can: "
                    f"{', '.join(strategies.WHATIF_MODES)}")
            strategies.get(mode, whatif)
    except (BadCriteria, strategies.NotOnACluster, strategies.StoredCriteriaOnly) as exc:
        raise CommandError(f"--criteria: {exc}" if isinstance(exc, BadCriteria) else str(exc),
                           returncode=2) from exc
    return whatif
