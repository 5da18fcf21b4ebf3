"""The pages in a real headless Chromium, driven by Playwright: what a person would
check. Served by gunicorn over 20,000 generated buildings; a screenshot of each page
goes to screenshots/ (git-ignored)."""

import json
import re
import urllib.request
from pathlib import Path

import pytest

from tests.browser import open_page

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"


@pytest.fixture(scope="module")
def report(served_site):
    with urllib.request.urlopen(f"{served_site}/report.json") as response:
        return json.load(response)


@pytest.fixture
def page(served_site, browser):
    """A page whose console errors and uncaught exceptions are collected in .errors."""
    with open_page(browser, served_site, 1280, 900) as page:
        yield page


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def classes(page) -> dict[str, str]:
    return page.eval_on_selector_all(
        "#map .towns path",
        "ps => Object.fromEntries(ps.map(p => [p.dataset.id, p.getAttribute('class')]))")


def visible_towns(page) -> list[str]:
    return page.eval_on_selector_all(
        "#towns tbody tr:not([hidden])", "rows => rows.map(r => r.cells[0].textContent)")


def test_the_map_shows_351_towns_without_console_errors(page):
    page.goto("/")
    assert page.locator("#map .towns path").count() == 351
    assert page.locator("#map .towns a").count() == 351
    assert all(k in {"q0", "q1", "q2", "q3", "q4", "nd"} for k in classes(page).values())
    assert page.locator("#map").bounding_box()["width"] > 1000
    assert page.locator("#towns tbody tr").count() == 351
    screenshot(page, "index")
    assert page.errors == []


def test_the_metric_selector_recolours_the_map(page):
    page.goto("/")
    before = classes(page)
    data = json.loads(page.text_content("#map-data"))
    page.select_option("#metric", "median_year_built")
    after = classes(page)
    metric = next(m for m in data["metrics"] if m["key"] == "median_year_built")
    expected = {str(i): "nd" if k is None else f"q{k}"
                for i, k in zip(data["ids"], metric["classes"], strict=True)}
    assert after == expected and after != before
    legend = page.eval_on_selector_all("#legend li", "items => items.map(i => i.textContent)")
    assert legend == [*metric["legend"], "no value"]
    assert page.url.endswith("/?metric=median_year_built")
    page.reload()  # the address keeps the choice
    assert page.input_value("#metric") == "median_year_built" and classes(page) == expected
    assert page.errors == []


def test_the_tooltip_names_the_town_and_its_value(page, report):
    page.goto("/")
    page.hover('#map path[data-id="348"]')  # Worcester: large and compact
    tooltip = page.locator("#tooltip")
    assert tooltip.is_visible()
    worcester = next(t for t in report["towns"] if t["town_id"] == 348)
    assert tooltip.text_content() == f"Worcester: {worcester['important_pct']:.2f} %"


def test_a_click_on_a_town_opens_its_page(page):
    page.goto("/")
    with page.expect_navigation():
        page.click('#map path[data-id="348"]')
    assert page.url.endswith("/towns/348/")
    assert page.text_content("h1") == "Worcester"
    assert page.locator("#buildings tbody tr").count() == 50
    screenshot(page, "town")
    with page.expect_navigation():
        page.click('a[rel="next"]')
    assert page.locator("#buildings tbody tr").count() >= 1
    assert page.locator('a[rel="prev"]').count() == 1
    assert page.locator("#county-map path").count() == 60  # Worcester County's towns
    assert page.get_attribute('#county-map path[data-id="348"]', "class") == "here"
    with page.expect_navigation():
        page.click('#county-map path[data-id="271"]')  # a neighbour on the county's map
    assert page.url.endswith("/towns/271/") and page.text_content("h1") == "Shrewsbury"
    page.select_option("#criterion", "historic")
    with page.expect_navigation():
        page.click("#criterion-form button")
    assert "criterion=historic" in page.url
    assert all("historic" in c for c in page.eval_on_selector_all(
        "#buildings tbody tr", "rows => rows.map(r => r.cells[7].textContent)"))
    assert page.errors == []


def test_sorting_the_town_table_reorders_it(page, report):
    page.goto("/")
    header = page.locator('#towns thead button[data-column="4"]')  # buildings
    assert header.text_content() == "buildings"
    header.click()
    by_buildings = sorted(report["towns"], key=lambda t: -t["buildings"])  # stable: id order
    assert visible_towns(page) == [t["town"] for t in by_buildings]
    assert page.get_attribute('#towns th:nth-child(5)', "aria-sort") == "descending"
    header.click()
    ascending = sorted(report["towns"], key=lambda t: t["buildings"])
    assert visible_towns(page) == [t["town"] for t in ascending]
    names = page.locator('#towns thead button[data-column="0"]')
    names.click()  # names from A first
    assert visible_towns(page) == sorted((t["town"] for t in report["towns"]), key=str.lower)
    names.click()
    assert visible_towns(page) == sorted((t["town"] for t in report["towns"]),
                                         key=str.lower, reverse=True)
    assert page.get_attribute('#towns th:nth-child(1)', "aria-sort") == "descending"
    assert page.get_attribute('#towns th:nth-child(5)', "aria-sort") is None
    assert page.errors == []


def test_the_county_filter_and_the_search(page, report):
    page.goto("/")
    page.select_option("#county", "Suffolk")
    assert visible_towns(page) == [t["town"] for t in report["towns"] if t["county"] == "Suffolk"]
    assert page.text_content("#shown") == "4 of 351 towns"
    page.select_option("#county", "")
    page.fill("#search", "bor")
    assert visible_towns(page) == [t["town"] for t in report["towns"]
                                   if "bor" in t["town"].lower()]
    assert re.search(r"[?&]q=bor", page.url)
    assert page.errors == []


def test_the_compare_page_and_the_error_pages(page):
    page.goto("/compare/")
    assert page.text_content("h1").startswith("The naive loop")
    assert page.text_content("h2") == "1,000,000 buildings"  # docs/benchmark/round3-1m
    assert page.locator("figure.chart").count() == 3
    time_bars = page.locator("figure.chart").first.locator("rect")
    assert time_bars.count() == 10  # 5 strategies and 5 reference points
    naive = page.locator("figure.chart").first.locator("g", has_text="naive").first
    assert "12.884 s" in naive.text_content()
    pandas_heap = page.locator("figure.chart").nth(2).locator("g", has_text="pandas")
    assert "473.25 MiB · 2.1× larger than naive" in pandas_heap.text_content()
    sql_time = page.locator("figure.chart").first.locator("g", has_text="sql").first
    assert "0.195 s · 66× faster than naive" in sql_time.text_content()
    screenshot(page, "compare")
    assert page.errors == []
    response = page.goto("/towns/999/")
    assert response.status == 404
    assert "There is no town 999" in page.text_content("#message")
    screenshot(page, "not-found")
    response = page.goto("/?metric=height")
    assert response.status == 400
    assert "metric='height' is not one of" in page.text_content("#message")
    screenshot(page, "bad-request")
