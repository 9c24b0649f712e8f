"""Browser journey: Guatemala files a tracing request, a person registered by Mexico's
consulate comes up with a coarse strength but no explanation and no identity; Guatemala adds
where he was last seen; Mexico reviews side by side and confirms with consent; both offices see
the reunification, each other's contact and the person's links. A second request is withdrawn."""

import os

import pytest

from enlace.accounts.actor import actor_for
from enlace.accounts.models import User
from enlace.accounts.testing import browser_login as login
from enlace.people import services as people_services
from enlace.tests.browser import BROWSER_TESTS, assert_axe_clean

pytestmark = BROWSER_TESTS


def register_sought(username: str) -> None:
    """The person a Guatemalan family looks for, registered by `username`'s office."""
    people_services.person_create(
        actor=actor_for(User.objects.get(username=username)),
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


def file_request(page, live_server, username: str, contact: str = "") -> None:
    """`username` files, in the browser, the mother's request for him as she remembers him."""
    login(page, live_server, username)
    page.goto(f"{live_server.url}/tracing/new/")
    page.fill("#id_requester_name", "Rosa Gómez")
    page.select_option("#id_requester_relation", "mother")
    if contact:
        page.fill("#id_requester_contact", contact)
    page.fill("#id_nickname", "Chuy")
    page.fill("#id_first_surname", "Pérez")
    page.select_option("#id_sex", "M")
    page.fill("#id_birth_date", "1999")
    page.fill("#id_birth_place", "Huehuetenango")
    page.fill("#id_mother_name", "María Gómez")
    page.check("#id_requester_consent")
    page.click("button.primary")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tracing_request_to_reunification(page, live_server, demo):
    shots = os.environ.get("ENLACE_SCREENSHOTS")
    register_sought("oficial.mx")
    file_request(page, live_server, "oficial.gt", contact="+502 5555 1234")
    page.wait_for_selector(
        "text=Posible coincidencia en Consulado General de México en Los Ángeles"
    )
    content = page.content()
    assert "Jesús Alberto" not in content and "Alberto" not in content
    # Only a coarse strength: the field-by-field table is for the office that reviews.
    assert "Posible coincidencia fuerte" in content or "Strong possible match" in content
    assert "explanation" not in content
    request_url = page.url
    # The family remembers where he was last seen: the request is edited and matched again.
    page.click("a.button[href$='/edit/']")
    page.wait_for_selector("#id_last_seen_place")
    assert page.input_value("#id_nickname") == "Chuy"
    assert_axe_clean(page)
    page.fill("#id_last_seen_place", "Tapachula")
    page.click("button.primary")
    page.wait_for_url(request_url)
    assert "Tapachula" in page.content()
    assert "Jesús Alberto" not in page.content()
    assert_axe_clean(page)
    if shots:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.screenshot(path=f"{shots}/tracing-request.png", full_page=True)

    page.context.clear_cookies()
    login(page, live_server, "oficial.mx")
    page.goto(f"{live_server.url}/tracing/")
    page.click("text=Revisar")
    page.wait_for_selector("text=Jesús Alberto Pérez Gómez")
    # Side by side: what the family said next to the registered person, in plain words.
    table = page.inner_text("#comparison")
    assert "«Chuy»" in table and "Jesús Alberto" in table
    assert "Huehuetenango" in table and "María Gómez" in table
    assert_axe_clean(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert_axe_clean(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    if shots:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.screenshot(path=f"{shots}/tracing-review.png", full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path=f"{shots}/tracing-review-phone.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 800})
    page.select_option("#id_notice_language", "es")
    page.check("#id_person_consents")
    page.click("button:has-text('Confirmar la coincidencia')")
    page.wait_for_selector("text=Coincidencia confirmada.")
    # The requesting office's contact, from the office directory.
    assert "consulado.cdmx@example.org" in page.inner_text("#office-contact")
    page.click("a.button:has-text('Reunificación')")
    page.wait_for_selector("h1")
    assert "Reunificación" in page.inner_text("h1")

    page.context.clear_cookies()
    login(page, live_server, "oficial.gt")
    page.goto(request_url)
    page.wait_for_selector("text=Jesús Alberto Pérez Gómez")
    assert "proteccion.la@example.org" in page.content()  # the registering office's contact
    page.click("a.button:has-text('Reunificación')")
    page.wait_for_selector("text=Jesús Alberto Pérez Gómez")
    assert "Reunificación" in page.inner_text("h1")
    assert "+1 213 555 0142" in page.inner_text("#office-contact")
    assert_axe_clean(page)
    if shots:
        page.screenshot(path=f"{shots}/reunification.png", full_page=True)
    # From the reunification to the match, to the person (opened by the confirmation), whose
    # page links back to the match and the reunification.
    page.click("a[href*='/tracing/matches/']")
    page.wait_for_selector("#office-contact")
    page.click("dl.facts a[href*='/people/']")
    page.wait_for_selector("#person-tracing")
    assert page.locator("#person-tracing a[href*='/tracing/reunifications/']").count() == 1
    assert_axe_clean(page)

    # A second request is withdrawn: asked first, then it stops searching.
    page.goto(f"{live_server.url}/tracing/new/")
    page.fill("#id_requester_name", "Pedro Cux")
    page.select_option("#id_requester_relation", "father")
    page.fill("#id_given_names", "Zacarías")
    page.fill("#id_first_surname", "Quemé")
    page.check("#id_requester_consent")
    page.click("button.primary")
    page.wait_for_selector("#withdraw")
    page.fill("#id_reason", "La familia lo encontró")
    page.once("dialog", lambda d: d.accept())
    page.click("#withdraw button.danger")
    page.wait_for_selector(".badge, small.meta")
    page.wait_for_function("!document.querySelector('#withdraw')")
    assert page.locator("a.button[href$='/edit/']").count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_administrator_keeps_the_office_directory(page, live_server, demo):
    """The administrator edits an office's contact details; a bad phone is refused in words."""
    from enlace.accounts.models import Office

    office = Office.objects.get(name="Consulado de Honduras en Tapachula")
    login(page, live_server, "admin")
    page.goto(f"{live_server.url}/accounts/offices/?q=Tapachula")
    page.click(f"a[href='/accounts/offices/{office.pk}/members/']")
    page.click(f"a[href='/accounts/offices/{office.pk}/edit/']")
    page.wait_for_selector("#id_phone")
    assert_axe_clean(page)
    page.fill("#id_phone", "12")
    page.click("button.primary")
    page.wait_for_selector(".error")
    page.fill("#id_phone", "962 555 0177")  # local to Mexico, where the office is
    page.fill("#id_opening_hours", "Lunes a viernes, 8:00 a 16:00")
    page.click("button.primary")
    page.wait_for_selector("text=+52 962 555 0177")
    assert "Lunes a viernes, 8:00 a 16:00" in page.content()
    assert_axe_clean(page)

    # An officer sees every office in the directory, but only its own office as a link.
    page.context.clear_cookies()
    login(page, live_server, "oficial.gt")
    page.goto(f"{live_server.url}/accounts/offices/?q=Tapachula")
    page.wait_for_selector("text=Consulado de Honduras en Tapachula")
    assert page.locator(f"a[href='/accounts/offices/{office.pk}/members/']").count() == 0
    assert_axe_clean(page)
