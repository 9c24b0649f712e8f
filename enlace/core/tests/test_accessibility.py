"""axe-core (axe-playwright-python) finds no accessibility violation on the most used pages."""

import pytest

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_main_pages_have_no_axe_violations(page, live_server, demo, width):
    from axe_playwright_python.sync_playwright import Axe

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
    axe = Axe()
    found = []
    for url in urls:
        page.goto(live_server.url + url)
        result = axe.run(page)
        assert result.response["passes"], f"axe did not run on {url}"
        for v in result.response["violations"]:
            found.append(f"{url}: {v['id']} ({v['impact']}) {v['nodes'][0]['html'][:120]}")
    assert not found, "accessibility violations:\n" + "\n".join(found)
