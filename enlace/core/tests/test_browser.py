"""Browser journey: log in and switch the interface language (Playwright + Debian Chromium)."""

import os

import pytest

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officer_logs_in_and_switches_language(page, live_server, demo):
    login(page, live_server, "oficial.mx")
    assert "Bienvenida/o" in page.inner_text("h1")
    assert "Oficial consular" in page.inner_text("header")
    expected = {
        "en": ("Welcome", "Consular officer", "Log out"),
        "pt": ("Bem-vinda/o", "Oficial consular", "Sair"),
        "fr": ("Bienvenue", "Agent consulaire", "Se déconnecter"),
        "es": ("Bienvenida/o", "Oficial consular", "Cerrar sesión"),
    }
    for lang, (heading, role, logout) in expected.items():
        with page.expect_navigation():
            page.select_option("#lang-select", lang)
        assert page.get_attribute("html", "lang") == lang
        assert heading in page.inner_text("h1")
        header = page.inner_text("header")
        assert role in header
        assert logout in header


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_home_page_fits_a_phone(page, live_server, demo):
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, live_server, "supervisor.mx")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page scrolls sideways on a phone: {width}px"
    if os.environ.get("ENLACE_SCREENSHOTS"):
        page.screenshot(path=os.environ["ENLACE_SCREENSHOTS"] + "/home-phone.png", full_page=True)
