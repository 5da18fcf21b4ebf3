"""Reference points the benchmark sets beside the strategies.

- floor: one bare aggregate over the buildings (a count per town): PostgreSQL
  answers it from the (town_id, prop_id) index alone.
- scan-floor: a count of the important buildings per town, which must read the
  table itself: the cost of one pass over the rows, below which no analysis of
  them can go.
- raw-sql: the sql strategy's own statement sent through psycopg, without the
  ORM: what the ORM adds.
- orm-straightforward: the first, obvious ORM version of the town figures
  (Town LEFT JOIN Building GROUP BY town, percentile_cont, a correlated
  subquery per town): what reshaping the query bought.
- pandas: read_sql of the needed columns and a groupby, when pandas is
  installed: what an analyst would reach for.

Each returns the number of rows it brought to Python.
"""

from __future__ import annotations

import warnings

from django.db import connection
from django.db.models import Avg, Count, F, JSONField, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import Coalesce, JSONObject, Rank, Round
from psycopg import sql

from buildings.core import sqlfiles
from buildings.core.aggregates import Median
from buildings.core.criteria import CRITERIA, FIELDS, important_q
from buildings.core.functions import Ratio
from buildings.core.models import Building, Town
from buildings.core.statement import computed, report_statement


def floor() -> int:
    return len(list(Building.objects.values("town_id").annotate(n=Count("id")).order_by()))


def scan_floor() -> int:
    important = Q(is_important=True)
    return len(list(Building.objects.values("town_id")
                    .annotate(n=Count("id", filter=important)).order_by()))


def raw_sql() -> int:
    """On Django's own psycopg connection (the same backend), bypassing the ORM."""
    statement = report_statement(computed())
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        return len(cursor.execute(statement).fetchall())


def largest_important_subquery():
    return (
        Building.objects.filter(important_q(), town=OuterRef("pk"), bld_area__isnull=False)
        .order_by("-bld_area", "id")
        .values(json=JSONObject(prop_id="prop_id", site_addr="site_addr", bld_area="bld_area"))[:1]
    )


def straightforward_town_figures():
    """The town figures as one annotated Town queryset: correct, and slow on large data."""
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
            largest_important=Subquery(largest_important_subquery(), output_field=JSONField()),
            important_pct=Ratio("important", "buildings_count", 100),
            buildings_per_1000=Ratio("buildings_count", "population", 1000),
            rank=Window(Rank(), order_by=F("important").desc()),
        )
        .order_by("town_id")
    )


def orm_straightforward() -> int:
    return len(list(straightforward_town_figures().values()))


def pandas_groupby() -> int:
    import pandas as pd

    columns = sql.SQL(", ").join(
        map(sql.Identifier, dict.fromkeys(("town_id", "year_built", "bld_area", *FIELDS))))
    statement = sqlfiles.text(sql.SQL("SELECT {} FROM buildings_building").format(columns))
    connection.ensure_connection()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # pandas prefers SQLAlchemy; psycopg works
        frame = pd.read_sql(statement, connection.connection)
    frame["important"] = False
    for criterion in CRITERIA:
        frame["important"] |= criterion.mask(frame)
    figures = frame.groupby("town_id").agg(
        buildings=("town_id", "size"), important=("important", "sum"),
        median_year_built=("year_built", "median"),
    )
    return len(figures)


REFERENCES = {
    "floor": floor,
    "scan-floor": scan_floor,
    "raw-sql": raw_sql,
    "orm-straightforward": orm_straightforward,
    "pandas": pandas_groupby,
}


def pandas_available() -> bool:
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


def connection_backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]
