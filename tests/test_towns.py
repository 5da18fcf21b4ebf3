import pytest

from buildings.models import County, Town
from buildings.towns import read_towns

pytestmark = pytest.mark.django_db


def test_351_unique_towns_in_14_counties():
    assert Town.objects.count() == 351
    assert Town.objects.values("name").distinct().count() == 351
    assert County.objects.count() == 14
    assert sorted(Town.objects.values_list("town_id", flat=True)) == list(range(1, 352))


@pytest.mark.parametrize(("town_id", "name", "county", "population"), [
    (35, "Boston", "Suffolk", 675_647),
    (49, "Cambridge", "Middlesex", 118_403),
    (281, "Springfield", "Hampden", 155_929),
    (348, "Worcester", "Worcester", 206_518),
    (104, "Aquinnah", "Dukes", 439),
])
def test_known_towns(town_id, name, county, population):
    town = Town.objects.select_related("county").get(town_id=town_id)
    assert (town.name, town.county.name, town.population) == (name, county, population)


def test_state_population_matches_the_2020_census():
    total = sum(Town.objects.values_list("population", flat=True))
    assert abs(total - 7_029_917) / 7_029_917 < 0.005


def test_town_ids_are_alphabetical_by_historical_name():
    historical = {"Aquinnah": "Gay Head", "Manchester-by-the-Sea": "Manchester"}
    names = [historical.get(r.name, r.name).upper() for r in read_towns()]
    assert names == sorted(names)


def test_every_town_has_land_area():
    assert not Town.objects.filter(land_sq_mi__lte=0).exists()
