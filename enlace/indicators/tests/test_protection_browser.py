"""The protection section on the public region and country pages (a generated world's 2025
release), in Spanish: keyboard-reachable tables, axe-clean at 1280 and 375 px, no name."""

import pytest
from django.utils.translation import gettext, override

from enlace.indicators.releases import publish
from enlace.tests.browser import BROWSER_TESTS

from .test_pages_browser import both_widths
from .world import YEAR, generate

pytestmark = BROWSER_TESTS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_protection_section_on_the_region_and_country_pages(page, live_server):
    generate()
    publish(YEAR, "suppression")  # the daily job's work: the pages only read what it stored
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    page.set_viewport_size({"width": 1280, "height": 900})
    for path, name in ((f"/indicators/?period={YEAR}", "protection-region"),):
        page.goto(f"{live_server.url}{path}")
        section = page.locator("#protection-figures")
        with override("es"):
            assert gettext("Protection figures from Enlace's records") in section.inner_text()
        assert section.locator("td[data-flag=rounded]").count() > 0
        assert "Gen1" not in page.content() and "GEN-" not in page.content()
        both_widths(page, name)
