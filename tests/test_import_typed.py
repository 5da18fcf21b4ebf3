"""The typed fast path (importer.py: TYPED_COLUMNS): a clean file's whole numbers are
typed by COPY itself, a file whose numbers need leniency goes through the parsers, and
the two give the same buildings, counts and nulled values."""

from contextlib import ExitStack

import pytest
from django.db import connection, transaction
from psycopg import sql

from buildings.core.models import Building
from buildings.ingest.importer import import_files, session_objects, stage
from buildings.ingest.readers import read_records
from tests.assessor_files import row, write_csv

FIELDS = ("prop_id", "town_id", "use_code", "year_built", "bld_area", "units", "res_area",
          "num_rooms", "bldg_val", "land_val", "other_val", "total_val", "ls_price", "fy",
          "stories", "lot_size", "site_addr")

PLAIN = [  # every whole number as bigint input reads it
    row("1-001", year_built="1925", bld_area="2400", units="2", res_area="1800",
        num_rooms="7", bldg_val="400000", land_val="151500", other_val="0",
        total_val="551500", ls_price="390000", fy="2026", stories="2.5", site_addr="12 ELM"),
    row("1-002", year_built="0", bld_area="99999999999", units="-3", total_val="12500000",
        fy="2026", lot_size="0.25"),
    row("1-003", year_built=" 1850 ", bld_area="+62000", fy="1800"),
]
LENIENT = [  # the same values, spelled as only the lenient parsers read them
    row("1-001", year_built="1925.0", bld_area="2,400", units="2.0", res_area="1,800",
        num_rooms="7.00", bldg_val="$400,000", land_val="151,500.00", other_val="$0",
        total_val="$551,500", ls_price="390,000", fy="2,026", stories="2.5", site_addr="12 ELM"),
    row("1-002", year_built="0.0", bld_area="99,999,999,999", units="-3.0",
        total_val="$12,500,000", fy="2026.0", lot_size="0.25"),
    row("1-003", year_built="1,850", bld_area="62,000.0", fy="1,800"),
]


def staged_numbers(path):
    """(rows whose whole numbers COPY typed, rows whose whole numbers stayed text)."""
    with ExitStack() as stack, transaction.atomic(), connection.cursor() as cursor:
        stage(cursor, [read_records(path, stack, "utf-8", None)], None)
        cursor.execute(sql.SQL("SELECT count(bld_area_bigint), count(bld_area) FROM {}")
                       .format(session_objects(cursor)["staging"]))
        counts = cursor.fetchone()
        transaction.set_rollback(True)
    return counts


def buildings():
    return list(Building.objects.order_by("prop_id").values_list(*FIELDS))


@pytest.mark.django_db
def test_a_clean_file_is_typed_by_copy_and_a_lenient_one_by_the_parsers(tmp_path):
    plain = write_csv(tmp_path / "plain.csv", PLAIN)
    lenient = write_csv(tmp_path / "lenient.csv", LENIENT)
    assert staged_numbers(plain) == (3, 0)
    assert staged_numbers(lenient) == (0, 3)


@pytest.mark.django_db
def test_both_paths_load_count_and_null_the_same(tmp_path):
    results, loaded = [], []
    for name, rows in (("plain", PLAIN), ("lenient", LENIENT)):
        result = import_files([write_csv(tmp_path / f"{name}.csv", rows)], replace=True)
        results.append((result.read, result.loaded, result.rejected,
                        [(t.town, t.read, t.loaded, t.rejected, t.nulled) for t in result.towns],
                        result.nulled_by_column))
        loaded.append(buildings())
    assert results[0] == results[1]
    assert loaded[0] == loaded[1]
    # hand-computed: year 0 is unknown (null, not counted); 99,999,999,999 does not fit an
    # integer, -3 units cannot be, FY 1800 is out of range: each nulled and counted
    assert results[0][4] == {"bld_area": 1, "units": 1, "fy": 1}
    first, second, third = loaded[0]
    assert first[3:14] == (1925, 2400, 2, 1800, 7, 400000, 151500, 0, 551500, 390000, 2026)
    assert second[3:6] == (None, None, None) and second[11] == 12500000
    assert third[3:5] == (1850, 62000) and third[13] is None
