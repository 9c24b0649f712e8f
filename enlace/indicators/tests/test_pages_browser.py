"""Browser (issue 16's done-when): an anonymous visitor opens the region page and a country
page in Spanish and in Portuguese; axe-core checks each at 1280 and 375 px, and no page scrolls
sideways on a phone. The charts are inline SVG named by their heading, with their table.

With ENLACE_SCREENSHOTS=<dir> it saves indicators-region.png, indicators-country.png and
indicators-country-phone.png (for docs/indicators.*.md)."""

import os

import pytest
from django.utils.formats import number_format
from django.utils.translation import gettext, override

from enlace.indicators.importers import load_vendored
from enlace.tests.browser import BROWSER_TESTS, assert_axe_clean

pytestmark = BROWSER_TESTS


def tr(lang: str, text: str) -> str:
    with override(lang):
        return gettext(text)


def shot(page, name: str) -> None:
    if os.environ.get("ENLACE_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['ENLACE_SCREENSHOTS']}/{name}", full_page=True)


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page scrolls sideways: {width}px"


def both_widths(page, name: str) -> None:
    assert_axe_clean(page)
    shot(page, f"{name}.png")
    page.set_viewport_size({"width": 375, "height": 800})
    fits(page)
    assert_axe_clean(page, f"{page.url} at 375 px")
    shot(page, f"{name}-phone.png")
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_region_and_country_pages_in_spanish_and_portuguese(page, live_server):
    reports = load_vendored(["undesa", "unhcr_population", "missing_migrants", "knomad"])
    assert reports and all(r.imported for r in reports)
    from enlace.indicators.sources import migrant_stock

    women = migrant_stock("US", "MX", 2020)["female"]
    for lang in ("es", "pt"):
        page.context.add_cookies(
            [{"name": "django_language", "value": lang, "url": live_server.url}]
        )
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/indicators/")
        assert page.get_attribute("html", "lang") == lang
        assert tr(lang, "Latin America and the Caribbean") in page.inner_text("h1")
        assert page.locator("section.indicator svg[role=img]").count() >= 4
        both_widths(page, "indicators-region" if lang == "es" else f"indicators-region-{lang}")

        with page.expect_navigation():
            page.click("a[href='/indicators/MX/']")
        assert tr(lang, "Where emigrants live") in page.inner_text("main")
        with override(lang):
            figure = number_format(women, 0, force_grouping=True)
        destinations = page.locator("#destinations table").inner_text()
        assert figure in destinations
        svg = page.locator("#emigrants svg")
        assert svg.get_attribute("aria-labelledby") == "chart-emigrants-title"
        both_widths(page, "indicators-country" if lang == "es" else f"indicators-country-{lang}")
