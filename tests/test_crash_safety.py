"""A crash never costs the database: the staging objects an import makes cannot keep
the server from starting again, a start waits out recovery and meets PostgreSQL's
unlogged-relation bug, the fault campaign finds every round clean, and writers that
lose a deadlock or a serialization failure are tried again or say so in one line."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack

import psutil
import psycopg
import pytest
from django.db import connection, transaction

from buildings.ingest.importer import session_objects, stage
from buildings.ingest.readers import read_records
from buildings.postgres import recovery
from buildings.postgres.retry import WriteConflict, conflict, retried
from tests.assessor_files import row, write_csv
from tests.conftest import ROOT


@pytest.fixture
def own_server(tmp_path):
    """An embedded server of the test's own, in a folder of its own: it gets killed."""
    from buildings.postgres.embedded import start, stop_server

    folder = tmp_path / "pgdata"
    url = start(folder)
    yield folder, url
    stop_server(folder)


def kill_every_process(folder) -> None:
    """A power cut: the postmaster and every server process die at the same moment."""
    pid = int((folder / "postmaster.pid").read_text().split()[0])
    postmaster = psutil.Process(pid)
    everyone = [postmaster, *postmaster.children(recursive=True)]
    for process in everyone:
        with contextlib.suppress(psutil.NoSuchProcess):  # ended after it was listed
            process.send_signal(signal.SIGKILL)
    psutil.wait_procs(everyone, timeout=10)


@pytest.mark.django_db
def test_the_import_stages_into_ordinary_tables_never_unlogged_ones(tmp_path):
    """An unlogged relation created in a transaction that then rolls back can keep the
    server from starting after a crash (docs/crash-safety.md): the staging objects are
    ordinary ones."""
    import datetime as dt

    from buildings.ingest.importer import SQL, column_limits

    path = write_csv(tmp_path / "a.csv", [row("1")])
    with ExitStack() as stack, transaction.atomic(), connection.cursor() as cursor:
        segments = stage(cursor, [read_records(path, stack, "utf-8", None)], None)
        cursor.execute(SQL.compose("import/clean.sql", **session_objects(cursor),
                                   **column_limits()),
                       {"replace": False, "this_year": dt.date.today().year,
                        **segments.parameters()})
        pid = connection.connection.info.backend_pid
        cursor.execute("SELECT relname, relpersistence FROM pg_class WHERE relname IN "
                       "(%s, %s, %s)", [f"import_staging_{pid}", f"import_clean_{pid}",
                                        f"import_line_{pid}"])
        staged = dict(cursor.fetchall())
        transaction.set_rollback(True)
    assert len(staged) == 3
    assert set(staged.values()) == {"p"}  # permanent: neither unlogged (u) nor temporary (t)


@pytest.mark.slow
def test_a_crash_after_an_unlogged_rollback_restarts_on_the_second_start(own_server):
    """PostgreSQL's bug itself (docs/repro/unlogged-abort.sh): the first start after
    the crash fails at the end of redo; the start here sees why and starts again."""
    folder, url = own_server
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("ALTER SYSTEM SET wal_writer_delay = '10s'")  # the rollback stays unwritten
        admin.execute("SELECT pg_reload_conf()")
    time.sleep(0.5)
    log_start = (folder / "log").stat().st_size
    with psycopg.connect(url) as writer, psycopg.connect(url, autocommit=True) as other:
        writer.execute("CREATE UNLOGGED TABLE staging (x int)")
        other.execute("CREATE TABLE flush_the_wal ()")  # the CREATE's WAL reaches the disk
        writer.rollback()
        kill_every_process(folder)
    messages = []
    starts = recovery.start_stopped_server(folder, say=messages.append)
    log = (folder / "log").read_bytes()[log_start:].decode()
    assert 'File exists' in log and "startup process" in log, log
    assert starts == 2, messages
    assert any("known PostgreSQL bug" in m for m in messages)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('staging')").fetchone() == (None,)
        assert conn.execute("SELECT to_regclass('flush_the_wal')").fetchone() is not None


@pytest.mark.slow
def test_a_start_during_recovery_waits_for_it(own_server):
    """A server still recovering (started by an earlier command) is waited for, not
    taken for one that failed."""
    folder, url = own_server
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE filled AS SELECT g FROM generate_series(1, 200000) g")
    kill_every_process(folder)
    env = {**os.environ, "BUILDINGS_PGDATA": str(folder)}
    first = subprocess.Popen([sys.executable, "-m", "buildings.postgres.embedded", "url"],
                             env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    second = subprocess.run([sys.executable, "-m", "buildings.postgres.embedded", "url"],
                            env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, (err, second.stderr)
    assert out.strip() == second.stdout.strip()
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM filled").fetchone() == (200000,)


@pytest.mark.slow
def test_the_fault_campaign_finds_every_round_clean(own_server):
    """`crash_check`, one round of each kind: the server killed in each write (the
    command in client-kill) starts again at once, and every check holds."""
    folder, url = own_server
    env = {**os.environ, "DATABASE_URL": url}
    migrated = subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    checked = subprocess.run([sys.executable, "manage.py", "crash_check", "--rounds", "6",
                              "--rows", "4000", "--seed", "3"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    lines = checked.stdout.splitlines()
    assert "6 rounds, 6 clean" in lines
    for kind in ("import-csv", "import-gdb", "generate", "refresh", "writes", "client-kill"):
        assert any(line.startswith("round") and f" {kind} " in line and line.endswith("clean")
                   for line in lines), (kind, checked.stdout)
    with psycopg.connect(url) as conn:  # the campaign's own database is gone again
        assert conn.execute("SELECT count(*) FROM pg_database WHERE datname LIKE "
                            "'%%crash_check'").fetchone() == (0,)


def test_the_campaign_refuses_a_kind_it_does_not_know(manage):
    result = manage("crash_check", "--kinds", "import-csv,power-cut")
    assert result.returncode == 2
    assert "unknown kind 'power-cut': choose from import-csv" in result.stderr


def test_the_campaign_refuses_a_coordinator_before_touching_anything(manage):
    """From a coordinator its writes would reach the shards' real databases."""
    from tests.test_bad_input import one_line

    result = manage("crash_check", "--rounds", "1",
                    env={"BUILDINGS_SHARDS": "s1=postgresql://postgres@/buildings?host=/nowhere"})
    assert result.returncode == 2
    assert one_line(result) == (
        "CommandError: crash_check runs against one server: from a cluster's coordinator its "
        "writes would reach the shards' own databases; run it on a shard (DATABASE_URL=its "
        "URL, BUILDINGS_SHARDS unset)")


# ----------------------------------------------------------------------------- conflicts

@pytest.fixture
def contested(committed_db):
    """A row of a table of the test's own, for two writers to fight over; its URL."""
    from buildings.postgres.connection import connection_url

    url = connection_url()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE contested (id integer PRIMARY KEY, v integer)")
        conn.execute("INSERT INTO contested VALUES (1, 0)")
    yield url
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE contested")


def lose_a_serialization_failure(url: str) -> None:
    """A real 40001: a repeatable-read transaction updates a row another committed
    since its snapshot."""
    with psycopg.connect(url) as mine, psycopg.connect(url, autocommit=True) as theirs:
        mine.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        mine.execute("SELECT v FROM contested")
        theirs.execute("UPDATE contested SET v = v + 1")
        mine.execute("UPDATE contested SET v = v + 1")


def test_a_write_that_loses_a_serialization_failure_is_tried_again(contested):
    url = contested
    calls, told = [], []

    def write():
        calls.append(1)
        if len(calls) == 1:
            lose_a_serialization_failure(url)
        return "written"

    assert retried(write, "the write", on_retry=told.append) == "written"
    assert len(calls) == 2
    assert told == ["the write lost a serialization failure to another writer and was "
                    "rolled back; trying again (2 of 5)"]


def test_a_write_that_always_loses_says_so_in_one_line(contested):
    url = contested
    with pytest.raises(WriteConflict) as lost:
        retried(lambda: lose_a_serialization_failure(url), "the import", attempts=2)
    assert str(lost.value) == (
        "the import lost a serialization failure to another writer 2 times and was rolled "
        "back each time: nothing was written; run it again when the other writers are done")
    assert conflict(lost.value.__cause__) == "a serialization failure"


def test_an_error_that_is_no_conflict_is_not_tried_again(committed_db):
    calls = []

    def write():
        calls.append(1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")

    with pytest.raises(Exception) as failed:
        retried(write, "the write")
    assert conflict(failed.value) is None
    assert len(calls) == 1


@pytest.mark.slow
def test_colliding_writers_deadlock_among_themselves_never_in_the_settle(committed_db):
    """Four writers over a few shared buildings, the summary on and off, the same
    workload: every transaction commits in the end, none of the deadlocks happens in
    the summary's settle, the summary matches a recount and the buildings are put back."""
    from buildings.bench import deadlocks, faults
    from buildings.derived.live_summary import drift
    from buildings.ingest.generator import generate

    generate(3000, seed=4)
    before = faults.fingerprint()
    tallies = deadlocks.run(clients=4, transactions=6, seed=2, say=lambda line: None)
    assert [t.summary for t in tallies] == [True, False]
    for tally in tallies:
        assert tally.transactions == 24 and not tally.failures
        assert tally.at_commit == 0 and tally.in_triggers == 0
        assert tally.retries == tally.deadlocks
    assert drift() == []
    assert faults.fingerprint() == before
