"""Every figure says where its buildings come from: generated (the seed) or imported (the
files, the MassGIS fiscal years), kept in the database by the writers themselves."""

import json

import pytest

from buildings.core.models import Building, Provenance
from buildings.core.provenance import data_origin, town_origin
from buildings.ingest.generator import generate
from buildings.ingest.importer import import_files
from tests.assessor_files import row, write_csv


@pytest.mark.django_db
def filled_towns() -> set[int]:
    return set(Building.objects.values_list("town_id", flat=True).distinct())


@pytest.mark.django_db
def test_a_generation_records_its_seed_for_every_town_it_fills():
    generate(20_000, seed=5)  # with so few, two small towns get none
    filled = filled_towns()
    assert len(filled) == 349
    assert set(Provenance.objects.values_list("town_id", flat=True)) == filled
    origin = data_origin()
    assert (origin.generated_towns, origin.imported_towns, origin.mixed_towns) == (349, 0, 0)
    assert origin.seeds == [5]
    assert origin.description == "generated buildings (seed 5), not real assessor records"
    assert town_origin(35) == "generated buildings (seed 5), not real assessor records"


@pytest.mark.django_db
def test_imports_record_files_and_fiscal_years_replace_or_mix(tmp_path):
    generate(20_000, seed=4)
    assert len(filled_towns()) == 351
    boston = write_csv(tmp_path / "boston.csv", [row("1", "35", fy="2026"),
                                                 row("2", "35", fy="2026")])
    cambridge = write_csv(tmp_path / "cambridge.csv", [row("1", "49", fy="2025"),
                                                       row("2", "49", fy="2026")])
    import_files([boston, cambridge], replace=True)
    origin = data_origin()
    assert (origin.generated_towns, origin.imported_towns, origin.mixed_towns) == (349, 2, 0)
    assert (origin.fy_min, origin.fy_max) == (2025, 2026)
    assert origin.description == ("MassGIS assessor records of 2 towns, FY 2025–2026; 349 "
                                  "towns generated buildings (seed 4), not real assessor records")
    assert town_origin(35) == "MassGIS assessor records from boston.csv, FY 2026"
    assert town_origin(49) == "MassGIS assessor records from cambridge.csv, FY 2025–2026"

    # added without --replace to a generated town: both kinds of rows, said so
    somerville = write_csv(tmp_path / "somerville.csv", [row("X-1", "274", fy="2024")])
    import_files([somerville])
    assert Provenance.objects.get(pk=274).origin == "mixed"
    assert town_origin(274) == ("MassGIS assessor records from somerville.csv, FY 2024, "
                                "beside generated buildings")
    assert data_origin().description.startswith(
        "MassGIS assessor records of 3 towns, FY 2024–2026 (1 of them beside generated "
        "buildings); 348 towns generated")

    # replacing every town forgets the generated ones
    everything = [row(str(t), str(t), fy="2025") for t in range(1, 352)]
    import_files([write_csv(tmp_path / "state.csv", everything)], replace=True)
    origin = data_origin()
    assert (origin.generated_towns, origin.imported_towns, origin.mixed_towns) == (0, 351, 0)
    assert origin.description == "MassGIS assessor records of 351 towns, FY 2025"


@pytest.mark.django_db
def test_a_rolled_back_import_leaves_the_origins_as_they_were(tmp_path):
    generate(20_000, seed=4)
    bad = write_csv(tmp_path / "bad.csv", [row("1", "35"), row("2", "999")])
    with pytest.raises(Exception, match="nothing was written"):
        import_files([bad], replace=True, strict=True)
    assert data_origin().generated_towns == 351 and town_origin(35).startswith("generated")


def test_the_report_the_table_and_the_pages_say_it(manage, committed_db, tmp_path, client):
    generate(5_000, seed=6)
    report = json.loads(manage("analyze", "--format", "json").stdout)
    assert report["meta"]["data"]["seeds"] == [6]
    assert report["meta"]["data"]["description"] == (
        "generated buildings (seed 6), not real assessor records")
    table = manage("analyze").stdout
    assert "data: generated buildings (seed 6), not real assessor records" in table
    page = client.get("/").content.decode()
    assert "Buildings: generated buildings (seed 6), not real assessor records." in page
    town = client.get("/towns/35/").content.decode()
    assert "Its buildings: generated buildings (seed 6), not real assessor records." in town
