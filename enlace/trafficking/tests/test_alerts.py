"""Alerts to the countries on a case's route: who is alerted, what the alert says (no
identity), acknowledging it, and escalating it once when nobody did in time."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import make_user
from enlace.inbox import selectors as inbox_selectors
from enlace.inbox.models import Item, Kind
from enlace.inbox.present import title
from enlace.trafficking import alerts, services
from enlace.trafficking.models import Alert

from .conftest import ALIAS, PERPETRATOR_NAME, PHONE, VICTIM_NAME

pytestmark = pytest.mark.django_db
committing = TestCase.captureOnCommitCallbacks

ROUTE = [
    {"country": "HN", "place": "San Pedro Sula", "date": "2026-02-01", "transport": "bus"},
    {"country": "GT", "place": "Tecún Umán"},
    {"country": "MX", "place": "Tapachula"},
    {"country": "US", "place": "Houston"},
]


def _open(world, route=ROUTE, author="tfp_gt"):
    """A case opened through the services, its hooks run as after a real commit."""
    with committing(execute=True):
        case = services.case_create(
            actor=world.actor(author),
            kind="trafficking",
            summary="Captación en una feria de empleo",
            route=route,
            victims=[{"person": world.person.pk}],
            perpetrators=[
                {"given_names": PERPETRATOR_NAME[0], "surnames": PERPETRATOR_NAME[1]},
            ],
            identifiers=[{"kind": "phone", "value": PHONE}],
        )
    return case


def _client(user, csrf=False):
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def test_opening_a_case_alerts_every_route_country_but_the_authors_office(world):
    case = _open(world)
    alerted = set(Alert.objects.filter(case=case).values_list("office__country_id", flat=True))
    # HN and MX have trafficking focal points; GT's own office is the author's; GT's consulate
    # has no trafficking focal point; US has no office at all.
    assert alerted == {"HN", "MX"}
    items = Item.objects.filter(kind=Kind.TRAFFICKING_ALERT, params__reference=case.reference)
    assert {i.office.country_id for i in items} == {"HN", "MX"}
    assert all(i.roles == f",{Role.TRAFFICKING_FOCAL_POINT}," for i in items)
    assert all(a.reason == Alert.Reason.OPENED for a in Alert.objects.filter(case=case))


def test_the_alert_reaches_the_focal_points_inbox_only_and_names_no_one(world):
    case = _open(world)
    tfp_hn = world.actor("tfp_hn")
    mine = inbox_selectors.item_list(actor=tfp_hn).filter(kind=Kind.TRAFFICKING_ALERT)
    assert mine.count() == 1
    item = mine.get()
    for lang in ("es", "en", "pt", "fr"):
        with translation.override(lang):
            text = title(item)
        assert case.reference in text
        assert "HN → GT → MX → US" in text
        for secret in (*VICTIM_NAME, *PERPETRATOR_NAME, ALIAS, PHONE, "feria", "Tapachula"):
            assert secret not in text
    with translation.override("en"):
        assert title(item).startswith(f"Trafficking case {case.reference} of Minex GT")
    # The same office's officer and another country's focal point do not get it.
    make_user("officer_hn", world.offices["hn"], Role.OFFICER)
    officer = actor_for(world.users["officer_gt"])
    assert not inbox_selectors.item_list(actor=officer).filter(kind=Kind.TRAFFICKING_ALERT)


def test_the_alert_is_emailed_without_identity(world):
    world.users["tfp_hn"].email = "trata@hn.example"
    world.users["tfp_hn"].save()
    mail.outbox.clear()
    case = _open(world)
    sent = [m for m in mail.outbox if m.to == ["trata@hn.example"]]
    assert len(sent) == 1
    body = sent[0].subject + sent[0].body
    assert case.reference in body
    for secret in (*VICTIM_NAME, *PERPETRATOR_NAME, PHONE):
        assert secret not in body


def test_changing_the_route_alerts_again_and_a_country_that_left_loses_its_alert(world):
    case = _open(world)
    hn = Alert.objects.get(case=case, office=world.offices["hn"])
    alerts.alert_acknowledge(actor=world.actor("tfp_hn"), alert=hn)
    with committing(execute=True):
        services.case_update(
            actor=world.actor("tfp_gt"),
            case=case,
            version=case.version,
            route=[{"country": "HN"}, {"country": "GT"}, {"country": "US"}],
        )
    hn.refresh_from_db()
    assert hn.reason == Alert.Reason.ROUTE_CHANGED
    assert hn.acknowledged_at is None  # new facts: a new acknowledgement is due
    assert not Alert.objects.filter(case=case, office=world.offices["mx"]).exists()
    assert Item.objects.filter(kind=Kind.TRAFFICKING_ALERT, office=world.offices["hn"]).count() == 2


def test_new_facts_without_a_route_change_alert_too(world):
    case = _open(world)
    with committing(execute=True):
        services.case_update(
            actor=world.actor("tfp_gt"),
            case=case,
            version=case.version,
            data={"summary": "Más hechos"},
        )
    assert set(Alert.objects.filter(case=case).values_list("reason", flat=True)) == {
        Alert.Reason.UPDATED
    }


def test_the_alerts_page_lists_filters_and_links_the_case_de_identified(world):
    case = _open(world)
    client = _client(world.users["tfp_hn"])
    page = client.get(reverse("trafficking:alerts"))
    assert page.status_code == 200
    assert case.reference.encode() in page.content
    detail = reverse("trafficking:detail", kwargs={"case_id": case.pk})
    assert detail.encode() in page.content
    opened = client.get(detail)
    assert opened.status_code == 200
    for secret in (*VICTIM_NAME, *PERPETRATOR_NAME, PHONE):
        assert secret.encode() not in opened.content
    assert client.get(reverse("trafficking:alerts"), {"unacknowledged": "maybe"}).status_code == 400
    alerts.alert_acknowledge(
        actor=world.actor("tfp_hn"), alert=Alert.objects.get(case=case, office=world.offices["hn"])
    )
    waiting = client.get(reverse("trafficking:alerts"), {"unacknowledged": "true"})
    assert case.reference.encode() not in waiting.content
    assert case.reference.encode() in client.get(reverse("trafficking:alerts")).content


@pytest.mark.parametrize("who", ["officer_gt", "analyst", "admin"])
def test_the_alerts_page_is_not_there_for_other_roles(world, who):
    assert _client(world.users[who]).get(reverse("trafficking:alerts")).status_code == 404


def test_acknowledging_is_a_post_with_csrf_recorded_once(world):
    case = _open(world)
    alert = Alert.objects.get(case=case, office=world.offices["hn"])
    url = reverse("trafficking:alert_acknowledge", kwargs={"alert_id": alert.pk})
    client = _client(world.users["tfp_hn"], csrf=True)
    assert client.post(url).status_code == 403  # no CSRF token
    assert client.get(url).status_code == 405
    page = client.get(reverse("trafficking:alerts"))
    token = page.context["csrf_token"]
    response = client.post(url, {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.users["tfp_hn"]
    first = alert.acknowledged_at
    assert first is not None
    client.post(url, {"csrfmiddlewaretoken": str(token)})
    alert.refresh_from_db()
    assert alert.acknowledged_at == first


@pytest.mark.parametrize("who", ["tfp_mx", "tfp_gt", "nfp_gt", "officer_gt"])
def test_nobody_else_acknowledges_an_offices_alert(world, who):
    case = _open(world)
    alert = Alert.objects.get(case=case, office=world.offices["hn"])
    url = reverse("trafficking:alert_acknowledge", kwargs={"alert_id": alert.pk})
    assert _client(world.users[who]).post(url).status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def _age(alert: Alert, days: float) -> None:
    Alert.objects.filter(pk=alert.pk).update(alerted_at=timezone.now() - dt.timedelta(days=days))


def test_an_alert_not_acknowledged_in_time_is_escalated_once(world):
    nfp_hn = make_user("nfp_hn", world.offices["hn"], Role.NATIONAL_FOCAL_POINT)
    case = _open(world)
    hn = Alert.objects.get(case=case, office=world.offices["hn"])
    mx = Alert.objects.get(case=case, office=world.offices["mx"])
    _age(hn, 3.1)
    _age(mx, 3.1)
    alerts.alert_acknowledge(actor=world.actor("tfp_mx"), alert=mx)
    with committing(execute=True):
        assert alerts.alerts_escalate() == 1
    hn.refresh_from_db()
    assert hn.escalated_at is not None
    escalated = Item.objects.filter(kind=Kind.TRAFFICKING_ALERT_ESCALATED)
    assert {(i.office.country_id, i.roles) for i in escalated} == {
        ("HN", f",{Role.TRAFFICKING_FOCAL_POINT},"),
        ("HN", f",{Role.NATIONAL_FOCAL_POINT},"),
    }
    # The national focal point reads it in the inbox and on the alerts page (no case link:
    # they may not open another country's case).
    nfp = actor_for(nfp_hn)
    assert inbox_selectors.item_list(actor=nfp).filter(kind=Kind.TRAFFICKING_ALERT_ESCALATED)
    page = _client(nfp_hn).get(reverse("trafficking:alerts"))
    assert case.reference.encode() in page.content
    assert reverse("trafficking:detail", kwargs={"case_id": case.pk}).encode() not in page.content
    # Again: nothing more.
    assert alerts.alerts_escalate() == 0
    assert escalated.count() == 2


def test_a_young_alert_is_not_escalated_and_the_days_are_a_setting(world):
    case = _open(world)
    hn = Alert.objects.get(case=case, office=world.offices["hn"])
    _age(hn, 2)
    assert alerts.alerts_escalate() == 0
    with override_settings(ENLACE_TRAFFICKING_ALERT_ESCALATION_DAYS=1):
        assert alerts.alerts_escalate() == 1  # HN (two days old), not MX (just alerted)


def test_the_escalation_command_says_how_many(world):
    case = _open(world)
    for alert in Alert.objects.filter(case=case):
        _age(alert, 10)
    out = io.StringIO()
    call_command("escalate_trafficking_alerts", stdout=out)
    assert out.getvalue().startswith("2 ")
    out = io.StringIO()
    call_command("escalate_trafficking_alerts", stdout=out)
    assert out.getvalue().startswith("0 ")


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: session, caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# Query budgets of the two list pages (held here: enlace/tests/test_query_budget.py's fixture
# has no trafficking case): the same count for 2 and 7 rows, and at most the budget.
ALERTS_BUDGET, REQUESTS_BUDGET = 16, 12


def test_the_alerts_page_queries_do_not_grow_with_rows(world):
    client = _client(world.users["tfp_hn"])
    url = reverse("trafficking:alerts")
    counts = []
    for upto in (2, 7):
        while Alert.objects.filter(office=world.offices["hn"]).count() < upto:
            _open(world)
        counts.append(_queries(client, url))
    assert counts[0] == counts[1] <= ALERTS_BUDGET, counts


def test_the_requests_page_queries_do_not_grow_with_rows(world):
    from enlace.trafficking import access_requests

    client = _client(world.users["tfp_gt"])
    url = reverse("trafficking:access_requests")
    counts = []
    for upto in (2, 7):
        while access_requests.request_list(actor=world.actor("tfp_gt")).count() < upto:
            case = _open(world, route=[{"country": "GT"}, {"country": "MX"}])
            access_requests.request_create(
                actor=world.actor("tfp_mx"),
                case=case,
                purpose="Investigación",
                basis="legal_basis",
                legal_basis="Convenio",
                days=10,
            )
        counts.append(_queries(client, url))
    assert counts[0] == counts[1] <= REQUESTS_BUDGET, counts
