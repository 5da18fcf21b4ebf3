"""Where the pages' figures come from: the fastest source that is fresh.

The live summary when its triggers keep it (always, once migrated): a read of a few
thousand summary rows, never stale. Without it, the materialized report view when it
holds data (the page then says how old it is, and whether it is stale), else the sql
strategy computed from the buildings. Never a per-building loop.

Each request first reads the data version in one round trip (freshness.sql); a
report is kept per process under that version (with the transaction that wrote it,
the views' version and the source), so it is reused until the next write to the
buildings and never served after it. Only a change to the towns themselves (a
migration) goes unseen until the server restarts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection

from buildings.analysis import strategies
from buildings.cluster import reading, shards
from buildings.core import sqlfiles
from buildings.core.report import Report
from buildings.core.selection import Selection
from buildings.derived import live_summary
from buildings.derived.report_view import VIEWS

SQL = sqlfiles.Folder(__package__)


@dataclass(frozen=True)
class Freshness:
    mode: str  # "live", "mview" or "sql"
    written_by: str  # the transactions that last bumped each slot, as one digest
    data_version: int
    refreshed_version: int
    changed_at: dt.datetime | None
    refreshed_at: dt.datetime | None
    has_buildings: bool

    @property
    def stale(self) -> bool:
        return self.mode == "mview" and self.refreshed_version != self.data_version

    @property
    def key(self) -> tuple:
        """What a report read now depends on."""
        return self.mode, self.written_by, self.data_version, self.refreshed_version


def freshness() -> Freshness:
    if shards.configured():  # a cluster's coordinator: every shard's version, one round trip
        v = reading.version()
        return Freshness("live", v.written_by, v.data_version, 0, v.changed_at, None,
                         v.has_buildings)
    with connection.cursor() as cursor:
        cursor.execute(SQL.load("freshness.sql"),
                       {"triggers": list(live_summary.TRIGGERS), "view": VIEWS[-1].table})
        (written_by, data_version, refreshed_version, changed_at, refreshed_at, live,
         view_populated, has_buildings) = cursor.fetchone()
    if live:
        mode = "live"
    elif refreshed_at is not None and view_populated:
        mode = "mview"
    else:
        mode = "sql"
    return Freshness(mode, written_by, data_version, refreshed_version, changed_at,
                     refreshed_at, has_buildings)


def report(selection: Selection | None = None,
           fresh: Freshness | None = None) -> tuple[Report, Freshness]:
    """The report (for a selection) from the freshest fast source, and how fresh it is
    (`fresh`: as already read for this request)."""
    fresh = fresh or freshness()
    return _report(fresh.key, selection or Selection()), fresh


@lru_cache(maxsize=64)
def _report(key: tuple, selection: Selection) -> Report:
    mode = key[0]
    return strategies.get(mode)(selection)


def whatif_report(whatif, selection: Selection | None = None,
                  fresh: Freshness | None = None) -> tuple[Report, Freshness]:
    """The report counted by a what-if's criteria (buildings/core/whatif.py): the sql
    strategy's statement over the buildings themselves, for the stored figures know
    nothing of these criteria. Kept apart from the stored reports, under the data
    version and the what-if's own text, so what-ifs never push the stored ones out."""
    fresh = fresh or freshness()
    return _whatif_report(fresh.key, whatif, selection or Selection()), fresh


@lru_cache(maxsize=8)
def _whatif_report(key: tuple, whatif, selection: Selection) -> Report:
    return strategies.get("sql", whatif)(selection, None, whatif)


def forget_reports() -> None:
    """Drop the reports kept in this process."""
    _report.cache_clear()
    _whatif_report.cache_clear()
