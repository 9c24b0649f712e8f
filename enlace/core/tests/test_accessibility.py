"""axe-core finds no accessibility violation on the most used pages, at desktop and phone width.

The `page` fixture (enlace/conftest.py) runs axe-core over every page any browser test shows and
fails the test at teardown; this test visits the main pages so that each is checked at both
widths, and checks that the watch itself catches a violation.
"""

import pytest

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_main_pages_have_no_axe_violations(page, live_server, demo, width):
    from enlace.cases.demo import seed_demo_cases
    from enlace.cases.models import Case

    seed_demo_cases()
    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server, "oficial.mx")
    case = Case.objects.filter(owner_office__memberships__user__username="oficial.mx").first()
    assert case is not None, "the demo data gives oficial.mx a case"
    urls = [
        "/",
        "/cases/",
        f"/cases/{case.pk}/",
        "/cases/referrals/",
        "/people/",
        f"/people/{case.person_id}/",
        "/people/new/",
        "/tracing/",
        "/tracing/new/",
        "/accounts/password/",
        "/about/",
    ]
    for url in urls:
        page.goto(live_server.url + url)
        page.wait_for_selector("h1")
    watch = page.axe_watch
    watch.final_check()
    missing = {live_server.url + u for u in urls} - watch.checked
    assert not missing, f"axe-core never ran on {sorted(missing)}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_page_fixture_reports_a_violation_and_an_unchecked_page(page, live_server):
    probe = live_server.url + "/axe-probe/"
    page.route(
        probe,
        lambda route: route.fulfill(
            content_type="text/html",
            body='<!doctype html><html lang="en"><title>x</title><main><h1>x</h1>'
            '<img src="/static/none.png"></main></html>',
        ),
    )
    page.goto(probe)
    page.wait_for_selector("h1")
    watch = page.axe_watch
    assert any(f.startswith("/axe-probe/: image-alt (critical)") for f in watch.failures)
    watch.visited.append(live_server.url + "/never-checked/")
    assert "/never-checked/" in watch.report()
    watch.failures.clear()  # this test's own findings are expected: let the teardown pass
    watch.visited.clear()
