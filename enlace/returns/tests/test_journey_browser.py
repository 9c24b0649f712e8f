"""Browser: an assisted voluntary return across two countries' offices (the `page` fixture runs
axe-core on every page loaded).

`oficial.mx` (consulate of Mexico in Los Angeles, mx-la) opens a return from the person's page
and takes it to departure through the forms: counselling, consent after the cooling-off,
assessment, the travel documents, travel plan, hand-over, departure. `focal.mx` (national focal
point at the ministry, mx-sre) sees the arrival on the home page, records the reception and the
reintegration plan, and the 3-month follow-up shows as due.

Time: the dates are entered in the forms as the office would back-date them (counselling 110
days ago, consent 105 days ago — the office's cooling-off is the default 3 days — departure
100 days ago, arrival 99 days ago), so the 3-month follow-up's date has passed today.
With ENLACE_SCREENSHOTS=<dir> it saves the return's page at 1280 and 375 px (return.png,
return-phone.png for docs/returns.*.md)."""

import datetime as dt
import os

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


def ago(days: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


def take(page, step: str, fields: dict[str, str] | None = None, **kw) -> None:
    """Open the step's form, fill it and send it; wait for the page to come back."""
    details = page.locator(f"#step-{step}")
    details.evaluate("d => d.open = true")
    for selector, value in (fields or {}).items():
        target = page.locator(f"#id_{step}-{selector}")
        tag = target.evaluate("e => e.tagName")
        if tag == "SELECT":
            target.select_option(value)
        else:
            target.fill(value)
    for selector in kw.get("check", ()):
        page.check(f"#id_{step}-{selector}")
    with page.expect_navigation():
        details.locator("button[type=submit]").click()
    page.wait_for_selector("#return-facts, #workflow")
    errors = page.locator(".errors, p.error").all_inner_texts()
    assert not errors, (step, errors)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_return_from_request_to_departure_and_reception(page, live_server, demo):
    from enlace.accounts.actor import actor_for
    from enlace.accounts.models import User
    from enlace.people import services as people_services
    from enlace.returns.models import Return, Status

    officer = actor_for(User.objects.get(username="oficial.mx"))
    person = people_services.person_create(
        actor=officer,
        data={
            "given_names": "Serafín Eulogio",
            "first_surname": "Cuevas",
            "sex": "M",
            "birth_date": "1984-06-21",
            "languages": "spa",
        },
        nationalities=["MX"],
    )
    shots = os.environ.get("ENLACE_SCREENSHOTS")

    login(page, live_server, "oficial.mx")
    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.click("#person-returns a.button")
    page.wait_for_selector("form.card")
    with page.expect_navigation():
        page.click("form.card button.primary")
    page.wait_for_selector("#workflow")
    ret = Return.objects.get(person=person)
    detail_url = f"{live_server.url}/returns/{ret.pk}/"
    assert page.url == detail_url

    take(
        page,
        "counselling",
        {"language": "spa", "counselled_on": ago(110), "note": "Explicadas todas las opciones"},
        check=("options_0", "options_1", "options_2"),
    )
    take(page, "consent", {"signed_on": ago(105), "language": "spa"})
    take(page, "assessment", {"eligible": "true", "assessed_on": ago(104)})

    page.click("a[href$='/documents/']")
    page.wait_for_selector("#workflow")
    take(page, "document_request", {"doc_type": "emergency_travel", "requested_on": ago(103)})
    take(page, "document_issue", {"number": "G4471203", "issued_on": ago(102)})
    assert "G4471203" in page.content()
    page.click(f"a[href='/returns/{ret.pk}/']")
    page.wait_for_selector("#workflow")

    take(
        page,
        "travel_plan",
        {
            "leg0_origin": "Los Ángeles",
            "leg0_destination": "Ciudad de México",
            "leg0_date": ago(100),
            "leg0_transport": "air",
            "leg0_carrier": "AM 647",
            "special_needs": "Dieta para diabéticos",
        },
    )
    receiving = page.locator("#id_hand_over-receiving_office option", has_text="Secretaría")
    take(
        page,
        "hand_over",
        {
            "receiving_office": receiving.first.get_attribute("value"),
            "consent_language": "spa",
            "consent_given_on": ago(101),
        },
    )
    take(page, "departure", {"departed_on": ago(100)})
    ret.refresh_from_db()
    assert ret.status == Status.DEPARTED
    assert "AM 647" in page.content()

    # The receiving side: the arrival on the home page, then reception and the plan.
    page.context.clear_cookies()
    login(page, live_server, "focal.mx")
    page.goto(f"{live_server.url}/")
    arrivals = page.locator("#return-arrivals")
    assert ret.reference in arrivals.inner_text()
    with page.expect_navigation():
        arrivals.locator(f"a:has-text('{ret.reference}')").click()
    assert page.url == detail_url
    assert "Serafín Eulogio" in page.content()
    take(page, "arrival", {"arrived_on": ago(99), "reception_note": "Recibido en el AICM"})
    take(
        page,
        "reintegration_plan",
        {
            "economic": "Capital semilla para un taller",
            "social": "Reinscripción de los hijos en la escuela",
            "psychosocial": "Grupo de apoyo en Morelia",
        },
    )
    ret.refresh_from_db()
    assert ret.status == Status.REINTEGRATION
    row = page.locator("#follow-ups tbody tr").first
    assert gettext("due") in row.inner_text()
    assert gettext("overdue") not in row.inner_text()
    # The home page lists the follow-up due too, linking to the return.
    page.goto(f"{live_server.url}/")
    assert page.locator(f"#return-arrivals a[href='/returns/{ret.pk}/']").count() >= 1

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(detail_url)
    if shots:
        page.screenshot(path=f"{shots}/return.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(detail_url)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 375, f"the return's page scrolls sideways at 375 px ({wide} px)"
    if shots:
        page.screenshot(path=f"{shots}/return-phone.png", full_page=True)
