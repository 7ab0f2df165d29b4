"""The public site in Chromium: it renders, it is accessible, sponsored content stays apart."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.site.pages import AD_TEXT, build_newsroom, page_urls

pytestmark = pytest.mark.browser
WIDTHS = {"desktop": 1280, "mobile": 390}
# Serious and critical WCAG 2.x A/AA problems fail the test.
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def seed(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_newsroom()


@pytest.mark.parametrize(
    "name", ["home", "section", "article", "entity", "author", "search", "404"]
)
def test_no_serious_accessibility_violations(live_server, page, seed, name):
    page.goto(live_server.url + page_urls(seed)[name])
    results = Axe().run(page, options=WCAG)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert serious == [], results.generate_report()


def test_sponsored_aside_is_visible_labelled_and_outside_the_article(live_server, page, seed):
    page.goto(live_server.url + seed.get_absolute_url())
    aside = page.locator("aside.sponsored", has_text="Bybit")
    assert aside.is_visible()
    assert aside.locator(".sponsored__label").inner_text().startswith("ADVERTISEMENT")
    assert page.locator(".article__body").get_by_text(AD_TEXT).count() == 0
    assert page.locator(".article__body aside").count() == 0
    headings = page.locator(".article__body h2").all_inner_texts()
    assert headings[0] == "The Manufacturing Gambit" and len(headings) == 5
    # Unmistakably different: a tinted, bordered panel in another typeface.
    styles = aside.evaluate(
        "el => [getComputedStyle(el).borderTopStyle, getComputedStyle(el).fontFamily]"
    )
    body_font = page.locator(".article__body p").first.evaluate(
        "el => getComputedStyle(el).fontFamily"
    )
    assert styles[0] == "solid" and styles[1] != body_font


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_home_and_the_seed_article(live_server, browser, seed, artifacts, width):
    page = browser.new_page(viewport={"width": WIDTHS[width], "height": 900})
    for name in ["home", "article"]:
        page.goto(live_server.url + page_urls(seed)[name])
        page.screenshot(path=artifacts / f"site-{name}-{width}.png", full_page=True)
    # No sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
    page.close()


def test_pages_work_without_javascript(live_server, browser, seed):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_label("Search the site").fill("Toyota")
    page.get_by_role("button", name="Search").first.click()
    assert page.get_by_role("link", name=seed.headline).is_visible()
    page.get_by_role("link", name=seed.headline).click()
    assert page.get_by_role("heading", name="Strategic Timing").is_visible()
    context.close()
