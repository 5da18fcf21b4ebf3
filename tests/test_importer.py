"""Importing MassGIS assessor tables: messy files, bad rows, one transaction."""

import csv
import datetime as dt
import gzip
import io
import json
from decimal import Decimal

import pytest

from buildings.analysis import strategies
from buildings.core.models import Building
from buildings.derived.staleness import staleness
from buildings.ingest.importer import Rejected, import_files
from buildings.ingest.readers import UnusableInput
from tests import handmade
from tests.assessor_files import HEADER, csv_text, row, write_csv, write_dbf

pytestmark = pytest.mark.django_db


def loaded(**filters):
    return Building.objects.filter(**filters)


def test_a_clean_file_loads_every_field(tmp_path):
    path = write_csv(tmp_path / "assess.csv", [row(
        "12-3", loc_id="F_1_2", year_built="1925", bld_area="2,400", stories="2 1/2",
        units="2", res_area="2000", num_rooms="9", bldg_val="$350,000", land_val="200000",
        other_val="1500.40", total_val="551,500", lot_size="0.25", ls_date="3/7/2019",
        ls_price="610000", site_addr="12 ELM ST", city="BOSTON", zip="02130",
        owner1="SMITH JOHN", zoning="R-2", style="Colonial", fy="2024")])
    summary = import_files([path])
    assert (summary.read, summary.loaded, summary.rejected) == (1, 1, 0)
    b = loaded().get()
    assert (b.prop_id, b.town_id, b.use_code, b.year_built) == ("12-3", 35, "101", 1925)
    assert (b.bld_area, b.stories, b.units, b.res_area, b.num_rooms) == (
        2400, Decimal("2.5"), 2, 2000, 9)
    assert (b.bldg_val, b.land_val, b.other_val, b.total_val) == (350_000, 200_000, 1500, 551_500)
    assert (b.lot_size, b.ls_date, b.ls_price) == (Decimal("0.25"), dt.date(2019, 3, 7), 610_000)
    assert (b.site_addr, b.city, b.zip, b.owner1, b.zoning, b.style, b.fy) == (
        "12 ELM ST", "BOSTON", "02130", "SMITH JOHN", "R-2", "Colonial", 2024)


def test_columns_in_any_order_any_case_extra_ones_ignored(tmp_path):
    text = "use_code,Extra,town_id,Prop_Id,YEAR_BUILT\n101,x,49,A-1,1890\n"
    (tmp_path / "a.csv").write_text(text)
    import_files([tmp_path / "a.csv"])
    assert list(loaded().values_list("prop_id", "town_id", "year_built")) == [("A-1", 49, 1890)]


def test_quoted_commas_newlines_bom_and_windows_line_endings(tmp_path):
    rows = [row("1", site_addr="1 MAIN ST, UNIT 4", owner1="DOE JANE\nTRUSTEE"),
            row("2", site_addr='the "big" one')]
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text(rows, newline="\r\n").encode())
    summary = import_files([path])
    assert summary.loaded == 2
    assert loaded(prop_id="1").get().site_addr == "1 MAIN ST, UNIT 4"
    assert loaded(prop_id="1").get().owner1 == "DOE JANE\nTRUSTEE"
    assert loaded(prop_id="2").get().site_addr == 'the "big" one'


def test_normalisation(tmp_path):
    rows = [
        row("a", year_built="0", stories="", bld_area="", ls_date="2019-03-07"),
        row("b", year_built="1500", stories="2.5", ls_date="03/07/2019 14:05:00"),
        row("c", year_built=str(dt.date.today().year + 1), ls_date="2/30/2019"),
        row("d", year_built="1850", ls_date="20190307", units="three", fy="24x"),
        row("e", site_addr="   ", owner1=""),
    ]
    summary = import_files([write_csv(tmp_path / "a.csv", rows)])
    by_id = {b.prop_id: b for b in loaded()}
    assert [by_id[k].year_built for k in "abcd"] == [None, None, None, 1850]
    assert by_id["a"].stories is None and by_id["b"].stories == Decimal("2.5")
    assert [by_id[k].ls_date for k in "abcd"] == [dt.date(2019, 3, 7), dt.date(2019, 3, 7),
                                                  None, dt.date(2019, 3, 7)]
    assert by_id["d"].units is None and by_id["d"].fy is None
    assert by_id["e"].site_addr is None and by_id["e"].owner1 is None
    # year 0 means unknown; 1500, next year, 2/30, "three" and "24x" could not be read
    assert summary.nulled_by_column == {"fy": 1, "ls_date": 1, "units": 1, "year_built": 2}
    assert summary.towns[0].nulled == 5 and summary.rejected == 0


def test_bad_rows_are_rejected_with_line_and_reason_the_rest_loads(tmp_path):
    good = [row(str(i)) for i in range(3)]
    body = csv_text([*good,
                     row("", town_id="35"),             # line 5: missing PROP_ID
                     row("x1", town_id="abc"),          # line 6: TOWN_ID not a town
                     row("x2", town_id="999"),          # line 7: unknown town
                     row("x3", use_code=""),            # line 8: missing USE_CODE
                     row("1"),                          # line 9: repeats line 3
                     row("ok", units="many")])          # line 10: loads, units null
    body = body.encode() + b'x4,,35,101\n'              # line 11: too few fields
    body += "x5,,35,101,,,,,,,,,,,,,,,,,CAF\u00c9,,,\n".encode("latin-1")  # line 12
    body += b'x6,,35,101,,,,,,,,,,,,,,,"12 ELM'         # line 13: truncated last line
    path = tmp_path / "a.csv"
    path.write_bytes(body)
    rejects = tmp_path / "rejects.csv"
    summary = import_files([path], rejects=rejects)
    assert summary.loaded == 4 and summary.rejected == 8 and summary.read == 12
    reasons = {int(r["line"]): r["reason"] for r in csv.DictReader(rejects.open())}
    assert reasons == {
        5: "missing PROP_ID",
        6: "unknown TOWN_ID abc",
        7: "unknown TOWN_ID 999",
        8: "missing USE_CODE",
        9: "PROP_ID repeated in this town (first at line 3)",
        11: "4 fields where the header has 24",
        12: "bytes not valid utf-8",
        13: reasons.get(13),
    }
    assert "fields where the header has 24" in reasons[13]
    assert summary.nulled_by_column == {"units": 1}
    assert {t.town for t in summary.towns} >= {"Boston", "unknown TOWN_ID abc",
                                               "unknown TOWN_ID 999"}


def test_missing_required_columns_refuse_before_loading(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("PROP_ID,YEAR_BUILT\n1,1900\n")
    handmade.load()
    before = Building.objects.count()
    with pytest.raises(UnusableInput, match="required columns TOWN_ID, USE_CODE missing"):
        import_files([write_csv(tmp_path / "ok.csv", [row("n1")]), path])
    assert Building.objects.count() == before


def test_without_replace_an_existing_prop_id_is_a_reject(tmp_path):
    path = write_csv(tmp_path / "a.csv", [row("1"), row("2")])
    import_files([path])
    summary = import_files([path])
    assert summary.loaded == 0 and summary.rejected == 2
    assert Building.objects.count() == 2


def test_replace_twice_gives_the_same_table(tmp_path):
    handmade.load()  # Boston, Cambridge, Upton, Chilmark
    path = write_csv(tmp_path / "a.csv", [row("1", town_id="35"), row("2", town_id="35")])
    import_files([path], replace=True)
    first = sorted(Building.objects.values_list("town_id", "prop_id"))
    import_files([path], replace=True)
    assert sorted(Building.objects.values_list("town_id", "prop_id")) == first
    assert loaded(town_id=35).count() == 2 and loaded(town_id=49).count() == 64


def test_strict_writes_nothing_when_a_row_is_rejected(tmp_path):
    path = write_csv(tmp_path / "a.csv", [row("1"), row("2", town_id="999")])
    with pytest.raises(Rejected, match="a.csv line 3: unknown TOWN_ID 999"):
        import_files([path], strict=True)
    assert not Building.objects.exists()


def test_gzip_and_several_files(tmp_path):
    gz = tmp_path / "a.csv.gz"
    gz.write_bytes(gzip.compress(csv_text([row("1", town_id="1")]).encode()))
    plain = write_csv(tmp_path / "b.csv", [row("1", town_id="2")])
    summary = import_files([gz, plain])
    assert summary.loaded == 2 and [t.town for t in summary.towns] == ["Abington", "Acton"]


def test_a_dbf_file(tmp_path):
    fields = [("PROP_ID", "C", 10, 0), ("TOWN_ID", "N", 3, 0), ("USE_CODE", "C", 4, 0),
              ("YEAR_BUILT", "N", 4, 0), ("STORIES", "N", 5, 1), ("LS_DATE", "D", 8, 0),
              ("SITE_ADDR", "C", 20, 0), ("OWNER1", "C", 20, 0)]
    path = write_dbf(tmp_path / "M035Assess.dbf", fields, [
        ["1-1", 35, "101", 1890, 2.5, dt.date(2001, 5, 6), "1 ELM ST", "CAF\u00c9 LLC"],
        ["1-2", 35, "903", None, None, None, "2 ELM ST", None],
    ])
    summary = import_files([path])
    assert summary.loaded == 2
    b = loaded(prop_id="1-1").get()
    assert (b.year_built, b.stories, b.ls_date, b.owner1) == (
        1890, Decimal("2.5"), dt.date(2001, 5, 6), "CAF\u00c9 LLC")
    assert loaded(prop_id="1-2").get().year_built is None


def test_the_import_marks_the_views_stale(tmp_path):
    before = staleness().data_version
    import_files([write_csv(tmp_path / "a.csv", [row("1")])])
    assert staleness().data_version > before


def test_analysis_after_an_import_equals_the_hand_computed_figures(tmp_path):
    rows = [row(prop_id, town_id=str(town_id), use_code=use_code,
                year_built="" if year is None else str(year),
                stories="" if stories is None else str(stories),
                bld_area="" if area is None else f"{area:,}",
                total_val="" if value is None else f"{value:,}",
                site_addr=handmade.site_addr(prop_id))
            for town_id, prop_id, use_code, year, stories, area, value in handmade.ROWS]
    summary = import_files([write_csv(tmp_path / "a.csv", rows)])
    assert summary.loaded == len(handmade.ROWS)
    report = json.loads(strategies.get("sql")().to_json(with_meta=False))
    towns = {t["town_id"]: t for t in report["towns"]}
    for town_id, expected in handmade.TOWNS.items():
        assert {k: v for k, v in towns[town_id].items() if k != "town_id"} == expected
    assert {k: v for k, v in report["state"].items() if k != "population"} == handmade.STATE


def delimited(rows: list[dict], delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, delimiter=delimiter, lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_a_file_delimited_otherwise_than_by_commas_is_read_by_its_own(tmp_path, delimiter):
    """A spreadsheet saved in another locale writes semicolons; other tools tabs or bars:
    the header tells which, and both paths read by it (COPY for the clean file, Python
    for the one with a record COPY refuses)."""
    rows = [row("1-001", bld_area="2,400", site_addr="1 A; B ST"), row("1-002", year_built="1850")]
    clean = tmp_path / "clean.csv"
    clean.write_text(delimited(rows, delimiter))
    result = import_files([clean])
    assert (result.read, result.loaded, result.rejected) == (2, 2, 0)
    assert sorted(loaded().values_list("prop_id", "bld_area", "year_built", "site_addr")) == [
        ("1-001", 2400, None, "1 A; B ST"), ("1-002", None, 1850, None)]
    with_a_nul = tmp_path / "nul.csv"  # COPY refuses the NUL: the file goes through Python
    with_a_nul.write_bytes(delimited([row("2-001"), row("2-002", city="X\x00Y")],
                                     delimiter).encode())
    result = import_files([with_a_nul], replace=True)
    assert (result.read, result.loaded, result.rejected) == (2, 1, 1)
    assert list(loaded().values_list("prop_id", flat=True)) == ["2-001"]


def test_a_single_server_import_reports_no_shard_provenance(tmp_path):
    """Only a shard's import (given its towns) reads the provenance back for its
    coordinator: a single server's import, whatever its files hold, does not."""
    result = import_files([write_csv(tmp_path / "a.csv", [row("1"), row("2", town_id="36")])])
    assert result.loaded == 2
    assert result.provenance == []
    shard = import_files([write_csv(tmp_path / "b.csv", [row("3")])], towns=[35])
    # a shard's whole table, for its coordinator
    assert [p[0] for p in shard.provenance] == [35, 36]
