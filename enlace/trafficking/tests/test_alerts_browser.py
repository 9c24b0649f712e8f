"""Browser journey of a trafficking alert (demo data): Mexico's trafficking focal point opens a
case whose route runs Honduras → Guatemala → Mexico → United States through the form;
Guatemala's and Honduras's focal points each find the alert in their inbox (and an e-mail),
open it to the alerts page, open the case (de-identified) and acknowledge the alert. axe-core
checks every page shown."""

import pytest
from django.core import mail

from enlace.accounts.models import User
from enlace.accounts.testing import browser_login as login
from enlace.inbox.models import Item, Kind
from enlace.tests.browser import BROWSER_TESTS
from enlace.trafficking.models import Alert, TraffickingCase

pytestmark = [*BROWSER_TESTS, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROUTE = ("HN", "GT", "MX", "US")
SUMMARY = "Grupo captado en San Pedro Sula con ofertas de trabajo falsas"


def _open_case(page, live_server) -> TraffickingCase:
    login(page, live_server, "trata.mx")
    page.goto(f"{live_server.url}/trafficking/new/")
    page.select_option("#id_kind", "trafficking")
    page.fill("#id_summary", SUMMARY)
    for i, country in enumerate(ROUTE):
        page.select_option(f"#id_route-{i}-country", country)
    page.fill("#id_route-0-place", "San Pedro Sula")
    page.select_option("#id_route-0-transport", "bus")
    page.click("button[type=submit].primary")
    page.wait_for_selector("h1")
    case = TraffickingCase.objects.get(summary=SUMMARY)
    assert case.reference in page.inner_text("h1")
    return case


def _acknowledge(page, live_server, username: str, case: TraffickingCase) -> None:
    user = User.objects.get(username=username)
    alert = Alert.objects.get(case=case, office__memberships__user=user)
    item = Item.objects.get(
        kind=Kind.TRAFFICKING_ALERT, office=alert.office, params__reference=case.reference
    )
    if user.email:
        assert any(m.to == [user.email] and case.reference in m.subject for m in mail.outbox)
    page.context.clear_cookies()
    login(page, live_server, username)
    page.goto(f"{live_server.url}/inbox/?unread=true")
    link = page.locator(f'a[href="/inbox/{item.pk}/"]')
    assert case.reference in link.inner_text()
    assert "HN → GT → MX → US" in link.inner_text()
    link.click()
    page.wait_for_selector("h1")
    assert page.url.endswith("/trafficking/alerts/")
    row = page.locator(f"#alert-{alert.pk}")
    assert case.reference in row.inner_text()
    # The case opens, de-identified for a route country.
    row.locator(f"a:text('{case.reference}')").click()
    page.wait_for_selector("h1")
    assert case.reference in page.inner_text("h1")
    page.go_back()
    page.wait_for_selector(f"#alert-{alert.pk}")
    # Acknowledge with the keyboard: the button is reachable and a POST with CSRF.
    button = page.locator(f"#alert-{alert.pk} button")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#alert-{alert.pk}:has-text('{user.get_full_name()}')")
    alert.refresh_from_db()
    assert alert.acknowledged_by == user
    assert alert.acknowledged_at is not None


def test_a_route_case_alerts_guatemala_and_honduras_who_acknowledge(page, live_server, demo):
    case = _open_case(page, live_server)
    alerted = set(Alert.objects.filter(case=case).values_list("office__country_id", flat=True))
    assert {"GT", "HN"} <= alerted
    for username in ("trata.gt", "trata.hn"):
        _acknowledge(page, live_server, username, case)
    # Each office acknowledged its own alert.
    acknowledged = dict(
        Alert.objects.filter(case=case, office__country_id__in=["GT", "HN"]).values_list(
            "office__country_id", "acknowledged_by__username"
        )
    )
    assert acknowledged == {"GT": "trata.gt", "HN": "trata.hn"}


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
