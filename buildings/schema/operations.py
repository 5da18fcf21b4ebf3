"""Migration operations for what Django has no model of: materialized views, and files
of functions and triggers.

In the manner of django-pgtrigger (whose AddTrigger keeps the trigger in the model
state, so RemoveTrigger needs only its name) and of django.contrib.postgres's
operations, each operation records what it creates in the migration state: the
options `materialized_views` and `installed_sql` of the buildings model's state. So

- dropping or replacing needs no copy of the old SQL: reversing reads it from the
  state before the operation;
- makemigrations compares the state the migrations leave with the code
  (buildings/schema/autodetector.py), and the database checks do the same;
- the SQL a migration holds stays readable, in the migrations' `sql/` folder,
  pinned by its sha256 (`MigrationSQL`): always the whole text, as django-pgtrigger
  keeps the whole trigger in its migration, so what a migration installs is read
  in one file (or with `sqlmigrate`), never pieced together from earlier ones. A
  migration written by hand may also give the SQL as a plain string.

Migrating a database today, or from any point of its history, gives the same
schema whatever the code around it has become.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from importlib.resources import files

from django.db.migrations.operations.base import Operation, OperationCategory
from django.db.migrations.serializer import BaseSerializer
from django.db.migrations.writer import MigrationWriter
from django.db.models import options
from psycopg import sql

from buildings.derived.report_view import view_table

VIEWS_OPTION = "materialized_views"
SQL_OPTION = "installed_sql"
HOLDER = "building"  # the model state whose options record them

# Model state options are rendered as Meta attributes: let Meta accept these two, as
# django-pgtrigger does for its `triggers`.
for _name in (VIEWS_OPTION, SQL_OPTION):
    if _name not in options.DEFAULT_NAMES:
        options.DEFAULT_NAMES = (*options.DEFAULT_NAMES, _name)


class ChangedMigrationSQL(RuntimeError):
    """A .sql file of a migration no longer matches the hash its migration pins."""


class MigrationSQL:
    """SQL a migration holds in a .sql file of <migrations>/sql/, its whole text,
    pinned by its sha256.

    `pending(text)` is one makemigrations has made and not written yet: the
    makemigrations command names and writes it with the migration."""

    def __init__(self, name: str | None, sha256: str, text: str | None = None):
        self.name = name
        self.sha256 = sha256
        self._text = text

    @classmethod
    def pending(cls, text: str) -> MigrationSQL:
        return cls(None, digest(text), text)

    def text(self, app_label: str) -> str:
        if self._text is None:
            self._text = _read_pinned(app_label, self.name, self.sha256)
        return self._text

    def __eq__(self, other):
        return isinstance(other, MigrationSQL) and (self.name, self.sha256) == (
            other.name, other.sha256)

    def __hash__(self):
        return hash((self.name, self.sha256))


FROZEN = "-- Frozen copy of "  # a frozen file's first line: where it comes from, not its SQL


def frozen_file(source: str, text: str) -> str:
    """A frozen file's text: a first line saying what it is a copy of and how to see
    the whole migration, then the SQL exactly as pinned."""
    return f"{FROZEN}{source}\n{text}"


def pinned_text(file_text: str) -> str:
    """The SQL of a frozen file: its text after the first line, when that says where it
    comes from (so the line can be corrected freely and pins nothing)."""
    if file_text.startswith(FROZEN):
        return file_text.split("\n", 1)[1] if "\n" in file_text else ""
    return file_text


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@cache
def _read_pinned(app_label: str, name: str, sha256: str) -> str:
    from django.db.migrations.loader import MigrationLoader

    module, _ = MigrationLoader.migrations_module(app_label)
    path = files(import_module(module).__name__).joinpath("sql", name)
    text = pinned_text(path.read_text())
    if digest(text) != sha256:
        raise ChangedMigrationSQL(
            f"{module.replace('.', '/')}/sql/{name} is not the SQL its migration pins "
            f"(sha256 {sha256[:12]}…): a migration's SQL never changes once written; restore "
            "the file (git checkout) and let makemigrations write a new migration")
    return text


class MigrationSQLSerializer(BaseSerializer):
    def serialize(self):
        if self.value.name is None:
            raise ValueError("a pending MigrationSQL is written by makemigrations, which "
                             "names it first")
        return (f"buildings.schema.operations.MigrationSQL({self.value.name!r}, "
                f"{self.value.sha256!r})", {"import buildings.schema.operations"})


MigrationWriter.register_serializer(MigrationSQL, MigrationSQLSerializer)


def text_of(value: MigrationSQL | str, app_label: str) -> str:
    return value if isinstance(value, str) else value.text(app_label)


def sql_shape(text: str) -> str:
    """The SQL without its comments and with its white space folded: what a change must
    touch to be a schema change. A comment corrected in an installed file, or a line
    re-wrapped, needs no migration. Quoted strings and identifiers are kept as they are
    (a `--` inside one is no comment); dollar-quoted bodies are code, their comments
    go too."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"":  # a string or a quoted identifier, doubled quotes inside
            j = i + 1
            while j < n and not (text[j] == c and text[j + 1:j + 2] != c):
                j += 2 if text[j] == c else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("--", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            out.append(" ")
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            out.append(" ")
        else:
            out.append(c)
            i += 1
    return " ".join("".join(out).split())


def same_sql(a: str | None, b: str | None) -> bool:
    """Whether two texts install the same thing (sql_shape), None only equal to None."""
    return a == b or (a is not None and b is not None and sql_shape(a) == sql_shape(b))


def fingerprint(query: str) -> str:
    """What a view's comment records of its SQL, so a check can tell an outdated view."""
    return "sha256:" + digest(query)[:16]


# ---------------------------------------------------------------- the migration state

@dataclass(frozen=True)
class RecordedView:
    query: str
    unique: tuple[str, ...]
    dropped: bool = False  # kept in the state after a drop, which reversing reads


@dataclass(frozen=True)
class RecordedSQL:
    sql: str
    remove: str  # what undoes its first installation


def recorded_views(state, app_label: str, dropped: bool = False) -> dict[str, RecordedView]:
    """The materialized views as the migrations leave them in `state` (with `dropped`,
    also the last text of those dropped since)."""
    views = _recorded(state, app_label, VIEWS_OPTION)
    return views if dropped else {n: v for n, v in views.items() if not v.dropped}


def recorded_sql(state, app_label: str) -> dict[str, RecordedSQL]:
    """The installed SQL files as the migrations leave them in `state`."""
    return _recorded(state, app_label, SQL_OPTION)


def _recorded(state, app_label: str, option: str) -> dict:
    model_state = state.models.get((app_label, HOLDER))
    return {} if model_state is None else dict(model_state.options.get(option, {}))


def _record(state, app_label: str, option: str, name: str, value) -> None:
    """Set (or with None, remove) one entry. The options dict is replaced, never changed
    in place: a cloned state shares it with the state it was cloned from."""
    model_state = state.models[(app_label, HOLDER)]
    entries = dict(model_state.options.get(option, {}))
    if value is None:
        entries.pop(name, None)
    else:
        entries[name] = value
    model_state.options = {**model_state.options, option: entries}


# ---------------------------------------------------------------- materialized views

def _create_view(schema_editor, name: str, view: RecordedView) -> None:
    table = sql.Identifier(view_table(name))
    statements = [
        sql.SQL("CREATE MATERIALIZED VIEW {} AS\n{}\nWITH NO DATA").format(
            table, sql.SQL(view.query)),
        sql.SQL("CREATE UNIQUE INDEX {} ON {} ({})").format(
            sql.Identifier(f"{view_table(name)}_key"), table,
            sql.SQL(", ").join(map(sql.Identifier, view.unique))),
        sql.SQL("COMMENT ON MATERIALIZED VIEW {} IS {}").format(
            table, sql.Literal(fingerprint(view.query))),
    ]
    for statement in statements:
        schema_editor.execute(statement.as_string(None), params=None)


def _drop_view(schema_editor, name: str) -> None:
    statement = sql.SQL("DROP MATERIALIZED VIEW {}").format(sql.Identifier(view_table(name)))
    schema_editor.execute(statement.as_string(None), params=None)


class CreateMaterializedView(Operation):
    """CREATE MATERIALIZED VIEW buildings_<name>_mv AS <query> WITH NO DATA, its unique
    index (for REFRESH ... CONCURRENTLY) and a comment with the query's fingerprint."""

    reduces_to_sql = True
    reversible = True
    category = OperationCategory.ADDITION

    def __init__(self, name: str, query: MigrationSQL | str, unique: list[str]):
        self.name = name
        self.query = query
        self.unique = list(unique)

    def state_forwards(self, app_label, state):
        query = text_of(self.query, app_label)
        _record(state, app_label, VIEWS_OPTION, self.name, RecordedView(query, tuple(self.unique)))

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        _create_view(schema_editor, self.name, recorded_views(to_state, app_label)[self.name])

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        _drop_view(schema_editor, self.name)

    def describe(self):
        return f"Create materialized view {view_table(self.name)}"

    @property
    def migration_name_fragment(self):
        return f"create_{self.name}_mv"

    def deconstruct(self):
        return (self.__class__.__name__, [],
                {"name": self.name, "query": self.query, "unique": self.unique})

    def reduce(self, operation, app_label):
        if isinstance(operation, DropMaterializedView) and operation.name == self.name:
            return []  # created and dropped: nothing
        return super().reduce(operation, app_label)


class DropMaterializedView(Operation):
    """DROP MATERIALIZED VIEW; reversed, the view is re-created from the state before."""

    reduces_to_sql = True
    reversible = True
    category = OperationCategory.REMOVAL

    def __init__(self, name: str):
        self.name = name

    def state_forwards(self, app_label, state):
        view = recorded_views(state, app_label)[self.name]
        _record(state, app_label, VIEWS_OPTION, self.name,
                RecordedView(view.query, view.unique, dropped=True))

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        _drop_view(schema_editor, self.name)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        _create_view(schema_editor, self.name, recorded_views(to_state, app_label)[self.name])

    def describe(self):
        return f"Drop materialized view {view_table(self.name)}"

    @property
    def migration_name_fragment(self):
        return f"drop_{self.name}_mv"

    def deconstruct(self):
        return (self.__class__.__name__, [], {"name": self.name})


# ---------------------------------------------------------------- functions and triggers

class InstallSQL(Operation):
    """The functions and triggers of one file (`name`), as they were when written, and
    what removes them (`remove`: the first installation must say; a later one that
    creates the same objects may leave it out).

    A later version replaces the one the state holds exactly: the old one's removal
    first, then the new text, so an object the new version no longer creates goes.
    Reversed, the version's own removal, then the old text again.
    """

    reduces_to_sql = True
    reversible = True
    category = OperationCategory.SQL

    def __init__(self, name: str, sql: MigrationSQL | str,
                 remove: MigrationSQL | str | None = None):
        self.name = name
        self.sql = sql
        self.remove = remove

    def state_forwards(self, app_label, state):
        previous = recorded_sql(state, app_label).get(self.name)
        if previous is None and self.remove is None:
            raise ValueError(f"the first installation of the SQL {self.name!r} must say how "
                             "to remove it (remove=)")
        remove = previous.remove if self.remove is None else text_of(self.remove, app_label)
        text = text_of(self.sql, app_label)
        _record(state, app_label, SQL_OPTION, self.name, RecordedSQL(text, remove))

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        _replace(schema_editor, recorded_sql(from_state, app_label).get(self.name),
                 recorded_sql(to_state, app_label)[self.name])

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        _replace(schema_editor, recorded_sql(from_state, app_label)[self.name],
                 recorded_sql(to_state, app_label).get(self.name))

    def describe(self):
        return f"Install the SQL of {self.name}"

    @property
    def migration_name_fragment(self):
        return f"install_{self.name}"

    def deconstruct(self):
        kwargs = {"name": self.name, "sql": self.sql}
        if self.remove is not None:
            kwargs["remove"] = self.remove
        return (self.__class__.__name__, [], kwargs)

    def reduce(self, operation, app_label):
        if isinstance(operation, RemoveSQL) and operation.name == self.name and self.remove:
            return []  # installed for the first time, then removed: nothing
        return super().reduce(operation, app_label)


class RemoveSQL(Operation):
    """The objects of an installed file removed; reversed, installed again from the state."""

    reduces_to_sql = True
    reversible = True
    category = OperationCategory.REMOVAL

    def __init__(self, name: str):
        self.name = name

    def state_forwards(self, app_label, state):
        _record(state, app_label, SQL_OPTION, self.name, None)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        _replace(schema_editor, recorded_sql(from_state, app_label)[self.name], None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        _replace(schema_editor, None, recorded_sql(to_state, app_label)[self.name])

    def describe(self):
        return f"Remove the SQL of {self.name}"

    @property
    def migration_name_fragment(self):
        return f"remove_{self.name}"

    def deconstruct(self):
        return (self.__class__.__name__, [], {"name": self.name})


def _replace(schema_editor, old: RecordedSQL | None, new: RecordedSQL | None) -> None:
    """One version of an installed file for another (None: nothing installed)."""
    if old is not None:
        schema_editor.execute(old.remove, params=None)
    if new is not None:
        schema_editor.execute(new.sql, params=None)
