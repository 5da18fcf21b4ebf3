"""The materialized views: their registry, their refresh, and their staleness.

A view's statement is built from sql/ (and, for the report, from the sql
strategy's querysets). The migrations hold each view's SQL as it was when they
were written (buildings/operations.py); `makemigrations` writes a new one when
a statement changes, and the system check in buildings/checks.py reports a view
in the database that differs from the code.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from psycopg import sql

from buildings import sqlfiles
from buildings.operations import view_table


@dataclass(frozen=True)
class MaterializedView:
    name: str
    file: str  # under sql/
    unique: tuple[str, ...]
    depends_on: tuple[str, ...] = ()
    statement: Callable[[], sql.Composable] | None = None  # when the file takes fragments

    @property
    def table(self) -> str:
        return view_table(self.name)

    def query(self) -> str:
        """The view's SELECT as the code builds it today."""
        return sqlfiles.text(self.statement() if self.statement else sqlfiles.compose(self.file))


def _report_statement() -> sql.Composable:
    from buildings.strategies.sql import report_statement

    return report_statement(None)


# In dependency order: a view comes after every view it reads. The report view
# stores the very statement the sql strategy runs, so the two cannot disagree.
VIEWS: tuple[MaterializedView, ...] = (
    MaterializedView("report", "analysis/report.sql", ("area_key",), (), _report_statement),
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
        cursor.execute(sqlfiles.load("views/version.sql"))
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
        cursor.execute(sqlfiles.load("views/mark_refreshed.sql"), {"version": version})
    return results


def populated() -> bool:
    """Whether every view holds data (a migration re-creates a view empty)."""
    with connection.cursor() as cursor:
        return all(_populated(cursor, view) for view in VIEWS)


def _populated(cursor, view: MaterializedView) -> bool:
    cursor.execute("SELECT relispopulated FROM pg_class WHERE oid = %s::regclass", [view.table])
    return cursor.fetchone()[0]


@dataclass(frozen=True)
class Staleness:
    data_version: int
    refreshed_version: int
    refreshed: bool

    @property
    def stale(self) -> bool:
        return self.data_version != self.refreshed_version


def staleness() -> Staleness:
    from buildings.models import ViewState

    state = ViewState.objects.get(pk=1)
    return Staleness(state.data_version, state.refreshed_version,
                     state.refreshed_at is not None)
