"""What-if criteria: the grammar and its errors (injection attempts through every
part of it), the same report through the same statement (checked against figures
worked out by hand on the handmade buildings), the loops agreeing byte for byte,
the modes that keep the stored figures refusing, important_buildings, the pages."""

import csv
import io
import json
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from psycopg import sql

from buildings.analysis import strategies
from buildings.core import statement, whatif
from buildings.core.criteria import CRITERIA
from tests import handmade
from tests.test_commands_analysis import run

# The handmade buildings (tests/handmade.py) under "large:60000, civic and tall":
# large (>= 60,000 sq ft): B2, B3 (Boston, 60,000 each) and U1 (Upton, 70,000);
# civic and tall (9xx and >= 7 stories): U1 only (B3 has 3 stories, H2 2, D2 none).
HAND = "large:60000, civic and tall"
HAND_STATE = dict(buildings=72, important=3, large=3, civic_and_tall=1, important_pct=4.17,
                  important_floor_area=190_000, median_year_built=2000.0,
                  avg_important_value=16_000_000)  # (12M + 20M) / 2; B3 has no value
HAND_TOWNS = {
    35: dict(important=2, large=2, civic_and_tall=0, important_pct=40.0,
             important_floor_area=120_000, avg_important_value=12_000_000, rank=1,
             largest_important={"prop_id": "B2", "site_addr": "B2 MAIN ST",
                                "bld_area": 60_000}),  # B2 and B3 tie: the lower id
    303: dict(important=1, large=1, civic_and_tall=1, important_pct=100.0,
              important_floor_area=70_000, avg_important_value=20_000_000, rank=2,
              largest_important={"prop_id": "U1", "site_addr": "U1 MAIN ST",
                                 "bld_area": 70_000}),
    49: dict(important=0, large=0, civic_and_tall=0, important_pct=0.0,
             important_floor_area=0, avg_important_value=None, largest_important=None),
}


@pytest.mark.parametrize(("text", "names", "written"), [
    ("large:40000, tall", ("large", "tall"), "bld_area>=40000, stories>=7"),
    ("bld_area>=40000 or stories>=7", ("large", "tall"), "bld_area>=40000, stories>=7"),
    ("LARGE:40_000 OR Tall", ("large", "tall"), "bld_area>=40000, stories>=7"),
    ("civic and tall", ("civic_and_tall",), "use_code startswith 9 and stories>=7"),
    ("civic & tall:5", ("civic_and_tall",), "use_code startswith 9 and stories>=5"),
    ("year_built>=1850", ("year_built_gte_1850",), "year_built>=1850"),
    ("large>=40000, historic>=1990", ("large", "year_built_gte_1990"),
     "bld_area>=40000, year_built>=1990"),  # a criterion's name stands for its field
    ("stories>2.5", ("stories_gt_2_5",), "stories>2.5"),
    ("use_code startswith 31", ("civic",), "use_code startswith 31"),
    ("use_code^=013", ("civic",), "use_code startswith 013"),
    ("stored, large:40000", ("large", "tall", "historic", "civic", "landmark_value"),
     "bld_area>=40000, stories>=7, year_built<1900, use_code startswith 9, "
     "total_val>=10000000"),
])
def test_the_forms_a_user_would_guess(text, names, written):
    parsed = whatif.parse(text)
    assert parsed.names == names
    assert parsed.text == written
    assert whatif.parse(parsed.text) == parsed  # the canonical form reads back the same


def test_the_stored_definition_is_known_as_stored():
    assert whatif.parse("stored").stored
    assert whatif.parse("large, tall, historic, civic, landmark_value").criteria == CRITERIA
    assert whatif.parse("stored, large:50000").stored  # the same threshold again
    assert not whatif.parse("stored, large:50001").stored
    assert not whatif.parse("large, tall").stored  # a subset is a what-if
    values = {c.name: c.value for c in whatif.parse("stories>=2.5, total_val<5000").criteria}
    assert values == {"tall": Decimal("2.5"), "total_val_lt_5000": 5000}


@pytest.mark.parametrize(("text", "says"), [
    ("", "no criteria given"),
    ("lage:40000", "unknown criterion or field 'lage' (did you mean large?)"),
    ("height>=3", "unknown criterion or field 'height'"),
    ("large:4x", "after large write :threshold"),
    ("bld_area=5", "bld_area is compared with >=, >, <= or <, not ="),
    ("use_code>=3", "use_code is compared by its start"),
    ("use_code startswith 12345", "use_code starts with 1 to 4 letters or digits"),
    ("stories>=1.234", "stories has at most two decimals"),
    ("year_built<1850.5", "year_built is a whole number"),
    ("large:-5", "out of range"),
    ("total_val>=10000000000000000000", "out of range"),
    ("large, large:3", "large is given twice"),
    ("and tall", "a condition is missing"),
    ("civic and", "a condition is missing"),
    ("large,,tall", "a condition is missing"),
    ("stored and tall", "stored stands for every stored criterion"),
    ("tall and tall and tall and tall and tall", "at most 4 conditions"),
    ("x" * 401, "at most 400"),
    ("total_val>=1e5", "after total_val write a comparison and a value"),
    ("large:４００００", "unexpected '４'"),  # only ASCII digits are numbers
])
def test_a_bad_expression_says_what_is_wrong(text, says):
    with pytest.raises(whatif.BadCriteria) as raised:
        whatif.parse(text)
    assert says in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("text", [
    "large:1; DROP TABLE buildings_building",  # through a threshold
    "large:1)) OR 1=1 --",
    "bld_area>=1 OR 1=1",  # through a field's place
    "\"bld_area\">=1",
    "bld_area>=(SELECT 1)",
    "use_code startswith 9' OR '1'='1",  # through the text value
    "use_code startswith 9%",
    "pg_sleep:1",  # through a criterion's name
    "large:1 and pg_sleep(10)",
    "bld_area/**/>=1",
    "tall::text",
    "large:$1",
])
def test_sql_in_any_part_of_an_expression_is_refused(text):
    with pytest.raises(whatif.BadCriteria):
        whatif.parse(text)


@pytest.mark.django_db
def test_the_thresholds_are_bound_parameters_not_text():
    sources = statement.computed(whatif.parse("large:61234, use_code startswith 94").criteria)
    text = sql.SQL("").join([sources.inputs, sources.largest]).as_string(None)
    assert "61234" not in text and "'94" not in text
    assert {61234, "94%"} <= set(sources.params)  # startswith: an escaped LIKE pattern


def _report(mode, criteria=None) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "report.json"
        args = ["analyze", "--mode", mode, "--format", "json", "--output", str(target)]
        run(*args, *([] if criteria is None else ["--criteria", criteria]))
        return json.loads(target.read_text())


def _out(capsys, *args) -> str:
    run(*args)
    return capsys.readouterr().out


@pytest.mark.django_db
def test_a_whatif_report_is_the_hand_computed_one_by_every_mode_that_counts():
    handmade.load()
    reports = {mode: _report(mode, HAND) for mode in strategies.WHATIF_MODES}
    for report in reports.values():
        assert report["meta"].pop("criteria") == whatif.parse(HAND).text
        del report["meta"]
    assert reports["sql"] == reports["naive"] == reports["chunked"]
    report = reports["sql"]
    state = {k: report["state"][k] for k in HAND_STATE}
    assert state == HAND_STATE
    assert "tall" not in report["state"] and "historic" not in report["state"]
    towns = {t["town_id"]: t for t in report["towns"]}
    for town_id, expected in HAND_TOWNS.items():
        assert {k: towns[town_id][k] for k in expected} == expected, town_id
    assert towns[49]["median_year_built"] == 2000.0  # every building still counts
    suffolk = next(c for c in report["counties"] if c["county"] == "Suffolk")
    assert (suffolk["important"], suffolk["large"], suffolk["civic_and_tall"]) == (2, 2, 0)


@pytest.mark.django_db
def test_the_stored_definition_as_a_whatif_is_the_stored_report():
    handmade.load()
    stored = _report("sql")
    for text in ("stored", "large, tall, historic, civic, landmark_value",
                 "bld_area>=50000, stories>=7, year_built<1900, use_code startswith 9, "
                 "total_val>=10000000"):
        again = _report("sql", text)
        assert again["meta"]["criteria"] == whatif.parse("stored").text
        del again["meta"], stored["meta"]
        assert again == stored
        stored = _report("sql")
    assert stored["state"]["important"] == handmade.STATE["important"]


@pytest.mark.django_db
def test_a_subset_of_the_stored_criteria_uses_the_stored_column_and_says_so(capsys):
    handmade.load()
    report = _report("sql", "civic")
    assert report["state"]["important"] == report["state"]["civic"] == 4
    table = _out(capsys, "analyze", "--criteria", "civic")
    assert "what if important meant: use_code startswith 9 (not the stored criteria" in table


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["mview", "live"])
def test_the_modes_that_keep_stored_figures_refuse_in_one_line(mode):
    handmade.load()
    refused(["analyze", "--mode", mode, "--criteria", "large:40000"],
            f"--mode {mode} reads figures kept for the stored criteria")


@pytest.mark.django_db
def test_a_bad_expression_on_the_command_line_is_one_line_and_exit_2():
    refused(["analyze", "--criteria", "lage:4"], "^--criteria: unknown criterion or field")


def refused(args: list[str], says: str) -> None:
    """The command stops with one line matching `says`, exit status 2."""
    with pytest.raises(CommandError, match=says) as raised:
        run(*args)
    assert raised.value.returncode == 2 and "\n" not in str(raised.value)


@pytest.mark.django_db
def test_important_buildings_streams_the_whatif_matches(capsys):
    handmade.load()
    out = _out(capsys, "important_buildings", "--criteria", HAND)
    rows = [(r["prop_id"], r["criteria"]) for r in csv.DictReader(io.StringIO(out))]
    assert rows == [("B2", "large"), ("B3", "large"), ("U1", "large;civic_and_tall")]
    out = _out(capsys, "important_buildings", "--criteria", "year_built<1850", "--town", "Upton")
    assert [r["prop_id"] for r in csv.DictReader(io.StringIO(out))] == ["U1"]
    with pytest.raises(CommandError, match="^--criteria: .*out of range"):
        run("important_buildings", "--criteria", "large:-1")


@pytest.mark.django_db
def test_the_pages_follow_a_whatif(client):
    handmade.load()
    page = client.get("/", {"criteria": HAND})
    assert page.status_code == 200
    body = page.content.decode()
    text = whatif.parse(HAND).text
    assert "These figures count <strong>what-if criteria</strong>" in body
    assert "civic and tall" in body and "/report.csv?criteria=" in body
    data = client.get("/report.json", {"criteria": HAND}).json()
    assert data["meta"]["criteria"] == text and data["state"]["important"] == 3
    town = client.get("/towns/35/", {"criteria": HAND})
    assert town.status_code == 200 and "What-if criteria, not the stored ones" in (
        town.content.decode())
    csv_text = b"".join(client.get("/towns/303/important.csv",
                                   {"criteria": HAND}).streaming_content).decode()
    assert [r["criteria"] for r in csv.DictReader(io.StringIO(csv_text))] == [
        "large;civic_and_tall"]
    stored = client.get("/").content.decode()
    assert "what-if criteria" not in stored


@pytest.mark.django_db
def test_the_panel_goes_on_to_one_shareable_url(client):
    handmade.load()
    form = client.get("/", {"pick": ["large", "tall"], "threshold_large": "40,000",
                            "threshold_tall": "7", "metric": "tall"})
    assert form.status_code == 302
    assert form["Location"] == "/?metric=tall&criteria=bld_area%3E%3D40000%2C+stories%3E%3D7"
    every = {"pick": [c.name for c in CRITERIA]}
    assert client.get("/", every)["Location"] == "/"  # the stored criteria: the stored page
    dropped = client.get("/", {"pick": ["large"], "metric": "historic"})
    assert dropped["Location"] == "/?criteria=bld_area%3E%3D50000"  # no historic column
    for bad, says in ((({"pick": []} | {"threshold_large": "1"}), "no criterion is ticked"),
                      ({"pick": ["large"], "threshold_large": "1 or tall"},
                       "is not a threshold"),
                      ({"pick": ["huge"]}, "pick=&#x27;huge&#x27; is not one of"),
                      ({"criteria": "bld_area>=1;drop"}, "criteria: unexpected")):
        answer = client.get("/", bad)
        assert answer.status_code == 400 and says in answer.content.decode(), bad


def test_a_coordinator_refuses_a_whatif_in_one_line(settings):
    settings.BUILDINGS_SHARDS = "s1=postgresql://127.0.0.1:1/none"  # never connected to
    with pytest.raises(strategies.StoredCriteriaOnly, match="counted on one server"):
        strategies.get("sql", whatif.parse("large:40000"))
    refused(["analyze", "--criteria", "large:40000"], "run --criteria on one shard")


@pytest.mark.django_db
def test_whatif_pages_are_kept_apart_from_the_stored_ones(client):
    from buildings.dashboard import kept

    handmade.load()
    kept.forget()
    client.get("/")
    stored_pages = dict(kept.PAGES.pages)
    for threshold in range(40_000, 40_000 + kept.WHATIF_PAGES.most + 4):
        assert client.get("/", {"criteria": f"large:{threshold}"}).status_code == 200
    assert kept.PAGES.pages == stored_pages  # never pushed out by what-ifs
    assert len(kept.WHATIF_PAGES.pages) == kept.WHATIF_PAGES.most
    hits = kept.WHATIF_PAGES.hits
    client.get("/", {"criteria": f"large:{threshold}"})
    assert kept.WHATIF_PAGES.hits == hits + 1  # the same what-if again: kept
