"""Every page at a desktop and a phone size, in a real Chromium: no horizontal page
scroll, no axe-core violation (axe-core from npm, injected into the page), and what a
keyboard user needs: a skip link, a visible focus, the map's towns reachable, a
criterion selector that waits to be told."""

from pathlib import Path

import pytest

from tests.browser import open_page

pytestmark = [pytest.mark.slow, pytest.mark.browser]

AXE = Path(__file__).resolve().parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
SIZES = {"desktop": (1400, 1000), "phone": (390, 844)}
PAGES = {"/": 200, "/towns/35/": 200, "/towns/348/?criterion=historic": 200, "/compare/": 200,
         "/towns/999/": 404, "/?metric=height": 400,
         "/?criteria=large:40000,%20civic%20and%20tall": 200,
         "/towns/35/?criteria=year_built%3E%3D1990": 200}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run .ci/axe (npm ci in tests/a11y; "
                    ".ci/run does, as it installs Chromium for the browser tests)")
    return AXE.read_text()


def violations(page, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => v.id + " (" + v.impact + "): " +
            v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
    }""")
    return found


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("path", PAGES)
def test_each_page_fits_and_axe_finds_nothing(served_site, browser, axe_source, path, size):
    with open_page(browser, served_site, *SIZES[size]) as page:
        response = page.goto(path)
        assert response.status == PAGES[path]
        width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{path} at {size}: {width[0]} px wide in {width[1]}"
        assert violations(page, axe_source) == []
        expected = [] if PAGES[path] == 200 else [  # the browser reports the status itself
            f"Failed to load resource: the server responded with a status of {PAGES[path]} "
            f"({'Not Found' if PAGES[path] == 404 else 'Bad Request'})"]
        assert page.errors == expected


def test_a_skip_link_then_the_town_table_by_keyboard(served_site, browser):
    with open_page(browser, served_site, *SIZES["desktop"]) as page:
        page.goto("/")
        page.keyboard.press("Tab")
        focused = page.evaluate("() => [document.activeElement.textContent, "
                                "document.activeElement.getAttribute('href')]")
        assert focused == ["Skip to the town table", "#towns-section"]
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        first = page.evaluate("() => document.activeElement.closest('section').id")
        assert first == "towns-section"


def test_every_control_shows_where_the_focus_is(served_site, browser):
    with open_page(browser, served_site, *SIZES["desktop"]) as page:
        page.goto("/")
        for selector in ('#towns thead button[data-column="4"]', "#metric", "#search",
                         '#towns tbody a[href="/towns/35/"]'):
            page.focus(selector)
            page.keyboard.press("Shift+Tab")
            page.keyboard.press("Tab")  # focused by the keyboard, as :focus-visible wants
            outline = page.eval_on_selector(selector, "e => [getComputedStyle(e).outlineStyle, "
                                                      "getComputedStyle(e).outlineWidth]")
            assert outline[0] != "none" and outline[1] != "0px", selector


def test_the_map_towns_by_keyboard_with_their_values(served_site, browser):
    with open_page(browser, served_site, *SIZES["desktop"]) as page:
        page.goto("/")
        links = page.locator("#map a")
        assert links.count() == 351
        worcester = page.locator('#map a[href="/towns/348/"]')
        label = worcester.get_attribute("aria-label")
        assert label.startswith("Worcester: ") and label.endswith(" %")
        worcester.focus()
        assert page.locator("#tooltip").text_content() == label
        page.select_option("#metric", "median_year_built")
        assert worcester.get_attribute("aria-label") != label  # follows the metric
        worcester.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("/towns/348/")


def test_the_criterion_selector_waits_for_its_button(served_site, browser):
    with open_page(browser, served_site, *SIZES["desktop"]) as page:
        page.goto("/towns/348/")
        page.focus("#criterion")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(300)
        assert page.url.endswith("/towns/348/")  # no reload at an arrow key
        page.select_option("#criterion", "historic")
        with page.expect_navigation():
            page.click("#criterion-form button")
        assert "criterion=historic" in page.url


def test_the_whatif_panel_by_keyboard_alone(served_site, browser):
    """Untick a criterion, change a threshold, Show: one shareable URL, a page that
    says these are not the stored criteria, and a way back; all by the keyboard."""
    with open_page(browser, served_site, *SIZES["phone"]) as page:
        page.goto("/")
        stored = int(page.inner_text(".headline div:nth-child(2) .figure").replace(",", ""))
        page.focus("#pick-large")
        page.keyboard.press("Tab")  # the threshold of large
        assert page.evaluate("() => document.activeElement.id") == "threshold-large"
        page.keyboard.press("Control+A")
        page.keyboard.type("40000")
        for name in ("tall", "historic", "civic", "landmark_value"):
            page.focus(f"#pick-{name}")
            page.keyboard.press("Space")  # unticked
        page.focus("#whatif-form button")
        page.keyboard.press("Enter")
        page.wait_for_url("**/?criteria=*")
        assert page.url.endswith("/?criteria=bld_area%3E%3D40000")
        notice = page.inner_text("#whatif-notice")
        assert "not the stored ones: bld_area>=40000" in notice
        assert page.is_checked("#pick-large") and not page.is_checked("#pick-tall")
        assert page.input_value("#threshold-large") == "40000"
        page.screenshot(path=SCREENSHOTS / "what-if-phone.png", full_page=False)
        whatif = int(page.inner_text(".headline div:nth-child(2) .figure").replace(",", ""))
        assert 0 < whatif < stored  # one criterion of five, at a lower threshold
        headers = page.eval_on_selector_all("#counties thead th",
                                            "hs => hs.map(h => h.textContent)")
        assert "large" in headers and "tall" not in headers
        town_link = page.get_attribute('#towns tbody a[href^="/towns/35/"]', "href")
        assert town_link == "/towns/35/?criteria=bld_area%3E%3D40000"
        assert "criteria=" in page.get_attribute("#towns-csv", "href")
        page.fill("#search", "Bos")  # the script rebuilds the CSV link: the what-if stays
        assert "criteria=bld_area" in page.get_attribute("#towns-csv", "href")
        page.focus("#whatif-notice a")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "criteria" not in page.url and page.locator("#whatif-notice").count() == 0
        assert page.errors == []


def test_an_expression_with_and_on_a_town_page(served_site, browser):
    with open_page(browser, served_site, *SIZES["desktop"]) as page:
        page.goto("/towns/35/")
        page.fill("#whatif-text", "civic and tall, year_built<1850")
        page.focus("#whatif-text")
        page.keyboard.press("Enter")
        page.wait_for_url("**/towns/35/?criteria=*")
        page.screenshot(path=SCREENSHOTS / "what-if-town.png", full_page=True)
        assert "What-if criteria, not the stored ones" in page.inner_text("#whatif-banner")
        labels = page.eval_on_selector_all("#figures tbody th",
                                           "hs => hs.map(h => h.textContent)")
        assert any(label.startswith("civic_and_tall") or label.startswith("civic and tall")
                   for label in labels), labels
        page.goto("/towns/35/?criteria=bld_area%3E%3D1;drop")
        assert "criteria: unexpected" in page.inner_text("#message")
