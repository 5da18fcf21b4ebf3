"""import_assessor takes what MassGIS publishes, as it is published: a per-town ZIP, a
folder of downloads, a file geodatabase (.gdb or .gdb.zip), CSV with exponents."""

import csv
import datetime as dt
import os
import shutil
import zipfile
from decimal import Decimal
from functools import partial

import pytest

from buildings.core.models import Building
from buildings.ingest.importer import import_files, result_lines
from buildings.ingest.readers import UnusableInput
from tests.assessor_files import (
    row,
    town_assess_row,
    write_csv,
    write_gdb,
    write_town_gdb_zip,
    write_town_zip,
)

pytestmark = pytest.mark.django_db


def check_bellingham(prefix="25-"):
    first = Building.objects.get(prop_id=f"{prefix}0")
    assert (first.town_id, first.use_code, first.year_built, first.bld_area) == (
        25, "903", 1890, 1200)
    assert Building.objects.get(prop_id=f"{prefix}1").use_code == "0130"
    assert first.ls_date == dt.date(2019, 3, 10) and first.lot_size == Decimal("0.2500")
    assert Building.objects.get(prop_id=f"{prefix}2").year_built is None  # 0: unknown


def test_a_per_town_zip_is_read_as_published_and_nothing_is_left_unpacked(tmp_path):
    import tempfile

    before = set(os.listdir(tempfile.gettempdir()))
    path = write_town_zip(tmp_path, 25, "Bellingham")
    summary = import_files([path])
    assert summary.loaded == 3 and summary.rejected == 0
    check_bellingham()
    assert set(os.listdir(tempfile.gettempdir())) - before == set()
    assert sorted(os.listdir(tmp_path)) == [path.name]


def test_the_rejects_of_a_zip_name_its_member(tmp_path):
    path = write_town_zip(tmp_path, 25, "Bellingham")
    summary = import_files([path])
    rejects = tmp_path / "rejects.csv"
    summary = import_files([path], rejects=rejects)  # again: every PROP_ID is already loaded
    assert summary.rejected == 3
    with rejects.open() as f:
        assert {row["file"] for row in csv.DictReader(f)} == {
            "L3_SHP_M025_BELLINGHAM.zip!M025Assess_CY25_FY26.dbf"}


def test_a_zip_without_an_assess_table_is_refused(tmp_path):
    path = tmp_path / "parcels.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("M025TaxPar_CY25_FY26.dbf", b"x")
    with pytest.raises(UnusableInput, match=r"no MassGIS assess table \(M###Assess_\*\.dbf\)"):
        import_files([path])
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(UnusableInput, match="not a readable ZIP"):
        import_files([tmp_path / "broken.zip"])


def test_a_folder_imports_every_download_in_it_in_one_transaction(tmp_path):
    downloads = tmp_path / "downloads"
    (downloads / "more").mkdir(parents=True)
    write_town_zip(downloads, 25, "Bellingham")
    write_town_zip(downloads / "more", 35, "Boston", n=4)
    write_csv(downloads / "cambridge.csv", [row("c1", town_id="49")])
    (downloads / "notes.txt").write_text("not a table")
    summary = import_files([downloads])
    assert summary.loaded == 3 + 4 + 1
    assert {t.town for t in summary.towns} == {"Bellingham", "Boston", "Cambridge"}
    check_bellingham()


def test_one_bad_file_in_a_folder_loads_nothing(tmp_path):
    write_town_zip(tmp_path, 25, "Bellingham")
    (tmp_path / "z.csv").write_text("PROP_ID,USE\n1,101\n")
    with pytest.raises(UnusableInput, match="TOWN_ID, USE_CODE missing"):
        import_files([tmp_path])
    assert not Building.objects.exists()


def test_an_empty_folder_is_refused(tmp_path):
    with pytest.raises(UnusableInput, match="no file to import"):
        import_files([tmp_path])


def test_a_file_geodatabase_folder_and_zipped(tmp_path):
    gdb = write_gdb(tmp_path / "L3_ASSESS_STATEWIDE.gdb", {25: 3, 35: 5})
    summary = import_files([gdb])
    assert summary.loaded == 8 and summary.rejected == 0
    check_bellingham()
    Building.objects.all().delete()
    zipped = tmp_path / "L3_ASSESS_STATEWIDE.gdb.zip"
    shutil.make_archive(str(zipped)[:-4], "zip", tmp_path, gdb.name)
    shutil.rmtree(gdb)
    assert import_files([zipped]).loaded == 8
    check_bellingham()


@pytest.mark.parametrize("arrow", [True, False], ids=["through Arrow and COPY", "in Python"])
def test_a_geodatabase_is_read_in_batches(tmp_path, monkeypatch, arrow):
    from buildings.ingest import readers

    monkeypatch.setattr(readers, "GDB_BATCH", 4)
    monkeypatch.setattr(readers, "_has_pyarrow", lambda: arrow)
    gdb = write_gdb(tmp_path / "s.gdb", {25: 3, 35: 7, 49: 1})
    assert import_files([gdb]).loaded == 11
    assert Building.objects.filter(town_id=35).count() == 7
    check_bellingham()
    assert Building.objects.get(prop_id="35-6").lot_size == Decimal("1.7500")


def test_another_layer_with_layer(tmp_path):
    gdb = write_gdb(tmp_path / "s.gdb", {25: 3}, layer="ASSESS_2024")
    with pytest.raises(UnusableInput, match=r"no assess table \(L3_ASSESS or M###Assess\) "
                                            r"among its layers \(ASSESS_2024\).*--layer"):
        import_files([gdb])
    assert import_files([gdb], layer="ASSESS_2024").loaded == 3
    with pytest.raises(UnusableInput, match="--layer names a table of a file geodatabase"):
        import_files([write_csv(tmp_path / "a.csv", [row("1")])], layer="X")


def test_numbers_in_exponent_form(tmp_path):
    path = write_csv(tmp_path / "a.csv", [
        row("1", lot_size="9.60000000000e-01", bld_area="1.23400000000e+03"),
        row("2", lot_size="1.5E+02", bld_area="1.2345e+01"),  # 12.345 is not a whole area
    ])
    summary = import_files([path])
    assert summary.loaded == 2 and summary.nulled_by_column == {"bld_area": 1}
    one, two = Building.objects.order_by("prop_id")
    assert (one.lot_size, one.bld_area) == (Decimal("0.9600"), 1234)
    assert (two.lot_size, two.bld_area) == (Decimal("150.0000"), None)


def test_a_missing_optional_package_names_its_extra(manage, tmp_path):
    blocker = tmp_path / "blocker"
    for package in ("pyogrio", "dbfread"):
        (blocker / package).mkdir(parents=True)
        (blocker / package / "__init__.py").write_text("raise ImportError('not installed')\n")
    gdb = write_gdb(tmp_path / "s.gdb", {25: 1})
    zipped = write_town_zip(tmp_path, 25, "Bellingham")
    for path, extra in ((gdb, "gdb"), (zipped, "dbf")):
        result = manage("import_assessor", str(path), env={"PYTHONPATH": str(blocker)})
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and f"pip install -e '.[{extra}]'" in lines[0]


@pytest.mark.parametrize("arrow", [True, False], ids=["through Arrow and COPY", "in Python"])
def test_a_geodatabase_reject_names_its_feature(tmp_path, monkeypatch, arrow):
    from buildings.ingest import readers

    monkeypatch.setattr(readers, "_has_pyarrow", lambda: arrow)
    gdb = write_gdb(tmp_path / "s.gdb", {25: 3, 400: 1, 35: 1})
    rejects = tmp_path / "rejects.csv"
    summary = import_files([gdb], rejects=rejects)
    assert (summary.loaded, summary.rejected) == (4, 1)
    with rejects.open() as f:
        assert [(r["file"], r["line"], r["reason"]) for r in csv.DictReader(f)] == [
            ("s.gdb!L3_ASSESS", "4", "unknown TOWN_ID 400")]


def easthampton_rows() -> list[dict]:
    """What real per-town files hold: 4-digit use codes beside 3-digit ones, YEAR_BUILT
    empty or 0 for unknown, BLD_AREA 0, STORIES 2.75, 0 and a data-entry 1075, a
    repeated PROP_ID."""
    town = partial(town_assess_row, 87, city="Easthampton")
    return [town(prop_id="87-1", USE_CODE="1010", YEAR_BUILT=1890, BLD_AREA=2400,
                 STORIES="2.75", TOTAL_VAL=500_000, SITE_ADDR="1 MAIN ST"),
            town(prop_id="87-2", USE_CODE="9035", BLD_AREA=0, STORIES="0"),
            town(prop_id="87-3", USE_CODE="101", YEAR_BUILT=0, BLD_AREA=1500, STORIES="1.50"),
            town(prop_id="87-4", USE_CODE="1010", YEAR_BUILT=1950, BLD_AREA=1800,
                 STORIES="1075"),
            town(prop_id="87-1", USE_CODE="1010", YEAR_BUILT=1890, BLD_AREA=2400)]


def northampton_rows() -> list[dict]:
    """A town whose assess table has no YEAR_BUILT in any record."""
    return [town_assess_row(214, f"214-{i}", "Northampton", USE_CODE="1010", BLD_AREA=1000 + i,
                            STORIES="2") for i in range(1, 3)]


def check_easthampton():
    rows = {b.prop_id: (b.town_id, b.use_code, b.year_built, b.bld_area, b.stories)
            for b in Building.objects.filter(town_id=87)}
    assert rows == {"87-1": (87, "1010", 1890, 2400, Decimal("2.75")),
                    "87-2": (87, "9035", None, 0, Decimal("0.00")),
                    "87-3": (87, "101", None, 1500, Decimal("1.50")),
                    "87-4": (87, "1010", 1950, 1800, None)}


def test_a_per_town_geodatabase_zip_under_any_name(tmp_path):
    path = write_town_gdb_zip(tmp_path / "M087_parcels_gdb Easthampton FY25.zip", 87,
                              easthampton_rows())
    result = import_files([path])
    # the repeated 87-1 is rejected; STORIES 1075 does not fit and is nulled and counted
    assert (result.read, result.loaded, result.rejected) == (5, 4, 1)
    assert result.nulled_by_column == {"stories": 1}
    check_easthampton()
    assert [(s.name, s.read, s.loaded) for s in result.sources] == [
        ("M087_parcels_gdb Easthampton FY25.zip!M087Assess", 5, 4)]
    assert result_lines(result)[0] == ("read M087_parcels_gdb Easthampton FY25.zip!M087Assess: "
                                       "5 rows, 4 loaded, 1 rejected")


def test_a_geodatabase_with_two_assess_tables_is_refused_by_name(tmp_path):
    gdb = write_gdb(tmp_path / "two.gdb", {87: 1}, layer="M087Assess")
    write_gdb(gdb, {214: 1}, layer="M214Assess")
    with pytest.raises(UnusableInput, match=r"more than one assess table \(M087Assess, "
                                            r"M214Assess\); name one with --layer"):
        import_files([gdb])
    assert import_files([gdb], layer="M214Assess").loaded == 1
    zipped = write_town_gdb_zip(tmp_path / "parcels.zip", 87, easthampton_rows())
    assert import_files([zipped], layer="M087Assess", replace=True).loaded == 4
    with pytest.raises(UnusableInput, match="no layer 'M214Assess'.*M087TaxPar, M087Assess"):
        import_files([zipped], layer="M214Assess")


def test_a_folder_mixing_every_form_in_one_transaction(tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    write_town_zip(downloads, 25, "Bellingham")
    write_town_gdb_zip(downloads / "M087_parcels_gdb.zip", 87, easthampton_rows())
    write_town_gdb_zip(downloads / "M214_parcels_gdb.zip", 214, northampton_rows(),
                       folder="M{code}_parcels_CY22_FY23_sde.gdb")
    write_gdb(downloads / "boston.gdb", {35: 2})
    write_csv(downloads / "cambridge.csv", [row("c1", town_id="49")])
    result = import_files([downloads])
    assert {t.town: (t.read, t.loaded) for t in result.towns} == {
        "Bellingham": (3, 3), "Boston": (2, 2), "Cambridge": (1, 1), "Easthampton": (5, 4),
        "Northampton": (2, 2)}
    assert [s.name for s in result.sources] == [
        "L3_SHP_M025_BELLINGHAM.zip!M025Assess_CY25_FY26.dbf", "M087_parcels_gdb.zip!M087Assess",
        "M214_parcels_gdb.zip!M214Assess", "boston.gdb!L3_ASSESS", "cambridge.csv"]
    check_bellingham()
    check_easthampton()
    assert list(Building.objects.filter(town_id=214).values_list("year_built", flat=True)) == [
        None, None]


def test_a_bad_geodatabase_in_a_mixed_folder_loads_nothing(tmp_path):
    write_town_zip(tmp_path, 25, "Bellingham")
    broken = tmp_path / "M087_parcels_gdb.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("M087_parcels_CY25_FY25_sde.gdb/a00000001.gdbtable", b"not a table")
    with pytest.raises(UnusableInput, match="M087_parcels_gdb.zip: not a readable file "
                                            "geodatabase"):
        import_files([tmp_path])
    assert not Building.objects.exists()
