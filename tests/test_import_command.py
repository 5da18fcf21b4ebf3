"""import_assessor as a user runs it: the summary, the exit codes, the rejects file."""

import csv

from tests.assessor_files import row, write_csv


def test_all_loaded_exits_0_and_says_the_views_are_stale(manage, committed_db, tmp_path):
    path = write_csv(tmp_path / "a.csv", [row("1"), row("2", town_id="49", units="x")])
    result = manage("import_assessor", str(path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Boston" in out and "Cambridge" in out and "rows/s" in out
    assert "units 1" in out and "refresh_views" in out


def test_rejected_rows_exit_1_and_go_to_the_rejects_file(manage, committed_db, tmp_path):
    path = write_csv(tmp_path / "a.csv", [row("1"), row("2", town_id="400")])
    rejects = tmp_path / "rejects.csv"
    result = manage("import_assessor", str(path), "--rejects", str(rejects))
    assert result.returncode == 1
    assert [(r["line"], r["reason"]) for r in csv.DictReader(rejects.open())] == [
        ("3", "unknown TOWN_ID 400")]


def test_unusable_input_exits_2_with_one_line(manage, committed_db, tmp_path):
    (tmp_path / "a.csv").write_text("PROP_ID,USE\n1,101\n")
    for args in ([str(tmp_path / "a.csv")], [str(tmp_path / "missing.csv")]):
        result = manage("import_assessor", *args)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "TOWN_ID, USE_CODE missing" in manage("import_assessor", str(tmp_path / "a.csv")).stderr


def test_strict_exits_1_and_writes_nothing(manage, committed_db, tmp_path):
    path = write_csv(tmp_path / "a.csv", [row("1"), row("", town_id="35")])
    result = manage("import_assessor", str(path), "--strict")
    assert result.returncode == 1 and "line 3: missing PROP_ID" in result.stderr
    assert "nothing was written" in result.stderr
    from buildings.core.models import Building

    assert not Building.objects.exists()
