"""Every page and endpoint through Django's test client, on the hand-made buildings:
status, the figures worked out by hand, the report equal to `analyze`'s, bad requests."""

import csv
import io
import json
import os
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from buildings.bench import stored_runs
from buildings.core.models import Building, Town
from buildings.dashboard import freshness, metrics
from buildings.dashboard.bench import pages
from buildings.derived.report_view import refresh
from buildings.ingest.bulk import set_triggers
from buildings.project.serving import NO_SECRET_KEY
from tests import handmade
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

TEMPLATE_TAGS = re.compile(r"<[^>]+>")


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.fixture
def loaded():
    handmade.load()


def text_of(response) -> str:
    """The page's text, tags removed and spaces squeezed."""
    return " ".join(TEMPLATE_TAGS.sub(" ", response.content.decode()).split())


def path_classes(response) -> dict[int, str]:
    return {int(i): k for i, k in re.findall(r'<path d="[^"]*" data-id="(\d+)" '
                                             r'data-name="[^"]*" class="(\w+)"',
                                             response.content.decode())}


def map_data(response) -> dict:
    match = re.search(r'<script id="map-data" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    return json.loads(match.group(1))


def town_rows(response) -> list[tuple[str, bool]]:
    """(town name, hidden) of the town table's rows, in order."""
    body = response.content.decode().split('<table class="figures sortable" id="towns">')[1]
    return [(name, bool(hidden)) for hidden, name in
            re.findall(r'<tr data-id="\d+"( hidden)?><td><a href="/towns/\d+/">([^<]+)</a>',
                       body)]


def test_the_map_page(client, loaded):
    response = client.get("/")
    assert response.status_code == 200
    text = text_of(response)
    # the state's headline figures, by hand (tests/handmade.py): 72 buildings, 7 important
    assert "72 buildings" in text and "7 important buildings" in text
    assert "9.72 % of all buildings are important" in text and "2000 median year built" in text
    assert "$7,300,000 average assessed value" in text
    assert "7,029,917 residents" in text
    classes = path_classes(response)
    assert sorted(classes) == list(range(1, 352))
    # the important share's quantile classes: 3.13 < 50 < 60 < 100 (the other 347 have none)
    assert {k: classes[k] for k in (49, 62, 35, 303)} == {49: "q0", 62: "q1", 35: "q2",
                                                          303: "q3"}
    assert sum(k == "nd" for k in classes.values()) == 347
    assert re.findall(r'<span class="swatch q\d"></span>([^<]+)</li>', response.content.decode()
                      ) == ["3.13 %", "50.00 %", "60.00 %", "100.00 %"]
    rows = town_rows(response)
    assert len(rows) == 351 and not any(hidden for _, hidden in rows)
    assert rows[:2] == [("Abington", False), ("Acton", False)]
    assert "Boston Suffolk 1 675,647 5 3 60.00 % 0.01 1945 $6,250,000 2 1 1 1 1" in text
    assert "Suffolk 797,936 5 3 60.00 % 2 1 1 1 1 1945 $6,250,000" in text  # the county table
    assert "Figures from the live summary" in text


def test_the_map_data_has_every_metric_in_town_order(client, loaded):
    data = map_data(client.get("/"))
    assert data["ids"] == list(range(1, 352))
    assert [m["key"] for m in data["metrics"]] == [m.key for m in metrics.METRICS]
    historic = next(m for m in data["metrics"] if m["key"] == "historic")
    boston = data["ids"].index(35)
    assert historic["values"][boston] == "1"
    # 347 towns with 0 historic buildings, Boston and Upton 1, Cambridge 1: the cuts
    # fall on 0, so everything is one class but the three with 1
    assert historic["legend"] == ["0", "1"]
    assert sorted(i for i, k in zip(data["ids"], historic["classes"], strict=True) if k == 1
                  ) == [35, 49, 303]


def test_a_metric_and_a_county_chosen_in_the_address(client, loaded):
    response = client.get("/?metric=civic&county=suffolk")
    assert response.status_code == 200
    assert '<option value="civic" selected>' in response.content.decode()
    assert "<option selected>Suffolk</option>" in response.content.decode()
    rows = town_rows(response)
    assert sorted(name for name, hidden in rows if not hidden) == [
        "Boston", "Chelsea", "Revere", "Winthrop"]
    assert "4 of 351 towns" in text_of(response)
    searched = town_rows(client.get("/?q=ham"))
    assert {n for n, hidden in searched if not hidden} == set(
        Town.objects.filter(name__icontains="ham").values_list("name", flat=True))


def test_quantile_classes_by_hand():
    metric = metrics.BY_KEY["important"]
    classes = metrics.quantile_classes({i: i for i in range(1, 11)} | {11: None}, metric)
    assert [classes.of[i] for i in range(1, 12)] == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, None]
    assert classes.legend == ["1 – 2", "3 – 4", "5 – 6", "7 – 8", "9 – 10"]
    assert metrics.quantile_classes({1: None}, metric).legend == []


def test_a_town_page(client, loaded):
    response = client.get("/towns/35/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Boston" in text and "Ranked 1 of 351 towns" in text
    assert "its largest important building is B2 MAIN ST (60,000 sq ft)" in text
    # the town, its county and the state side by side
    assert "important share 60.00 % 60.00 % 9.72 %" in text
    assert "buildings 5 5 72" in text
    assert "median year built 1945 1945 2000" in text
    assert "Important buildings (3)" in text
    county_map = re.findall(r'<a href="/towns/(\d+)/" aria-label="[^"]+"><path d="[^"]+" '
                            r'data-id="\d+" class="(\w+)"><title>([^<]+)</title>',
                            response.content.decode())
    assert sorted(county_map, key=lambda r: int(r[0])) == [
        ("35", "here", "Boston"), ("57", "other", "Chelsea"), ("248", "other", "Revere"),
        ("346", "other", "Winthrop")]
    ids = Building.objects.filter(prop_id__in=["B1", "B2", "B3"]).order_by("id")
    assert re.findall(r'<tr data-id="(\d+)"><td>(B\d)</td>', response.content.decode()) == [
        (str(b.id), b.prop_id) for b in ids]
    assert "B1 B1 MAIN ST 101 1850 2 2,000 $500,000 historic" in text
    assert "B2 B2 MAIN ST 340 1970 10 60,000 $12,000,000 large, tall, landmark_value" in text
    assert "B3 B3 MAIN ST 903 1920 3 60,000 – large, civic" in text
    assert 'rel="next"' not in response.content.decode()
    large = text_of(client.get("/towns/35/?criterion=large"))
    assert "Important buildings: large (2)" in large
    assert "B2 B2 MAIN ST" in large and "B3 B3 MAIN ST" in large and "B1 B1" not in large


def test_a_town_page_searched_by_address(client, loaded):
    page = client.get("/towns/35/?address=b2 main").content.decode()
    assert re.findall(r'<tr data-id="\d+"><td>(B\d)</td>', page) == ["B2"]
    assert "Important buildings at addresses holding “b2 main”" in text_of_html(page)
    assert 'href="/towns/35/important.csv?address=b2+main"' in page
    body = b"".join(client.get("/towns/35/important.csv?address=b2+main").streaming_content)
    assert [r["prop_id"] for r in csv.DictReader(io.StringIO(body.decode()))] == ["B2"]
    both = client.get("/towns/35/?criterion=historic&address=MAIN").content.decode()
    assert re.findall(r'<tr data-id="\d+"><td>(B\d)</td>', both) == ["B1"]
    none = text_of(client.get("/towns/35/?address=ELM"))
    assert "Boston has no important buildings at an address holding “ELM”." in none


def text_of_html(html: str) -> str:
    return " ".join(TEMPLATE_TAGS.sub(" ", html).split())


def test_a_town_without_important_buildings(client, loaded):
    text = text_of(client.get("/towns/1/"))
    assert "Abington has no important buildings." in text
    assert "Ranked 5 of 351" in text
    beyond = text_of(client.get("/towns/35/?criterion=civic&before=1"))
    assert "Nothing on this page: back to the first page" in beyond


def test_keyset_pages_of_fifty(client):
    boston = Town.objects.get(pk=35)
    Building.objects.bulk_create(
        Building(town=boston, prop_id=f"P{i:03d}", use_code="901", year_built=2000)
        for i in range(120))
    ids = list(Building.objects.order_by("id").values_list("id", flat=True))
    first = client.get("/towns/35/").content.decode()
    shown = [int(i) for i in re.findall(r'<tr data-id="(\d+)">', first)]
    assert shown == ids[:50]
    after = int(re.search(r'rel="next" href="\?after=(\d+)#important"', first).group(1))
    assert after == ids[49] and 'rel="prev"' not in first
    second = client.get(f"/towns/35/?after={after}").content.decode()
    assert [int(i) for i in re.findall(r'<tr data-id="(\d+)">', second)] == ids[50:100]
    last_after = int(re.search(r'rel="next" href="\?after=(\d+)', second).group(1))
    last = client.get(f"/towns/35/?after={last_after}").content.decode()
    assert [int(i) for i in re.findall(r'<tr data-id="(\d+)">', last)] == ids[100:]
    assert 'rel="next"' not in last
    before = int(re.search(r'rel="prev" href="\?before=(\d+)', last).group(1))
    back = client.get(f"/towns/35/?before={before}").content.decode()
    assert [int(i) for i in re.findall(r'<tr data-id="(\d+)">', back)] == ids[50:100]
    filtered = client.get("/towns/35/?criterion=civic&after=" + str(ids[9])).content.decode()
    assert [int(i) for i in re.findall(r'<tr data-id="(\d+)">', filtered)] == ids[10:60]
    assert f'href="?criterion=civic&amp;after={ids[59]}#important"' in filtered


def test_the_town_csv_is_the_commands(client, loaded, capsysbinary):
    response = client.get("/towns/35/important.csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="boston-important.csv"'
    body = b"".join(response.streaming_content)
    call_command("important_buildings", "--town", "Boston")
    assert body == capsysbinary.readouterr().out
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert [(r["prop_id"], r["criteria"]) for r in rows] == [
        ("B1", "historic"), ("B2", "large;tall;landmark_value"), ("B3", "large;civic")]
    civic = b"".join(client.get("/towns/35/important.csv?criterion=civic").streaming_content)
    assert [r["prop_id"] for r in csv.DictReader(io.StringIO(civic.decode()))] == ["B3"]


@pytest.mark.parametrize("query", ["", "?town=Boston&town=upton", "?county=Suffolk",
                                   "?county=dukes&town=Cambridge"])
def test_the_report_endpoints_are_analyze(client, loaded, capsys, query):
    args = []
    for part in filter(None, query.lstrip("?").split("&")):
        name, value = part.split("=")
        args += [f"--{name}", value]
    response = client.get(f"/report.json{query}")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    got = json.loads(response.content)
    assert got.pop("meta")["mode"] == "live"
    call_command("analyze", "--format", "json", *args)
    expected = json.loads(capsys.readouterr().out)
    expected.pop("meta")
    assert got == expected
    response = client.get(f"/report.csv{query}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    call_command("analyze", "--format", "csv", *args)
    assert response.content.decode() == capsys.readouterr().out


def test_the_filtered_towns_and_the_counties_as_csv(client, loaded, capsys):
    page = client.get("/?county=Middlesex&q=cam").content.decode()
    assert 'id="towns-csv" href="/report.csv?county=Middlesex&amp;q=cam"' in page
    response = client.get("/report.csv?county=Middlesex&q=cam")
    assert response.status_code == 200
    call_command("analyze", "--format", "csv", "--town", "Cambridge")  # the one match
    assert response.content.decode() == capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(
        client.get("/report.csv?q=ham").content.decode())))
    assert {r["town"] for r in rows} == set(
        Town.objects.filter(name__icontains="ham").values_list("name", flat=True))
    counties = list(csv.DictReader(io.StringIO(
        client.get("/report.csv?rows=counties").content.decode())))
    assert [r["level"] for r in counties] == ["state"] + ["county"] * 14
    suffolk = next(r for r in counties if r["county"] == "Suffolk")
    assert (suffolk["buildings"], suffolk["important"]) == ("5", "3")  # Boston's, by hand
    assert client.get("/report.csv?q=cam&town=Boston").status_code == 400


def test_what_important_means_and_the_legend_say_their_terms(client, loaded):
    text = text_of(client.get("/"))
    assert ("What counts as important A building is important when it meets at least one "
            "of these criteria") in text
    assert "large : gross floor area of 50,000 sq ft or more" in text
    assert "landmarkvalue : assessed at $10,000,000 or more" in text
    assert ("Important share of buildings (% of the town's buildings), in quantile classes"
            in text)
    assert "Median year built (year)" in text_of(client.get("/?metric=median_year_built"))


def test_the_report_figures_by_hand(client, loaded):
    report = json.loads(client.get("/report.json?town=Boston").content)
    (boston,) = report["towns"]
    assert {k: v for k, v in boston.items() if k != "town_id"} == handmade.TOWNS[35]
    assert [c["county"] for c in report["counties"]] == ["Suffolk"]
    assert report["state"]["buildings"] == 72


def test_no_buildings(client):
    response = client.get("/report.json")
    assert response.status_code == 503
    assert response.json()["error"].startswith("no buildings are loaded: generate some")
    response = client.get("/report.csv")
    assert response.status_code == 503 and b"no buildings are loaded" in response.content
    page = client.get("/")
    assert page.status_code == 200 and "No buildings are loaded yet" in text_of(page)


@pytest.mark.parametrize(("url", "status", "sentence"), [
    ("/towns/999/", 404, "There is no town 999: MassGIS numbers the 351 towns 1 to 351."),
    ("/towns/999/important.csv", 404, "There is no town 999"),
    ("/towns/abc/", 404, "Nothing is at /towns/abc/."),
    ("/nowhere", 404, "Nothing is at /nowhere."),
    ("/?metric=height", 400, "metric=&#x27;height&#x27; is not one of important_pct"),
    ("/?metric=civic&metric=tall", 400, "metric is given 2 times; give it once."),
    ("/?colour=red", 400, "unknown query parameter &#x27;colour&#x27;: this page takes metric, "
                          "county, q, criteria."),
    ("/?county=Narnia", 400, "unknown county &#x27;Narnia&#x27;"),
    ("/?q=" + "x" * 101, 400, "q is 101 characters long; at most 100."),
    ("/towns/35/?after=abc", 400, "after=&#x27;abc&#x27; is not a building id"),
    ("/towns/35/?after=-1", 400, "after=&#x27;-1&#x27; is not a building id"),
    ("/towns/35/?after=1&before=9", 400, "give after or before, not both."),
    ("/towns/35/?criterion=pretty", 400, "criterion=&#x27;pretty&#x27; is not one of large"),
    ("/report.csv?town=Bostn", 400, "unknown town 'Bostn'; did you mean Boston, Boylston"),
    ("/report.csv?county=", 400, "county is empty; name a county, e.g. county=Suffolk."),
    ("/report.csv?format=xml", 400, "unknown query parameter 'format'"),
    ("/compare/?x=1", 400, "this page takes no parameters."),
])
def test_bad_requests_get_a_sentence(client, loaded, url, status, sentence):
    response = client.get(url)
    assert response.status_code == status
    assert sentence in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_the_json_endpoint_answers_a_bad_request_in_json(client):
    response = client.get("/report.json?county=Narnia&town=Boston")
    assert response.status_code == 400
    assert response.json() == {"error": "unknown county 'Narnia'"}


def test_only_safe_methods(client):
    assert client.post("/").status_code == 405
    assert client.head("/compare/").status_code == 200


def test_an_error_is_a_page_without_a_traceback(client, loaded, monkeypatch):

    def broken(selection=None):
        raise RuntimeError("the database said no")

    monkeypatch.setattr(freshness, "report", broken)
    response = client.get("/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"the database said no" not in response.content


def test_the_source_falls_back_when_the_live_summary_is_not_kept(client, loaded):
    with connection.cursor() as cursor:
        set_triggers(cursor, enabled=False)
    assert "computed from the buildings for this page (sql)" in text_of(client.get("/"))
    refresh()
    page = text_of(client.get("/"))
    assert "from the materialized view, refreshed" in page and "stale" not in page
    Building.objects.filter(prop_id="B5").delete()
    page = client.get("/")
    assert ("stale , the buildings changed since; run python manage.py refresh_views"
            in text_of(page))
    assert "72 buildings" in text_of(page)  # the view's figures, as refreshed
    with connection.cursor() as cursor:
        set_triggers(cursor, enabled=True)
        cursor.execute("SELECT buildings_summary_rebuild()")
    assert "71 buildings" in text_of(client.get("/"))


def test_the_compare_page(client):
    assert "No run is recorded yet" in text_of(client.get("/compare/"))
    targets = {
        "naive": {"target": "naive", "seconds": 10.0, "rss_peak": 300 * 2**20,
                  "heap_peak": 200 * 2**20},
        "sql": {"target": "sql", "seconds": 0.1, "rss_peak": 60 * 2**20,
                "heap_peak": 0.5 * 2**20},
        "floor": {"target": "floor", "seconds": 0.05, "rss_peak": 55 * 2**20,
                  "heap_peak": None},
        "setup": {"target": "setup", "seconds": 0.0, "rss_peak": 50 * 2**20, "heap_peak": 1},
    }
    stored_runs.record("compare", {"cores": 2, "cpu": "x86_64", "memory_gib": 24, "python": "3.11",
                            "postgresql": "18.1", "date": "2026-11-25"}, {1000: targets})
    response = client.get("/compare/")
    text = text_of(response)
    assert "The latest compare run" in text and "1,000 buildings" in text
    assert "The naive loop against the analysis pushed into PostgreSQL" in text
    assert "naive 10.000 s" in text and "setup" not in text
    assert "sql 0.100 s · 100× faster than naive" in text  # 10 s / 0.1 s
    assert "sql 0.50 MiB · 400× smaller than naive" in text  # the heap: 200 MiB / 0.5 MiB
    assert "floor 0.050 s · 200× faster than naive" in text
    assert "sql 60.0 MiB" in text and "floor not traced" in text
    time_chart = response.content.decode().split("<figure")[1]
    assert "time of the analysis (log scale)" in time_chart
    widths = dict(re.findall(r'<text x="164" y="15" text-anchor="end">(\w+)</text><rect x="170" '
                             r'y="3" width="([\d.]+)"', time_chart))
    # time on a log scale from half the fastest (0.025 s) to the slowest (10 s):
    # sql is log(0.1/0.025)/log(10/0.025) of the 430 units
    assert float(widths["naive"]) == 430.0
    assert float(widths["sql"]) == pytest.approx(430 * 0.23137, abs=0.1)


def test_a_coordinator_not_set_up_is_a_503_saying_what_to_do(client, settings):
    """BUILDINGS_SHARDS set on a database that `cluster setup` never readied: the
    cluster's own line, as a page and as JSON, status 503 (not a 500)."""
    settings.BUILDINGS_SHARDS = "s1=postgresql://postgres@/buildings?host=/nowhere"
    page = client.get("/")
    assert page.status_code == 503
    assert "does not read its shards yet: run `cluster setup`" in text_of(page)
    data = client.get("/report.json")
    assert data.status_code == 503
    assert data.json()["error"].endswith("run `cluster setup`")


def test_the_compare_page_without_the_naive_loop_says_so(client):
    """A `compare --modes sql,mview,live` run: the title says what was measured."""
    targets = {name: {"target": name, "seconds": s, "rss_peak": 60 * 2**20, "heap_peak": 2**19}
               for name, s in (("sql", 0.5), ("mview", 0.02), ("live", 0.03))}
    stored_runs.record("compare", {"cores": 2, "cpu": "x86_64", "memory_gib": 24, "python": "3.11",
                                   "postgresql": "18.1", "date": "2026-12-07"}, {1000: targets})
    text = text_of(client.get("/compare/"))
    assert "The strategies measured (the naive loop was not run)" in text
    assert "naive loop against" not in text


def test_the_page_weight_is_within_budget(loaded):
    weight = pages.weight()
    assert set(weight.parts) == {"/", "/static/dashboard/site.css", "/static/dashboard/index.js",
                                 "/static/dashboard/favicon.svg"}
    assert all(size > 100 for size in weight.parts.values())
    assert weight.total <= 500 * 1024


@pytest.mark.slow
def test_serving_needs_a_secret_key_unless_debugging(manage):
    """runserver and gunicorn refuse in one line (exit 2) without a key and with debug off;
    with debug on, the check passes (the server would start: not run here)."""
    no_key = {"DJANGO_SECRET_KEY": "", "DJANGO_DEBUG": ""}
    result = manage("runserver", "127.0.0.1:1", "--noreload", env=no_key)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"CommandError: {NO_SECRET_KEY}"]
    gunicorn = subprocess.run(
        [sys.executable, "-m", "gunicorn", "buildings.project.wsgi", "--bind", "127.0.0.1:1"],
        cwd=ROOT, env={**os.environ, **no_key}, capture_output=True, text=True, timeout=60)
    assert gunicorn.returncode == 2
    assert gunicorn.stderr.strip().splitlines()[-1] == f"error: {NO_SECRET_KEY}"
    debug = manage("shell", "-c", "from buildings.project.serving import problem; print(problem())",
                   env={**no_key, "DJANGO_DEBUG": "1"})
    assert debug.stdout.strip().splitlines()[-1] == "None"



def test_check_deploy_is_clean_behind_tls(manage):
    """DJANGO_HTTPS=1 switches on what `check --deploy` asks of a site served over TLS."""
    import secrets

    env = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
           "DJANGO_ALLOWED_HOSTS": "buildings.example.org", "DJANGO_DEBUG": ""}
    plain = manage("check", "--deploy", env=env)
    assert "security.W004" in plain.stderr and "security.W008" in plain.stderr
    assert "security.W003" not in plain.stderr  # the CSRF middleware is always on
    behind_tls = manage("check", "--deploy", "--fail-level", "WARNING",
                        env={**env, "DJANGO_HTTPS": "1"})
    assert behind_tls.returncode == 0, behind_tls.stderr
    assert "System check identified no issues" in behind_tls.stdout


def ring_edges(rings) -> set[frozenset]:
    return {frozenset((a, b)) for ring in rings for a, b in zip(ring, ring[1:] + ring[:1],
                                                                 strict=True)}


def path_segments(d: str) -> set[frozenset]:
    """The segments of SVG path data of `M x y l dx dy ...` lines."""
    segments = set()
    for line in filter(None, d.split("M")):
        start, steps = line.split("l")
        numbers = [int(n) for n in re.findall(r"-?\d+", steps)]
        here = tuple(int(n) for n in re.findall(r"-?\d+", start))
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            there = (here[0] + dx, here[1] + dy)
            segments.add(frozenset((here, there)))
            here = there
    return segments


def test_the_county_borders_run_between_towns_of_two_counties():
    from buildings.dashboard import shapes

    county = dict(Town.objects.values_list("pk", "county__name"))
    borders = path_segments(shapes.county_borders(tuple(sorted(county.items()))))
    towns = {s.town_id: ring_edges(s.rings) for s in shapes.massachusetts().towns}
    boston_cambridge = towns[35] & towns[49]  # Suffolk | Middlesex, along the Charles
    boston_milton = towns[35] & towns[207]  # Suffolk | Norfolk
    boston_revere = towns[35] & towns[248]  # both Suffolk
    assert boston_cambridge and boston_cambridge <= borders
    assert boston_milton and boston_milton <= borders
    assert boston_revere and not boston_revere & borders
    # every segment drawn lies between two towns of different counties
    for segment in borders:
        sides = {county[t] for t, edges in towns.items() if segment in edges}
        assert len(sides) == 2, segment
