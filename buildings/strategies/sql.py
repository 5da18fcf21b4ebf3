"""The analysis pushed into PostgreSQL: only the 351 town rows and 15 rollup rows reach Python.

Towns: one annotated queryset. Each criterion is a conditional aggregate
(Count with filter=), "important" is the OR of the criteria, the median is a
percentile aggregate, the largest important building a Subquery, the rank a
window function. Counties and the state: one GROUPING SETS query from
sql/analysis/rollup.sql, because the ORM cannot group by grouping sets.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    F,
    JSONField,
    Max,
    OuterRef,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce, JSONObject, Rank, Round

from buildings import sql
from buildings.aggregates import Median, Ratio
from buildings.criteria import CRITERIA, important_q
from buildings.models import Building, Town
from buildings.report import CountyRow, Figures, Report, TownRow
from buildings.selection import Selection


def largest_important():
    """The important building with the largest floor area in the outer query's town."""
    return (
        Building.objects.filter(important_q(), town=OuterRef("pk"), bld_area__isnull=False)
        .order_by("-bld_area", "id")
        .values(json=JSONObject(prop_id="prop_id", site_addr="site_addr", bld_area="bld_area"))[:1]
    )


def town_figures():
    """A queryset of one dict per town with every figure of the report."""
    important = important_q("buildings__")
    return (
        Town.objects.annotate(
            town=F("name"),
            county_name=F("county__name"),
            buildings_count=Count("buildings"),
            important=Count("buildings", filter=important),
            **{c.name: Count("buildings", filter=c.q("buildings__")) for c in CRITERIA},
            important_floor_area=Coalesce(Sum("buildings__bld_area", filter=important), 0),
            median_year_built=Median("buildings__year_built"),
            avg_important_value=Round(Avg("buildings__total_val", filter=important)),
            largest_important=Subquery(largest_important(), output_field=JSONField()),
            important_pct=Ratio("important", "buildings_count", 100),
            buildings_per_1000=Ratio("buildings_count", "population", 1000),
            rank=Window(Rank(), order_by=F("important").desc()),
        )
        .order_by("town_id")
    )


def only(queryset, selection: Selection):
    """Filter towns after the rank is taken, so ranks stay statewide.

    Django applies a filter on a window annotation after the window (as QUALIFY);
    a per-town window over the key makes the town filter one of those.
    """
    queryset = queryset.annotate(
        shown_id=Window(Max("town_id"), partition_by=F("town_id")),
        shown_county=Window(Max("county__name"), partition_by=F("town_id")),
    )
    if selection.town_ids is not None and selection.counties is not None:
        from django.db.models import Q

        return queryset.filter(Q(shown_id__in=selection.town_ids)
                               | Q(shown_county__in=selection.counties))
    if selection.town_ids is not None:
        return queryset.filter(shown_id__in=selection.town_ids)
    return queryset.filter(shown_county__in=selection.counties)


def rollup_rows() -> list[dict]:
    """County rows and the state row (county None), from sql/analysis/rollup.sql."""
    with connection.cursor() as cursor:
        cursor.execute(sql.render("analysis/rollup.sql"))
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def analyze(selection: Selection | None = None, on_town=None) -> Report:
    towns = town_figures()
    if selection is not None and not selection.everything:
        towns = only(towns, selection)
    town_rows = [
        TownRow.of({**row, "county": row["county_name"], "buildings": row["buildings_count"]})
        for row in towns.values(
            "town_id", "town", "county_name", "population", "buildings_count", "important",
            *(c.name for c in CRITERIA), "important_pct", "important_floor_area",
            "median_year_built", "avg_important_value", "largest_important",
            "buildings_per_1000", "rank",
        )
    ]
    return report_from_rows(town_rows, rollup_rows(), selection)


def report_from_rows(town_rows: list[TownRow], rollup: list[dict],
                     selection: Selection | None) -> Report:
    state = next(Figures.of(r) for r in rollup if r["county"] is None)
    counties = [CountyRow.of(r) for r in rollup if r["county"] is not None]
    if selection is not None and not selection.everything:
        shown = set(selection.counties or ()) | {t.county for t in town_rows}
        counties = [c for c in counties if c.county in shown]
    return Report(state, counties, town_rows)
