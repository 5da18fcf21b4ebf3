"""Migration operations that carry the exact SQL of what they create.

In the manner of django.contrib.postgres.operations: a migration that creates a
materialized view or installs functions and triggers holds their SQL as text,
so migrating a database today, or from any point of its history, gives the same
schema whatever the code around it has become. `makemigrations` writes them
(buildings/autodetector.py) when a file in sql/ or a view's statement changes.
"""

from __future__ import annotations

import hashlib

from django.db.migrations.operations.base import Operation
from django.db.migrations.serializer import BaseSerializer
from django.db.migrations.writer import MigrationWriter
from psycopg import sql


class SQLText:
    """SQL held by a migration, as deconstruct() hands it to the migration writer: written
    as a readable raw string. (Not a str subclass: the writer's str serializer would win.)"""

    def __init__(self, text: str):
        self.text = text


class SQLTextSerializer(BaseSerializer):
    """One string literal a line, in parentheses: the migration writer indents every line
    of a value, which would change the text of a triple-quoted string."""

    def serialize(self):
        lines = self.value.text.splitlines(keepends=True)
        if len(lines) <= 1:
            return repr(self.value.text), set()
        return "(\n" + "\n".join(repr(line) for line in lines) + "\n)", set()


MigrationWriter.register_serializer(SQLText, SQLTextSerializer)


def fingerprint(query: str) -> str:
    """What a view's comment records of its SQL, so a check can tell an outdated view."""
    return "sha256:" + hashlib.sha256(query.encode()).hexdigest()[:16]


def view_table(name: str) -> str:
    return f"buildings_{name}_mv"


class CreateMaterializedView(Operation):
    """CREATE MATERIALIZED VIEW buildings_<name>_mv AS <query> WITH NO DATA, its unique
    index (for REFRESH ... CONCURRENTLY) and a comment with the query's fingerprint."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, name: str, query: str, unique: list[str]):
        self.name = name
        self.query = query
        self.unique = list(unique)

    @property
    def table(self) -> str:
        return view_table(self.name)

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._create(schema_editor)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._drop(schema_editor)

    def _create(self, schema_editor):
        table = sql.Identifier(self.table)
        statements = [
            sql.SQL("CREATE MATERIALIZED VIEW {} AS\n{}\nWITH NO DATA").format(
                table, sql.SQL(self.query)),
            sql.SQL("CREATE UNIQUE INDEX {} ON {} ({})").format(
                sql.Identifier(f"{self.table}_key"), table,
                sql.SQL(", ").join(map(sql.Identifier, self.unique))),
            sql.SQL("COMMENT ON MATERIALIZED VIEW {} IS {}").format(
                table, sql.Literal(fingerprint(self.query))),
        ]
        for statement in statements:
            schema_editor.execute(statement.as_string(None), params=None)

    def _drop(self, schema_editor):
        statement = sql.SQL("DROP MATERIALIZED VIEW {}").format(sql.Identifier(self.table))
        schema_editor.execute(statement.as_string(None), params=None)

    def describe(self):
        return f"Create materialized view {self.table}"

    @property
    def migration_name_fragment(self):
        return f"create_{self.name}_mv"

    def deconstruct(self):
        return (self.__class__.__name__, [],
                {"name": self.name, "query": SQLText(self.query), "unique": self.unique})


class DropMaterializedView(CreateMaterializedView):
    """The reverse of CreateMaterializedView; holds the dropped view's SQL to re-create it."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._drop(schema_editor)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._create(schema_editor)

    def describe(self):
        return f"Drop materialized view {self.table}"

    @property
    def migration_name_fragment(self):
        return f"drop_{self.name}_mv"


class InstallSQL(Operation):
    """Functions and triggers from one file of sql/ (`name`), as they were when written.

    `reverse_sql` restores the previous version, or removes the objects when this is
    the first.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, name: str, sql: str, reverse_sql: str):
        self.name = name
        self.sql = sql
        self.reverse_sql = reverse_sql

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        schema_editor.execute(self.sql, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        schema_editor.execute(self.reverse_sql, params=None)

    def describe(self):
        return f"Install the SQL of {self.name}"

    @property
    def migration_name_fragment(self):
        return f"install_{self.name}"

    def deconstruct(self):
        return (self.__class__.__name__, [], {"name": self.name, "sql": SQLText(self.sql),
                                              "reverse_sql": SQLText(self.reverse_sql)})
