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

from buildings import sql

BATCH = 250_000


@dataclass(frozen=True)
class GenerationResult:
    buildings: int
    seed: int


def generate(n: int, seed: int, progress: Callable[[int], None] | None = None) -> GenerationResult:
    """Replace every building with `n` generated ones; `progress(k)` is told of each k made."""
    if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
        raise ValueError(f"the number of buildings must be a positive integer, not {n!r}")
    params = {"n": n, "seed": seed}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql.load("generate/prepare.sql"))
        cursor.execute(sql.load("generate/plan.sql"), params)
        with _indexes_rebuilt_after(cursor):
            for lo in range(1, n + 1, BATCH):
                hi = min(lo + BATCH - 1, n)
                cursor.execute(sql.load("generate/insert.sql"), {**params, "lo": lo, "hi": hi})
                if progress:
                    progress(hi - lo + 1)
        cursor.execute(sql.load("generate/finish.sql"))
        cursor.execute("ANALYZE buildings_building")
    if not connection.in_atomic_block:
        # Sets the visibility map, so the analysis can answer from index-only scans.
        # VACUUM cannot run inside a transaction: inside one, the ANALYZE above is all.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM buildings_building")
    return GenerationResult(buildings=n, seed=seed)


class _indexes_rebuilt_after:
    """Drop the table's secondary indexes and constraints for a bulk load; re-create them after.

    Building an index once over the loaded table is several times cheaper than
    maintaining it row by row, and PostgreSQL builds btrees with parallel workers.
    The definitions are read back from the catalog, so migrations stay the only
    place an index is declared.
    """

    def __init__(self, cursor):
        self.cursor = cursor
        self.indexes: list[tuple[str, str]] = []
        self.constraints: list[tuple[str, str]] = []

    def __enter__(self):
        c = self.cursor
        c.execute(sql.load("generate/secondary_indexes.sql"), {"table": "buildings_building"})
        for name, definition, is_constraint in c.fetchall():
            (self.constraints if is_constraint else self.indexes).append((name, definition))
        for name, _ in self.constraints:
            c.execute(f'ALTER TABLE buildings_building DROP CONSTRAINT "{name}"')
        for name, _ in self.indexes:
            c.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            return False  # the transaction rolls back and the indexes come back with it
        for _, definition in self.indexes:
            self.cursor.execute(definition)
        for name, definition in self.constraints:
            self.cursor.execute(
                f'ALTER TABLE buildings_building ADD CONSTRAINT "{name}" {definition}')
        return False
