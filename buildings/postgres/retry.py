"""A write that loses a deadlock or a serialization failure to another writer is
tried again, whole, a few times with backoff; then it says so in one line.

PostgreSQL ends one transaction of a deadlock (40P01) or of a serialization failure
(40001) and leaves the others to go on: the loser rolled back, so nothing of it
was written, and running the same transaction again is the documented answer. Only
a write that is one transaction and reads nothing it changes (an import re-reads
its files, a generation is the same for the same seed) is safe to run again here;
a write in a caller's own transaction (the live summary's settle at commit) is the
caller's to try again.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

CONFLICTS = {"40P01": "a deadlock", "40001": "a serialization failure"}
ATTEMPTS = 5
FIRST_PAUSE = 0.1  # seconds; doubled after each loss, with jitter
LONGEST_PAUSE = 2.0


class WriteConflict(RuntimeError):
    """The write lost to other writers every time it was tried; nothing was written."""


def conflict(exc: BaseException) -> str | None:
    """'a deadlock' or 'a serialization failure' when that is what ended the
    transaction (psycopg's error, or Django's wrapping it), else None."""
    while exc is not None:
        state = getattr(exc, "sqlstate", None)
        if state in CONFLICTS:
            return CONFLICTS[state]
        exc = exc.__cause__
    return None


def retried(write: Callable[[], T], what: str,
            on_retry: Callable[[str], None] | None = None,
            attempts: int = ATTEMPTS, first_pause: float = FIRST_PAUSE) -> T:
    """`write()` (one whole transaction), again after a deadlock or a serialization
    failure, up to `attempts` times, pausing `first_pause` seconds (with jitter) after
    the first loss and twice as long after each next, up to LONGEST_PAUSE; `on_retry`
    hears of each new try."""
    pause = first_pause
    for attempt in range(1, attempts + 1):
        try:
            return write()
        except Exception as exc:
            lost = conflict(exc)
            if lost is None:
                raise
            if attempt == attempts:
                raise WriteConflict(
                    f"{what} lost {lost} to another writer {attempts} times and was rolled "
                    "back each time: nothing was written; run it again when the other "
                    "writers are done") from exc
            if on_retry:
                on_retry(f"{what} lost {lost} to another writer and was rolled back; "
                         f"trying again ({attempt + 1} of {attempts})")
            time.sleep(pause * (1 + random.random()))
            pause = min(2 * pause, LONGEST_PAUSE)
    raise AssertionError("unreachable")
