"""bench_write measures with pgbench and puts the buildings back as they were: every
building's stories and year built, no inserted row left, the live summary equal to a
recount; and one left half-way (interrupted) is put back by the next run."""

import pytest
from django.db import connection

pytestmark = pytest.mark.slow


def fingerprint() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), md5(string_agg(concat_ws(',', id, stories, year_built), "
                       "';' ORDER BY id)) FROM buildings_building")
        return cursor.fetchone()


def test_bench_write_measures_and_leaves_the_buildings_as_they_were(manage, committed_db):
    from buildings.derived.live_summary import drift
    from buildings.ingest.generator import generate

    generate(4_000, seed=21)
    before = fingerprint()
    done = manage("bench_write", "--clients", "1,2", "--seconds", "1",
                  "--autovacuum-wait", "0")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for workload in ("update figures", "update year", "insert"):
        for clients in (1, 2):
            row = next(line for line in lines
                       if line.startswith(f"| {workload} | {clients} |"))
            cells = [c.strip() for c in row.strip("|").split("|")]
            assert cells[2].count(" ms") == 2 and cells[3].count(" ms") == 2
            assert float(cells[4].rstrip("×")) > 0
            locks, wal = (float(share.rstrip("%")) for share in cells[6].split(", "))
            assert 0 <= locks <= 100 and 0 <= wal <= 100
    assert "sql strategy:" in done.stdout and "s after a VACUUM" in done.stdout
    assert "autovacuum did not come by within 0 s" in done.stdout
    assert "the live summary matches a recount" in done.stdout
    assert fingerprint() == before
    assert drift() == []


def test_an_interrupted_bench_write_is_put_back_by_the_next(committed_db):
    from buildings.bench import writes
    from buildings.core import sqlfiles
    from buildings.derived.live_summary import drift
    from buildings.ingest.generator import generate

    generate(2_000, seed=22)
    before = fingerprint()
    with connection.cursor() as cursor:  # what a run does before it is stopped
        cursor.execute("SELECT min(id), max(id) FROM buildings_building")
        low, high = cursor.fetchone()
        cursor.execute(sqlfiles.Folder("buildings.bench").load("writes/save.sql"),
                       {"lo": low, "hi": high})
        cursor.execute("UPDATE buildings_building SET stories = 40, year_built = 1700 "
                       "WHERE id % 3 = 0")
        cursor.execute("INSERT INTO buildings_building (prop_id, town_id, use_code) "
                       "VALUES ('bench-write-1-7', 35, '101')")
    assert fingerprint() != before
    said = []
    writes.restore_if_saved(said.append)
    assert said == ["the buildings are as they were before the bench"]
    assert fingerprint() == before
    assert drift() == []
