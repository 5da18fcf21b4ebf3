"""Every bad input gets a clear answer (issue: "no traceback, nothing half-loaded").

The rule (docs/import.md, "Bad input"): a problem in one row rejects that row (exit 1, the
rest loads); an optional value that cannot be stored becomes null or is cut, and
is counted; an unusable input or argument is refused before anything is loaded,
with one line, exit 2. One test per case found, inputs generated here.
"""

import subprocess
import sys

import pytest

from buildings.core.models import Building
from tests.assessor_files import HEADER, csv_text, row, write_csv

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def one_line(result) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def good_and_bad_lines(tmp_path, bad_line: bytes):
    """A file of a good row (line 2), the bad record (line 3) and a good row (line 4)."""
    head = csv_text([row("1")]).encode()
    tail = csv_text([row("3")]).encode().split(b"\n", 1)[1]
    path = tmp_path / "a.csv"
    path.write_bytes(head + bad_line + b"\n" + tail)
    return path


def bad_record(**fields) -> bytes:
    return csv_text([row("2", **fields)]).encode().split(b"\n")[1]


@pytest.mark.parametrize(("bad", "reason"), [
    (bad_record(site_addr="12 Main").replace(b"Main", b"Ma\rin"), "new-line character"),
    (bad_record(site_addr="12 Main").replace(b"Main", b"Ma\x00in"), "a NUL byte"),
    (b'2,,35,101,"unterminated', "an unclosed quote"),
], ids=["bare CR", "NUL byte", "unterminated quote"])
def test_an_unreadable_record_is_rejected_with_its_line_and_the_rest_loads(
        manage, committed_db, tmp_path, bad, reason):
    import re

    path = good_and_bad_lines(tmp_path, bad)
    rejects = tmp_path / "rejects.csv"
    result = manage("import_assessor", str(path), "--rejects", str(rejects))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    text = rejects.read_text()
    assert re.search(reason, text), text
    assert ",3," in text.splitlines()[1]  # file, line 3, ...
    loaded = set(Building.objects.values_list("prop_id", flat=True))
    assert "1" in loaded and "2" not in loaded
    assert len(text) < 2_000  # the reason quotes no more than an excerpt


def test_values_out_of_the_columns_range_become_null_and_are_counted(
        manage, committed_db, tmp_path):
    path = write_csv(tmp_path / "a.csv", [
        row("1", lot_size="99999999.99999", stories="999.999", units="99999999999"),
        row("2", lot_size="99999999.9999", stories="999.99", units="2147483647"),
    ])
    result = manage("import_assessor", str(path))
    assert result.returncode == 0, result.stderr
    assert "lot_size 1" in result.stdout and "stories 1" in result.stdout
    assert "units 1" in result.stdout
    one, two = Building.objects.order_by("prop_id")
    assert (one.lot_size, one.stories, one.units) == (None, None, None)
    assert (str(two.lot_size), str(two.stories), two.units) == (
        "99999999.9999", "999.99", 2147483647)


def test_an_11_mb_site_addr_alone_loads_cut_and_counted_exit_0(manage, committed_db, tmp_path):
    """The fast path (COPY reads the file): the long value is the file's only flaw."""
    path = write_csv(tmp_path / "a.csv", [row("1", site_addr="x" * (11 * 2**20)), row("2")])
    result = manage("import_assessor", str(path))
    assert result.returncode == 0, result.stderr
    assert "site_addr 1" in result.stdout
    assert Building.objects.get(prop_id="1").site_addr == "x" * 80
    assert Building.objects.count() == 2


@pytest.mark.parametrize("clean", [True, False], ids=["read by COPY", "read by Python"])
def test_a_field_over_10_mb_is_cut_like_any_long_text_or_rejects_as_a_prop_id(
        manage, committed_db, tmp_path, clean):
    """Over the csv module's default limit: the same outcome whoever reads the file."""
    rows = [row("1", site_addr="x" * (11 * 2**20)), row("P" * (10 * 2**20))]
    if not clean:
        rows.append(row("3", units="a\rb"))  # a bare CR: COPY refuses, Python reads the file
    rejects = tmp_path / "rejects.csv"
    result = manage("import_assessor", str(write_csv(tmp_path / "a.csv", rows)),
                    "--rejects", str(rejects))
    assert result.returncode == 1, result.stderr
    assert "site_addr 1" in result.stdout
    assert Building.objects.get(prop_id="1").site_addr == "x" * 80
    assert "PROP_ID longer than 40 characters" in rejects.read_text()
    assert len(rejects.read_text()) < 10_000  # the reject does not repeat the 10 MB
    assert ("new-line character" in rejects.read_text()) is not clean


def test_text_longer_than_its_column_is_cut_and_counted(manage, committed_db, tmp_path):
    path = write_csv(tmp_path / "a.csv", [row("1", site_addr="A" * 100, zoning="Z" * 25)])
    result = manage("import_assessor", str(path))
    assert result.returncode == 0, result.stderr
    assert "site_addr 1" in result.stdout and "zoning 1" in result.stdout
    building = Building.objects.get()
    assert building.site_addr == "A" * 80 and building.zoning == "Z" * 20


@pytest.mark.parametrize(("make", "args", "message"), [
    (lambda p: p.write_text("PROP_ID,TOWN_ID,USE_CODE,TOWN_ID\n1,35,101,35\n"), [],
     "names TOWN_ID more than once"),
    (lambda p: write_csv(p, [row("1")]), ["--encoding", "nope"], "unknown encoding 'nope'"),
    (lambda p: write_csv(p, [row("1")]), ["--rejects", "/missing/dir/r.csv"],
     "--rejects /missing/dir/r.csv: the folder /missing/dir does not exist"),
    (lambda p: p.write_bytes(b"PROP_ID," + b"X" * 10 * 2**20 + b"\n1,2\n"), [],
     "required columns TOWN_ID, USE_CODE missing"),
    (lambda p: p.write_bytes(b"\x00\x01\x02binary\xff\n"), [], "is it a CSV file"),
], ids=["duplicate column", "unknown encoding", "unwritable rejects", "10 MB header",
        "not a table"])
def test_unusable_input_is_refused_before_anything_loads(manage, committed_db, tmp_path, make,
                                                         args, message):
    path = tmp_path / "a.csv"
    make(path)
    result = manage("import_assessor", str(path), *args)
    assert result.returncode == 2
    line = one_line(result)
    assert message in line and len(line) < 400, line
    assert not Building.objects.exists()


def test_a_header_only_file_changes_nothing_and_leaves_the_views_fresh(
        manage, committed_db, tmp_path):
    from buildings.derived.report_view import refresh
    from buildings.derived.staleness import staleness

    refresh()
    path = tmp_path / "a.csv"
    path.write_text(",".join(HEADER) + "\n")
    for args in ([], ["--replace"]):
        result = manage("import_assessor", str(path), *args)
        assert result.returncode == 0, result.stderr
        assert not staleness().stale


@pytest.mark.parametrize(("args", "message"), [
    (["analyze", "--output", "/missing/dir/x.json"], "--output /missing/dir/x.json: the folder"),
    (["important_buildings", "--output", "/missing/dir/x.csv"], "--output /missing/dir/x.csv"),
    (["compare", "--modes", "sql", "--json", "/missing/dir/c.json"], "--json /missing/dir/c.json"),
])
def test_an_unwritable_output_is_refused_before_the_work(manage, args, message):
    result = manage(*args)
    assert result.returncode == 2
    assert message in one_line(result)


def test_a_malformed_database_url_is_one_line(manage):
    result = manage("analyze", env={"DATABASE_URL": "garbage"})
    assert result.returncode != 0
    assert "DATABASE_URL is not a PostgreSQL URL" in one_line(result)


def test_a_closed_pipe_ends_the_command_quietly(manage, committed_db):
    from buildings.ingest.generator import generate

    generate(20_000, seed=1)
    from buildings.postgres.connection import connection_url

    env_url = connection_url()
    result = subprocess.run(
        f"{sys.executable} manage.py important_buildings | head -1", shell=True, cwd=ROOT,
        capture_output=True, text=True, timeout=120,
        env={**__import__("os").environ, "DATABASE_URL": env_url})
    assert result.stdout.startswith("town_id,")
    assert result.stdout.count("\n") == 1
    assert result.stderr == ""
