"""The report over a cluster: each shard's aggregates (sql/shard_report.sql), and on
the coordinator the one report statement over all of them.

Shard side: the function and views every database of the project holds (the
migrations install them, so a shard is an ordinary database of this project).
Coordinator side: `sources(kind)` gives the report statement's sources from the
shards' rows, which `cluster setup` brings in as foreign tables (one UNION ALL,
read by async foreign scans: every shard computes its part at the same time).
"""

from __future__ import annotations

from psycopg import sql

from buildings.core import sqlfiles, statement
from buildings.core.statement import Sources, medians_of
from buildings.derived.live_summary import FIGURES

SQL = sqlfiles.Folder(__package__)
KINDS = ("sql", "live")  # the strategies a cluster answers
VIEW = "buildings_shard_report_{}"  # a shard's rows of one kind
CLUSTER_VIEW = "buildings_cluster_report_{}"  # the coordinator's union of them


def _type(figure: str) -> str:
    return "numeric" if figure == "important_value_sum" else "bigint"


def columns() -> sql.Composed:
    """The shard report's columns, with their types."""
    names = [("level", "integer"), ("town_id", "integer"), ("county", "varchar"),
             ("year_built", "integer"), ("n", "bigint"), *((f, _type(f)) for f in FIGURES),
             ("median_year_built", "float8"), ("largest_prop_id", "varchar"),
             ("largest_site_addr", "varchar"), ("largest_bld_area", "integer")]
    return sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(t))
                              for n, t in names)


def _figures() -> dict[str, sql.Composable]:
    return {
        "figures": sql.SQL(", ").join(sql.SQL("a.{}::{}").format(sql.Identifier(f),
                                                                 sql.SQL(_type(f)))
                                      for f in FIGURES),
        "empty": sql.SQL(", ").join(sql.SQL("NULL::{}").format(sql.SQL(_type(f)))
                                    for f in FIGURES),
        "largest": statement.largest_probe(),
    }


def shard_statement() -> sql.Composed:
    computed = statement.computed()
    sql_rows = SQL.compose(
        "town_rows_sql.sql", inputs=computed.inputs, per_town=computed.per_town,
        town_medians=medians_of(statement.SQL.compose("town_year_counts.sql"), by=("town_id",)),
        area_year_counts=statement.SQL.compose("area_year_counts.sql"), **_figures())
    live_rows = SQL.compose("town_rows_live.sql", **_figures())
    return SQL.compose("shard_report.sql", columns=columns(), sql_rows=sql_rows,
                       live_rows=live_rows)


def shard_sql() -> str:
    """What every database holds for a coordinator to read (installed by the migrations)."""
    return sqlfiles.text(shard_statement())


def shard_remove_sql() -> str:
    return SQL.load("shard_report_remove.sql")


def sources(kind: str) -> Sources:
    """The report statement's sources from the shards' rows: read once (a materialized
    CTE), the towns' sums, medians and largest buildings as the shards give them, the
    counties' and the state's medians from the shards' year counts added up."""
    if kind not in KINDS:
        raise ValueError(f"a cluster answers {' and '.join(KINDS)}, not {kind}")
    return Sources(
        inputs=SQL.compose("coordinator_inputs.sql",
                           cluster_view=sql.Identifier(CLUSTER_VIEW.format(kind))),
        per_town=SQL.compose("coordinator_per_town.sql"),
        medians=SQL.compose("coordinator_medians.sql", area_medians=medians_of(
            SQL.compose("coordinator_area_year_counts.sql"), bytewise=True)),
        largest=SQL.compose("coordinator_largest.sql"))
