"""A folder of clean per-town CSV files goes to COPY as one stream (importer.py:
_copy_raw), each file's header cut in Python; clean.sql names each row's file and
line from the run of numbers its file took (Segments). A file the stream cannot take
sends the folder file by file, and every outcome stays the same."""

import csv
from contextlib import ExitStack

import pytest
from django.db import connection, transaction
from psycopg import sql

from buildings.core.models import Building
from buildings.ingest.importer import import_files, session_objects, stage
from buildings.ingest.readers import importable_files, read_records
from tests.assessor_files import csv_text, row

FILES = {  # three towns' files, with one reject each in the second and the third
    "M035_assess.csv": [row("35-1", year_built="1900"), row("35-2", year_built="1910")],
    "M049_assess.csv": [row("49-1", town_id="49", year_built="1920"),
                        row("", town_id="49"),  # line 3: no PROP_ID
                        row("49-3", town_id="49", bld_area="1200")],
    "M100_assess.csv": [row("100-1", town_id="999"),  # line 2: no such town
                        row("100-2", town_id="100", year_built="1950")],
}
REJECTED = [("M049_assess.csv", 3, "missing PROP_ID"),
            ("M100_assess.csv", 2, "unknown TOWN_ID 999")]
SOURCES = [("M035_assess.csv", 2, 2, 0), ("M049_assess.csv", 3, 2, 1),
           ("M100_assess.csv", 2, 1, 1)]


def write_folder(folder, texts: dict[str, str | bytes]):
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_bytes(text if isinstance(text, bytes) else text.encode())
    return folder


def clean_texts() -> dict[str, str]:
    return {name: csv_text(rows) for name, rows in FILES.items()}


def staged(folder):
    """Segments of staging the folder, and (file, line, seq) of every staged row that
    names its own file (only Python's rows do)."""
    with ExitStack() as stack, transaction.atomic(), connection.cursor() as cursor:
        tables = [read_records(p, stack, "utf-8", None) for p in importable_files([folder])]
        segments = stage(cursor, tables, None)
        cursor.execute(sql.SQL("SELECT count(*) FILTER (WHERE file IS NOT NULL), count(*) "
                               "FROM {}").format(session_objects(cursor)["staging"]))
        counts = cursor.fetchone()
        transaction.set_rollback(True)
    return segments, counts


def gaps(segments) -> list[int]:
    """How far each file's run of numbers starts after the one before."""
    return [b - a for a, b in zip(segments.starts, segments.starts[1:], strict=False)]


def outcome(folder, tmp_path):
    rejects = tmp_path / f"{folder.name}-rejects.csv"
    result = import_files([folder], replace=True, rejects=rejects)
    rejected = [(r["file"], int(r["line"]), r["reason"]) for r in csv.DictReader(rejects.open())]
    sources = [(s.name, s.read, s.loaded, s.rejected) for s in result.sources]
    loaded = list(Building.objects.order_by("prop_id").values_list(
        "prop_id", "town_id", "year_built", "bld_area"))
    return rejected, sources, loaded


@pytest.mark.django_db
def test_clean_files_go_in_one_copy_and_keep_their_names_and_lines(tmp_path):
    folder = write_folder(tmp_path / "clean", clean_texts())
    segments, (named, total) = staged(folder)
    assert (named, total) == (0, 7)  # every row by COPY, none through Python
    # one COPY: the three files' runs of numbers follow each other without a gap
    # (a COPY of its own would take one number more, SELECT nextval, before its rows)
    assert segments.file_nos == [1, 2, 3]
    assert gaps(segments) == [2, 3]
    assert segments.offsets == [2 - segments.starts[0], 2 - segments.starts[1],
                                2 - segments.starts[2]]

    rejected, sources, loaded = outcome(folder, tmp_path)
    assert rejected == REJECTED
    assert sources == SOURCES
    assert loaded == [("100-2", 100, 1950, None), ("35-1", 35, 1900, None),
                      ("35-2", 35, 1910, None), ("49-1", 49, 1920, None),
                      ("49-3", 49, None, 1200)]


@pytest.mark.django_db
def test_files_the_stream_cannot_take_give_the_same_outcome(tmp_path):
    expected = outcome(write_folder(tmp_path / "clean", clean_texts()), tmp_path)
    texts = clean_texts()
    # CRLF line ends, a BOM, no line end after a file's last record: still one stream
    texts = {name: text.replace("\n", "\r\n") for name, text in texts.items()}
    texts["M035_assess.csv"] = "\ufeff" + texts["M035_assess.csv"].rstrip("\r\n")
    texts["M049_assess.csv"] = texts["M049_assess.csv"].rstrip("\r\n")
    quirks = write_folder(tmp_path / "quirks", texts)
    segments, (named, _) = staged(quirks)
    assert named == 0 and gaps(segments) == [2, 3]
    assert outcome(quirks, tmp_path) == expected

    # a file of a header alone between them: no record, still one stream
    header_only = {**clean_texts(), "M040_assess.csv": csv_text([])}
    segments, (named, _) = staged(write_folder(tmp_path / "header_only", header_only))
    assert named == 0 and segments.file_nos == [1, 2, 3, 4] and gaps(segments) == [2, 0, 3]
    assert outcome(tmp_path / "header_only", tmp_path) == (
        expected[0], [*expected[1][:1], ("M040_assess.csv", 0, 0, 0), *expected[1][1:]],
        expected[2])

    # one file's line ends not the others' (COPY reads one kind a stream): file by file
    mixed = clean_texts()
    mixed["M049_assess.csv"] = mixed["M049_assess.csv"].replace("\n", "\r\n")
    segments, (named, _) = staged(write_folder(tmp_path / "mixed", mixed))
    assert named == 0 and gaps(segments) == [3, 4]
    assert outcome(tmp_path / "mixed", tmp_path) == expected

    # a whole number only the lenient parsers read: the stream again, all as text
    lenient = clean_texts()
    lenient["M049_assess.csv"] = csv_text([
        row("49-1", town_id="49", year_built="1,920"), row("", town_id="49"),
        row("49-3", town_id="49", bld_area="1,200")])
    segments, (named, _) = staged(write_folder(tmp_path / "lenient", lenient))
    assert named == 0 and gaps(segments) == [2, 3]
    assert outcome(tmp_path / "lenient", tmp_path) == expected

    # a quoted header (it could span lines) and a record spanning two lines: the
    # stream gives way, each file on its own, the one COPY refuses through Python
    apart = clean_texts()
    apart["M035_assess.csv"] = apart["M035_assess.csv"].replace("PROP_ID", '"PROP_ID"', 1)
    apart["M100_assess.csv"] = csv_text([row("100-1", town_id="999"),
                                         row("100-2", town_id="100", year_built="1950",
                                             site_addr="1 MAIN\nST")])
    folder = write_folder(tmp_path / "apart", apart)
    segments, (named, total) = staged(folder)
    assert segments.file_nos == [1, 2] and (named, total) == (2, 7)
    rejected, sources, loaded = outcome(folder, tmp_path)
    assert (rejected, sources) == expected[:2]
    assert loaded == expected[2]
