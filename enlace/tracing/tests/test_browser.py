"""Browser journey: Guatemala files a tracing request, a person registered by Mexico's
consulate comes up with a coarse strength but no explanation and no identity, Mexico confirms
with consent, and both offices see the reunification."""

import os

import pytest

from enlace.accounts.actor import actor_for
from enlace.accounts.models import User
from enlace.accounts.testing import browser_login as login
from enlace.people import services as people_services
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tracing_request_to_reunification(page, live_server, demo):
    shots = os.environ.get("ENLACE_SCREENSHOTS")
    people_services.person_create(
        actor=actor_for(User.objects.get(username="oficial.mx")),
        data={
            "given_names": "Jesús Alberto",
            "first_surname": "Pérez",
            "second_surname": "Gómez",
            "sex": "M",
            "birth_date": "1999-03-14",
            "birth_place": "Huehuetenango",
            "mother_name": "María Gómez",
        },
        nationalities=["GT"],
    )
    login(page, live_server, "oficial.gt")
    page.goto(f"{live_server.url}/tracing/new/")
    page.fill("#id_requester_name", "Rosa Gómez")
    page.select_option("#id_requester_relation", "mother")
    page.fill("#id_requester_contact", "+502 5555 1234")
    page.fill("#id_nickname", "Chuy")
    page.fill("#id_first_surname", "Pérez")
    page.select_option("#id_sex", "M")
    page.fill("#id_birth_date", "1999")
    page.fill("#id_birth_place", "Huehuetenango")
    page.fill("#id_mother_name", "María Gómez")
    page.check("#id_requester_consent")
    page.click("button.primary")
    page.wait_for_selector(
        "text=Posible coincidencia en Consulado General de México en Los Ángeles"
    )
    content = page.content()
    assert "Jesús Alberto" not in content and "Alberto" not in content
    # Only a coarse strength: the field-by-field table is for the office that reviews.
    assert "Posible coincidencia fuerte" in content or "Strong possible match" in content
    assert "explanation" not in content
    request_url = page.url
    if shots:
        page.screenshot(path=f"{shots}/tracing-request.png", full_page=True)

    page.context.clear_cookies()
    login(page, live_server, "oficial.mx")
    page.goto(f"{live_server.url}/tracing/")
    page.click("text=Revisar")
    page.wait_for_selector("text=Jesús Alberto Pérez Gómez")
    page.select_option("#id_notice_language", "es")
    page.check("#id_person_consents")
    page.click("button:has-text('Confirmar la coincidencia')")
    page.wait_for_selector("text=Coincidencia confirmada.")
    page.click("a.button:has-text('Reunificación')")
    page.wait_for_selector("h1")
    assert "Reunificación" in page.inner_text("h1")

    page.context.clear_cookies()
    login(page, live_server, "oficial.gt")
    page.goto(request_url)
    page.wait_for_selector("text=Jesús Alberto Pérez Gómez")
    page.click("a.button:has-text('Reunificación')")
    page.wait_for_selector("text=Jesús Alberto Pérez Gómez")
    assert "Reunificación" in page.inner_text("h1")
    if shots:
        page.screenshot(path=f"{shots}/reunification.png", full_page=True)
