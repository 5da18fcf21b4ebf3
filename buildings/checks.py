"""System check: every materialized view in the database matches its file in sql/."""

from django.core import checks
from django.db import connection
from django.db.utils import DatabaseError

from buildings.views import VIEWS

HINT = ("Create a migration that recreates it: `python manage.py makemigrations buildings "
        "--empty -n recreate_views`, add `RecreateViews([{names}])` (from buildings.views) to "
        "its operations, then `python manage.py migrate` and `python manage.py refresh_views`.")


@checks.register()
def views_match_their_sql(app_configs=None, **kwargs):
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c "
                "WHERE c.relkind = 'm' AND c.relname = ANY(%s)", [[v.table for v in VIEWS]])
            comments = dict(cursor.fetchall())
    except DatabaseError:
        return []  # no database to compare with: other commands will say so
    problems = []
    for view in VIEWS:
        if view.table not in comments:
            continue  # not created yet: `migrate` will
        if comments[view.table] != view.comment():
            problems.append(checks.Warning(
                f"materialized view {view.table} no longer matches sql/{view.file}",
                hint=HINT.format(names=repr(view.name)),
                id="buildings.W001",
            ))
    return problems
