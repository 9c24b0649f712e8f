"""Take the documentation screenshots from a running server (make run).

Usage: python scripts/screenshots.py [BASE_URL [FILE.png …]]  — writes PNGs into docs/img/
(all of them, or only the files named).
Each shot is (file, user, path, viewport width, language); a path "/people/ > 1" opens the list
and follows its first record link, and "/people/new/ ? #field=text" types into a field first.

The family-tracing journey's shots (tracing-request.png, tracing-review.png at 1280 px,
tracing-review-phone.png at 375 px, reunification.png) need a match made on the way; the
browser test takes them:
  ENLACE_SCREENSHOTS=docs/img pytest enlace/tracing/tests/test_browser.py \
      -m transactional -p no:xdist

The return's page (return.png at 1280 px, return-phone.png at 375 px, docs/returns.*.md) is
taken the same way, after the journey from request to departure and reception:
  ENLACE_SCREENSHOTS=docs/img pytest enlace/returns/tests/test_journey_browser.py \
      -m transactional -p no:xdist

The remittance pages (docs/remittances.*.md: remittances-compare.png, -compare-phone.png,
-corridor.png, -corridor-phone.png, -corridors.png from the real World Bank series and invented
demonstration quotes; remittances-quotes.png, -quotes-phone.png, -quote.png from the staff's
pages) are taken by their browser tests:
  ENLACE_SCREENSHOTS=docs/img pytest enlace/remittances/tests/test_compare_browser.py \
      enlace/remittances/tests/test_staff_browser.py -m transactional -p no:xdist
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
ONLY = set(sys.argv[2:])
OUT = Path(__file__).resolve().parent.parent / "docs" / "img"
SHOTS = [
    ("login.png", None, "/accounts/login/", 1100, "es"),
    ("home.png", "supervisor.mx", "/", 1280, "en"),
    ("home-en.png", "supervisor.mx", "/", 1100, "en"),
    ("home-phone.png", "oficial.mx", "/", 390, "es"),
    # One home per role (docs/home.md); the browser tests save the same shots from demo data
    # with ENLACE_SCREENSHOTS=docs/img (enlace/core/tests/test_homes_browser.py).
    ("home-officer.png", "oficial.mx", "/", 1280, "en"),
    ("home-supervisor.png", "supervisor.mx", "/", 1280, "en"),
    ("home-focal-point.png", "focal.mx", "/", 1280, "en"),
    ("home-focal-point-phone.png", "focal.mx", "/", 375, "en"),
    ("home-trafficking.png", "trata.mx", "/", 1280, "en"),
    ("home-analyst.png", "analista", "/", 1280, "en"),
    ("home-association.png", "asociacion", "/", 1280, "en"),
    ("home-admin.png", "admin", "/", 1280, "en"),
    ("cases.png", "supervisor.mx", "/cases/", 1100, "es"),
    ("cases-phone.png", "supervisor.mx", "/cases/", 375, "es"),
    ("audit.png", "supervisor.mx", "/audit/", 1100, "es"),
    ("tracing-home.png", "albergue.mx", "/tracing/", 1100, "es"),
    ("person.png", "oficial.gt", "/people/?q=Xicara > 1", 1100, "es"),
    ("person-form.png", "oficial.mx", "/people/new/ ? #id_nationalities_filter=guat", 1100, "es"),
    ("case.png", "oficial.mx", "/cases/ > 1", 1100, "es"),
    ("help.png", "oficial.mx", "/help/", 1100, "es"),
]


def _open(page, path: str) -> None:
    """Go to the shot's page: straight, through a list's first record, or after typing."""
    if " > " in path:
        listing, _nth = path.split(" > ")
        page.goto(f"{BASE}{listing}")
        page.click("main table a")
        page.wait_for_load_state()
    elif " ? " in path:
        url, typing = path.split(" ? ")
        page.goto(f"{BASE}{url}")
        selector, text = typing.split("=", 1)
        page.fill(selector, text)
        page.locator(selector).evaluate("e => e.closest('fieldset').scrollIntoView()")
    else:
        page.goto(f"{BASE}{path}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for name, user, path, width, lang in SHOTS:
            if ONLY and name not in ONLY:
                continue
            ctx = browser.new_context(viewport={"width": width, "height": 800})
            ctx.add_cookies([{"name": "django_language", "value": lang, "url": BASE}])
            page = ctx.new_page()
            if user:
                page.goto(f"{BASE}/accounts/login/")
                page.fill("#id_username", user)
                page.fill("#id_password", "enlace-demo")
                page.click("button.primary")
                page.wait_for_load_state()
            _open(page, path)
            page.screenshot(path=str(OUT / name), full_page=" ? " not in path)
            ctx.close()
            print(OUT / name)
        browser.close()


if __name__ == "__main__":
    main()
