"""The towns after the migrations: exactly MassGIS's 2020 census table
(buildings/migrations/data/)."""

import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from buildings.core.models import County, Town

pytestmark = pytest.mark.django_db

CENSUS_CSV = (Path(__file__).resolve().parent.parent / "buildings" / "migrations" / "data"
              / "0007_massgis_census2020_towns.csv")
# MassGIS's upper-case names where the display name differs by more than case
DISPLAY_NAMES = {"MANCHESTER": "Manchester-by-the-Sea"}


def census() -> dict[int, dict]:
    with CENSUS_CSV.open(newline="") as f:
        return {int(r["TOWN_ID"]): r for r in csv.DictReader(f)}


def test_351_unique_towns_in_14_counties():
    assert Town.objects.count() == 351
    assert Town.objects.values("name").distinct().count() == 351
    assert County.objects.count() == 14
    assert sorted(Town.objects.values_list("town_id", flat=True)) == list(range(1, 352))


def test_every_town_is_the_census_town_with_its_exact_population_and_county():
    table = census()
    assert len(table) == 351
    for town in Town.objects.select_related("county"):
        row = table[town.town_id]
        assert town.population == int(row["POP2020"]), town.name
        assert town.county.name.upper() == row["COUNTY20"], town.name
        assert DISPLAY_NAMES.get(row["TOWN20"], row["TOWN20"]).upper() == town.name.upper()


def test_land_area_is_aland20_in_square_miles():
    table = census()
    for town in Town.objects.all():
        square_metres = Decimal(table[town.town_id]["ALAND20"])
        assert abs(town.land_sq_mi * Decimal("2589988.11") - square_metres) <= Decimal(
            "0.005") * Decimal("2589988.11"), town.name


@pytest.mark.parametrize(("town_id", "name", "county", "population", "land_sq_mi"), [
    (35, "Boston", "Suffolk", 675_647, None),
    (49, "Cambridge", "Middlesex", 118_403, None),
    (281, "Springfield", "Hampden", 155_929, None),
    (348, "Worcester", "Worcester", 206_518, None),
    (104, "Aquinnah", "Dukes", 439, None),
    # the towns the first table had wrong (the census figures, by hand)
    (119, "Hamilton", "Essex", 7_561, None),
    (321, "West Boylston", "Worcester", 7_877, None),
    (166, "Manchester-by-the-Sea", "Essex", 5_395, Decimal("9.23")),
])
def test_known_towns(town_id, name, county, population, land_sq_mi):
    town = Town.objects.select_related("county").get(town_id=town_id)
    assert (town.name, town.county.name, town.population) == (name, county, population)
    if land_sq_mi is not None:
        assert town.land_sq_mi == land_sq_mi


def test_state_total_is_the_2020_census():
    assert sum(Town.objects.values_list("population", flat=True)) == 7_029_917


def test_every_county_total_is_the_census_total():
    expected = Counter()
    for row in census().values():
        expected[row["COUNTY20"]] += int(row["POP2020"])
    actual = Counter()
    for town in Town.objects.select_related("county"):
        actual[town.county.name.upper()] += town.population
    assert actual == expected
    # by hand, from the 2020 census: the largest and the smallest county
    assert actual["MIDDLESEX"] == 1_632_002 and actual["NANTUCKET"] == 14_255


def test_town_ids_are_alphabetical_by_historical_name():
    historical = {"Aquinnah": "Gay Head", "Manchester-by-the-Sea": "Manchester"}
    names = [historical.get(n, n).upper()
             for n in Town.objects.order_by("town_id").values_list("name", flat=True)]
    assert names == sorted(names)
