"""Run one strategy and stamp its report with meta: the entry point of `analyze`."""

from __future__ import annotations

import time
from dataclasses import replace

from buildings import strategies
from buildings.matviews import staleness
from buildings.models import Building
from buildings.report import Report
from buildings.selection import Selection


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
    seconds = time.perf_counter() - started
    return replace(report, meta={"mode": mode, "seconds": round(seconds, 4),
                                 "data_version": staleness().data_version})
