"""The analysis pushed into PostgreSQL: one statement, and only its 366 rows reach Python.

The buildings are read by two ORM querysets a Django developer would write:
conditional aggregates per town (`per_town`, each criterion a Count with
filter=, "important" their OR) and counts per town and year built
(`per_year`). sql/analysis/report.sql takes the first, and the medians
sql/analysis/medians.sql makes of the second, and does what the ORM cannot:
counties and the state as GROUPING SETS, the statewide rank as a window, and the
largest important building as a probe of a partial index. The live and mview
strategies read through the same statement (`report_statement`, `run_report`).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from psycopg import sql

from buildings import sqlfiles
from buildings.criteria import CRITERIA
from buildings.models import Building
from buildings.report import CountyRow, Figures, Largest, Report, TownRow
from buildings.selection import Selection

REPORT_SQL = "analysis/report.sql"


def per_town():
    """Every building figure that adds up, aggregated by town before any join.

    `is_important` is the stored generated column (the registry's OR of the criteria),
    read once per row instead of re-evaluated by every aggregate that filters on it.
    """
    important = Q(is_important=True)
    return (
        Building.objects.values("town_id")
        .annotate(
            buildings=Count("id"),
            important=Count("id", filter=important),
            **{c.name: Count("id", filter=c.q()) for c in CRITERIA},
            important_floor_area=Coalesce(Sum("bld_area", filter=important), 0),
            important_value_sum=Sum("total_val", filter=important),
            important_value_n=Count("total_val", filter=important),
        )
        .order_by()
    )


def per_year():
    """How many buildings of each town were built in each known year: enough for medians."""
    return (
        Building.objects.filter(year_built__isnull=False)
        .values("town_id", "year_built")
        .annotate(n=Count("*"))
        .order_by()
    )


def shown(selection: Selection | None) -> sql.Composable:
    """The WHERE condition of the report's rows for a selection (ranks stay statewide)."""
    if selection is None or selection.everything:
        return sql.SQL("true")
    town_ids = sql.Literal(sorted(selection.town_ids or ()))
    counties = sql.Literal(sorted(selection.counties or ()))
    return sql.SQL(
        "level = 2"
        " OR (level = 0 AND (town_id = ANY({town_ids}) OR county = ANY({counties})))"
        " OR (level = 1 AND (county = ANY({counties}) OR county IN (SELECT c.name"
        " FROM buildings_town t JOIN buildings_county c ON c.id = t.county_id"
        " WHERE t.town_id = ANY({town_ids}))))"
    ).format(town_ids=town_ids, counties=counties)


def report_statement(selection: Selection | None = None, source: str = "sql") -> sql.Composed:
    """The report statement over one of its sources: "sql", computed from the buildings
    (the report view stores this one), or "live", read from the live summary."""
    if source == "sql":
        per_town_sql = sqlfiles.queryset(per_town())
        year_counts = sqlfiles.compose("analysis/year_counts.sql",
                                       per_year=sqlfiles.queryset(per_year()))
        medians = sqlfiles.compose("analysis/medians.sql", year_counts=year_counts)
    elif source == "live":
        per_town_sql = sqlfiles.compose("analysis/live_per_town.sql")
        area_medians = sqlfiles.compose("analysis/medians.sql",
                                        year_counts=sqlfiles.compose(
                                            "analysis/live_area_year_counts.sql"))
        medians = sqlfiles.compose("analysis/live_medians.sql", area_medians=area_medians)
    else:
        raise ValueError(f"unknown source {source!r}")
    return sqlfiles.compose(REPORT_SQL, per_town=per_town_sql, medians=medians,
                            shown=shown(selection))


def analyze(selection: Selection | None = None, on_town=None) -> Report:
    return run_report(report_statement(selection))


def run_report(statement: sql.Composable) -> Report:
    """Run a statement that gives the report's rows; the Report, read row by row."""
    with connection.cursor() as cursor:
        cursor.execute(statement)
        columns = [c.name for c in cursor.description]
        # row by row: only the report itself is ever held, never all the rows at once
        return report_from_rows(dict(zip(columns, row, strict=True)) for row in cursor)


def report_from_rows(rows) -> Report:
    state, counties, towns = None, [], []
    for row in rows:
        if row["level"] == 2:
            state = Figures.of(row)
        elif row["level"] == 1:
            counties.append(CountyRow.of(row))
        else:
            largest = (None if row["largest_prop_id"] is None else
                       Largest(row["largest_prop_id"], row["largest_site_addr"],
                               row["largest_bld_area"]))
            towns.append(TownRow.of({**row, "largest_important": largest}))
    return Report(state, counties, towns)
