"""The one report statement that the sql, mview and live strategies all read through.

sql/report.sql takes two sources, the per-town sums and the medians (with the CTEs
they read, if any), and does what the ORM cannot: counties and the state as
GROUPING SETS, the statewide rank as a window, the largest important building as a
probe of a partial index. Its rows become a Report in `report_from_rows`.

`computed()` gives those sources from the buildings themselves: two ORM querysets
a Django developer would write, each answered by an index-only scan, counts per
town and year built (`per_year`: every town's buildings, and the medians) and
conditional aggregates of the important buildings per town
(`important_per_town`, each criterion a Count with filter=). The sql strategy runs
that statement, and the materialized report view stores it; the live summary
gives the same two sources from its own tables (buildings/derived/live_summary.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BigIntegerField, Count, F, Func, Min, Q, Sum
from django.db.models.functions import Cast, Coalesce
from psycopg import sql

from buildings.core import sqlfiles
from buildings.core.criteria import CRITERIA, CRITERION_NAMES, important_q
from buildings.core.models import Building
from buildings.core.report import CountyRow, Figures, Largest, Report, TownRow
from buildings.core.selection import Selection

SQL = sqlfiles.Folder(__package__)


@dataclass(frozen=True)
class Sources:
    """What the report statement reads: <inputs> (CTEs, or nothing), <per_town> and
    <medians> (see sql/report.sql), and <largest>: the largest important building
    (prop_id, site_addr, bld_area) of the town `a.town_id`, a probe of the buildings,
    or on a cluster's coordinator what the town's shard found (buildings/cluster/).
    (report.sql's comments are part of the stored view's text: a change to them is a
    migration, so this one is said here.)"""

    per_town: sql.Composable
    medians: sql.Composable
    inputs: sql.Composable = field(default_factory=lambda: sql.SQL(""))
    largest: sql.Composable = field(default_factory=lambda: largest_probe())
    params: tuple = ()  # a what-if's thresholds, bound to the %s of <inputs> in order
    criteria_names: tuple[str, ...] = CRITERION_NAMES


def largest_probe() -> sql.Composed:
    """The largest important building of the town `a.town_id`, probed in the buildings
    (sql/largest.sql; no comment in it: its text is part of the stored view's)."""
    return SQL.compose("largest.sql")


def important_per_town(criteria: tuple = CRITERIA):
    """The important buildings' figures per town: each criterion's matches (a match
    makes a building important, so only important rows need testing), their floor
    area, the sum and count of their known values. An index-only scan of the
    covering partial index building_important_cover_idx: about 15% of the rows, and
    never the table's pages. A what-if's `criteria` are the filter themselves (the
    stored column does not know them): one scan of the table."""
    stored = criteria == CRITERIA
    important = Q(is_important=True) if stored else important_q(criteria=criteria)
    return (
        Building.objects.filter(important)
        .values("town_id")
        .annotate(
            **({} if stored else {"largest": largest_key()}),
            important=Count("*"),
            **{c.name: Count("town_id", filter=c.q()) for c in criteria},  # in the index
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


def medians_of(year_counts: sql.Composable,
               by: tuple[str, ...] = ("level", "town_id", "county"),
               bytewise: bool = False) -> sql.Composed:
    """sql/medians.sql over rows of (level, town_id, county, year_built, n), its areas
    told apart by the columns `by`. `bytewise`: the county names sorted byte by byte
    (COLLATE "C"), which partitions the same rows several times faster than the
    database's collation; for statements read at once (a stored view's text keeps
    the plain form)."""
    columns = [sql.SQL('{} COLLATE "C"').format(sql.Identifier(c)) if bytewise and c == "county"
               else sql.Identifier(c) for c in by]
    return SQL.compose("medians.sql", year_counts=year_counts,
                       partition=sql.SQL(", ").join(columns))


class _Array(Func):
    template = "ARRAY[%(expressions)s]"


def largest_key() -> Min:
    """A what-if's largest important building of a town, found in the same scan as its
    figures: the least [-bld_area, id] (the largest area, the lowest id among equals,
    as the stored criteria's probe orders them); its row is then read by id."""
    key = _Array(Cast(-F("bld_area"), BigIntegerField()), F("id"),
                 output_field=ArrayField(BigIntegerField()))
    return Min(key, filter=Q(bld_area__isnull=False))


def computed(criteria: tuple = CRITERIA) -> Sources:
    """The sources computed from the buildings, in two index-only scans; for a
    what-if's `criteria`, their thresholds bound as parameters."""
    medians = sql.SQL("SELECT * FROM ({}) AS towns UNION ALL SELECT * FROM ({}) AS areas"
                      ).format(medians_of(SQL.compose("town_year_counts.sql"), by=("town_id",)),
                               medians_of(SQL.compose("area_year_counts.sql")))
    if criteria == CRITERIA:
        return Sources(
            inputs=sql.SQL("per_year AS ({}), important AS ({}),").format(
                sqlfiles.queryset(per_year()), sqlfiles.queryset(important_per_town())),
            per_town=SQL.compose("computed_per_town.sql"), medians=medians)
    names = tuple(c.name for c in criteria)
    important, params = sqlfiles.bound_queryset(important_per_town(criteria))
    return Sources(
        inputs=sql.SQL("per_year AS ({}), important AS ({}),").format(
            sqlfiles.queryset(per_year()), important),
        per_town=SQL.compose("computed_per_town.sql", names),
        medians=medians,
        largest=SQL.compose("largest_whatif.sql"),
        params=params,
        criteria_names=names)


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


def report_statement(sources: Sources, selection: Selection | None = None) -> sql.Composed:
    """The report statement over `sources`, its rows limited to a selection."""
    return SQL.compose("report.sql", sources.criteria_names, inputs=sources.inputs,
                       per_town=sources.per_town,
                       medians=sources.medians, largest=sources.largest,
                       shown=shown(selection))


def run_report(statement: sql.Composable, criteria_names: tuple[str, ...] = CRITERION_NAMES,
               params: tuple = ()) -> Report:
    """Run a statement that gives the report's rows; the Report, read row by row.
    `params` are bound by the server: Django's cursor wrapper (its query log and
    execute wrappers see the statement) around a psycopg cursor that binds on the
    server, where Django's own would merge them into the text on the client."""
    connection.ensure_connection()
    with (connection.cursor() if not params else
          connection._prepare_cursor(psycopg.Cursor(connection.connection))) as cursor:
        cursor.execute(statement, params or None)
        columns = [c.name for c in cursor.description]
        # row by row: only the report itself is ever held, never all the rows at once
        return report_from_rows((dict(zip(columns, row, strict=True)) for row in cursor),
                                criteria_names)


def report_from_rows(rows, criteria_names: tuple[str, ...] = CRITERION_NAMES) -> Report:
    state, counties, towns = None, [], []
    for row in rows:
        if row["level"] == 2:
            state = Figures.of(row, criteria_names)
        elif row["level"] == 1:
            counties.append(CountyRow.of(row, criteria_names))
        else:
            largest = (None if row["largest_prop_id"] is None else
                       Largest(row["largest_prop_id"], row["largest_site_addr"],
                               row["largest_bld_area"]))
            towns.append(TownRow.of({**row, "largest_important": largest}, criteria_names))
    return Report(state, counties, towns)
