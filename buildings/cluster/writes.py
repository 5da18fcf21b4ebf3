"""Writes on a cluster: each town's rows to its shard, all-or-nothing by two-phase
commit.

The coordinator starts one writer per shard (the project's own command, run against
the shard, restricted to its towns), each ending with PREPARE TRANSACTION under one
id. Only when every shard has prepared does the coordinator record its decision
(buildings_cluster_decision, committed on the coordinator) and then COMMIT PREPARED
on each shard; if any shard failed, the prepared ones are rolled back and nothing is
left anywhere. A crash between the decision and the last commit leaves prepared
transactions on some shards, holding their locks: `cluster resolve` commits those
the coordinator decided to commit and rolls back the rest; `cluster check` reports
them. A session advisory lock on the coordinator keeps a write and a resolve apart
(a resolve never rolls back a transaction whose decision is still to come).
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from django.db import connection, transaction
from psycopg import sql

from buildings.cluster.setup import check_reachable, connect
from buildings.cluster.shards import ClusterError, Shard, by_name, shards
from buildings.core.models import ClusterDecision

GID_PREFIX = "buildings-"
LOCK = 7_261_954_331  # the coordinator's advisory lock of cluster writes and resolves


@contextmanager
def cluster_lock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK])
        if not cursor.fetchone()[0]:
            raise ClusterError("another cluster write or resolve is running on this "
                               "coordinator: wait for it, then try again")
        try:
            yield
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK])


@dataclass(frozen=True)
class ShardRun:
    shard: Shard
    returncode: int
    stdout: str
    stderr: str

    @property
    def reason(self) -> str:
        return (self.stderr.strip().splitlines() or ["no output"])[-1]


def run_on_shards(args_for: Callable[[Shard], list[str]]) -> list[ShardRun]:
    """The project's command on every shard at once (a write prepares there)."""
    started = [(shard, subprocess.Popen([sys.executable, "-m", "buildings", *args_for(shard)],
                                        env=shard.env(), stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True))
               for shard in shards()]
    runs = []
    for shard, process in started:
        out, err = process.communicate()
        runs.append(ShardRun(shard, process.returncode, out, err))
    return runs


def on_every_shard(args: list[str]) -> tuple[bool, list[str]]:
    """A command that is each shard's own business (a refresh, a summary check), run on
    every shard at once: whether all succeeded, and a line each, `NAME: its last line`."""
    lines, ok = [], True
    for run in run_on_shards(lambda shard: args):
        ok = ok and run.returncode == 0
        said = run.stdout.strip().splitlines() if run.returncode == 0 else [run.reason]
        lines.append(f"{run.shard.name}: {(said or ['done'])[-1]}")
    return ok, lines


def finish(gid: str, what: str, on_coordinator: Callable[[], None] | None = None,
           participants: tuple[Shard, ...] | None = None) -> None:
    """Decide, then commit `gid` where it was prepared (every shard, or `participants`):
    the decision and what the coordinator itself changes commit together, first."""
    with transaction.atomic():
        ClusterDecision.objects.create(gid=gid, what=what)
        if on_coordinator:
            on_coordinator()
    unfinished = []
    for shard in participants or shards():
        try:
            with connect(shard, autocommit=True) as conn:
                conn.execute(sql.SQL("COMMIT PREPARED {}").format(sql.Literal(gid)))
        except (psycopg.Error, ClusterError) as exc:
            unfinished.append(f"{shard.name} ({str(exc).strip().splitlines()[-1]})")
    if unfinished:
        raise ClusterError(f"committed on the coordinator's decision, but not yet on "
                           f"{', '.join(unfinished)}: run `cluster resolve` once they answer")


def abandon(gid: str, participants: tuple[Shard, ...] | None = None) -> None:
    """Roll back `gid` wherever it was prepared."""
    for shard in participants or shards():
        with connect(shard, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_prepared_xacts WHERE gid = %s",
                            [gid]).fetchone():
                conn.execute(sql.SQL("ROLLBACK PREPARED {}").format(sql.Literal(gid)))


def two_phase(what: str, args_for: Callable[[Shard, str], list[str]],
              on_coordinator: Callable[[], None] | None = None) -> list[ShardRun]:
    """Run a writing command on every shard, prepared under one id; commit everywhere
    or nowhere."""
    check_reachable()
    gid = f"{GID_PREFIX}{uuid.uuid4().hex[:20]}"
    with cluster_lock():
        runs = run_on_shards(lambda shard: args_for(shard, gid))
        failed = [r for r in runs if r.returncode != 0]
        if failed:
            abandon(gid)
            first = failed[0]
            raise ClusterError(f"shard {first.shard.name} refused: {first.reason} (nothing was "
                               "written on any shard)")
        finish(gid, what, on_coordinator)
    for shard in shards():  # the visibility map, as a generation on one server sets it
        with connect(shard, autocommit=True) as conn:
            conn.execute("VACUUM buildings_building")
    return runs


@dataclass(frozen=True)
class Prepared:
    shard: str
    gid: str
    prepared_at: object
    decided: bool


def prepared() -> list[Prepared]:
    """The transactions the cluster's writes left prepared on the shards."""
    decided = set(ClusterDecision.objects.values_list("gid", flat=True))
    found = []
    for shard in shards():
        with connect(shard, autocommit=True) as conn:
            for gid, at in conn.execute(
                    "SELECT gid, prepared FROM pg_prepared_xacts WHERE gid LIKE %s "
                    "AND database = current_database() ORDER BY prepared",
                    [f"{GID_PREFIX}%"]):
                found.append(Prepared(shard.name, gid, at, gid in decided))
    return found


def resolve(say: Callable[[str], None]) -> int:
    """Commit what the coordinator decided to commit, roll back the rest."""
    with cluster_lock():
        left = prepared()
        for p in left:
            verb = "COMMIT" if p.decided else "ROLLBACK"
            with connect(by_name(p.shard), autocommit=True) as conn:
                conn.execute(sql.SQL(verb + " PREPARED {}").format(sql.Literal(p.gid)))
            say(f"{p.shard}: {'committed' if p.decided else 'rolled back'} {p.gid} "
                f"(prepared {p.prepared_at:%Y-%m-%d %H:%M:%S})")
    if not left:
        say("no prepared transaction is left on any shard")
    return len(left)
