"""Replace the buildings with N synthetic ones, made set-based inside PostgreSQL.

No building is ever built in Python: Python sends a handful of statements (one per
batch of ids, so a progress bar can move) and the rows are computed by the server
from sql/generate/. Everything happens in one transaction: a failure or an
interrupt leaves the previous buildings exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from psycopg import sql

from buildings.core import sqlfiles
from buildings.ingest.bulk import indexes_rebuilt_after, triggers_disabled_then_rebuilt
from buildings.ingest.locks import lock_buildings

SQL = sqlfiles.Folder(__package__)

BATCH = 250_000


@dataclass(frozen=True)
class GenerationResult:
    buildings: int
    seed: int


def generate(n: int, seed: int, progress: Callable[[int], None] | None = None,
             on_wait: Callable[[str], None] | None = None,
             keep_live: bool = True, towns: list[int] | None = None,
             prepare: str | None = None) -> GenerationResult:
    """Replace every building with `n` generated ones; `progress(k)` is told of each k made.

    `towns`: only these towns' buildings, each exactly as a generation of every town
    makes it (a cluster's shard). `prepare`: end with PREPARE TRANSACTION under this
    id instead of a commit (the coordinator commits it, or rolls it back, on every
    shard at once)."""
    if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
        raise ValueError(f"the number of buildings must be a positive integer, not {n!r}")
    params = {"n": n, "seed": seed, "towns": towns}
    plan = sql.SQL(SQL.load("generate/plan.sql").strip())
    with transaction.atomic(), connection.cursor() as cursor:
        lock_buildings(cursor, on_wait)
        cursor.execute(SQL.load("generate/prepare.sql"))
        with triggers_disabled_then_rebuilt(cursor, keep_live), indexes_rebuilt_after(cursor):
            for lo in range(1, n + 1, BATCH):
                hi = min(lo + BATCH - 1, n)
                cursor.execute(SQL.compose("generate/insert.sql", plan=plan),
                               {**params, "lo": lo, "hi": hi})
                if progress:
                    progress(hi - lo + 1)
        cursor.execute(SQL.load("generate/finish.sql"))
        cursor.execute(SQL.compose("generate/provenance.sql", plan=plan), params)
        cursor.execute("ANALYZE buildings_building")
        if prepare:
            cursor.execute(sql.SQL("PREPARE TRANSACTION {}").format(sql.Literal(prepare)))
    if not connection.in_atomic_block and not prepare:
        # Sets the visibility map, so the analysis can answer from index-only scans.
        # VACUUM cannot run inside a transaction: inside one, the ANALYZE above is all.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM buildings_building")
    return GenerationResult(buildings=n, seed=seed)


def generate_on_cluster(n: int, seed: int) -> int:
    """On a cluster's coordinator: every shard makes its own towns' buildings (exactly
    those one server would make), all committed or none (buildings/cluster/writes.py);
    the coordinator records their provenance with its decision. The number of shards."""
    from buildings.cluster import placement, writes

    towns = placement.towns_by_shard()
    plan = sql.SQL(SQL.load("generate/plan.sql").strip())

    def args(shard, gid: str) -> list[str]:
        return ["generate_buildings", "--buildings", str(n), "--seed", str(seed),
                *shard.towns_args(towns, gid)]

    def provenance() -> None:
        with connection.cursor() as cursor:
            cursor.execute(SQL.compose("generate/provenance.sql", plan=plan),
                           {"n": n, "seed": seed, "towns": None})

    return len(writes.two_phase(f"generate {n} buildings, seed {seed}", args, provenance))


def random_sql() -> str:
    """The deterministic random functions the generator's SQL calls (installed by the
    migrations)."""
    return SQL.load("generate/random.sql")


def random_remove_sql() -> str:
    return SQL.load("generate/random_remove.sql")
