"""The return endpoints: open, read, take steps (409 on a stale version, 400 with the reason on
a refusal, 404 out of reach), the list's query budget, and no 500 on malformed input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext
from rest_framework.test import APIClient

from enlace.audit.models import AccessEvent
from enlace.returns import services
from enlace.returns.models import Return, Status

from .conftest import ADULT_SKIPS, open_adult, walk


def client_for(actor):
    client = APIClient()
    client.force_authenticate(actor.user)
    return client


def step(client, ret, name, version=None, **fields):
    if version is None:
        version = Return.objects.get(pk=ret.pk).version
    return client.post(
        f"/api/v1/returns/{ret.pk}/steps/",
        {"step": name, "version": version, **fields},
        format="json",
    )


def test_open_read_and_walk_through_the_api(rw):
    officer = client_for(rw.officer)
    person = rw.person()
    response = officer.post(
        "/api/v1/returns/",
        {"person": str(person.pk), "planned_departure_on": None, "note": None},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "requested" and body["side"] == "sending"
    assert body["steps_available"] == ["counselling", "close", "withdraw"]
    assert "consent_reconfirm" not in body["steps_available"]
    ret = Return.objects.get(pk=body["id"])
    today = timezone.localdate()
    for name, fields in (
        (
            "counselling",
            {"options": ["return", "stay"], "language": "es", "counselled_on": "2026-01-05"},
        ),
        ("consent", {"signed_on": "2026-01-09", "language": "spa"}),
        ("assessment", {"eligible": True, "vulnerabilities": ["health"]}),
        ("document_request", {"doc_type": "passport"}),
    ):
        response = step(officer, ret, name, **fields)
        assert response.status_code == 200, (name, response.content)
    document = ret.documents.get()
    response = step(officer, ret, "document_issue", document=str(document.pk), number="P-1")
    assert response.status_code == 200
    assert response.json()["documents"][0]["number"] == "P-1"
    leg = {"origin": "LAX", "destination": "MEX", "date": today.isoformat(), "transport": "air"}
    assert step(officer, ret, "travel_plan", legs=[leg]).status_code == 200
    response = step(
        officer,
        ret,
        "hand_over",
        receiving_office=str(rw.receiving_office.pk),
        consent_language="spa",
    )
    assert response.status_code == 200, response.content
    assert step(officer, ret, "departure").status_code == 200
    receiver = client_for(rw.receiver)
    response = step(receiver, ret, "arrival", reception_note="Llegó bien")
    assert response.status_code == 200
    assert response.json()["side"] == "receiving"
    response = step(receiver, ret, "reintegration_plan", economic="Empleo", social=None)
    assert response.status_code == 200, response.content
    response = step(
        receiver,
        ret,
        "follow_up",
        months=3,
        economic_score="0.5",
        social_score=0.25,
        psychosocial_score=1,
    )
    assert response.status_code == 200, response.content
    follow = response.json()["follow_ups"][0]
    assert (follow["months"], follow["economic"], follow["done_on"]) == (
        3,
        "0.500",
        today.isoformat(),
    )
    assert response.json()["status"] == "follow_up"
    # The language was stored as ISO 639-3 (es → spa).
    ret.refresh_from_db()
    assert ret.counselling_language == "spa"


def test_stale_version_is_409(rw):
    ret = open_adult(rw)
    officer = client_for(rw.officer)
    ok = {"options": ["return", "stay"], "language": "spa"}
    assert step(officer, ret, "counselling", version=ret.version, **ok).status_code == 200
    response = step(officer, ret, "counselling", version=ret.version, **ok)  # the old version
    assert response.status_code == 409
    assert response.json()["detail"] == gettext(
        "This record was changed by someone else. Reload and try again."
    )


def test_refusals_are_400_with_the_reason(rw):
    ret = open_adult(rw)
    officer = client_for(rw.officer)
    response = step(officer, ret, "departure")
    assert response.status_code == 400
    assert gettext("No step may be skipped").split(":")[0] in response.json()["step"][0]
    response = step(officer, ret, "counselling")  # required fields missing
    assert response.status_code == 400
    assert set(response.json()) == {"options", "language"}
    ret = walk(rw, ret, until="departure", skip=ADULT_SKIPS)
    response = step(officer, ret, "withdraw")
    assert response.status_code == 400
    assert response.json()["step"] == [gettext(str(services.AFTER_DEPARTURE))]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"step": "open", "version": 1},
        {"step": "nope", "version": 1},
        {"step": "counselling", "version": -1},
        {"step": "counselling", "version": "x"},
        {"step": "counselling", "version": 2**40},
        {"step": "counselling", "version": 1, "options": "return"},
        {"step": "counselling", "version": 1, "options": [1, 2], "language": 5},
        {"step": "travel_plan", "version": 1, "legs": [{"origin": 1}]},
        {"step": "travel_plan", "version": 1, "legs": "LAX-MEX"},
        {"step": "document_issue", "version": 1, "document": "not-a-uuid", "number": "1"},
        {"step": "hand_over", "version": 1, "receiving_office": "0" * 32, "consent_language": "x"},
        {"step": "follow_up", "version": 1, "months": 4},
        {"step": "close", "version": 1, "outcome": "sustainable", "reason": None},
        {"step": "counselling", "version": 1, "options": ["return", "stay"], "language": "zzz"},
        {"step": "consent", "version": 1, "language": "spa", "signed_on": "2999-01-01"},
    ],
)
def test_malformed_steps_are_400_or_409_never_500(rw, body):
    ret = open_adult(rw)
    response = client_for(rw.officer).post(f"/api/v1/returns/{ret.pk}/steps/", body, format="json")
    assert response.status_code in (400, 409), (body, response.status_code, response.content)


def test_out_of_reach_is_404(rw):
    ret = open_adult(rw)
    receiver = client_for(rw.receiver)
    assert receiver.get(f"/api/v1/returns/{ret.pk}/").status_code == 404
    assert step(receiver, ret, "counselling").status_code == 404
    officer = client_for(rw.officer)
    assert officer.get("/api/v1/returns/not-a-uuid/").status_code == 404
    assert officer.get("/api/v1/returns/00000000-0000-0000-0000-000000000000/").status_code == 404
    # A person of another office cannot be opened: 404, as missing.
    other = rw.person()
    response = receiver.post("/api/v1/returns/", {"person": str(other.pk)}, format="json")
    assert response.status_code == 404
    # The refused read is logged, as denied.
    assert AccessEvent.objects.filter(record_id=str(ret.pk), denied=True).exists()


def test_reads_are_logged(rw):
    ret = open_adult(rw)
    before = AccessEvent.objects.filter(record_id=str(ret.pk), denied=False).count()
    client_for(rw.officer).get(f"/api/v1/returns/{ret.pk}/")
    client_for(rw.officer).get("/api/v1/returns/")
    purposes = list(
        AccessEvent.objects.filter(record_id=str(ret.pk), denied=False)
        .order_by("at", "id")
        .values_list("purpose", flat=True)
    )
    assert len(purposes) == before + 2
    assert purposes[-2:] == ["view", "list"]


def _list_queries(client):
    client.get("/api/v1/returns/")  # warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/returns/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def test_list_query_budget_does_not_grow_with_rows(rw):
    """The list's queries stay the same from 2 to 7 returns (no query per row), for the owner
    office, the receiving office (through grants) and a national focal point."""
    readers = {
        "owner": client_for(rw.officer),
        "receiving": client_for(rw.receiver),
        "focal": client_for(rw.focal),
    }

    def add(n):
        for _ in range(n):
            walk(rw, open_adult(rw), until="hand_over", skip=ADULT_SKIPS)

    add(2)
    few = {name: _list_queries(c) for name, c in readers.items()}
    add(5)
    more = {name: _list_queries(c) for name, c in readers.items()}
    for name in readers:
        assert few[name][1] == 2 and more[name][1] == 7, name
        assert more[name][0] == few[name][0], (name, few[name][0], more[name][0])
        assert more[name][0] <= 10, (name, more[name][0])


def test_detail_after_arrival_shows_the_trend_and_due_follow_up(rw):
    ret = walk(rw, open_adult(rw), until="reintegration_plan", skip=ADULT_SKIPS)
    # Arrival moved 95 days back: the 3-month follow-up is due.
    from datetime import timedelta

    from enlace.returns.models import FollowUp

    arrived = timezone.localdate() - timedelta(days=95)
    Return.objects.filter(pk=ret.pk).update(arrived_on=arrived)
    for f in FollowUp.objects.filter(ret=ret):
        f.due_on = services._add_months(arrived, f.months)
        f.save()
    body = client_for(rw.receiver).get(f"/api/v1/returns/{ret.pk}/").json()
    due = [(f["months"], f["due"], f["overdue"]) for f in body["follow_ups"]]
    assert due == [(3, True, False), (6, False, False), (12, False, False)]
    assert body["status"] == Status.REINTEGRATION
