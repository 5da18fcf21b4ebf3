"""The summary every report figure is a sum over: per (town, year built, null its own
group), the buildings, the important ones, each criterion's matches, the important
floor area, and the sum and count of known important values.

Defined once, as an ORM queryset from the criteria registry (`summary_of`); the live
summary's triggers apply it to each statement's transition tables, its rebuild to the
whole table, its drift check compares the two. The live tables and triggers are in
sql/live/; the migrations install them (buildings/schema/installed.py). The report
statement reads it through `sources()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from psycopg import sql

from buildings.core import sqlfiles
from buildings.core.criteria import CRITERION_NAMES
from buildings.core.statement import Sources, medians_of

SQL = sqlfiles.Folder(__package__)

FIGURES = ("buildings", "important", *CRITERION_NAMES, "important_floor_area",
           "important_value_sum", "important_value_n")
TABLES = ("buildings_summary", "buildings_summary_town", "buildings_summary_area_year",
          "buildings_summary_area", "buildings_summary_area_slot")
TRIGGERS = ("buildings_summary_insert", "buildings_summary_update", "buildings_summary_delete")


def summary_queryset():
    """The summary of the buildings, per (town, year built)."""
    from buildings.core.criteria import CRITERIA
    from buildings.core.models import Building

    important = Q(is_important=True)
    return (
        Building.objects.values("town_id", "year_built")
        .annotate(
            buildings=Count("id"),
            important=Count("id", filter=important),
            **{c.name: Count("id", filter=c.q()) for c in CRITERIA},
            important_floor_area=Coalesce(Sum("bld_area", filter=important), 0),
            important_value_sum=Coalesce(Sum("total_val", filter=important), 0),
            important_value_n=Count("total_val", filter=important),
        )
        .order_by()
    )


def summary_of(relation: str) -> sql.SQL:
    """The summary queryset over another relation of buildings (a transition table)."""
    text = sqlfiles.text(sqlfiles.queryset(summary_queryset()))
    table = 'FROM "buildings_building"'
    if text.count(table) != 1:  # the one place the compiled text is patched
        raise ORMTextChanged(
            f"Django's compiler no longer writes the summary queryset with one {table} "
            f"(it wrote: {text[:200]}…): buildings/derived/live_summary.py summary_of "
            "must be taught the new form before the triggers can be installed")
    return sql.SQL(text.replace(table, f'FROM {relation} AS "buildings_building"'))


class ORMTextChanged(RuntimeError):
    """Django compiles a queryset the project patches into installed SQL differently."""


def figure_fragments() -> dict[str, sql.Composable]:
    names = [sql.Identifier(f) for f in FIGURES]
    return {
        "figure_columns": sql.SQL(", ").join(names),
        "figure_negated": sql.SQL(", ").join(sql.SQL("-{0} AS {0}").format(n) for n in names),
        "figure_sums": sql.SQL(", ").join(sql.SQL("sum({0}) AS {0}").format(n) for n in names),
        "figure_adds": sql.SQL(", ").join(sql.SQL("{0} = s.{0} + excluded.{0}").format(n)
                                          for n in names),
    }


def triggers_sql() -> str:
    """The functions and triggers that keep the summary, as the migrations install them."""
    return sqlfiles.text(triggers_statement())


def triggers_remove_sql() -> str:
    return SQL.load("live/triggers_remove.sql")


def triggers_statement() -> sql.Composed:
    """The functions and triggers that keep the summary (installed by the migrations)."""
    of_new, of_old = summary_of("new_rows"), summary_of("old_rows")
    fragments = figure_fragments()
    negated = sql.SQL("SELECT town_id, year_built, {} FROM ({}) AS of_old").format(
        fragments["figure_negated"], of_old)
    changed = sql.SQL(" OR ").join(sql.SQL("sum({}) <> 0").format(sql.Identifier(f))
                                   for f in FIGURES)

    def net(changes: sql.Composable) -> sql.Composed:
        """The net change per (town, year) of some changes, the ones that change a figure."""
        return sql.SQL("SELECT town_id, year_built, {} FROM ({}) AS changes "
                       "GROUP BY town_id, year_built HAVING {}").format(
                           fragments["figure_sums"], changes, changed)

    return SQL.compose(
        "live/triggers.sql",
        net_insert=sql.SQL("SELECT * FROM ({}) AS of_new").format(of_new),
        net_update=net(sql.SQL("SELECT * FROM ({}) AS of_new UNION ALL {}").format(
            of_new, negated)),
        net_delete=negated,
        net=net(sql.SQL("SELECT * FROM unnest(changes)")),
        rebuild=rebuild_statement(), **fragments)


def rebuild_statement(tables: tuple[str, ...] = TABLES) -> sql.Composed:
    summary, summary_town, summary_area_year, summary_area, summary_area_slot = (
        sql.Identifier(t) for t in tables)
    return SQL.compose(
        "live/rebuild.sql", summary=summary, summary_town=summary_town,
        summary_area_year=summary_area_year, summary_area=summary_area,
        summary_area_slot=summary_area_slot, of_all=summary_of('"buildings_building"'),
        town_positions=positions_of(SQL.compose("live/town_years.sql", summary=summary),
                                    by=("town_id",)),
        area_positions=positions_of(SQL.compose("live/area_years.sql",
                                                area_year=summary_area_year),
                                    by=("level", "county")),
        **figure_fragments())


def positions_of(year_counts: sql.Composable, by: tuple[str, ...]) -> sql.Composed:
    """sql/live/positions.sql: the middle positions of each area of some year counts."""
    return SQL.compose("live/positions.sql", year_counts=year_counts,
                       partition=sql.SQL(", ").join(sql.Identifier(c) for c in by))


def rebuild_call_sql() -> str:
    return SQL.load("live/rebuild_call.sql")


def settle(cursor) -> None:
    """Add this transaction's own pending writes to the summary now, so that what it
    reads includes them (other transactions' writes count from their commit)."""
    cursor.execute(SQL.load("live/settle.sql"))


def rebuild(cursor=None) -> None:
    """Recount the live summary from every building: in the caller's transaction on
    its cursor, or else in a transaction of its own."""
    if cursor is not None:
        cursor.execute(SQL.load("live/rebuild_call.sql"))
        return
    with transaction.atomic(), connection.cursor() as own:
        own.execute(SQL.load("live/rebuild_call.sql"))


def sources() -> Sources:
    """The report statement's sources as the live summary keeps them: 351 town rows
    and their medians, and the counties' and state's medians walked from their
    anchors."""
    return Sources(per_town=SQL.compose("live/per_town.sql"), medians=medians_statement())


def medians_statement() -> sql.Composed:
    return SQL.compose("live/medians.sql", area_counts=SQL.compose(
        "live/area_counts.sql", area_slot=sql.Identifier("buildings_summary_area_slot")))


@dataclass(frozen=True)
class Drift:
    table: str
    missing: int  # rows a recount has that the live table lacks (or differ)
    extra: int  # rows the live table has that a recount lacks (or differ)


def drift() -> list[Drift]:
    """Recount the summary into temporary copies and compare: [] when the live summary
    is exactly right. The counties' and state's counts are compared summed over their
    slots, against a recount anchored where they are; the medians, as the live read
    gives them, against medians computed from the recount's year counts."""
    copies = tuple(f"{t}_recount" for t in TABLES)
    summary, _, area_year, area, area_slot = (sql.Identifier(c) for c in copies)
    found = []
    with transaction.atomic(), connection.cursor() as cursor:
        settle(cursor)
        for table, copy in zip(TABLES, copies, strict=True):
            cursor.execute(sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS "
                                   "SELECT * FROM {} WITH NO DATA")
                           .format(sql.Identifier(copy), sql.Identifier(table)))
        cursor.execute(rebuild_statement(copies))
        cursor.execute(SQL.compose("live/drift_anchored.sql", area=area, area_slot=area_slot,
                                   area_year=area_year))
        compared = {table: (sql.Identifier(table), sql.Identifier(copy))
                    for table, copy in zip(TABLES[:3], copies, strict=False)}
        compared["buildings_summary_area_slot"] = tuple(
            sql.SQL("({})").format(SQL.compose("live/area_counts.sql", area_slot=t))
            for t in (sql.Identifier(TABLES[4]), area_slot))
        compared["medians"] = (
            sql.SQL("(SELECT * FROM ({}) AS m WHERE median_year_built IS NOT NULL)").format(
                medians_statement()),
            sql.SQL("({})").format(medians_of(sql.SQL("{} UNION ALL {}").format(
                SQL.compose("live/town_years.sql", summary=summary),
                SQL.compose("live/area_years.sql", area_year=area_year)))))
        for name, (live, recount) in compared.items():
            cursor.execute(SQL.compose("live/drift.sql", live=live, recount=recount))
            missing, extra = cursor.fetchone()
            if missing or extra:
                found.append(Drift(name, missing, extra))
        transaction.set_rollback(True)
    return found
