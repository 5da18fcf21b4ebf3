"""Which deadlocks the live summary adds: the same colliding writers with its triggers
on and off, in the same run, every deadlock counted and placed.

Each client runs transactions of a few statements (figures changed, years moved,
buildings inserted, buildings deleted) over a small set of shared buildings, so
that writers lock the same rows in different orders: deadlocks between them are
inherent, and PostgreSQL ends one transaction of each (its client gets 40P01, so
counting at the clients counts every deadlock once). A transaction that loses is
run again, the same statements, until it commits. A deadlock raised at COMMIT is
one the summary's settle (its deferred trigger) took part in; any other is between
the writers' own statements. The buildings are put back afterwards
(bench/writes.py's save and restore).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

from buildings.bench import BenchRefused, writes
from buildings.core import sqlfiles
from buildings.postgres.retry import WriteConflict, retried

SQL = sqlfiles.Folder(__package__)
SHARED = 8  # buildings the writers share
MOST_TRIES = 100  # a transaction that loses this often stops the run: something is wrong
FIRST_PAUSE = 0.01  # seconds after a first loss (then doubled): short transactions here


@dataclass
class Tally:
    summary: bool
    transactions: int = 0
    deadlocks: int = 0
    at_commit: int = 0  # in the settle, the summary's own part of the transaction
    in_triggers: int = 0  # inside one of the summary's statement triggers
    retries: int = 0
    failures: list[str] = field(default_factory=list)


def workload(clients: int, transactions: int, ids: list[int], towns: list[int],
             seed: int) -> list[list[list[tuple[str, dict]]]]:
    """Per client, per transaction, its statements (file, parameters): the same for
    the summary on and off."""
    rng = random.Random(seed)
    plan = []
    for client in range(clients):
        mine = []
        for n in range(transactions):
            statements = []
            for k in range(4):
                choice = rng.choice(("figures", "year", "insert", "delete"))
                if choice == "figures":
                    statements.append(("deadlocks/figures.sql",
                                       {"id": rng.choice(ids), "stories": rng.randint(1, 12)}))
                elif choice == "year":
                    statements.append(("deadlocks/year.sql",
                                       {"id": rng.choice(ids), "year": rng.randint(1700, 2020)}))
                elif choice == "insert":
                    statements.append(("deadlocks/insert.sql",
                                       {"prop_id": f"bench-write-deadlock-{client}-{n}-{k}",
                                        "town": rng.choice(towns),
                                        "year": rng.randint(1700, 2020)}))
                else:
                    statements.append(("deadlocks/delete.sql", {"town": rng.choice(towns)}))
            mine.append(statements)
        plan.append(mine)
    return plan


def _client(url: str, transactions, tally: Tally, lock: threading.Lock,
            start: threading.Barrier, pause: float) -> None:
    import time

    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        start.wait()
        for statements in transactions:
            def one_transaction(statements=statements):
                stage = "statement"
                try:
                    conn.execute("BEGIN")
                    for name, params in statements:
                        conn.execute(SQL.load(name), params)
                        time.sleep(pause)  # an application's work between statements
                    stage = "commit"
                    conn.execute("COMMIT")
                except psycopg.errors.DeadlockDetected as exc:
                    conn.execute("ROLLBACK")
                    with lock:
                        tally.deadlocks += 1
                        tally.at_commit += stage == "commit"
                        tally.in_triggers += "buildings_summary" in (exc.diag.context or "")
                    raise

            def counted(message: str) -> None:
                with lock:
                    tally.retries += 1

            try:  # tried again as the commands try theirs (buildings/postgres/retry.py)
                retried(one_transaction, "a transaction", on_retry=counted,
                        attempts=MOST_TRIES, first_pause=FIRST_PAUSE)
            except WriteConflict as exc:
                with lock:
                    tally.failures.append(str(exc))
            with lock:
                tally.transactions += 1


def run(clients: int, transactions: int, seed: int, say: Callable[[str], None],
        pause: float = 0.01) -> list[Tally]:
    """The workload with the summary on, then off; a Tally each. `pause`: seconds
    between a transaction's statements, as an application's work would put."""
    from buildings.postgres.connection import connection_url

    writes.restore_if_saved(say)
    with connection.cursor() as cursor:
        cursor.execute(SQL.load("deadlocks/shared.sql"), {"shared": SHARED})
        ids, towns = cursor.fetchone()
    if not ids:
        raise BenchRefused("no buildings are loaded: generate some first")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SQL.load("writes/save.sql"), {"lo": min(ids), "hi": max(ids)})
    plan = workload(clients, transactions, ids, towns, seed)
    url = connection_url()
    tallies = []
    try:
        for summary in (True, False):
            if not summary:
                writes.summary_triggers(enabled=False)
            try:
                tally = Tally(summary)
                lock, start = threading.Lock(), threading.Barrier(clients)
                threads = [threading.Thread(target=_client,
                                            args=(url, plan[c], tally, lock, start, pause))
                           for c in range(clients)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                tallies.append(tally)
                say(describe(tally, clients))
            finally:
                if not summary:
                    writes.summary_triggers(enabled=True)
                writes.restore_if_saved(lambda line: None)
                with transaction.atomic(), connection.cursor() as cursor:
                    if summary:
                        cursor.execute(SQL.load("writes/save.sql"),
                                       {"lo": min(ids), "hi": max(ids)})
    finally:
        writes.restore_if_saved(say)
    return tallies


def describe(t: Tally, clients: int) -> str:
    return (f"summary {'on ' if t.summary else 'off'}: {clients} clients, {t.transactions} "
            f"transactions committed, {t.deadlocks} deadlocks ({t.at_commit} at commit in "
            f"the settle, {t.in_triggers} in the summary's triggers), {t.retries} retries"
            + (f"; {'; '.join(t.failures)}" if t.failures else ""))
