"""Browser: the secretariat's analyst corrects a quote through the staff pages and finds the
correction in the quote's history; the import page (axe-core checks every page, at 1280 and
375 px). With ENLACE_SCREENSHOTS=<dir> it saves remittances-quotes.png,
remittances-quotes-phone.png and remittances-quote.png."""

import datetime as dt
import os

import pytest
from django.utils.translation import gettext, override

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


def es(text: str) -> str:
    with override("es"):
        return gettext(text)


def shot(page, name: str) -> None:
    if os.environ.get("ENLACE_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['ENLACE_SCREENSHOTS']}/{name}", full_page=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_analyst_corrects_a_quote_and_sees_it_in_the_history(page, live_server, demo):
    from enlace.remittances.models import Quote
    from enlace.remittances.tests.factories import corridor, quote

    us_mx = corridor("US", "MX")
    for i, name in enumerate(("Envíos Norte", "Banco Sur", "Remesas Centro")):
        quote(
            name,
            us_mx,
            fee=str(4 + i),
            applied="17.00",
            interbank="17.34",
            collected_on=dt.date(2024, 8, 10 + i),
            funding_method="cash",
            pickup_method="cash",
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "analista")
    with page.expect_navigation():
        page.click(f"nav.mainnav a:text('{es('Remittances')}')")
    assert page.locator("table.list tbody tr").count() == 3
    shot(page, "remittances-quotes.png")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "remittances-quotes-phone.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_navigation():
        page.click("table.list a:text('Envíos Norte')")
    page.fill("#id_fee", "3.50")
    shot(page, "remittances-quote.png")
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    assert not page.locator(".errors, p.error").count()
    corrected = Quote.objects.get(provider__name="Envíos Norte")
    assert str(corrected.fee.normalize()) == "3.5" and corrected.version == 2
    with page.expect_navigation():
        page.click(f"a:text('{es('Change history')}')")
    changes = page.inner_text("ul.changes")
    assert "4" in changes and "3.5" in changes.replace(",", ".")

    with page.expect_navigation():
        page.click(f"nav.tabs a:text('{es('Import World Bank data')}')")
    assert page.locator("input[type=file]").count() == 1
