"""The materialized views: their registry, their refresh, and how they are read.

A view's statement is built from SQL files and querysets (the report view stores
the report statement over the sources computed from the buildings,
buildings/core/statement.py). The migrations hold each view's SQL as it was when
they were written (buildings/schema/operations.py); `makemigrations` writes a new
one when a statement changes, and the system check in buildings/schema/checks.py
reports a view in the database that differs from the code.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from psycopg import sql

from buildings.core import hints, sqlfiles
from buildings.core.selection import Selection
from buildings.core.statement import computed, report_statement, shown
from buildings.derived.staleness import staleness

SQL = sqlfiles.Folder(__package__)


def view_table(name: str) -> str:
    return f"buildings_{name}_mv"


@dataclass(frozen=True)
class MaterializedView:
    name: str
    statement: Callable[[], sql.Composable]
    unique: tuple[str, ...]
    depends_on: tuple[str, ...] = ()
    made_from: str = ""  # what to edit to change it, for messages

    @property
    def table(self) -> str:
        return view_table(self.name)

    def query(self) -> str:
        """The view's SELECT as the code builds it today."""
        return sqlfiles.text(self.statement())


# In dependency order: a view comes after every view it reads. The report view
# stores the very statement the sql strategy runs, so the two cannot disagree.
VIEWS: tuple[MaterializedView, ...] = (
    MaterializedView("report", lambda: report_statement(computed()), ("area_key",),
                     made_from="buildings/core/sql/report.sql and buildings/core/statement.py"),
)


def with_dependents(names) -> list[MaterializedView]:
    """The named views and every view that depends on them, in dependency order."""
    wanted = set(names)
    for view in VIEWS:
        if wanted & set(view.depends_on):
            wanted.add(view.name)
    return [v for v in VIEWS if v.name in wanted]


@dataclass(frozen=True)
class RefreshResult:
    view: str
    seconds: float
    rows: int
    concurrently: bool


class NotRefreshed(RuntimeError):
    """The views have never been refreshed: there is nothing to read yet."""


def refresh(concurrently: bool = False, on_view=None) -> list[RefreshResult]:
    """Refresh every view in dependency order and record the data version they reflect.

    CONCURRENTLY keeps the views readable during the refresh (it needs their
    unique indexes); a view that was never populated is refreshed plainly first.
    """
    results = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SQL.load("staleness/version.sql"))
        (version,) = cursor.fetchone()
        for view in VIEWS:
            started = time.perf_counter()
            populated = _populated(cursor, view)
            mode = "CONCURRENTLY " if concurrently and populated else ""
            table = sql.Identifier(view.table)
            cursor.execute(sql.SQL("REFRESH MATERIALIZED VIEW {}{}").format(sql.SQL(mode), table))
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(table))
            (rows,) = cursor.fetchone()
            result = RefreshResult(view.table, time.perf_counter() - started, rows, bool(mode))
            results.append(result)
            if on_view:
                on_view(result)
        cursor.execute(SQL.load("report_view/mark_refreshed.sql"), {"version": version})
    return results


def populated() -> bool:
    """Whether every view holds data (a migration re-creates a view empty)."""
    with connection.cursor() as cursor:
        return all(_populated(cursor, view) for view in VIEWS)


def _populated(cursor, view: MaterializedView) -> bool:
    cursor.execute("SELECT relispopulated FROM pg_class WHERE oid = %s::regclass", [view.table])
    return cursor.fetchone()[0]


def read_statement(selection: Selection | None = None) -> sql.Composed:
    """The stored report's rows for a selection; refuses a view with nothing in it yet."""
    if not staleness().refreshed or not populated():
        raise NotRefreshed("the materialized views have never been refreshed: "
                           f"run `{hints.command('refresh_views')}` first")
    return SQL.compose("report_view/read.sql", shown=shown(selection))
