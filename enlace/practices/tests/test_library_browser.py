"""Browser: an anonymous reader searches the library without accents and in another word form,
finds the family-reunification practice, reads it and asks its author a question; the analyst
of the secretariat reviews the practice waiting for review. The `page` fixture runs axe-core on
every page loaded; the phone width (375 px) is checked too.

With ENLACE_SCREENSHOTS=<dir> it saves the library and the practice at 1280 and 375 px
(practices-library.png, practices-library-phone.png, practice.png, practice-phone.png) and the
review page (practice-review.png) for docs/practices.*.md."""

import os

import pytest
from django.utils.translation import gettext, override

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS

FAMILY = "Reunificación familiar de niñas, niños y adolescentes no acompañados"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_anonymous_search_finds_the_practice_and_asks_its_author(page, live_server, demo):
    from enlace.practices.demo import seed_demo_practices
    from enlace.practices.models import Question

    seed_demo_practices()
    shots = os.environ.get("ENLACE_SCREENSHOTS")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/practices/")
    page.fill("#id_q", "reunificacion familiares")
    with page.expect_navigation():
        page.click("form[role=search] button[type=submit]")
    results = page.locator("ol.practice-list h2").all_inner_texts()
    assert results == [FAMILY]
    assert "q=reunificacion+familiares" in page.url
    if shots:
        page.screenshot(path=f"{shots}/practices-library.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    if shots:
        page.screenshot(path=f"{shots}/practices-library-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    with page.expect_navigation():
        page.click(f"text={FAMILY}")
    assert page.locator("h1").inner_text() == FAMILY
    assert "example.org" not in page.content()  # the contact's address is never in the page
    if shots:
        page.screenshot(path=f"{shots}/practice.png", full_page=True)
    page.fill("#id_name", "Lucía")
    page.fill("#id_email", "lucia@example.com")
    page.fill("#id_message", "¿Qué autoridad hace la evaluación del interés superior?")
    with page.expect_navigation():
        page.click("#ask button[type=submit]")
    with override("es"):
        sent = gettext("Your message was sent. The author will reply to your e-mail address.")
    assert sent in page.locator("#ask").inner_text()
    assert Question.objects.filter(email="lucia@example.com").exists()
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    if shots:
        page.screenshot(path=f"{shots}/practice-phone.png", full_page=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_secretariat_publishes_a_submitted_practice(page, live_server, demo):
    from enlace.practices.demo import seed_demo_practices
    from enlace.practices.models import Practice, Status

    seed_demo_practices()
    waiting = Practice.objects.get(status=Status.SUBMITTED)
    shots = os.environ.get("ENLACE_SCREENSHOTS")
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, live_server, "analista")
    page.goto(f"{live_server.url}/practices/review/")
    with page.expect_navigation():
        page.click(f"text={waiting.title}")
    if shots:
        page.screenshot(path=f"{shots}/practice-review.png", full_page=True)
    page.check("#review input[value=publish]")
    with page.expect_navigation():
        page.click("#review button[type=submit]")
    waiting.refresh_from_db()
    assert waiting.status == Status.PUBLISHED
    page.goto(f"{live_server.url}/practices/?q=clubes")
    assert page.locator("ol.practice-list h2").all_inner_texts() == [waiting.title]
