"""Browser (issue 14's done-when): an anonymous visitor compares United States → Guatemala at
USD 200 in Spanish and sees the providers ranked by what the recipient receives, then the
corridor's chart (an inline SVG with the 3 % and 5 % lines) drawn from the real World Bank
series; axe-core checks every page (the `page` fixture), at 1280 and 375 px.

With ENLACE_SCREENSHOTS=<dir> it saves remittances-compare.png, remittances-compare-phone.png,
remittances-corridor.png, remittances-corridor-phone.png and remittances-corridors.png (for
docs/remittances.*.md)."""

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.translation import gettext, override

from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS

SERIES = Path(__file__).resolve().parents[1] / "data" / "rpw" / "rpw_corridors_2011Q1-2020Q3.csv"


def es(text: str) -> str:
    with override("es"):
        return gettext(text)


def shot(page, name: str) -> None:
    if os.environ.get("ENLACE_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['ENLACE_SCREENSHOTS']}/{name}", full_page=True)


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page scrolls sideways: {width}px"


def seed() -> None:
    from enlace.remittances.importers import import_corridor_series
    from enlace.remittances.tests.factories import corridor, quote

    report = import_corridor_series(SERIES.read_bytes(), file_name=SERIES.name)
    assert report.imported, report.as_dict()
    us_gt = corridor("US", "GT")
    day = timezone.localdate() - dt.timedelta(days=20)
    common = {"collected_on": day, "period": f"{day.year}Q{(day.month - 1) // 3 + 1}"}
    demo = {"is_demonstration": True, "source": "demonstration", "receiving_currency_id": "GTQ"}
    quote(
        "Demo Envíos A",
        us_gt,
        fee="5",
        applied="7.62",
        interbank="7.78",
        **common,
        **demo,
        funding_method="cash",
        pickup_method="cash",
    )
    quote(
        "Demo Banco B",
        us_gt,
        fee="12",
        applied="7.74",
        interbank="7.78",
        **common,
        **demo,
        speed="2_5_days",
        funding_method="bank_account",
        pickup_method="bank_account",
    )
    quote(
        "Demo Móvil C",
        us_gt,
        fee="2.99",
        applied="7.55",
        interbank="7.78",
        **common,
        **demo,
        speed="less_than_one_hour",
        funding_method="debit_card",
        pickup_method="mobile_wallet",
    )
    quote(
        "Demo Opaco D",
        us_gt,
        fee="0",
        applied="7.40",
        interbank="7.78",
        transparent=False,
        **common,
        **demo,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_anonymous_visitor_compares_us_to_guatemala_and_sees_the_corridor(page, live_server):
    seed()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/remittances/")
    assert page.get_attribute("html", "lang") == "es"
    assert es("Compare the cost of sending money") in page.inner_text("h1")
    page.select_option("#id_from", "US")
    page.select_option("#id_to", "GT")
    page.fill("#id_amount", "200")
    with page.expect_navigation():
        page.click("form.compare-form button[type=submit]")
    assert "from=US" in page.url and "to=GT" in page.url and "amount=200" in page.url
    rows = page.locator("#compare-results tbody tr")
    assert rows.count() == 4
    received = [Decimal(v) for v in rows.evaluate_all("rs => rs.map(r => r.dataset.received)")]
    assert received == sorted(received, reverse=True)
    names = page.locator("#compare-results .provider").all_inner_texts()
    # (200 − fee) × rate: C 197.01×7.55=1487.43, A 195×7.62=1485.90, D 200×7.40=1480, B 188×7.74
    assert names == ["Demo Móvil C", "Demo Envíos A", "Demo Opaco D", "Demo Banco B"]
    body = page.inner_text("main")
    assert es("Demonstration data") in body
    assert es("non-transparent") in body
    flat = re.sub(r"\s", "", body)
    assert "1487,43GTQ" in flat.replace(".", "")  # what C delivers, in Spanish figures
    shot(page, "remittances-compare.png")
    page.set_viewport_size({"width": 375, "height": 800})
    fits(page)
    shot(page, "remittances-compare-phone.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_navigation():
        page.click("a[href='/remittances/corridors/US/GT/']")
    svg = page.locator("figure.chart svg")
    assert svg.count() == 1
    assert svg.get_attribute("role") == "img"
    text = svg.inner_html()
    assert es("3 % SDG 10.c (global)") in text and es("5 % (every corridor)") in text
    assert svg.locator("[stroke-dasharray]").count() >= 2  # the 3 % and 5 % lines
    # The text alternative: the table of the same quarters.
    assert page.locator("table.series tbody tr").count() >= 10
    assert "Remittance Prices Worldwide" in page.inner_text("main")
    shot(page, "remittances-corridor.png")
    page.set_viewport_size({"width": 375, "height": 800})
    fits(page)
    shot(page, "remittances-corridor-phone.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_navigation():
        page.click(f"nav.tabs a:text('{es('Corridors and the SDG target')}')")
    assert page.locator("table.corridors tbody tr").count() >= 5
    shot(page, "remittances-corridors.png")
    page.set_viewport_size({"width": 375, "height": 800})
    fits(page)
