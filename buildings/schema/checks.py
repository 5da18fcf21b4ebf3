"""System checks that need the database (tagged `database`: run by `migrate` and by
`check --database default`, never by other commands).

- The server is a PostgreSQL version the project supports.
- The SQL the migrations hold matches the code (else, a warning: makemigrations).
- Once migrated, every materialized view exists and is the one its migration made.
"""

from __future__ import annotations

from django.core import checks
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError

from buildings.core import hints

OLDEST_SUPPORTED = 150000  # PostgreSQL 15


def make_hint() -> str:
    return (f"Run `{hints.command('makemigrations buildings')}`, then "
            f"`{hints.command('migrate')}` and `{hints.command('refresh_views')}`.")


def version_problem(server_version_num: int) -> str | None:
    if server_version_num >= OLDEST_SUPPORTED:
        return None
    major = server_version_num // 10000
    return (f"PostgreSQL {major} is not supported: this project needs PostgreSQL 15 or newer "
            "(set DATABASE_URL to a newer server)")


@checks.register(checks.Tags.database)
def postgresql_version(app_configs=None, databases=None, **kwargs):
    problems = []
    for alias in databases or ():
        connection = connections[alias]
        try:
            connection.ensure_connection()
        except DatabaseError:
            continue  # the command itself will say that the server is unreachable
        problem = version_problem(connection.pg_version)
        if problem:
            problems.append(checks.Error(problem, id="buildings.E001"))
    return problems


@checks.register(checks.Tags.database)
def sql_matches_the_code(app_configs=None, databases=None, **kwargs):
    from buildings.schema.autodetector import APP
    from buildings.schema.installed import MATERIALIZED_VIEWS as VIEWS
    from buildings.schema.operations import fingerprint, recorded_views

    problems = []
    for alias in databases or ():
        connection = connections[alias]
        try:
            executor = MigrationExecutor(connection)
        except DatabaseError:
            continue
        if _sql_changes_pending(executor):
            # a warning, like Django's notice of model changes: migrate still runs
            problems.append(checks.Warning(
                "the SQL of a view or of a file in sql/ differs from what the migrations hold",
                hint=make_hint(), id="buildings.W002"))
            continue  # the views will differ until that migration is made and applied
        if executor.migration_plan(executor.loader.graph.leaf_nodes(APP)):
            continue  # not migrated yet: `migrate` creates the views
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c "
                "WHERE c.relkind = 'm' AND c.relname = ANY(%s)", [[v.table for v in VIEWS]])
            comments = dict(cursor.fetchall())
        # the code matches the migrations (W002 above, comments aside): a view must be
        # the one its migration created, whose text its comment fingerprints
        made = recorded_views(executor.loader.project_state(), APP)
        for view in VIEWS:
            if view.table not in comments:
                problems.append(checks.Error(
                    f"materialized view {view.table} is missing from the database",
                    hint=make_hint(), id="buildings.E003"))
            elif comments[view.table] != fingerprint(made[view.name].query):
                problems.append(checks.Error(
                    f"materialized view {view.table} is not the one the migrations made "
                    f"({view.made_from})",
                    hint=make_hint(), id="buildings.E004"))
    return problems


def _sql_changes_pending(executor) -> bool:
    from buildings.schema.autodetector import sql_operations

    return any(sql_operations(executor.loader.project_state()))
