"""makemigrations that also sees the SQL: views, functions, and generated columns.

Django's autodetector compares models with the migrations. This one also
compares, with the SQL the migrations hold (buildings/operations.py):

- each materialized view's statement (matviews.VIEWS), and
- each file of functions and triggers (installed_sql.SQL_FILES),

and writes the operations that bring the database to the code, holding the
new SQL. It also turns a change of a generated column's expression, which
Django cannot alter in place, into a rebuild: the views that read the table are
dropped first and re-created last (a DROP COLUMN would otherwise drop them
silently, CASCADE), the column's indexes are removed and added back around it.
This is what makes changing a criterion (buildings/criteria.py) one
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

from buildings import sqlfiles
from buildings.installed_sql import REBUILDS_SUMMARY, SQL_FILES
from buildings.matviews import VIEWS, with_dependents
from buildings.operations import CreateMaterializedView, DropMaterializedView, InstallSQL

APP = "buildings"


def recorded_sql(graph) -> tuple[dict[str, CreateMaterializedView], dict[str, InstallSQL]]:
    """The views and SQL files as the app's migrations leave them, walked in order."""
    views: dict[str, CreateMaterializedView] = {}
    files: dict[str, InstallSQL] = {}
    leaves = graph.leaf_nodes(APP) if graph is not None else []
    for key in graph.forwards_plan(leaves[0]) if leaves else []:
        if key[0] != APP:
            continue
        for operation in graph.nodes[key].operations:
            if isinstance(operation, DropMaterializedView):
                views.pop(operation.name, None)
            elif isinstance(operation, CreateMaterializedView):
                views[operation.name] = operation
            elif isinstance(operation, InstallSQL):
                files[operation.name] = operation
    return views, files


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


def sql_operations(recorded, rebuilt: bool = False):
    """What brings the migrations' SQL (`recorded`, from recorded_sql) to the code's:
    (drops, installs, creates). `rebuilt`: a column of the buildings is being rebuilt,
    so every view goes too.
    """
    recorded_views, recorded_files = recorded
    current_queries = {view.name: view.query() for view in VIEWS}
    changed = {name for name, query in current_queries.items()
               if name not in recorded_views or recorded_views[name].query != query}
    if rebuilt:
        changed |= set(recorded_views) & set(current_queries)  # every view reads the buildings
    recreate = {v.name for v in with_dependents(changed)}
    # views no longer in the registry first: they may read the others
    drops = [view for name, view in recorded_views.items() if name not in current_queries]
    drops += [recorded_views[v.name] for v in reversed(with_dependents(recorded_views))
              if v.name in recreate and v.name in recorded_views]
    before = [DropMaterializedView(v.name, v.query, v.unique) for v in drops]
    after = [CreateMaterializedView(v.name, current_queries[v.name], list(v.unique))
             for v in VIEWS if v.name in recreate]
    installs = []
    for sql_file in SQL_FILES:
        previous = recorded_files.get(sql_file.name)
        if previous is None or previous.sql != sql_file.text():
            reverse = previous.sql if previous else sql_file.remove_text()
            installs.append(InstallSQL(sql_file.name, sql_file.text(), reverse))
    return before, installs, after


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
        recorded = recorded_sql(graph)
        before, installs, after = sql_operations(recorded, rebuilt)
        if rebuilt or any(op.name in REBUILDS_SUMMARY for op in installs):
            # recount the live summary once the new SQL is in place; reversed, once the
            # old SQL is back (the first operation runs last when migrating backwards),
            # unless there was no summary before
            recount = sqlfiles.load("summary/rebuild_call.sql")
            installs = [*installs, RunSQL(recount, RunSQL.noop)]
            if REBUILDS_SUMMARY & set(recorded[1]):
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
