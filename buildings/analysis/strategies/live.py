"""The figures from the live summary, which triggers keep current: never stale.

The report statement reads 351 per-town rows and 15 county and state counts
instead of the buildings; every median is kept by the triggers, not recounted at
read time. See buildings/derived/live_summary.py.
"""

from __future__ import annotations

from django.db import connection

from buildings.cluster import reading, shards
from buildings.core.report import Report
from buildings.core.selection import Selection
from buildings.core.statement import report_statement, run_report
from buildings.derived import live_summary


def analyze(selection: Selection | None = None, on_town=None, whatif=None) -> Report:
    if shards.configured():  # a cluster's coordinator: the shards' aggregates
        return reading.report("live", selection)
    with connection.cursor() as cursor:
        live_summary.settle(cursor)  # this transaction's own writes, if it made any
    return run_report(report_statement(live_summary.sources(), selection))
