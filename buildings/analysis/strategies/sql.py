"""The analysis pushed into PostgreSQL: one statement, and only its 366 rows reach Python.

The report statement (buildings/core/statement.py) over its sources computed from
the buildings: two ORM querysets, each an index-only scan, and the medians made of
their year counts. The materialized report view stores this very statement.
"""

from __future__ import annotations

from buildings.cluster import reading, shards
from buildings.core.report import Report
from buildings.core.selection import Selection
from buildings.core.statement import computed, report_statement, run_report


def analyze(selection: Selection | None = None, on_town=None) -> Report:
    if shards.configured():  # a cluster's coordinator: the shards' aggregates
        return reading.report("sql", selection)
    return run_report(report_statement(computed(), selection))
