"""The figures read from the materialized view that stores the report statement
(buildings_report_mv), refreshed by refresh_views.

Reading 366 precomputed rows costs milliseconds; the price is paid at refresh
time, and the figures are only as fresh as the last refresh (see staleness).
"""

from __future__ import annotations

from buildings.core.report import Report
from buildings.core.selection import Selection
from buildings.core.statement import run_report
from buildings.derived import report_view


def analyze(selection: Selection | None = None, on_town=None, whatif=None) -> Report:
    return run_report(report_view.read_statement(selection))
