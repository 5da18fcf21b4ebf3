"""import_assessor takes what MassGIS publishes, as it is published: a per-town ZIP, a
folder of downloads, a file geodatabase (.gdb or .gdb.zip), CSV with exponents."""

import datetime as dt
import os
import shutil
import zipfile
from decimal import Decimal

import pytest

from buildings.importer import import_files
from buildings.models import Building
from buildings.readers import UnusableInput
from tests.assessor_files import row, write_csv, write_gdb, write_town_zip

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
    summary = import_files([path])  # again: every PROP_ID is already loaded
    assert summary.rejected == 3
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT file FROM import_clean")
        assert cursor.fetchall() == [("L3_SHP_M025_BELLINGHAM.zip!M025Assess_CY25_FY26.dbf",)]


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
    from buildings import readers

    monkeypatch.setattr(readers, "GDB_BATCH", 4)
    monkeypatch.setattr(readers, "_has_pyarrow", lambda: arrow)
    gdb = write_gdb(tmp_path / "s.gdb", {25: 3, 35: 7, 49: 1})
    assert import_files([gdb]).loaded == 11
    assert Building.objects.filter(town_id=35).count() == 7
    check_bellingham()
    assert Building.objects.get(prop_id="35-6").lot_size == Decimal("1.7500")


def test_another_layer_with_layer(tmp_path):
    gdb = write_gdb(tmp_path / "s.gdb", {25: 3}, layer="ASSESS_2024")
    with pytest.raises(UnusableInput, match="no layer 'L3_ASSESS'.*ASSESS_2024.*--layer"):
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
    from django.db import connection

    from buildings import readers

    monkeypatch.setattr(readers, "_has_pyarrow", lambda: arrow)
    gdb = write_gdb(tmp_path / "s.gdb", {25: 3, 400: 1, 35: 1})
    summary = import_files([gdb])
    assert (summary.loaded, summary.rejected) == (4, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT file, line, reason FROM import_clean WHERE reason IS NOT NULL")
        assert cursor.fetchall() == [("s.gdb!L3_ASSESS", 4, "unknown TOWN_ID 400")]
