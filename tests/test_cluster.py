"""A cluster of three real PostgreSQL servers (embedded, own data folders, own sockets):
a coordinator and two shards. The report over
the cluster is byte-identical to one server's over the same buildings; writes are
routed by town and all-or-nothing across the shards (two-phase commit); a town moves
and the report stays; what a crash leaves prepared is reported and resolved."""

import json
import os
import subprocess
import sys
import urllib.request

import psycopg
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

SEED = 5
BUILDINGS = 8_000


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Three embedded PostgreSQL servers, own data folders and sockets: the coordinator
    ("co") and two shards. (Not the test database as coordinator: a server run by
    another system user, as CI's PostgreSQL 15 is, could not reach the shards' sockets.)"""
    from buildings.postgres.embedded import start, stop_server

    folders = {name: tmp_path_factory.mktemp(f"cluster_{name}") / "pgdata"
               for name in ("co", "s1", "s2")}
    urls = {name: start(folder) for name, folder in folders.items()}
    yield urls
    for folder in folders.values():
        stop_server(folder)


@pytest.fixture(scope="module")
def shard_urls(servers):
    return {name: url for name, url in servers.items() if name != "co"}


@pytest.fixture(scope="module")
def coordinator(servers):
    return servers["co"]


@pytest.fixture(scope="module")
def cluster(servers, shard_urls, coordinator):
    """The coordinator migrated, set up over the two shards, the towns placed; yields
    how to run a command there (`shards=False`: as a plain database, on its own
    buildings table; `database=`: on another server)."""
    env = {**os.environ, "DATABASE_URL": coordinator,
           "BUILDINGS_SHARDS": " ".join(f"{n}={u}" for n, u in shard_urls.items())}

    def run(*args: str, shards: bool = True,
            database: str | None = None) -> subprocess.CompletedProcess:
        given = env if shards else {**env, "BUILDINGS_SHARDS": ""}
        if database:
            given = {**given, "DATABASE_URL": database}
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=given,
                              capture_output=True, text=True, timeout=300)

    for args in (("migrate", "-v", "0"), ("cluster", "setup"), ("cluster", "place")):
        done = run(*args)
        assert done.returncode == 0, done.stderr
    return run


def on_shard(url: str, query: str, params=None) -> list[tuple]:
    """A query's rows on a server (a shard's, or the coordinator's)."""
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(query, params).fetchall()


def placement(coordinator: str) -> dict[int, str]:
    return dict(on_shard(coordinator, "SELECT town_id, shard FROM buildings_placement"))


def one_server_reports(cluster) -> dict[str, str]:
    """The reports of one server holding the same buildings: the coordinator as a plain
    database, over its own buildings table (which a coordinator never reads)."""
    done = cluster("generate_buildings", "--buildings", str(BUILDINGS), "--seed", str(SEED),
                   shards=False)
    assert done.returncode == 0, done.stderr
    return {fmt: cluster("analyze", "--mode", "sql", "--format", fmt, shards=False).stdout
            for fmt in ("json", "csv")}


def figures(report_json: str) -> dict:
    return {k: v for k, v in json.loads(report_json).items() if k != "meta"}


def assert_same_report(cluster, reference: dict[str, str], mode: str) -> None:
    csv = cluster("analyze", "--mode", mode, "--format", "csv")
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout == reference["csv"]
    got = cluster("analyze", "--mode", mode, "--format", "json")
    assert figures(got.stdout) == figures(reference["json"])
    assert json.loads(got.stdout)["meta"]["mode"] == mode


def test_the_cluster_reports_what_one_server_reports(cluster, shard_urls, coordinator):
    reference = one_server_reports(cluster)
    placed = placement(coordinator)
    assert len(placed) == 351 and set(placed.values()) == {"s1", "s2"}
    spread = on_shard(coordinator,  # whole counties: every county on one shard
                      "SELECT c.name, count(DISTINCT p.shard) FROM buildings_placement p "
                      "JOIN buildings_town t ON t.town_id = p.town_id "
                      "JOIN buildings_county c ON c.id = t.county_id GROUP BY c.name")
    assert len(spread) == 14 and {n for _, n in spread} == {1}

    done = cluster("generate_buildings", "--buildings", str(BUILDINGS), "--seed", str(SEED))
    assert done.returncode == 0, done.stderr
    assert f"generated {BUILDINGS:,} buildings (seed {SEED}) on 2 shards" in done.stdout
    held = {name: on_shard(url, "SELECT town_id, count(*) FROM buildings_building "
                                "GROUP BY town_id") for name, url in shard_urls.items()}
    assert sum(n for rows in held.values() for _, n in rows) == BUILDINGS
    for name, rows in held.items():  # each town's rows on its own shard only
        assert rows and all(placed[town] == name for town, _ in rows)
    expected = {t: (lo, hi) for t, lo, hi in on_shard(  # the one server's ids, by town
        coordinator, "SELECT town_id, min(id), max(id) FROM buildings_building GROUP BY 1")}
    for url in shard_urls.values():
        for town, lo, hi in on_shard(url, "SELECT town_id, min(id), max(id) "
                                          "FROM buildings_building GROUP BY 1"):
            assert expected[town] == (lo, hi)

    assert_same_report(cluster, reference, "sql")
    assert_same_report(cluster, reference, "live")
    naive = cluster("analyze", "--mode", "naive")
    assert naive.returncode == 2
    assert naive.stderr.strip().splitlines() == [
        "CommandError: --mode naive reads the buildings, which are on the shards: on a "
        "cluster's coordinator run --mode sql or --mode live (the shards' aggregates), or "
        "run naive on one shard (DATABASE_URL=its URL, BUILDINGS_SHARDS unset)"]
    status = cluster("cluster", "status")
    assert status.returncode == 0, status.stdout
    for line in status.stdout.splitlines()[1:]:
        name, *_, held_buildings, prepared, stray = line.split()
        assert int(held_buildings.replace(",", "")) == sum(n for _, n in held[name])
        assert (prepared, stray) == ("0", "0")


def test_the_shards_work_at_once_and_only_aggregates_cross(cluster, shard_urls, coordinator):
    from buildings.cluster.report import sources
    from buildings.core.statement import report_statement

    cluster("generate_buildings", "--buildings", str(BUILDINGS), "--seed", str(SEED))
    statement = report_statement(sources("live")).as_string(None)
    plan = [line for (line,) in on_shard(coordinator,
                                         "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + statement)]
    scans = [line for line in plan if "Foreign Scan" in line]
    assert len(scans) == 2 and all("Async Foreign Scan" in line for line in scans)
    crossed = sum(int(line.split("rows=")[1].split(".")[0].split()[0]) for line in scans)
    shard_rows = sum(on_shard(url, "SELECT count(*) FROM buildings_shard_report_live")[0][0]
                     for url in shard_urls.values())
    assert crossed == shard_rows < 20_000  # aggregates: far fewer rows than buildings


def test_a_town_moves_and_the_report_stays(cluster, shard_urls, coordinator):
    reference = one_server_reports(cluster)
    cluster("generate_buildings", "--buildings", str(BUILDINGS), "--seed", str(SEED))
    before = placement(coordinator)[35]
    after = "s2" if before == "s1" else "s1"
    boston = next(t for t in json.loads(reference["json"])["towns"] if t["town"] == "Boston")
    moved = cluster("cluster", "move", "Boston", after)
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.strip() == (f"moved Boston ({boston['buildings']:,} buildings) from "
                                    f"{before} to {after}")
    assert placement(coordinator)[35] == after
    assert on_shard(shard_urls[before], "SELECT count(*) FROM buildings_building "
                                        "WHERE town_id = 35") == [(0,)]
    assert on_shard(shard_urls[after], "SELECT count(*) FROM buildings_building "
                                       "WHERE town_id = 35") == [(boston["buildings"],)]
    assert_same_report(cluster, reference, "sql")
    assert_same_report(cluster, reference, "live")
    for url in shard_urls.values():  # each shard's live summary followed its writes
        check = cluster("live_summary", "check", shards=False, database=url)
        assert check.returncode == 0, check.stdout
        assert on_shard(url, "SELECT count(*) FROM pg_prepared_xacts") == [(0,)]
    assert cluster("cluster", "move", "Boston", after).stderr.strip().endswith(
        f"Boston is on {after} already")


def test_a_shard_that_fails_leaves_every_shard_as_it_was(cluster, shard_urls):
    cluster("generate_buildings", "--buildings", str(BUILDINGS), "--seed", str(SEED))
    fingerprint = ("SELECT count(*), md5(string_agg(prop_id, ',' ORDER BY id)) "
                   "FROM buildings_building")
    before = {n: on_shard(u, fingerprint) for n, u in shard_urls.items()}
    with psycopg.connect(shard_urls["s2"], autocommit=True) as conn:
        conn.execute("CREATE FUNCTION full_disk() RETURNS trigger LANGUAGE plpgsql AS "
                     "$$BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; "
                     "END$$")
        conn.execute("CREATE TRIGGER full_disk BEFORE INSERT ON buildings_building "
                     "FOR EACH STATEMENT EXECUTE FUNCTION full_disk()")
    try:
        failed = cluster("generate_buildings", "--buildings", "3000", "--seed", "9")
    finally:
        with psycopg.connect(shard_urls["s2"], autocommit=True) as conn:
            conn.execute("DROP TRIGGER full_disk ON buildings_building")
            conn.execute("DROP FUNCTION full_disk()")
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines()[-1].startswith("error: shard s2 refused: ")
    assert failed.stderr.strip().endswith("(nothing was written on any shard)")
    assert {n: on_shard(u, fingerprint) for n, u in shard_urls.items()} == before
    for url in shard_urls.values():
        assert on_shard(url, "SELECT count(*) FROM pg_prepared_xacts") == [(0,)]


def test_what_a_crash_left_prepared_is_reported_and_resolved(cluster, shard_urls, coordinator):
    cluster("generate_buildings", "--buildings", str(BUILDINGS), "--seed", str(SEED))
    towns = {}
    for town, shard in placement(coordinator).items():
        towns.setdefault(shard, []).append(str(town))
    count = "SELECT count(*) FROM buildings_building"
    kept = on_shard(shard_urls["s2"], count)
    # a coordinator that died after every shard prepared: it had decided for the one
    # on s1 (its decision committed), not yet for the one on s2
    for shard, gid in (("s1", "buildings-decided"), ("s2", "buildings-undecided")):
        child = cluster("generate_buildings", "--buildings", "3000", "--seed", "9",
                        "--towns", ",".join(towns[shard]), "--prepare", gid, shards=False,
                        database=shard_urls[shard])
        assert child.returncode == 0, child.stderr
    on_shard(coordinator, "INSERT INTO buildings_cluster_decision (gid, what, decided_at) "
                          "VALUES ('buildings-decided', 'a test', now()) RETURNING gid")
    check = cluster("cluster", "check")
    assert check.returncode == 1
    lines = check.stdout.strip().splitlines()
    assert [line.split(" prepared ")[0] for line in lines] == ["s1: buildings-decided",
                                                               "s2: buildings-undecided"]
    assert lines[0].endswith("decided: commit") and lines[1].endswith("undecided: roll back")
    resolved = cluster("cluster", "resolve")
    assert resolved.returncode == 0, resolved.stderr
    assert [line.split(" (")[0] for line in resolved.stdout.strip().splitlines()] == [
        "s1: committed buildings-decided", "s2: rolled back buildings-undecided"]
    assert on_shard(shard_urls["s2"], count) == kept
    s1_towns = [int(t) for t in towns["s1"]]  # what one server makes of s1's towns, seed 9
    assert cluster("generate_buildings", "--buildings", "3000", "--seed", "9",
                   shards=False).returncode == 0
    assert on_shard(shard_urls["s1"], count) == on_shard(
        coordinator, "SELECT count(*) FROM buildings_building WHERE town_id = ANY (%s)",
        [s1_towns])
    assert cluster("cluster", "check").returncode == 0


def test_compare_on_a_coordinator_measures_sql_and_live_and_refuses_the_rest(cluster):
    """The shards' aggregates are what a coordinator can measure: by default sql and
    live, whose reports agree; a mode that reads the buildings refuses in one line
    before any run."""
    cluster("generate_buildings", "--buildings", "3000", "--seed", "4")
    compared = cluster("compare", "--repeat", "1", "--no-trace")
    assert compared.returncode == 0, compared.stderr
    rows = [line.split()[0] for line in compared.stdout.splitlines()
            if line.split() and line.split()[0] in ("naive", "chunked", "sql", "mview", "live")]
    assert rows == ["sql", "live"]
    assert "all 2 reports identical" in compared.stdout
    naive = cluster("compare", "--modes", "sql,naive", "--repeat", "1")
    assert naive.returncode == 1
    assert naive.stderr.strip().splitlines() == [
        "CommandError: --mode naive reads the buildings, which are on the shards: on a "
        "cluster's coordinator run --mode sql or --mode live (the shards' aggregates), or run "
        "naive on one shard (DATABASE_URL=its URL, BUILDINGS_SHARDS unset)"]


def test_refresh_and_the_summary_check_act_on_every_shard(cluster, shard_urls):
    """On a coordinator, whose own view and summary hold nothing: each shard's, a line
    each; a shard whose summary drifted fails the check, named."""
    cluster("generate_buildings", "--buildings", "3000", "--seed", "2")
    refreshed = cluster("refresh_views", "--concurrently")
    assert refreshed.returncode == 0, refreshed.stderr
    assert refreshed.stdout.splitlines() == [
        f"{name}: 1 view refreshed in " + line.split(" in ")[-1]
        for name, line in zip(sorted(shard_urls), refreshed.stdout.splitlines(), strict=True)]
    checked = cluster("live_summary", "check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines() == [
        f"{name}: the live summary matches a recount of the buildings"
        for name in sorted(shard_urls)]
    with psycopg.connect(shard_urls["s2"], autocommit=True) as conn:  # a drift on s2 alone
        conn.execute("UPDATE buildings_summary_town SET buildings = buildings + 1 "
                     "WHERE town_id = (SELECT min(town_id) FROM buildings_summary_town)")
    drifted = cluster("live_summary", "check")
    assert drifted.returncode == 1
    lines = drifted.stdout.splitlines()
    assert lines[0] == "s1: the live summary matches a recount of the buildings"
    assert lines[1].startswith("s2: the live summary has drifted")
    assert cluster("live_summary", "rebuild").returncode == 0
    assert cluster("live_summary", "check").returncode == 0


def test_a_shard_down_refuses_the_write_before_anything_is_written(cluster, shard_urls):
    from buildings.postgres.embedded import start, stop_server

    cluster("generate_buildings", "--buildings", str(BUILDINGS), "--seed", str(SEED))
    count = "SELECT count(*) FROM buildings_building"
    kept = on_shard(shard_urls["s1"], count)
    folder = shard_urls["s2"].split("host=")[1].split("&")[0]
    stop_server(folder)
    try:
        refused = cluster("generate_buildings", "--buildings", "3000", "--seed", "9")
        status = cluster("cluster", "status")
    finally:
        start(folder)
    assert refused.returncode == 1
    (line,) = refused.stderr.strip().splitlines()
    assert line.startswith("error: shard s2 (") and "does not answer" in line
    assert line.endswith("nothing was changed")
    assert on_shard(shard_urls["s1"], count) == kept
    assert status.returncode == 1 and "DOWN: " in status.stdout


def test_the_dashboard_reads_the_shards(cluster, shard_urls, coordinator, monkeypatch):
    from buildings.dashboard.bench.server import served

    reference = one_server_reports(cluster)
    cluster("generate_buildings", "--buildings", str(BUILDINGS), "--seed", str(SEED))
    monkeypatch.setenv("BUILDINGS_SHARDS",
                       " ".join(f"{n}={u}" for n, u in shard_urls.items()))
    with served(coordinator) as base:
        def get(path: str) -> str:
            with urllib.request.urlopen(base + path) as response:
                return response.read().decode()

        assert figures(get("/report.json")) == figures(reference["json"])
        page = get("/towns/35/")
        first_page = [p for (p,) in on_shard(  # the one server's first page of Boston
            coordinator, "SELECT prop_id FROM buildings_building WHERE town_id = 35 "
                         "AND is_important ORDER BY id LIMIT 50")]
        assert [row.split("<td>")[1].split("</td>")[0]
                for row in page.split('<tr data-id="')[1:51]] == first_page
        shard = placement(coordinator)[35]
        with psycopg.connect(shard_urls[shard], autocommit=True) as conn:  # a write there
            conn.execute("INSERT INTO buildings_building (prop_id, town_id, use_code) "
                         "VALUES ('NEW-1', 35, '101')")
        report = json.loads(get("/report.json"))  # never the page kept before the write
        assert report["state"]["buildings"] == BUILDINGS + 1


def test_an_import_on_the_cluster_is_one_servers_import(cluster, shard_urls, coordinator,
                                                       tmp_path):
    """The same file imported on one server and through the coordinator: the same
    summary, the same rejects, the same report; each row on its town's shard."""
    from tests.assessor_files import row, write_csv

    rows = [row(f"P{i}", town_id=str([35, 49, 281, 1, 400][i % 5]), year_built=str(1850 + i),
                stories=str(i % 9), bld_area=str(40_000 + 1000 * i), total_val="12,000,000")
            for i in range(40)]
    rows.append(row("P2", town_id="281"))  # P2 again in its town (281): rejected
    rows.append(row("BAD", town_id="49", year_built="18x0"))  # loaded, its year nulled
    path = write_csv(tmp_path / "assess.csv", rows)

    def summary(done) -> list[str]:
        assert done.returncode == 1, done.stderr  # rows were rejected
        return [line for line in done.stdout.splitlines()
                if " rows/s)" not in line and not line.startswith("rejected rows written")]

    one = cluster("import_assessor", str(path), "--replace", "--rejects",
                  str(tmp_path / "one.csv"), shards=False)
    reference = {fmt: cluster("analyze", "--mode", "sql", "--format", fmt, shards=False).stdout
                 for fmt in ("json", "csv")}
    cluster("generate_buildings", "--buildings", "3000", "--seed", "2")
    many = cluster("import_assessor", str(path), "--replace", "--rejects",
                   str(tmp_path / "many.csv"))
    assert summary(many) == summary(one)
    assert "unknown TOWN_ID 400" in many.stdout and "total" in many.stdout
    assert (tmp_path / "many.csv").read_text() == (tmp_path / "one.csv").read_text()
    placed = placement(coordinator)
    for name, url in shard_urls.items():
        for town, n in on_shard(url, "SELECT town_id, count(*) FROM buildings_building "
                                     "WHERE prop_id LIKE 'P%%' OR prop_id = 'BAD' "
                                     "GROUP BY town_id"):
            assert placed[town] == name and n == {35: 8, 49: 9, 281: 8, 1: 8}[town]
    # --replace on every shard: the imported towns hold the file's rows alone (their
    # figures as on the one server; their ranks differ, among generated towns)
    def imported(report_json: str) -> list[dict]:
        return [{k: v for k, v in t.items() if k != "rank"}
                for t in json.loads(report_json)["towns"] if t["town_id"] in (35, 49, 281, 1)]

    for mode in ("sql", "live"):
        got = cluster("analyze", "--mode", mode, "--format", "json")
        assert imported(got.stdout) == imported(reference["json"])
    strict = cluster("import_assessor", str(path), "--strict")
    assert strict.returncode == 1
    assert "nothing was written on any shard" in strict.stderr
    for url in shard_urls.values():
        assert on_shard(url, "SELECT count(*) FROM pg_prepared_xacts") == [(0,)]
