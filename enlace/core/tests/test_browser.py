"""Browser journey: log in and switch the interface language (Playwright + Debian Chromium)."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason="browser test skipped: no Chromium at /usr/bin/chromium "
        "(apt-get install -y chromium; CI installs it)",
    ),
]


@pytest.fixture
def page(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "enlace-demo")
    page.click("button.primary")
    page.wait_for_selector("h1")


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
