"""Changing a criterion, as the README documents it, on a throwaway copy of the project:
edit criteria.py, `makemigrations`, `migrate`. The generated column, its index and
the views are rebuilt in order; nothing is dropped silently; it migrates back too."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from buildings.postgres.connection import connection_url

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
LARGE = 'Criterion("large", "gross floor area of 50,000 sq ft or more", "bld_area", "gte", 50_000)'


@pytest.fixture
def throwaway_database(django_db_setup, django_db_blocker):
    name = f"buildings_flow_{os.getpid()}"
    with django_db_blocker.unblock():
        admin_url = connection_url(name="postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with django_db_blocker.unblock():
        url = connection_url(name=name)
    try:
        yield url
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                          .format(sql.Identifier(name)))


def test_changing_a_threshold_is_makemigrations_then_migrate(tmp_path, throwaway_database):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "buildings", project / "buildings",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", project)
    migrations = project / "buildings" / "migrations"
    env = {**os.environ, "DATABASE_URL": throwaway_database, "PYTHONPATH": str(project)}

    def manage(*args):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=project, env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def query(statement):
        with psycopg.connect(throwaway_database) as conn:
            return conn.execute(statement).fetchone()

    manage("migrate", "-v", "0")
    manage("generate_buildings", "--buildings", "4000", "--seed", "3")
    manage("refresh_views")
    old_leaf = sorted(p.stem for p in migrations.glob("0*.py"))[-1]
    # the what-if of the change to come, asked before it: no migration, the same report
    whatif_report = json.loads(manage("analyze", "--mode", "sql", "--format", "json",
                                      "--criteria", "stored, large:20000"))
    assert whatif_report["meta"].pop("criteria").startswith("bld_area>=20000, stories>=7")
    stored_report = json.loads(manage("analyze", "--mode", "sql", "--format", "json"))
    as_stored = json.loads(manage("analyze", "--mode", "sql", "--format", "json",
                                  "--criteria", "stored"))
    del as_stored["meta"]["criteria"]
    for report in (stored_report, as_stored, whatif_report):
        report.pop("meta")
    assert as_stored == stored_report
    assert whatif_report != stored_report

    criteria = project / "buildings" / "core" / "criteria.py"
    assert LARGE in criteria.read_text()
    criteria.write_text(criteria.read_text().replace(LARGE, LARGE.replace("50_000", "20_000")))

    manage("makemigrations", "buildings", "-n", "large_from_20000")
    written = migrations / f"{int(old_leaf[:4]) + 1:04d}_large_from_20000.py"
    text = written.read_text()
    sql_files = sorted((migrations / "sql").glob(f"{written.stem}_*"))
    # The old view and the old trigger functions are in the migration state, so the new
    # migration holds only the new SQL, each its whole text in a file beside it, pinned
    # by its sha256 (the migration itself stays small: the operations that wrote every
    # text into it wrote 64,843 bytes, 714 lines, for this very change).
    print(f"\n{written.name}: {written.stat().st_size:,} bytes, "
          f"{len(text.splitlines())} lines (was 64,843 bytes, 714 lines); its SQL: "
          + ", ".join(f"{f.name} {f.stat().st_size:,} bytes" for f in sql_files))
    assert written.stat().st_size < 6_000
    assert [f.name.removeprefix(written.stem + "_") for f in sql_files] == [
        "report_view.sql", "shard_report.sql", "summary.sql"]  # shards count it too
    new_view = sql_files[0].read_text()
    assert new_view.startswith(f"-- Frozen copy of the view report (buildings/core/sql/"
                               f"report.sql and buildings/core/statement.py), as migration "
                               f"{written.stem} installs it")
    assert "20000" in new_view and "50000" not in new_view  # the whole new view, no patch
    assert new_view.lstrip().upper().startswith(("SELECT", "WITH", "--"))
    order = ["migrations.RunSQL(", "DropMaterializedView(", "RemoveIndex(", "RemoveField(",
             "AddField(", "AddIndex(", "InstallSQL(", "CreateMaterializedView("]
    positions = [text.index(op) for op in order]
    assert positions == sorted(positions), "views dropped first, re-created last"
    assert text.count("CreateMaterializedView(") == 1 and "bld_area__gte', 20000" in text
    assert text.count("RemoveIndex(") == 2  # the two partial indexes on is_important
    assert "name='summary'" in text and text.count("buildings_summary_rebuild()") >= 2

    manage("migrate", "-v", "0")
    assert "no issues" in manage("check", "--database", "default")
    assert manage("makemigrations", "--check", "--dry-run").strip() == "No changes detected"
    important, by_hand = query(
        "SELECT count(*) FILTER (WHERE is_important), count(*) FILTER (WHERE bld_area >= 20000 "
        "OR stories >= 7 OR year_built < 1900 OR use_code LIKE '9%' OR total_val >= 10000000) "
        "FROM buildings_building")
    assert important == by_hand
    assert query("SELECT count(*) FROM pg_indexes WHERE indexname = "
                 "'building_important_area_idx'") == (1,)
    manage("refresh_views")
    sql_report = json.loads(manage("analyze", "--mode", "sql", "--format", "json"))
    mview_report = json.loads(manage("analyze", "--mode", "mview", "--format", "json"))
    live_report = json.loads(manage("analyze", "--mode", "live", "--format", "json"))
    for report in (sql_report, mview_report, live_report):
        report.pop("meta", None)
    assert sql_report == mview_report == live_report  # the summary was recounted
    assert sql_report == whatif_report  # byte for byte what the what-if said before
    assert "matches a recount" in manage("live_summary", "check")
    assert sql_report["state"]["important"] == important
    assert sql_report["state"]["large"] == query(
        "SELECT count(*) FROM buildings_building WHERE bld_area >= 20000")[0]

    manage("migrate", "buildings", old_leaf, "-v", "0")
    (old_important,) = query("SELECT count(*) FILTER (WHERE is_important) FROM buildings_building")
    assert old_important == query(
        "SELECT count(*) FILTER (WHERE bld_area >= 50000 OR stories >= 7 OR year_built < 1900 "
        "OR use_code LIKE '9%' OR total_val >= 10000000) FROM buildings_building")[0]
    assert old_important < important
    assert query("SELECT count(*) FROM pg_matviews WHERE matviewname LIKE 'buildings_%'") == (1,)
    # recounted backwards too, by the functions migrated back (the copy's code still
    # says 20,000, so live_summary check would recount by the new threshold)
    fingerprint = ("SELECT md5(string_agg((to_jsonb(s) - 'id')::text, ',' "
                   "ORDER BY town_id, year_built NULLS FIRST)) FROM buildings_summary s")
    before = query(fingerprint)
    assert query("SELECT large FROM buildings_summary_town WHERE town_id = 35") == query(
        "SELECT count(*) FROM buildings_building WHERE town_id = 35 AND bld_area >= 50000")
    with psycopg.connect(throwaway_database, autocommit=True) as conn:
        conn.execute("SELECT buildings_summary_rebuild()")
    assert query(fingerprint) == before
