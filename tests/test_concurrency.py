"""Writers and refreshers never deadlock: imports that replace towns, the generator and
concurrent refreshes, side by side, all succeed and end consistent."""

import threading

import pytest

from tests.assessor_files import row, write_csv

pytestmark = pytest.mark.slow


def test_imports_generations_and_refreshes_side_by_side(manage, committed_db, tmp_path):
    from buildings.core.models import Building
    from buildings.derived.report_view import refresh

    path = write_csv(tmp_path / "a.csv", [row(f"P{i}", town_id=str(1 + i % 5), use_code="101",
                                              bld_area=str(1000 + i)) for i in range(3000)])
    manage("generate_buildings", "--buildings", "5000", "--seed", "1")
    refresh()
    results, done = [], threading.Event()

    def run(*args):
        result = manage(*args)
        results.append((args, result))

    def refresher():
        while not done.is_set():
            run("refresh_views", "--concurrently")

    def writer():
        for i in range(6):
            if i == 3:
                run("generate_buildings", "--buildings", "5000", "--seed", "2")
            run("import_assessor", str(path), "--replace")
        done.set()

    threads = [threading.Thread(target=refresher), threading.Thread(target=writer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    assert len(results) >= 8
    for args, result in results:
        assert "deadlock" not in result.stderr, (args, result.stderr)
        assert result.returncode == 0, (args, result.stderr)
    # the last writes: seed-2 buildings, then the file's towns replaced by its 3,000 rows
    refresh()
    assert Building.objects.filter(prop_id__startswith="P").count() == 3000
    sql_report = manage("analyze", "--mode", "sql", "--format", "json").stdout
    mview_report = manage("analyze", "--mode", "mview", "--format", "json").stdout
    import json

    def without_meta(text):
        data = json.loads(text)
        data.pop("meta", None)
        return data

    assert without_meta(sql_report) == without_meta(mview_report)


def test_a_writer_that_has_to_wait_says_so(manage, committed_db, tmp_path):
    import psycopg

    from buildings.postgres.connection import connection_url

    path = write_csv(tmp_path / "a.csv", [row("1")])
    with psycopg.connect(connection_url()) as reader:
        reader.execute("SELECT count(*) FROM buildings_building")  # holds its lock
        timer = threading.Timer(2.0, reader.rollback)
        timer.start()
        result = manage("import_assessor", str(path))
        timer.join()
    assert result.returncode == 0, result.stderr
    assert "waiting for the buildings table" in result.stderr
