"""makemigrations that also sees the SQL: views, functions, and generated columns.

Django's autodetector compares models with the state the migrations leave. This
one also compares, with the views and SQL files that state records
(buildings/schema/operations.py):

- each materialized view's statement, and
- each file of functions and triggers (buildings/schema/installed.py),

and writes the operations that bring the database to the code, holding only the
new SQL: a drop or a replacement needs no copy of the old, which is in the state.
It also turns a change of a generated column's expression, which Django cannot
alter in place, into a rebuild: the views that read the table are
dropped first and re-created last (a DROP COLUMN would otherwise drop them
silently, CASCADE), the column's indexes are removed and added back around it.
This is what makes changing a criterion (buildings/core/criteria.py) one
`makemigrations` and one `migrate`.
"""

from __future__ import annotations

from django.db import models
from django.db.migrations import (
    AddField,
    AddIndex,
    AlterField,
    Migration,
    RemoveField,
    RemoveIndex,
    RunSQL,
)
from django.db.migrations.autodetector import MigrationAutodetector

from buildings.derived import live_summary
from buildings.derived.report_view import with_dependents
from buildings.schema.installed import MATERIALIZED_VIEWS, SQL_FILES
from buildings.schema.operations import (
    CreateMaterializedView,
    DropMaterializedView,
    InstallSQL,
    MigrationSQL,
    RemoveSQL,
    recorded_sql,
    recorded_views,
    same_sql,
)

APP = "buildings"


def _fields_of(q) -> set[str]:
    if isinstance(q, models.Q):
        return set().union(*(_fields_of(child) for child in q.children))
    return {q[0].split("__")[0]}


def _indexes_on(model_state, field_name: str) -> list[models.Index]:
    found = []
    for index in model_state.options.get("indexes", []):
        fields = {f.lstrip("-") for f in index.fields}
        if index.condition is not None:
            fields |= _fields_of(index.condition)
        if field_name in fields:
            found.append(index)
    return found


def sql_operations(state, rebuilt: bool = False):
    """What brings the views and SQL files `state` records to the code's: (drops,
    installs, creates). `rebuilt`: a column of the buildings is being rebuilt, so every
    view goes too.
    """
    views = recorded_views(state, APP)
    files = recorded_sql(state, APP)
    current_queries = {view.name: view.query() for view in MATERIALIZED_VIEWS}
    changed = {name for name, query in current_queries.items()
               if name not in views or not same_sql(views[name].query, query)}
    if rebuilt:
        changed |= set(views) & set(current_queries)  # every view reads the buildings
    recreate = {v.name for v in with_dependents(changed)}
    # views no longer in the registry first: they may read the others
    drops = [name for name in views if name not in current_queries]
    drops += [v.name for v in reversed(with_dependents(views))
              if v.name in recreate and v.name in views]
    before = [DropMaterializedView(name) for name in drops]
    after = [CreateMaterializedView(v.name, MigrationSQL.pending(current_queries[v.name]),
                                    list(v.unique))
             for v in MATERIALIZED_VIEWS if v.name in recreate]
    installs = []
    for sql_file in SQL_FILES:
        previous = files.get(sql_file.name)
        text = sql_file.text()
        if previous is None:
            installs.append(InstallSQL(sql_file.name, MigrationSQL.pending(text),
                                       MigrationSQL.pending(sql_file.remove_text())))
        elif not same_sql(previous.sql, text):
            remove = sql_file.remove_text()
            installs.append(InstallSQL(
                sql_file.name, MigrationSQL.pending(text),
                None if same_sql(remove, previous.remove) else MigrationSQL.pending(remove)))
    registered = {f.name for f in SQL_FILES}
    installs += [RemoveSQL(name) for name in files if name not in registered]
    return before, installs, after


def recounts_summary(operations) -> bool:
    names = {f.name for f in SQL_FILES if f.recounts_summary}
    return any(isinstance(op, InstallSQL) and op.name in names for op in operations)


class Autodetector(MigrationAutodetector):
    def _detect_changes(self, convert_apps=None, graph=None):
        changes = super()._detect_changes(convert_apps, graph)
        if APP not in {label for label, _ in self.to_state.models}:
            return changes
        migrations = changes.setdefault(APP, [])
        rebuilt = False
        for migration in migrations:
            migration.operations, rebuilt_here = self._rebuild_generated_fields(
                migration.operations)
            rebuilt = rebuilt or rebuilt_here
        before, installs, after = sql_operations(self.from_state, rebuilt)
        if rebuilt or recounts_summary(installs):
            # recount the live summary once the new SQL is in place; reversed, once the
            # old SQL is back (the first operation runs last when migrating backwards),
            # unless there was no summary before
            recount = live_summary.rebuild_call_sql()
            installs = [*installs, RunSQL(recount, RunSQL.noop)]
            if "summary" in recorded_sql(self.from_state, APP):
                before = [RunSQL(RunSQL.noop, recount), *before]
        if not (migrations or before or installs or after):
            changes.pop(APP)
            return changes
        if not migrations:
            migrations.append(Migration("auto", APP))
        migrations[0].operations[:0] = before
        migrations[-1].operations += installs + after
        return changes

    def _rebuild_generated_fields(self, operations):
        """AlterField of a generated column becomes remove, add, and its indexes again."""
        result, rebuilt = [], False
        for operation in operations:
            field = getattr(operation, "field", None)
            if not (isinstance(operation, AlterField) and getattr(field, "generated", False)):
                result.append(operation)
                continue
            rebuilt = True
            model_key = (APP, operation.model_name_lower)
            indexes = _indexes_on(self.to_state.models[model_key], operation.name)
            result += [RemoveIndex(operation.model_name, index.name) for index in indexes]
            result += [RemoveField(operation.model_name, operation.name),
                       AddField(operation.model_name, operation.name, field)]
            result += [AddIndex(operation.model_name, index) for index in indexes]
        return result, rebuilt
