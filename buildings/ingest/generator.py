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
             keep_live: bool = True) -> GenerationResult:
    """Replace every building with `n` generated ones; `progress(k)` is told of each k made."""
    if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
        raise ValueError(f"the number of buildings must be a positive integer, not {n!r}")
    params = {"n": n, "seed": seed}
    with transaction.atomic(), connection.cursor() as cursor:
        lock_buildings(cursor, on_wait)
        cursor.execute(SQL.load("generate/prepare.sql"))
        cursor.execute(SQL.load("generate/plan.sql"), params)
        with triggers_disabled_then_rebuilt(cursor, keep_live), indexes_rebuilt_after(cursor):
            for lo in range(1, n + 1, BATCH):
                hi = min(lo + BATCH - 1, n)
                cursor.execute(SQL.load("generate/insert.sql"), {**params, "lo": lo, "hi": hi})
                if progress:
                    progress(hi - lo + 1)
        cursor.execute(SQL.load("generate/finish.sql"))
        cursor.execute(SQL.load("generate/provenance.sql"), params)
        cursor.execute("ANALYZE buildings_building")
    if not connection.in_atomic_block:
        # Sets the visibility map, so the analysis can answer from index-only scans.
        # VACUUM cannot run inside a transaction: inside one, the ANALYZE above is all.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM buildings_building")
    return GenerationResult(buildings=n, seed=seed)


def random_sql() -> str:
    """The deterministic random functions the generator's SQL calls (installed by the
    migrations)."""
    return SQL.load("generate/random.sql")


def random_remove_sql() -> str:
    return SQL.load("generate/random_remove.sql")
