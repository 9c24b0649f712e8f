"""Browser (issue 17's done-when): at 375 px on a throttled "slow 3G" connection, a relative
files a tracing request in Haitian Creole, gets a reference and a secret, and sees "received";
`oficial.gt` opens the intake from the office's inbox and turns it into a tracing request; the
relative sees the status change with the codes. axe-core checks every page (the `page` fixture).
The bytes each public page transferred (as the browser received them, from the DevTools
protocol) are printed.

With ENLACE_SCREENSHOTS=<dir> it saves portal-ask-tracing-phone.png, portal-sent-phone.png,
portal-status-phone.png and portal-triage.png."""

import os

import pytest
from django.urls import reverse

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS

# Chrome DevTools' "Slow 3G" preset (front_end/core/sdk/NetworkManager.ts in the Chromium
# DevTools frontend): 2000 ms latency, 500 kbit/s × 0.8 down and up, in bytes per second.
SLOW_3G = {
    "offline": False,
    "latency": 2000,
    "downloadThroughput": 500 * 1000 / 8 * 0.8,
    "uploadThroughput": 500 * 1000 / 8 * 0.8,
}


def shot(page, name: str) -> None:
    if os.environ.get("ENLACE_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['ENLACE_SCREENSHOTS']}/{name}", full_page=True)


class Weights:
    """Bytes transferred per page load (every response of the load: HTML, CSS, images),
    summed from Network.loadingFinished's encodedDataLength."""

    def __init__(self, page) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        # The portal's pages register its service worker; its fetches would not count here.
        self.cdp.send("Network.setBypassServiceWorker", {"bypass": True})
        self.total = 0
        self.cdp.on("Network.loadingFinished", self._finished)
        self.pages: dict[str, int] = {}

    def _finished(self, event) -> None:
        self.total += int(event.get("encodedDataLength", 0))

    def throttle(self, on: bool = True) -> None:
        conditions = (
            SLOW_3G
            if on
            else {**SLOW_3G, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
        )
        self.cdp.send("Network.emulateNetworkConditions", conditions)

    def start(self) -> None:
        self.total = 0

    def record(self, page, name: str) -> None:
        page.wait_for_load_state("load")
        self.pages[name] = self.total


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_relative_files_in_creole_office_triages_status_changes(page, live_server, demo):
    from enlace.inbox.models import Item, Kind
    from enlace.portal.models import PublicRequest
    from enlace.tracing.models import TracingRequest

    base = live_server.url
    page.context.add_cookies([{"name": "django_language", "value": "ht", "url": base}])
    page.set_viewport_size({"width": 375, "height": 800})
    weights = Weights(page)
    weights.throttle()

    weights.start()
    page.goto(f"{base}{reverse('portal:ask_tracing')}")
    weights.record(page, "ask tracing (form)")
    assert page.locator("html").get_attribute("lang") == "ht"
    shot(page, "portal-ask-tracing-phone.png")
    page.fill("#id_given_names", "Wilner")
    page.fill("#id_first_surname", "Joseph")
    page.fill("#id_nickname", "Ti Wil")
    page.fill("#id_birth_year", "2001")
    page.fill("#id_last_seen_place", "Tapachula")
    page.select_option("#id_relation", "sibling")
    page.fill("#id_requester_name", "Marie Joseph")
    page.select_option("#id_nationality", "GT")
    page.select_option("#id_country", "MX")
    page.fill("#id_contact_phone", "+502 5555 0101")
    page.check("#id_consent")
    weights.start()
    page.click("button.primary")
    page.wait_for_selector("#secret")
    weights.record(page, "request sent (codes)")
    reference = page.inner_text("#reference")
    secret = page.inner_text("#secret")
    assert len(reference.replace("-", "")) == 20 and len(secret.replace("-", "")) == 20
    shot(page, "portal-sent-phone.png")
    request = PublicRequest.objects.get()
    assert request.office.name == "Consulado de Guatemala en Ciudad de México"  # GT in MX
    assert not TracingRequest.objects.exists()  # nothing searched before triage

    def follow(name: str) -> str:
        weights.start()
        page.goto(f"{base}{reverse('portal:follow')}")
        weights.record(page, "follow (form)")
        page.fill("#id_reference", reference)
        page.fill("#id_secret", secret)
        weights.start()
        page.click("button.primary")
        page.wait_for_selector("#status")
        weights.record(page, name)
        return page.get_attribute("#status", "data-status") or ""

    assert follow("status (received)") == "received"
    content = page.content()
    assert "Consulado" not in content and "Wilner" not in content
    shot(page, "portal-status-phone.png")

    # The office: full speed, a desktop, in Spanish.
    weights.throttle(False)
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "oficial.gt")
    item = Item.objects.get(kind=Kind.PORTAL_REQUEST)
    page.goto(f"{base}{reverse('inbox:list')}")
    page.click(f"a[href='{reverse('inbox:open', kwargs={'item_id': item.pk})}']")
    page.wait_for_selector("#tracing-title")
    assert "Wilner" in page.content()
    shot(page, "portal-triage.png")
    page.check("#id_verified")
    page.click("form[action$='/tracing/'] button.primary")
    page.wait_for_selector(".messages")
    tracing = TracingRequest.objects.get()
    assert tracing.office == request.office and tracing.requester_name == "Marie Joseph"

    # The relative again, on the phone and the slow connection, in Creole.
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "ht", "url": base}])
    page.set_viewport_size({"width": 375, "height": 800})
    weights.throttle()
    assert follow("status (working)") == "working"

    print("\npage weights (bytes transferred, slow 3G, 375 px):")
    for name, size in weights.pages.items():
        print(f"  {name:28} {size:>8,d} B")
    assert all(size < 100_000 for size in weights.pages.values()), weights.pages
