"""Bulk loads into the buildings table, shared by the generator and the importer."""

from psycopg import sql

from buildings import sqlfiles


def lock_buildings(cursor, on_wait=None) -> None:
    """The first lock every writer of the buildings takes (the import, the generator).

    Writers and refreshes meet on two locks: the buildings table and the view-state
    row (the staleness trigger updates it; a refresh records its version there). A
    refresh takes the table (reading it) before the row; a writer that took the row
    first (by a DELETE that fires the trigger) and then the table (to drop indexes)
    would deadlock with it. So writers lock the table first, before anything else,
    in the strongest mode they will need. A writer that has to wait says so.
    """
    from django.db import transaction
    from django.db.utils import OperationalError

    try:
        with transaction.atomic():  # a savepoint: a refused NOWAIT must not end the transaction
            cursor.execute(sqlfiles.load("bulk/lock_nowait.sql"))
    except OperationalError:
        if on_wait:
            on_wait("waiting for the buildings table: another import, generation or refresh "
                    "is using it")
        cursor.execute(sqlfiles.load("bulk/lock.sql"))


class indexes_rebuilt_after:
    """Drop the table's secondary indexes and constraints for a bulk load; re-create them after.

    Building an index once over the loaded table is several times cheaper than
    maintaining it row by row, and PostgreSQL builds btrees with parallel workers.
    The definitions are read back from the catalog, so migrations stay the only
    place an index is declared.
    """

    def __init__(self, cursor, foreign_keys_only: bool = False):
        self.cursor = cursor
        self.foreign_keys_only = foreign_keys_only
        self.indexes: list[tuple[str, str]] = []
        self.constraints: list[tuple[str, str]] = []

    def __enter__(self):
        c = self.cursor
        c.execute(sqlfiles.load("bulk/before.sql"))
        c.execute(sqlfiles.load("bulk/secondary_indexes.sql"), {"table": "buildings_building"})
        for name, definition, is_constraint in c.fetchall():
            if self.foreign_keys_only and not definition.startswith("FOREIGN KEY"):
                continue
            (self.constraints if is_constraint else self.indexes).append((name, definition))
        for name, _ in self.constraints:
            c.execute(sql.SQL("ALTER TABLE buildings_building DROP CONSTRAINT {}")
                      .format(sql.Identifier(name)))
        for name, _ in self.indexes:
            c.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            return False  # the transaction rolls back and the indexes come back with it
        for _, definition in self.indexes:
            self.cursor.execute(sql.SQL(definition))
        for name, definition in self.constraints:
            # the definition is PostgreSQL's own text, read back from the catalog above
            self.cursor.execute(sql.SQL("ALTER TABLE buildings_building ADD CONSTRAINT {} {}")
                                .format(sql.Identifier(name), sql.SQL(definition)))
        return False
