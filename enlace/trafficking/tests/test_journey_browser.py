"""Issue 12's journey in the browser (demo users), one test from end to end:

1. Mexico's trafficking focal point opens, through the case form, a case whose route runs
   Honduras → Guatemala → Mexico → United States, with a phone number written "+502 5555-1234";
2. Honduras's and Guatemala's focal points (the route countries with one; Mexico owns the case)
   each find the alert in their inbox (and an e-mail), follow it to the alerts page, where it
   names the case but nobody in it, open the case de-identified and acknowledge the alert;
3. Guatemala's focal point opens a case of their own with the same phone written "55551234"
   (a local number, read in Guatemala), and the network page shows the two cases linked by a
   phone, the number itself hidden from a reader who may not see the Mexican case's identities.

axe-core checks every page shown (the `page` fixture)."""

import pytest
from django.core import mail
from django.utils.translation import gettext

from enlace.accounts.models import User
from enlace.accounts.testing import browser_login as login
from enlace.inbox.models import Item, Kind
from enlace.tests.browser import BROWSER_TESTS
from enlace.trafficking.models import Alert, CaseLink, LinkKind, TraffickingCase

pytestmark = [*BROWSER_TESTS, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROUTE = (
    ("HN", "San Pedro Sula"),
    ("GT", "Tecún Umán"),
    ("MX", "Tapachula"),
    ("US", "Houston"),
)
SUMMARY = "Grupo captado en San Pedro Sula con ofertas de trabajo falsas"
PHONE_MX = "+502 5555-1234"
PHONE_GT = "55551234"  # the same number, typed locally in Guatemala
SUMMARY_GT = "Mujeres trasladadas a la frontera por el mismo reclutador"


def _fill_case(page, live_server, kind: str, summary: str, route, phone: str) -> TraffickingCase:
    page.goto(f"{live_server.url}/trafficking/new/")
    page.select_option("#id_kind", kind)
    page.fill("#id_summary", summary)
    for i, (country, place) in enumerate(route):
        page.select_option(f"#id_route-{i}-country", country)
        page.fill(f"#id_route-{i}-place", place)
    page.select_option("#id_route-0-transport", "bus")
    page.select_option("#id_identifiers-0-kind", "phone")
    page.fill("#id_identifiers-0-value", phone)
    page.click("button[type=submit].primary")
    page.wait_for_selector("h1")
    case = TraffickingCase.objects.get(summary=summary)
    assert case.reference in page.inner_text("h1")
    return case


def _sees_and_acknowledges(page, live_server, username: str, case: TraffickingCase) -> None:
    user = User.objects.get(username=username)
    alert = Alert.objects.get(case=case, office__memberships__user=user)
    item = Item.objects.get(
        kind=Kind.TRAFFICKING_ALERT, office=alert.office, params__reference=case.reference
    )
    if user.email:
        assert any(m.to == [user.email] and case.reference in m.subject for m in mail.outbox)
        message = next(m for m in mail.outbox if m.to == [user.email])
        assert "5555" not in message.body and SUMMARY not in message.body
    page.context.clear_cookies()
    login(page, live_server, username)
    page.goto(f"{live_server.url}/inbox/?unread=true")
    link = page.locator(f'a[href="/inbox/{item.pk}/"]')
    assert case.reference in link.inner_text()
    assert "HN → GT → MX → US" in link.inner_text()
    assert "5555" not in page.inner_text("main")
    link.click()
    page.wait_for_selector("h1")
    assert page.url.endswith("/trafficking/alerts/")
    row = page.locator(f"#alert-{alert.pk}")
    assert case.reference in row.inner_text()
    assert "HN → GT → MX → US" in row.inner_text()
    # The alert names the case, never anyone or anything in it.
    main = page.inner_text("main")
    assert SUMMARY not in main and "5555" not in main and "San Pedro Sula" not in main
    # The case opens, de-identified for a route country: the phone is not shown.
    row.locator(f"a:text('{case.reference}')").click()
    page.wait_for_selector("h1")
    assert case.reference in page.inner_text("h1")
    assert "5555" not in page.inner_text("main")
    page.go_back()
    page.wait_for_selector(f"#alert-{alert.pk}")
    # Acknowledged with the keyboard: the button is reachable and a POST with CSRF.
    button = page.locator(f"#alert-{alert.pk} button")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#alert-{alert.pk}:has-text('{user.get_full_name()}')")
    alert.refresh_from_db()
    assert alert.acknowledged_by == user


def test_a_route_case_alerts_the_route_and_a_shared_phone_links_two_cases(page, live_server, demo):
    # 1. Mexico opens the case through the form.
    login(page, live_server, "trata.mx")
    first = _fill_case(page, live_server, "trafficking", SUMMARY, ROUTE, PHONE_MX)
    assert list(first.identifiers.values_list("normalised", flat=True)) == ["+50255551234"]
    alerted = set(Alert.objects.filter(case=first).values_list("office__country_id", flat=True))
    assert {"GT", "HN"} <= alerted
    assert "MX" not in alerted  # the owner is not alerted of its own case

    # 2. Each route country with a trafficking focal point sees the alert, without identities.
    for username in ("trata.hn", "trata.gt"):
        _sees_and_acknowledges(page, live_server, username, first)

    # 3. Guatemala (still logged in) opens a case with the same phone written locally.
    second = _fill_case(
        page,
        live_server,
        "smuggling",
        SUMMARY_GT,
        (("GT", "Ciudad de Guatemala"), ("MX", "Ciudad Hidalgo")),
        PHONE_GT,
    )
    assert list(second.identifiers.values_list("normalised", flat=True)) == ["+50255551234"]
    a, b = sorted([first.pk, second.pk], key=str)
    assert set(CaseLink.objects.values_list("case_a_id", "case_b_id", "kind")) == {
        (a, b, LinkKind.PHONE)
    }
    page.goto(f"{live_server.url}/trafficking/network/")
    picture = page.locator(".network-picture svg")
    picture.wait_for()
    assert first.reference in picture.text_content()
    assert second.reference in picture.text_content()
    clusters = page.inner_text("main")
    assert gettext("Same phone number") in clusters
    # Guatemala's case page lists the Mexican case among its linked cases, by kind only: the
    # number is Mexico's identity data, which Guatemala has not been granted.
    page.locator(f'a[href="/trafficking/{second.pk}/"]').first.click()
    section = page.locator("#linked-cases")
    section.wait_for()
    assert first.reference in section.inner_text()
    assert gettext("Same phone number") in section.inner_text()
    assert "5555" not in section.inner_text()
