"""Run one strategy and stamp its report with meta: the entry point of `analyze`."""

from __future__ import annotations

import time
from dataclasses import replace

from buildings.analysis import strategies
from buildings.cluster import reading, shards
from buildings.core import hints
from buildings.core.models import Building
from buildings.core.provenance import data_origin
from buildings.core.report import Report
from buildings.core.selection import Selection
from buildings.derived.staleness import staleness


class NoData(RuntimeError):
    pass




def no_data_hint() -> str:
    return ("no buildings are loaded: generate some with "
            f"`{hints.command('generate_buildings --buildings 2000000')}` (or `make run`), "
            f"or import assessor data with `{hints.command('import_assessor FILE')}`")


def run(mode: str, selection: Selection | None = None, on_town=None, whatif=None) -> Report:
    """`whatif`: criteria of this report's own (buildings/core/whatif.py), for the
    modes that count from the buildings."""
    analyze = strategies.get(mode, whatif)
    if shards.configured():
        version = reading.version()
        if not version.has_buildings:
            raise NoData(no_data_hint())
        data_version = version.data_version
    else:
        if not Building.objects.exists():
            raise NoData(no_data_hint())
        data_version = staleness().data_version
    started = time.perf_counter()
    report = analyze(selection, on_town, whatif)
    return stamped(report, mode, time.perf_counter() - started, data_version, whatif)


def stamped(report: Report, mode: str, seconds: float, data_version: int,
            whatif=None) -> Report:
    """The report with its meta: how it was made, how long it took, what data it reflects
    and where that data comes from; for a what-if, the criteria it counted."""
    meta = {"mode": mode, "seconds": round(seconds, 4), "data_version": data_version,
            "data": data_origin().as_dict()}
    if whatif is not None:
        meta["criteria"] = whatif.text
    return replace(report, meta=meta)
