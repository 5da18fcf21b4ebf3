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


def progress_bar(total: int, desc: str, unit: str = "rows") -> tqdm:
    """A progress bar on stderr, shown only when stderr is a terminal."""
    return tqdm(total=total, desc=desc, unit=unit, unit_scale=True, file=sys.stderr,
                disable=not sys.stderr.isatty(), leave=False)
