"""Writers run side by side (issue 18): four writers on different towns each hold their
transaction open while the others write (no shared version row to wait on); four on
overlapping towns take turns on the towns' summary rows, never deadlock, and their
deltas add up to a recount; a reader's freshness key changes after a committed write,
never after a rolled-back one."""

import threading

import psycopg
import pytest

pytestmark = pytest.mark.slow


INSERT = ("INSERT INTO buildings_building (prop_id, town_id, use_code, year_built, bld_area, "
          "total_val) VALUES (%s, %s, '101', %s, 60000, 12000000)")


def connections_on_distinct_slots(url: str, n: int) -> list:
    """n connections whose backends bump different version slots (pid modulo 64)."""
    kept, slots = [], set()
    while len(kept) < n:
        conn = psycopg.connect(url)
        slot = conn.info.backend_pid % 64
        if slot in slots:
            conn.close()
            continue
        slots.add(slot)
        kept.append(conn)
    return kept


def run_all(target, args_list) -> list:
    errors = []

    def guarded(*args):
        try:
            target(*args)
        except Exception as exc:  # noqa: BLE001  reported in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=args) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_writers_on_different_towns_hold_their_writes_open_at_once(committed_db):
    from buildings.dashboard.freshness import freshness
    from buildings.derived.live_summary import drift
    from buildings.ingest.generator import generate
    from buildings.postgres.connection import connection_url

    generate(5_000, seed=11)
    conns = connections_on_distinct_slots(connection_url(), 4)
    inside = threading.Barrier(4, timeout=60)  # one shared version row: this timed out

    def writer(conn, n: int, town: int) -> None:
        with conn:
            conn.execute("SET lock_timeout = '30s'")
            for i in range(20):
                conn.execute(INSERT, [f"W{n}-{i}", town, 1890 + i])
            conn.execute("UPDATE buildings_building SET year_built = 1800 WHERE prop_id = %s",
                         [f"W{n}-0"])
            inside.wait()  # all four hold their writes uncommitted at once
            conn.commit()

    before = freshness()
    assert run_all(writer, [(c, n, t) for n, (c, t) in
                            enumerate(zip(conns, [35, 49, 274, 281], strict=True))]) == []
    after = freshness()
    assert after.data_version == before.data_version + 4 * 21  # one bump a statement
    assert drift() == []

    with psycopg.connect(connection_url()) as conn, conn.transaction(force_rollback=True):
        conn.execute("UPDATE buildings_building SET year_built = 1700 WHERE town_id = 35")
    assert freshness().key == after.key
    with psycopg.connect(connection_url(), autocommit=True) as conn:
        conn.execute("UPDATE buildings_building SET total_val = 1 WHERE prop_id = 'W0-1'")
    assert freshness().key != after.key  # a committed write: a page kept before is not served
    assert drift() == []


def test_four_writers_on_overlapping_towns_add_up_without_deadlock(committed_db):
    from buildings.derived.live_summary import drift
    from buildings.ingest.generator import generate
    from buildings.postgres.connection import connection_url

    generate(5_000, seed=12)
    url = connection_url()

    def writer(n: int) -> None:
        with psycopg.connect(url) as conn:
            for i in range(40):  # small transactions touching both towns, in one order
                towns = (35, 49)
                with conn.transaction():
                    for town in towns:
                        conn.execute(INSERT, [f"O{n}-{i}-{town}", town, 1850 + i])
                    conn.execute("UPDATE buildings_building SET year_built = year_built + 1 "
                                 "WHERE prop_id = %s", [f"O{n}-{i}-{towns[0]}"])
                    if i % 5 == 4:
                        conn.execute("DELETE FROM buildings_building WHERE prop_id = %s",
                                     [f"O{n}-{i - 1}-35"])

    assert run_all(writer, [(n,) for n in range(4)]) == []
    assert drift() == []


def test_a_reader_beside_writers_never_gets_a_report_older_than_a_commit(committed_db):
    """The dashboard's promise, with writers committing while it reads: a report read
    after a write committed counts that write (a report kept under an older data
    version would count fewer buildings), and never one that rolled back."""
    from buildings.core.models import Building
    from buildings.dashboard.freshness import freshness, report
    from buildings.ingest.generator import generate
    from buildings.postgres.connection import connection_url

    generate(3_000, seed=13)
    base = Building.objects.count()
    url = connection_url()
    counts = {"committed": 0, "started": 0}
    guard = threading.Lock()
    writing = threading.Event()

    def writer(n: int) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            for i in range(30):
                if i % 7 == 3:  # a write that rolls back: no reader may ever count it
                    with conn.transaction(force_rollback=True):
                        conn.execute(INSERT, [f"R{n}-{i}", 35 + n, 1900])
                with guard:
                    counts["started"] += 1
                conn.execute(INSERT, [f"C{n}-{i}", 35 + n, 1900 + i])
                with guard:
                    counts["committed"] += 1
                writing.set()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    writing.wait(60)
    reads = 0
    while any(t.is_alive() for t in threads) or reads == 0:
        with guard:
            committed_before = counts["committed"]
        fresh = freshness()
        served, _ = report(fresh=fresh)
        with guard:
            started_after = counts["started"]
        assert base + committed_before <= served.state.buildings <= base + started_after
        reads += 1
    for t in threads:
        t.join()
    final, _ = report()
    assert final.state.buildings == base + 4 * 30
    assert reads > 5  # the reads ran while the writers wrote
