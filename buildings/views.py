"""The materialized views: their registry, the migration operations that create
them, their refresh, and their staleness.

A view's SQL is a file in sql/. The migration that creates a view stores a
fingerprint of that SQL as the view's comment; the system check in
buildings/checks.py compares it with the file, so an edited file that no
migration has applied is reported instead of silently ignored.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, migrations, transaction

from buildings import sql


@dataclass(frozen=True)
class MaterializedView:
    name: str
    file: str  # under sql/
    unique: tuple[str, ...]
    depends_on: tuple[str, ...] = ()
    fragments: Callable[[], dict[str, str]] | None = None  # the file's other placeholders

    @property
    def table(self) -> str:
        return f"buildings_{self.name}_mv"

    def select_sql(self) -> str:
        fragments = self.fragments() if self.fragments else {}
        return sql.render(self.file, **fragments).strip().rstrip(";")

    def fingerprint(self) -> str:
        return "sha256:" + hashlib.sha256(self.select_sql().encode()).hexdigest()[:16]

    def create_statements(self) -> list[str]:
        return [
            f"CREATE MATERIALIZED VIEW {self.table} AS\n{self.select_sql()}\nWITH NO DATA",
            f"CREATE UNIQUE INDEX {self.table}_key ON {self.table} ({', '.join(self.unique)})",
            f"COMMENT ON MATERIALIZED VIEW {self.table} IS '{self.comment()}'",
        ]

    def comment(self) -> str:
        return f"sql/{self.file} {self.fingerprint()}"

    def drop_statement(self) -> str:
        return f"DROP MATERIALIZED VIEW IF EXISTS {self.table}"


def _whole_report() -> dict[str, str]:
    from buildings.strategies.sql import report_fragments

    return report_fragments(None)


# In dependency order: a view comes after every view it reads. The report view
# stores the very statement the sql strategy runs, so the two cannot disagree;
# the town and area views split it for the unmanaged models.
VIEWS: tuple[MaterializedView, ...] = (
    MaterializedView("report", "analysis/report.sql", ("area_key",), (), _whole_report),
    MaterializedView("town_figures", "views/town_figures.sql", ("town_id",), ("report",)),
    MaterializedView("area_figures", "views/area_figures.sql", ("area_key",), ("report",)),
)
BY_NAME = {v.name: v for v in VIEWS}


def with_dependents(names: list[str]) -> list[MaterializedView]:
    """The named views and every view that depends on them, in dependency order.

    A name no longer in the registry is passed over, so that an old migration that
    created a since-removed view still runs on a new database.
    """
    wanted = set(names)
    for view in VIEWS:
        if wanted & set(view.depends_on):
            wanted.add(view.name)
    return [v for v in VIEWS if v.name in wanted]


class RecreateViews(migrations.operations.base.Operation):
    """Drop the named views and their dependents, then create them again from sql/views/.

    Used once per change of a view's SQL, in a migration of its own, so that
    `migrate` never rebuilds a view that has not changed. The views are created
    WITH NO DATA: `manage.py refresh_views` fills them.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, names):
        self.names = list(names)

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        views = with_dependents(self.names)
        for view in reversed(views):
            schema_editor.execute(view.drop_statement(), params=None)
        for view in views:
            for statement in view.create_statements():
                schema_editor.execute(statement, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for view in reversed(with_dependents(self.names)):
            schema_editor.execute(view.drop_statement(), params=None)

    def describe(self):
        return f"Recreate materialized views {', '.join(self.names)} and their dependents"

    def deconstruct(self):
        return self.__class__.__name__, [self.names], {}


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
        cursor.execute(sql.load("views/version.sql"))
        (version,) = cursor.fetchone()
        for view in VIEWS:
            started = time.perf_counter()
            populated = _populated(cursor, view)
            mode = "CONCURRENTLY " if concurrently and populated else ""
            cursor.execute(f"REFRESH MATERIALIZED VIEW {mode}{view.table}")
            cursor.execute(f"SELECT count(*) FROM {view.table}")
            (rows,) = cursor.fetchone()
            result = RefreshResult(view.table, time.perf_counter() - started, rows, bool(mode))
            results.append(result)
            if on_view:
                on_view(result)
        cursor.execute(sql.load("views/mark_refreshed.sql"), {"version": version})
    return results


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
