"""Browser (issue 17, the information half): the portal's pages at 375 px (no sideways scroll)
and 1280 px, their weight as the browser loads them, and the installable web app — the
service worker keeps the rights pages and the office directory, which still open once the
phone is offline. axe-core checks every page shown (the `page` fixture).

With ENLACE_SCREENSHOTS=<dir> it saves portal-*.png (for docs/portal.*.md)."""

import gzip
import os

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override

from enlace.portal import rights
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS

BUDGET = 100 * 1024
CACHE = "enlace-portal-1"


def es(text: str) -> str:
    with override("es"):
        return gettext(text)


def shot(page, name: str) -> None:
    if os.environ.get("ENLACE_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['ENLACE_SCREENSHOTS']}/{name}", full_page=True)


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways: {width}px"


def pages() -> list[tuple[str, str]]:
    return [
        ("home", reverse("portal_info:home")),
        ("offices", reverse("portal_info:offices")),
        ("finder", reverse("portal_info:offices") + "?nationality=GT&country=MX"),
        ("finder-empty", reverse("portal_info:offices") + "?nationality=HT&country=CA"),
        ("directory", reverse("portal_info:directory")),
        ("rights", reverse("portal_info:rights")),
        *((p.slug, reverse("portal_info:rights_page", args=[p.slug])) for p in rights.PAGES),
    ]


def intake_pages() -> list[tuple[str, str]]:
    """The intake's public pages: on the same light base, not kept offline."""
    return [
        ("ask-help", reverse("portal:ask_help")),
        ("ask-tracing", reverse("portal:ask_tracing")),
        ("follow", reverse("portal:follow")),
    ]


def weigh(browser, base: str) -> list[tuple[str, int, int, int]]:
    """Each page's first load in a fresh context without the service worker: every response
    the browser received (HTML, CSS, script, icons, manifest), raw and gzip-compressed."""
    context = browser.new_context(service_workers="block", viewport={"width": 375, "height": 800})
    rows = []
    try:
        for name, url in pages() + intake_pages():
            page = context.new_page()
            responses = []

            def keep(response, responses=responses):
                responses.append(response)

            page.on("response", keep)
            page.goto(base + url, wait_until="networkidle")
            bodies = [r.body() for r in responses if r.ok]
            raw = sum(len(b) for b in bodies)
            packed = sum(len(gzip.compress(b, compresslevel=6)) for b in bodies)
            rows.append((name, len(bodies), raw, packed))
            page.close()
    finally:
        context.close()
    return rows


def cached(page, url: str) -> bool:
    return page.evaluate(
        "([name, url]) => caches.open(name).then(c => c.match(url, {ignoreVary: true}))"
        ".then(r => !!r)",
        [CACHE, url],
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_portal_pages_fit_a_phone_weigh_little_and_work_offline(page, live_server, capsys):
    from enlace.accounts.management.demo import seed_demo

    seed_demo()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/portal/")
    assert page.get_attribute("html", "lang") == "es"
    assert es("Find the right office") in page.inner_text("main")
    # The worker installs and keeps the offline pages.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(
        f"caches.open('{CACHE}').then(c => c.keys()).then(k => k.length >= 10)", timeout=20_000
    )
    for _name, url in pages():
        if "?" not in url:
            assert cached(page, url), url
    assert cached(page, reverse("portal_info:directory"))

    for name, url in pages() + intake_pages():
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(live_server.url + url)
            fits(page)
            shot(page, f"portal-{name}{'-phone' if width == 375 else ''}.png")

    # The finder's answer for a Guatemalan in Mexico: the demo's consulate and shelter.
    page.goto(live_server.url + reverse("portal_info:offices"))
    page.select_option("#id_nationality", "GT")
    page.select_option("#id_country", "MX")
    with page.expect_navigation():
        page.click("form.finder button[type=submit]")
    main = page.inner_text("main")
    assert "Consulado de Guatemala en Ciudad de México" in main
    assert "Albergue Belén, Tapachula" in main
    assert "+52 55 5555 0110" in main

    # Printable: a rights page prints without the header, the footer or the navigation.
    page.goto(live_server.url + reverse("portal_info:rights_page", args=["trafficking"]))
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert not page.locator("footer.foot").is_visible()
    assert page.locator("article.rights h1").is_visible()
    page.emulate_media(media="screen")

    # Without JavaScript the finder works the same (a plain GET form).
    context = page.context.browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(live_server.url + reverse("portal_info:offices"))
        plain.select_option("#id_nationality", "GT")
        plain.select_option("#id_country", "MX")
        with plain.expect_navigation():
            plain.click("form.finder button[type=submit]")
        assert "Consulado de Guatemala en Ciudad de México" in plain.inner_text("main")
        # … and so does asking for help, at 375 px: the form, the codes, the status.
        plain.set_viewport_size({"width": 375, "height": 800})
        plain.goto(live_server.url + reverse("portal:ask_help"))
        assert plain.locator("link[href$='portal/portal.css']").count() == 1
        plain.check("#id_situation_1")
        plain.fill("#id_description", "Estoy en el hospital de Tapachula.")
        plain.select_option("#id_nationality", "GT")
        plain.select_option("#id_country", "MX")
        plain.fill("#id_contact_phone", "+52 962 555 0100")
        box = plain.locator("#id_website").bounding_box()  # the honeypot: off the screen
        assert box is not None and box["x"] + box["width"] <= 0, box
        fits(plain)
        with plain.expect_navigation():
            plain.click("main form button[type=submit]")
        reference = plain.inner_text("#reference")
        secret = plain.inner_text("#secret")
        fits(plain)
        plain.goto(live_server.url + reverse("portal:follow"))
        plain.fill("#id_reference", reference)
        plain.fill("#id_secret", secret)
        with plain.expect_navigation():
            plain.click("main form button[type=submit]")
        assert plain.get_attribute("#status", "data-status") == "received"
        fits(plain)
    finally:
        context.close()

    rows = weigh(page.context.browser, live_server.url)
    with capsys.disabled():
        print("\npage, responses, bytes, bytes gzip")
        for row in rows:
            print(" | ".join(str(v) for v in row))
    for name, _count, _raw, packed in rows:
        assert packed < BUDGET, f"{name}: {packed} bytes compressed"

    # Offline: the rights pages and the directory still open, from the worker's cache.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/portal/")
    page.context.set_offline(True)
    try:
        slug = rights.PAGES[0].slug
        response = page.goto(live_server.url + reverse("portal_info:rights_page", args=[slug]))
        assert response is not None and response.ok and response.from_service_worker
        title, _body, _lang = rights.render_page(slug, "es")
        assert page.inner_text("h1") == title
        response = page.goto(live_server.url + reverse("portal_info:directory"))
        assert response is not None and response.from_service_worker
        assert "Consulado de Guatemala en Ciudad de México" in page.inner_text("main")
        # A finder question not asked before: the whole directory instead.
        response = page.goto(
            live_server.url + reverse("portal_info:offices") + "?nationality=HN&country=MX"
        )
        assert response is not None and response.from_service_worker
        assert "Consulado de Guatemala en Ciudad de México" in page.inner_text("main")
        fits(page)
        shot(page, "portal-offline-phone.png")
        # Nothing else is served from a cache: a page the worker does not keep fails.
        with pytest.raises(Exception, match=r"ERR_INTERNET_DISCONNECTED|ERR_FAILED"):
            page.goto(f"{live_server.url}/about/")
    finally:
        page.context.set_offline(False)

    # The reader switches to English: the worker keeps the offline pages in English from then on.
    page.goto(f"{live_server.url}/portal/")
    with page.expect_navigation():
        page.click("nav.langs a[hreflang=en]")
    assert page.get_attribute("html", "lang") == "en"
    rights_url = reverse("portal_info:rights_page", args=[slug])
    page.wait_for_function(
        "([name, url]) => caches.open(name).then(c => c.match(url, {ignoreVary: true}))"
        ".then(r => r.text()).then(t => t.includes('<html lang=\"en\">'))",
        arg=[CACHE, rights_url],
        timeout=20_000,
    )
    page.context.set_offline(True)
    try:
        response = page.goto(live_server.url + rights_url)
        assert response is not None and response.from_service_worker
        assert page.inner_text("h1") == rights.render_page(slug, "en")[0]
    finally:
        page.context.set_offline(False)
    page.goto(f"{live_server.url}/portal/")
