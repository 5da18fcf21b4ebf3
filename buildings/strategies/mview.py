"""The figures read from the materialized view that stores the report statement
(buildings_report_mv), refreshed by refresh_views.

Reading 366 precomputed rows costs milliseconds; the price is paid at refresh
time, and the figures are only as fresh as the last refresh (see staleness).
"""

from __future__ import annotations

from buildings import sqlfiles
from buildings.matviews import NotRefreshed, populated, staleness
from buildings.report import Report
from buildings.selection import Selection
from buildings.strategies.sql import run_report, shown


def analyze(selection: Selection | None = None, on_town=None) -> Report:
    if not staleness().refreshed or not populated():
        raise NotRefreshed("the materialized views have never been refreshed: "
                           "run `python manage.py refresh_views` first")
    return run_report(sqlfiles.compose("views/read_report.sql", shown=shown(selection)))
