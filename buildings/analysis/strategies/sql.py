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


def analyze(selection: Selection | None = None, on_town=None, whatif=None) -> Report:
    if shards.configured():  # a cluster's coordinator: the shards' aggregates
        return reading.report("sql", selection)
    if whatif is not None:  # the same statement, the important rows found by the what-if
        sources = computed(whatif.criteria)
        return run_report(report_statement(sources, selection), whatif.names, sources.params)
    return run_report(report_statement(computed(), selection))
