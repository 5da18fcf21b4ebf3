"""The last run of `compare` and of `benchmark`, kept in the database for /compare/.

Each is kept as the machine it ran on and, per number of buildings, each target's
summary (the medians the commands print); a new run replaces the last of its kind.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from buildings.core.models import MeasuredRun

KINDS = ("compare", "benchmark")


def record(kind: str, machine: dict, sizes: dict[int, dict[str, dict]]) -> MeasuredRun:
    if kind not in KINDS:
        raise ValueError(f"unknown kind of run {kind!r}")
    with transaction.atomic():
        run, _ = MeasuredRun.objects.update_or_create(
            kind=kind, defaults={"recorded_at": timezone.now(), "machine": machine,
                                 "sizes": {str(n): targets for n, targets in sizes.items()}})
    return run


def latest() -> MeasuredRun | None:
    """The most recent run of either kind."""
    return MeasuredRun.objects.order_by("-recorded_at").first()
