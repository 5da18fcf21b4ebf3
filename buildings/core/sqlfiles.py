"""The one loader of the SQL files, and the one way SQL is built around them.

Each package keeps the SQL it runs in its own `sql/` folder, shipped with it as
package data; a module names its folder once (`SQL = sqlfiles.Folder(__package__)`)
and loads from it by a path relative to that folder.

- Values are bound as parameters. Where a statement cannot take parameters (a
  view's definition, COPY), psycopg quotes them as literals (`sql.Literal`, or
  the driver's client-side binding for a compiled queryset).
- Identifiers are `sql.Identifier`.
- Fragments are composed with psycopg's `sql.SQL(...).format(...)`: a file that
  takes fragments names them `{like_this}` and writes a literal brace as `{{`.
  Comments name a placeholder `<like_this>`: braces in a comment would be filled
  too, and a fragment of several lines would run out of the comment.
  Files that take no fragments are sent as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from psycopg import sql


@dataclass(frozen=True)
class Folder:
    """The `sql/` folder of a package (its dotted name), read as package data, so an
    installed wheel finds its SQL as a checkout does."""

    package: str

    def load(self, name: str) -> str:
        """The text of <package>/sql/<name>."""
        return _read(self.package, name)

    def compose(self, name: str, criteria_names: tuple[str, ...] | None = None,
                **fragments: sql.Composable) -> sql.Composed:
        """<package>/sql/<name> with its {placeholders} filled.

        {criteria_sums}, {criteria_coalesced} and {criteria_columns} come from the
        criteria registry, so adding a criterion needs no SQL edit (`criteria_names`:
        a what-if's columns instead); `fragments` fill the file's other placeholders.
        """
        text = self.load(name).strip().rstrip(";")
        commented = [line for line in text.splitlines() if line.lstrip().startswith("--")
                     and "{" in line]
        if commented:
            raise ValueError(f"{self.package}/sql/{name}: a placeholder in a comment "
                             f"({commented[0].strip()}); write it <like_this>")
        return sql.SQL(text).format(**criteria_fragments(criteria_names), **fragments)


@cache
def _read(package: str, name: str) -> str:
    return files(package).joinpath("sql", name).read_text()


def criteria_fragments(criteria_names: tuple[str, ...] | None = None
                       ) -> dict[str, sql.Composable]:
    from buildings.core.criteria import CRITERION_NAMES

    names = [sql.Identifier(n) for n in criteria_names or CRITERION_NAMES]
    return {
        "criteria_columns": sql.SQL(", ").join(names),
        "criteria_sums": sql.SQL(", ").join(
            sql.SQL("sum({0})::bigint AS {0}").format(n) for n in names),
        "criteria_coalesced": sql.SQL(", ").join(
            sql.SQL("coalesce({0}, 0) AS {0}").format(n) for n in names),
    }


def queryset(qs) -> sql.SQL:
    """A queryset as an SQL fragment, its values quoted as literals by psycopg."""
    from django.db import connections

    connection = connections[qs.db]
    query_sql, params = qs.query.sql_with_params()
    return sql.SQL(connection.ops.compose_sql(query_sql, params))


def bound_queryset(qs) -> tuple[sql.SQL, tuple]:
    """A queryset as an SQL fragment with its values left as parameters (%s, in the
    fragment's order): for a statement whose values came from a user."""
    query_sql, params = qs.query.sql_with_params()
    return sql.SQL(query_sql), tuple(params)


def text(composed: sql.Composable) -> str:
    """The statement as a string (a view's definition is stored as text)."""
    return composed.as_string(None)
