"""`cluster setup`: make the coordinator read its shards, each shard ready for it.

For each shard: it must answer, hold this project's schema (`migrate` is run on
it), allow prepared transactions (two-phase commit) and plan the coordinator's
remote queries for the whole result (cursor_tuple_fraction = 1 for its user in
its database: postgres_fdw reads through cursors, planned by default for the first
rows, and never in parallel). On the coordinator, in one transaction: postgres_fdw,
a server, a user mapping and a schema of foreign tables per shard, and the views
that join them (sql/coordinator_*.sql).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import psycopg
from django.db import connection, transaction
from psycopg import sql

from buildings.cluster import report
from buildings.cluster.shards import ClusterError, Shard, shards

SQL = report.SQL
FDW_OPTIONS = ("host", "port", "dbname")
USER_OPTIONS = ("user", "password")


def connect(shard: Shard, **kwargs) -> psycopg.Connection:
    """A connection to a shard, or one line saying it does not answer."""
    try:
        return psycopg.connect(shard.url, connect_timeout=5, **kwargs)
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else "no answer"
        raise ClusterError(f"shard {shard.name} ({shard.where()}) does not answer ({reason}): "
                           "start it, or take it out of BUILDINGS_SHARDS; nothing was "
                           "changed") from exc


def check_reachable() -> None:
    """Every shard answers, before anything is written anywhere."""
    for shard in shards():
        connect(shard).close()


def migrate_shard(shard: Shard) -> None:
    done = subprocess.run([sys.executable, "-m", "buildings", "migrate", "--no-input", "-v", "0"],
                          env=shard.env(), capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ClusterError(f"migrating shard {shard.name} failed: {last}")


def prepare_shard(shard: Shard) -> None:
    with connect(shard, autocommit=True) as conn:
        prepared = int(conn.execute("SHOW max_prepared_transactions").fetchone()[0])
        if prepared < 2:
            raise ClusterError(
                f"shard {shard.name} allows {prepared} prepared transactions: set "
                "max_prepared_transactions to at least 8 in its postgresql.conf and restart "
                "it (the cluster's writes use two-phase commit)")
        conn.execute(sql.SQL("ALTER ROLE CURRENT_USER IN DATABASE {} SET "
                             "cursor_tuple_fraction = 1").format(
            sql.Identifier(shard.conninfo().get("dbname") or "postgres")))


def options(shard: Shard, names: tuple[str, ...],
            defaults: dict[str, str] | None = None) -> sql.Composed:
    """postgres_fdw options from the shard's URL (`defaults` for what it leaves out)."""
    info = {**(defaults or {}), **{k: v for k, v in shard.conninfo().items() if v}}
    return sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(n), sql.Literal(info[n]))
                              for n in names if info.get(n))


def union(template: str) -> sql.Composed:
    return sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT * FROM {}.{}").format(sql.Identifier(s.schema),
                                                sql.Identifier(template))
        for s in shards())


def setup(say: Callable[[str], None]) -> None:
    if not shards():
        raise ClusterError("no shards: set BUILDINGS_SHARDS=\"NAME=URL NAME=URL ...\" "
                           "on the coordinator")
    for shard in shards():
        connect(shard).close()
        migrate_shard(shard)
        prepare_shard(shard)
        say(f"shard {shard.name} ({shard.where()}): migrated, ready")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS postgres_fdw")
        cursor.execute(SQL.load("coordinator_drop.sql"))
        me = {"user": connection.settings_dict["USER"] or "postgres"}
        for shard in shards():
            cursor.execute(SQL.compose(
                "coordinator_setup.sql", server=sql.Identifier(shard.server),
                schema=sql.Identifier(shard.schema), options=options(shard, FDW_OPTIONS),
                user_options=options(shard, USER_OPTIONS, me)))
        cursor.execute(SQL.compose(
            "coordinator_views.sql",
            sql_parts=union(report.VIEW.format("sql")),
            live_parts=union(report.VIEW.format("live")),
            version_parts=union("buildings_shard_version")))
    say(f"coordinator: {len(shards())} shards read through postgres_fdw")
