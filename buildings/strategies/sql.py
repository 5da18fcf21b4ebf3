"""The analysis pushed into PostgreSQL: one statement, and only its 366 rows reach Python.

The buildings are read by two ORM querysets a Django developer would write, each
answered by an index-only scan: counts per town and year built (`per_year`:
every town's buildings, and the medians) and conditional aggregates of the
important buildings per town (`important_per_town`, each criterion a Count with
filter=). sql/analysis/report.sql takes them, with the medians
sql/analysis/medians.sql makes of the year counts, and does what the ORM cannot:
counties and the state as GROUPING SETS, the statewide rank as a window, and the
largest important building as a probe of a partial index. The live and mview
strategies read through the same statement (`report_statement`, `run_report`).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from psycopg import sql

from buildings import sqlfiles
from buildings.criteria import CRITERIA
from buildings.models import Building
from buildings.report import CountyRow, Figures, Largest, Report, TownRow
from buildings.selection import Selection

REPORT_SQL = "analysis/report.sql"


def important_per_town():
    """The important buildings' figures per town: each criterion's matches (a match
    makes a building important, so only important rows need testing), their floor
    area, the sum and count of their known values. An index-only scan of the
    covering partial index building_important_cover_idx: about 15% of the rows, and
    never the table's pages."""
    return (
        Building.objects.filter(is_important=True)
        .values("town_id")
        .annotate(
            important=Count("*"),
            **{c.name: Count("town_id", filter=c.q()) for c in CRITERIA},  # in the index
            important_floor_area=Coalesce(Sum("bld_area"), 0),
            important_value_sum=Sum("total_val"),
            important_value_n=Count("total_val"),
        )
        .order_by()
    )


def per_year():
    """How many buildings each town has of each year built (null its own group): the
    towns' building counts and the medians. An index-only scan of (town_id, year_built)."""
    return Building.objects.values("town_id", "year_built").annotate(n=Count("*")).order_by()


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


def medians_of(year_counts: sql.Composable,
               by: tuple[str, ...] = ("level", "town_id", "county")) -> sql.Composed:
    """sql/analysis/medians.sql over rows of (level, town_id, county, year_built, n),
    its areas told apart by the columns `by`."""
    return sqlfiles.compose("analysis/medians.sql", year_counts=year_counts,
                            partition=sql.SQL(", ").join(map(sql.Identifier, by)))


def report_statement(selection: Selection | None = None, source: str = "sql") -> sql.Composed:
    """The report statement over one of its sources: "sql", computed from the buildings
    (the report view stores this one), or "live", read from the live summary."""
    if source == "sql":
        inputs = sql.SQL("per_year AS ({}), important AS ({}),").format(
            sqlfiles.queryset(per_year()), sqlfiles.queryset(important_per_town()))
        per_town_sql = sqlfiles.compose("analysis/per_town.sql")
        medians = sql.SQL("SELECT * FROM ({}) AS towns UNION ALL SELECT * FROM ({}) AS areas"
                          ).format(
            medians_of(sqlfiles.compose("analysis/town_year_counts.sql"), by=("town_id",)),
            medians_of(sqlfiles.compose("analysis/year_counts.sql")))
    elif source == "live":
        inputs = sql.SQL("")
        per_town_sql = sqlfiles.compose("analysis/live_per_town.sql")
        area_medians = medians_of(sqlfiles.compose("analysis/live_area_year_counts.sql"))
        medians = sqlfiles.compose("analysis/live_medians.sql", area_medians=area_medians)
    else:
        raise ValueError(f"unknown source {source!r}")
    return sqlfiles.compose(REPORT_SQL, inputs=inputs, per_town=per_town_sql,
                            medians=medians, shown=shown(selection))


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
