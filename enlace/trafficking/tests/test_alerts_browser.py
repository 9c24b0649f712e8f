"""Browser journey of an identity access request (demo data): Mexico's trafficking focal point
asks for the identities of a Guatemalan case through Mexico, Guatemala grants it from the
inbox, and Mexico then reads the victim's name. (The alert journey itself, from the case form
to the route countries' inboxes, is test_journey_browser.py.) axe-core checks every page shown."""

import pytest

from enlace.accounts.testing import browser_login as login
from enlace.inbox.models import Item, Kind
from enlace.tests.browser import BROWSER_TESTS
from enlace.trafficking.models import TraffickingCase

pytestmark = [*BROWSER_TESTS, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo_trafficking(demo):
    from enlace.trafficking.demo import seed_demo_trafficking

    seed_demo_trafficking()


def test_mexico_asks_for_a_guatemalan_cases_identities_and_guatemala_grants(
    page, live_server, demo_trafficking
):
    from enlace.trafficking.models import IdentityRequest

    case = (
        TraffickingCase.objects.filter(
            owner_office__country_id="GT", route__country_id="MX", victims__isnull=False
        )
        .distinct()
        .first()
    )
    assert case is not None, "the demo has a Guatemalan case through Mexico"
    victim = case.victims.select_related("person").first().person
    login(page, live_server, "trata.mx")
    page.goto(f"{live_server.url}/trafficking/{case.pk}/")
    assert victim.first_surname not in page.inner_text("main")  # de-identified
    page.click("a:text('Request the identities'), a:text('Pedir las identidades')")
    page.wait_for_selector("h1")
    page.fill("#id_purpose", "Investigación conjunta")
    page.fill("#id_legal_basis", "Convenio bilateral, art. 4")
    page.fill("#id_days", "30")
    page.click("button[type=submit].primary")
    page.wait_for_selector("h1")
    request = IdentityRequest.objects.get(case=case)
    assert page.url.endswith(f"/trafficking/access-requests/{request.pk}/")
    page.goto(f"{live_server.url}/trafficking/access-requests/")
    assert case.reference in page.inner_text("main")

    page.context.clear_cookies()
    login(page, live_server, "trata.gt")
    item = Item.objects.get(
        kind=Kind.TRAFFICKING_ACCESS_REQUESTED, params__reference=case.reference
    )
    page.goto(f"{live_server.url}/inbox/{item.pk}/")
    page.wait_for_selector("h1")
    page.check("input[name=decision][value=grant]")
    page.click("button[type=submit].primary")
    page.wait_for_selector("h1")
    request.refresh_from_db()
    assert request.status == IdentityRequest.Status.GRANTED

    page.context.clear_cookies()
    login(page, live_server, "trata.mx")
    page.goto(f"{live_server.url}/trafficking/{case.pk}/")
    assert victim.first_surname in page.inner_text("main")
