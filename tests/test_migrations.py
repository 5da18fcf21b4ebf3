"""The migrations stand alone: any point of history migrates to the same schema, and back
(slow); and the code holds nothing the migrations lack (quick: in the -m "not slow" loop,
where an edit of a criterion or of a .sql file is caught at once)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from buildings.core import sqlfiles


def schema() -> list[tuple]:
    """The schema, and the towns' figures (the data migrations' part)."""
    with connection.cursor() as cursor:
        cursor.execute(sqlfiles.Folder("buildings.schema").load("catalog.sql"))
        rows = cursor.fetchall()
        if any(name == "buildings_town.population" for _, name, _ in rows):
            cursor.execute("SELECT 'data', 'towns', string_agg(concat_ws(',', town_id, name, "
                           "population, land_sq_mi), ';' ORDER BY town_id) FROM buildings_town")
            rows += cursor.fetchall()
        return rows


def history() -> list[str]:
    graph = MigrationExecutor(connection).loader.graph
    leaf = graph.leaf_nodes("buildings")[0]
    return [name for app, name in graph.forwards_plan(leaf) if app == "buildings"]


def migrate(target: str) -> None:
    call_command("migrate", "buildings", target, verbosity=0)


@pytest.mark.slow
def test_every_point_of_history_migrates_to_the_same_schema_and_back_to_zero(committed_db):
    names = history()
    final = schema()
    assert any(kind == "view" for kind, _, _ in final)
    assert any(kind == "function" and "mab_parse_int" in name for kind, name, _ in final)
    try:
        for start in ["zero", *names[:-1]]:
            migrate(start)
            assert schema() != final, f"{start} should be an earlier schema"
            migrate(names[-1])
            assert schema() == final, f"migrating from {start} gave another schema"
        migrate("zero")
        assert not [name for kind, name, _ in schema() if "buildings_" in name]
    finally:
        migrate(names[-1])
    assert schema() == final


@pytest.mark.django_db
def test_the_migrations_hold_everything_the_code_defines():
    """makemigrations --check: no model, view or sql/ file differs from the migrations."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits 1 on a change


@pytest.mark.django_db
def test_migrated_database_passes_the_database_checks():
    call_command("check", databases=["default"], fail_level="WARNING")
