"""Printing a case page: the record without navigation, forms or buttons; the PDF link works.
The help pages pass axe at desktop and phone widths."""

import pytest

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_printing_a_case_shows_the_record_only(page, live_server, demo):
    from enlace.cases.demo import seed_demo_cases
    from enlace.cases.models import Case

    seed_demo_cases()
    login(page, live_server, "oficial.mx")
    case = Case.objects.filter(owner_office__memberships__user__username="oficial.mx").first()
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    link = page.locator(f'a[href="/cases/{case.pk}/summary.pdf"]')
    assert link.is_visible()
    response = page.context.request.get(live_server.url + link.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")
    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()
    assert not link.is_visible()
    assert not page.locator("form[action$='/actions/']").is_visible()
    assert not page.locator("section.card:has(> form.step)").is_visible()
    assert page.locator("#case-facts").is_visible()
    assert page.locator("ol.timeline").is_visible()
    assert page.get_by_text(case.reference).first.is_visible()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_help_pages_have_no_axe_violations(page, live_server, demo, width):
    from axe_playwright_python.sync_playwright import Axe

    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server, "oficial.mx")
    found = []
    for url in ["/help/", "/help/cases/", "/help/tracing/", "/jobs/"]:
        page.goto(live_server.url + url)
        result = Axe().run(page)
        found += [
            f"{url}: {v['id']} {v['nodes'][0]['html'][:100]}" for v in result.response["violations"]
        ]
    assert not found, "\n".join(found)
    # No horizontal scrolling on a phone.
    page.goto(live_server.url + "/help/cases/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
