"""The migration operations that keep SQL in the migration state: a later version of a
file replaces the earlier exactly (an object it no longer creates goes), reversing
reads the old text from the state, every frozen file holds its whole text (no patch),
and an edited pinned file is refused in one line."""

import pytest
from django.db import connection
from django.db.migrations.state import ProjectState

from buildings.schema import operations
from buildings.schema.operations import (
    ChangedMigrationSQL,
    InstallSQL,
    MigrationSQL,
    RemoveSQL,
    digest,
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


def test_every_frozen_file_is_whole_sql_and_every_migration_names_one_that_is_there():
    """What a migration installs is read in one file: no .patch under migrations/; every
    MigrationSQL a migration names exists, its first line saying what it is a frozen copy
    of and how to see the migration, the rest the text it pins."""
    import re

    from buildings.schema.operations import FROZEN, pinned_text
    from tests.conftest import ROOT

    migrations = ROOT / "buildings" / "migrations"
    assert sorted(p.name for p in migrations.rglob("*.patch")) == []
    named = re.findall(r"MigrationSQL\('([^']+)', '([0-9a-f]{64})'\)",
                       "".join(p.read_text() for p in migrations.glob("0*.py")))
    assert len(named) > 20
    for name, sha256 in named:
        assert name.endswith(".sql"), name
        text = (migrations / "sql" / name).read_text()
        first = text.split("\n", 1)[0]
        assert first.startswith(FROZEN) and "as migration " in first, (name, first)
        assert f"manage.py sqlmigrate buildings {name[:4]}" in first, (name, first)
        assert digest(pinned_text(text)) == sha256, name
        assert digest(text) != sha256  # the first line pins nothing: it may be corrected


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


def test_the_shape_of_sql_drops_comments_and_folds_space_but_keeps_strings():
    from buildings.schema.operations import same_sql, sql_shape

    text = ("SELECT 'a -- not a comment', \"odd--name\"  -- a comment\n"
            "FROM t /* a block\n comment */ WHERE x = 'it''s -- still a string';\n"
            "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n"
            "  -- a comment in a body\n  RETURN 1;\nEND $$;")
    assert sql_shape(text) == (
        "SELECT 'a -- not a comment', \"odd--name\" FROM t WHERE x = 'it''s -- still a "
        "string'; CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; "
        "END $$;")
    assert same_sql(text, text.replace("a comment in a body", "the comment, corrected"))
    assert not same_sql(text, text.replace("RETURN 1", "RETURN 2"))
    assert not same_sql(text, text.replace("'a -- not a comment'", "'a -- not a remark'"))


def test_a_comment_only_edit_of_an_installed_file_needs_no_migration(monkeypatch):
    """Comments are not schema: correcting one (or re-wrapping a line) in an installed
    .sql file makes no migration; a change of what it installs does."""
    import dataclasses

    from django.db.migrations.loader import MigrationLoader

    from buildings.schema import autodetector

    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    assert autodetector.sql_operations(state) == ([], [], [])
    summary = next(f for f in autodetector.SQL_FILES if f.name == "summary")
    text = summary.text()
    assert "-- " in text
    edited = "-- the file, described anew\n" + "\n".join(
        line.split("--")[0].rstrip() + ("  -- corrected" if "--" in line and "'" not in line
                                        else "") for line in text.splitlines())
    assert edited != text

    def with_summary(new_text: str):
        changed = dataclasses.replace(summary, text=lambda: new_text)
        monkeypatch.setattr(autodetector, "SQL_FILES", tuple(
            changed if f.name == "summary" else f for f in autodetector.SQL_FILES))
        return autodetector.sql_operations(state)

    assert with_summary(edited) == ([], [], [])
    _, installs, _ = with_summary(text.replace("% 64", "% 65", 1) if "% 64" in text
                                  else text + "\nSELECT 1;\n")
    assert [op.name for op in installs] == ["summary"]
