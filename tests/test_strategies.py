"""Every strategy against hand-computed figures, and all four against each other."""

import json

import pytest

from buildings.analysis import strategies
from buildings.core.models import Building, Town
from buildings.core.selection import Selection
from buildings.derived.report_view import refresh
from buildings.ingest.generator import generate
from tests import handmade

pytestmark = pytest.mark.django_db


def report_json(mode: str, selection=None) -> str:
    if mode == "mview":
        refresh()
    return strategies.get(mode)(selection).to_json(with_meta=False)


@pytest.mark.parametrize("mode", strategies.MODES)
def test_hand_computed_figures(mode):
    handmade.load()
    report = json.loads(report_json(mode))
    assert set(report) == {"state", "counties", "towns"}
    towns = {t["town_id"]: t for t in report["towns"]}
    assert [t["town_id"] for t in report["towns"]] == list(range(1, 352))
    for town_id, expected in handmade.TOWNS.items():
        got = {k: v for k, v in towns[town_id].items() if k != "town_id"}
        assert got == expected, town_id
    assert sum(1 for t in report["towns"] if t["rank"] == 5) == 347
    counties = {c["county"]: c for c in report["counties"]}
    assert list(counties) == sorted(counties) and len(counties) == 14
    for name, expected in handmade.COUNTIES.items():
        got = {k: v for k, v in counties[name].items() if k not in ("county", "population")}
        assert got == expected, name
    assert counties["Suffolk"]["population"] == sum(
        Town.objects.filter(county__name="Suffolk").values_list("population", flat=True))
    state = {k: v for k, v in report["state"].items() if k != "population"}
    assert state == handmade.STATE


def test_the_four_agree_on_the_hand_made_edge_cases():
    handmade.load()
    outputs = {mode: report_json(mode) for mode in strategies.MODES}
    assert len(set(outputs.values())) == 1


@pytest.mark.parametrize(("n", "seed"), [(3_000, 1), (20_000, 2), (50_000, 3)])
def test_the_four_agree_on_generated_data(n, seed):
    generate(n, seed)
    outputs = {mode: report_json(mode) for mode in strategies.MODES}
    reference = outputs.pop("naive")
    for mode, output in outputs.items():
        assert output == reference, mode


@pytest.mark.parametrize("mode", strategies.MODES)
def test_selection_keeps_statewide_ranks(mode):
    handmade.load()
    selection = Selection.resolve(["CAMBRIDGE", "upton"], "Dukes")
    report = json.loads(report_json(mode, selection))
    towns = {t["town"]: t["rank"] for t in report["towns"]}
    dukes = set(Town.objects.filter(county__name="Dukes").values_list("name", flat=True))
    assert set(towns) == {"Cambridge", "Upton"} | dukes
    assert towns["Cambridge"] == 2 and towns["Upton"] == 3 and towns["Chilmark"] == 3
    assert [c["county"] for c in report["counties"]] == ["Dukes", "Middlesex", "Worcester"]
    assert report["state"]["buildings"] == 72


def test_a_building_matching_every_criterion_counts_once():
    handmade.load()
    report = strategies.get("sql")()
    upton = next(t for t in report.towns if t.town == "Upton")
    assert upton.figures.important == 1 and set(upton.figures.criteria.values()) == {1}


def test_python_and_sql_predicates_agree_building_by_building():
    from buildings.core.criteria import important_q, is_important

    generate(5_000, 9)
    by_sql = set(Building.objects.filter(important_q()).values_list("id", flat=True))
    by_python = {b.id for b in Building.objects.all() if is_important(b)}
    assert by_sql == by_python and by_sql


def test_the_straightforward_orm_reference_gives_the_same_town_figures():
    from buildings.bench.reference import straightforward_town_figures

    handmade.load()
    reference = {row["town_id"]: row for row in straightforward_town_figures().values()}
    for town in strategies.get("sql")().towns:
        row = reference[town.town_id]
        assert (row["buildings_count"], row["important"], row["rank"]) == (
            town.figures.buildings, town.figures.important, town.rank)
        assert row["median_year_built"] == town.figures.median_year_built
        assert row["important_pct"] == town.figures.important_pct
        assert row["buildings_per_1000"] == town.buildings_per_1000
        largest = town.largest_important
        assert row["largest_important"] == (None if largest is None else {
            "prop_id": largest.prop_id, "site_addr": largest.site_addr,
            "bld_area": largest.bld_area})
