"""What the coordinator reads: the report over the shards, and their data version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from buildings.cluster.report import SQL, sources
from buildings.cluster.shards import ClusterError
from buildings.core.report import Report
from buildings.core.selection import Selection
from buildings.core.statement import report_statement, run_report


@dataclass(frozen=True)
class Version:
    written_by: str
    data_version: int
    changed_at: dt.datetime | None
    has_buildings: bool


def ready() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('buildings_cluster_version') IS NOT NULL")
        if not cursor.fetchone()[0]:
            raise ClusterError("BUILDINGS_SHARDS is set but the coordinator does not read its "
                               "shards yet: run `cluster setup`")


def version() -> Version:
    ready()
    with connection.cursor() as cursor:
        cursor.execute(SQL.load("version.sql"))
        return Version(*cursor.fetchone())


def report(kind: str, selection: Selection | None = None) -> Report:
    """The report of `kind` (sql or live) from every shard's aggregates."""
    ready()
    return run_report(report_statement(sources(kind), selection))
