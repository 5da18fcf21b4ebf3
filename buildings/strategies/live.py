"""The figures from the live summary, which triggers keep current: never stale.

The report statement reads 351 per-town rows and the counties' and state's year
counts (a few thousand rows) instead of the buildings; each town's median is
kept by the triggers. See buildings/summary.py and sql/summary/.
"""

from __future__ import annotations

from buildings.report import Report
from buildings.selection import Selection
from buildings.strategies.sql import report_statement, run_report


def analyze(selection: Selection | None = None, on_town=None) -> Report:
    return run_report(report_statement(selection, source="live"))
