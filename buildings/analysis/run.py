"""Run one strategy and stamp its report with meta: the entry point of `analyze`."""

from __future__ import annotations

import time
from dataclasses import replace

from buildings.analysis import strategies
from buildings.core.models import Building
from buildings.core.report import Report
from buildings.core.selection import Selection
from buildings.derived.staleness import staleness


class NoData(RuntimeError):
    pass


NO_DATA = ("no buildings are loaded: generate some with `python manage.py generate_buildings "
           "--buildings 2000000` (or `make run`), or import assessor data")


def run(mode: str, selection: Selection | None = None, on_town=None) -> Report:
    if not Building.objects.exists():
        raise NoData(NO_DATA)
    analyze = strategies.get(mode)
    started = time.perf_counter()
    report = analyze(selection, on_town)
    return stamped(report, mode, time.perf_counter() - started, staleness().data_version)


def stamped(report: Report, mode: str, seconds: float, data_version: int) -> Report:
    """The report with its meta: how it was made, how long it took, what data it reflects."""
    return replace(report, meta={"mode": mode, "seconds": round(seconds, 4),
                                 "data_version": data_version})
