"""`cluster status`: each shard's health and what it holds, from the coordinator."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from buildings.cluster.placement import towns_by_shard
from buildings.cluster.setup import connect
from buildings.cluster.shards import ClusterError, shards
from buildings.cluster.writes import GID_PREFIX


@dataclass(frozen=True)
class ShardHealth:
    name: str
    where: str
    answers: bool
    detail: str  # the server's version, or why it does not answer
    towns_placed: int
    towns_held: int  # towns it holds buildings of
    buildings: int
    prepared: int  # two-phase commits left prepared
    stray: int  # buildings of towns placed elsewhere

    @property
    def healthy(self) -> bool:
        return self.answers and not self.prepared and not self.stray


def status() -> list[ShardHealth]:
    try:
        placed = towns_by_shard()
    except ClusterError:
        placed = {}
    rows = []
    for shard in shards():
        mine = placed.get(shard.name, [])
        try:
            with connect(shard, autocommit=True) as conn:
                version = conn.execute("SHOW server_version").fetchone()[0]
                towns, buildings, stray = conn.execute(
                    "SELECT count(DISTINCT town_id), count(*), "
                    "count(*) FILTER (WHERE NOT town_id = ANY (%s)) FROM buildings_building",
                    [mine]).fetchone()
                prepared = conn.execute(
                    "SELECT count(*) FROM pg_prepared_xacts WHERE gid LIKE %s "
                    "AND database = current_database()", [f"{GID_PREFIX}%"]).fetchone()[0]
            rows.append(ShardHealth(shard.name, shard.where(), True, f"PostgreSQL {version}",
                                    len(mine), towns, buildings, prepared, stray))
        except (ClusterError, psycopg.Error) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "no answer"
            rows.append(ShardHealth(shard.name, shard.where(), False, reason, len(mine),
                                    0, 0, 0, 0))
    return rows
