"""The migration operations that keep SQL in the migration state: a later version of a
file replaces the earlier exactly (an object it no longer creates goes), reversing
reads the old text from the state, patches rebuild the pinned text, and an edited
pinned file is refused in one line."""

import pytest
from django.db import connection
from django.db.migrations.state import ProjectState

from buildings.schema import operations
from buildings.schema.operations import (
    ChangedMigrationSQL,
    InstallSQL,
    MigrationSQL,
    RemoveSQL,
    apply_patch,
    digest,
    make_patch,
    recorded_sql,
)

pytestmark = pytest.mark.django_db

V1 = ("CREATE OR REPLACE FUNCTION t_one() RETURNS int LANGUAGE sql RETURN 1;\n"
      "CREATE OR REPLACE FUNCTION t_two() RETURNS int LANGUAGE sql RETURN 2;\n")
V1_REMOVE = "DROP FUNCTION t_one();\nDROP FUNCTION t_two();\n"
V2 = "CREATE OR REPLACE FUNCTION t_one() RETURNS int LANGUAGE sql RETURN 10;\n"
V2_REMOVE = "DROP FUNCTION t_one();\n"


def functions() -> dict[str, int]:
    found = {}
    for name in ("t_one", "t_two"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regproc(%s) IS NOT NULL", [name])
            if cursor.fetchone()[0]:
                cursor.execute(f"SELECT {name}()")
                found[name] = cursor.fetchone()[0]
    return found


def applied(operation, state):
    """Run `operation` forwards from `state`; returns the state after it."""
    after = state.clone()
    operation.state_forwards("buildings", after)
    with connection.schema_editor() as editor:
        operation.database_forwards("buildings", editor, state, after)
    return after


def reversed_(operation, before, after) -> None:
    with connection.schema_editor() as editor:
        operation.database_backwards("buildings", editor, after, before)


def migrated_state() -> ProjectState:
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).project_state()


def test_a_later_version_replaces_the_earlier_exactly_and_reverses_from_the_state():
    first = InstallSQL("test_functions", V1, remove=V1_REMOVE)
    second = InstallSQL("test_functions", V2, remove=V2_REMOVE)
    state0 = migrated_state()
    state1 = applied(first, state0)
    assert functions() == {"t_one": 1, "t_two": 2}
    state2 = applied(second, state1)
    assert functions() == {"t_one": 10}  # t_two is no longer created: it went
    assert recorded_sql(state2, "buildings")["test_functions"].sql == V2
    assert recorded_sql(state1, "buildings")["test_functions"].sql == V1  # clones untouched
    reversed_(second, state1, state2)
    assert functions() == {"t_one": 1, "t_two": 2}
    removal = RemoveSQL("test_functions")
    state3 = applied(removal, state1)
    assert functions() == {} and "test_functions" not in recorded_sql(state3, "buildings")
    reversed_(removal, state1, state3)
    assert functions() == {"t_one": 1, "t_two": 2}
    reversed_(first, state0, state1)
    assert functions() == {}


def test_the_first_installation_must_say_how_to_remove_it():
    with pytest.raises(ValueError, match="remove="):
        InstallSQL("test_functions", V1).state_forwards("buildings", migrated_state())


def test_a_patch_rebuilds_the_text_exactly_and_refuses_another_base():
    base = "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7"
    text = "line 1\nline two\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\n"
    patch = make_patch(base, text)
    assert apply_patch(base, patch) == text
    assert "-line 2" in patch and "+line two" in patch and "line 5" not in patch
    with pytest.raises(ChangedMigrationSQL, match="does not fit"):
        apply_patch(base.replace("line 1", "line one"), patch)


def test_an_edited_migration_file_is_refused(tmp_path, monkeypatch):
    (tmp_path / "sql").mkdir()
    (tmp_path / "sql" / "0001_x.sql").write_text("SELECT 2;\n")
    monkeypatch.setattr(operations, "files", lambda module: tmp_path)
    operations._read_pinned.cache_clear()
    pinned = MigrationSQL("0001_x.sql", digest("SELECT 1;\n"))
    with pytest.raises(ChangedMigrationSQL, match="restore the file"):
        pinned.text("buildings")
    operations._read_pinned.cache_clear()
    assert MigrationSQL("0001_x.sql", digest("SELECT 2;\n")).text("buildings") == "SELECT 2;\n"
