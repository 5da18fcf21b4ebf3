"""Bulk loads into the buildings table, shared by the generator and the importer: the
indexes rebuilt once after the load, and the live summary recounted once after it."""

from psycopg import sql

from buildings.core import sqlfiles
from buildings.derived import live_summary

SQL = sqlfiles.Folder(__package__)


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
        c.execute(SQL.load("bulk/before.sql"))
        c.execute(SQL.load("bulk/secondary_indexes.sql"), {"table": "buildings_building"})
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


class triggers_disabled_then_rebuilt:
    """For a bulk load: its statements skip the summary's triggers (which would add up a
    million-row transition table), and the summary is recounted once at the end, in the
    same transaction. The caller holds the buildings table's lock (locks.lock_buildings)."""

    def __init__(self, cursor, keep_live: bool = True):
        self.cursor = cursor
        self.keep_live = keep_live  # False only to measure what keeping it costs

    def __enter__(self):
        set_triggers(self.cursor, enabled=False)
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            set_triggers(self.cursor, enabled=True)
            if self.keep_live:
                live_summary.rebuild(self.cursor)
        return False


def set_triggers(cursor, enabled: bool) -> None:
    """Turn the summary's triggers on or off, inside the caller's transaction."""
    cursor.execute(SQL.load("bulk/before.sql"))  # no pending trigger events
    for trigger in live_summary.TRIGGERS:
        cursor.execute(sql.SQL("ALTER TABLE buildings_building {} TRIGGER {}").format(
            sql.SQL("ENABLE" if enabled else "DISABLE"), sql.Identifier(trigger)))
