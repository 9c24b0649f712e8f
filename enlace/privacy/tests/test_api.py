"""The data-protection endpoints (/api/v1/rights-requests/, /api/v1/data-breaches/): the same
rules and services as the pages, as JSON. Who may call which is in the policy table
(enlace/tests/access/policy.py); these check what the answers hold."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import SAME_COUNTRY
from enlace.audit.models import AccessEvent
from enlace.people import services as people_services
from enlace.people.models import Person
from enlace.privacy import services
from enlace.privacy.models import Breach, RequestStatus, RightsRequest

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/rights-requests/"
BREACHES = "/api/v1/data-breaches/"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _person(network, given="Wenceslao") -> Person:
    return people_services.person_create(
        actor=actor_for(network.user(Role.OFFICER)),
        data={"given_names": given, "first_surname": "Ixcamparij"},
    )


def _request(network, person, kind="access", received=None) -> RightsRequest:
    return services.rights_request_record(
        actor=actor_for(network.user(Role.OFFICER)),
        person=person,
        kind=kind,
        law_country="MX",
        received_on=received or timezone.localdate(),
    )


def test_the_queue_is_the_offices_open_requests_earliest_deadline_first(network):
    person = _person(network)
    today = timezone.localdate()
    late = _request(network, person, received=today - dt.timedelta(days=90))
    recent = _request(network, person, received=today)
    rect = _request(network, person, kind="rectification", received=today - dt.timedelta(days=2))
    closed = _request(network, person)
    RightsRequest.objects.filter(pk=closed.pk).update(status=RequestStatus.REJECTED)
    api = _api(network.user(Role.OFFICER))

    body = api.get(REQUESTS).json()
    ids = [r["id"] for r in body["results"]]
    assert set(ids) == {str(late.pk), str(recent.pk), str(rect.pk)}
    assert ids[0] == str(late.pk) and body["results"][0]["overdue"] is True
    assert "Ixcamparij" not in str(body) and "person" not in body["results"][0]

    newest = api.get(REQUESTS, {"sort": "-received_on"}).json()["results"]
    assert newest[0]["id"] == str(recent.pk) and newest[-1]["id"] == str(late.pk)
    kinds = api.get(REQUESTS, {"kind": "rectification"}).json()["results"]
    assert [r["id"] for r in kinds] == [str(rect.pk)]
    overdue = api.get(REQUESTS, {"overdue": "true"}).json()["results"]
    assert [r["id"] for r in overdue] == [str(late.pk)]
    every = api.get(REQUESTS, {"status": "all", "page_size": "2"})
    assert every.json()["count"] == 4 and len(every.json()["results"]) == 2
    assert api.get(REQUESTS, {"status": "rejected"}).json()["results"][0]["id"] == str(closed.pk)

    for bad in ({"sort": "person"}, {"status": "nope"}, {"overdue": "maybe"}, {"kind": ""}):
        answer = api.get(REQUESTS, bad)
        assert answer.status_code == 400, bad
        assert next(iter(bad)) in answer.json()


def test_other_offices_and_roles_see_no_queue(network):
    _request(network, _person(network))
    other = _api(network.user(Role.OFFICER, SAME_COUNTRY)).get(REQUESTS)
    assert other.status_code == 200 and other.json()["results"] == []
    assert _api(network.user(Role.NATIONAL_FOCAL_POINT)).get(REQUESTS).status_code == 404


def test_recording_a_request_through_the_api(network):
    person = _person(network)
    api = _api(network.user(Role.OFFICER))
    answer = api.post(
        REQUESTS,
        {"person": str(person.pk), "kind": "rectification", "law_country": "co", "details": " x "},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert data["law_country"] == "CO" and data["details"] == " x "
    assert data["person_name"] == person.full_name and "Ley 1581" in data["legal_source"]
    found = RightsRequest.objects.get(pk=data["id"])
    assert found.details == " x " and found.kind == "rectification"

    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    refused = api.post(
        REQUESTS,
        {"person": str(person.pk), "kind": "access", "law_country": "MX", "received_on": future},
        format="json",
    )
    assert refused.status_code == 400 and "received_on" in refused.json()
    elsewhere = _api(network.user(Role.OFFICER, SAME_COUNTRY)).post(
        REQUESTS, {"person": str(person.pk), "kind": "access", "law_country": "MX"}, format="json"
    )
    assert elsewhere.status_code == 404
    assert RightsRequest.objects.count() == 1


def test_the_detail_logs_the_request_and_its_person(network):
    person = _person(network)
    request = _request(network, person)
    before = AccessEvent.objects.count()
    data = _api(network.user(Role.OFFICER)).get(f"{REQUESTS}{request.pk}/").json()
    assert data["person"] == str(person.pk) and data["person_name"] == person.full_name
    logged = set(AccessEvent.objects.values_list("record_type", flat=True)[before:])
    assert {"privacy.rightsrequest", "people.person"} <= logged


def test_closing_steps_and_a_second_close_is_409(network):
    person = _person(network)
    api = _api(network.user(Role.OFFICER))
    access = _request(network, person)
    answer = api.post(f"{REQUESTS}{access.pk}/answer/")
    assert answer.status_code == 200, answer.content
    assert answer.json()["person"]["given_names"] == "Wenceslao"
    again = api.post(f"{REQUESTS}{access.pk}/answer/")
    assert again.status_code == 409 and again.json()["detail"]

    rect = _request(network, person, kind="rectification")
    done = api.post(f"{REQUESTS}{rect.pk}/rectified/", {"note": "Apellido"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "rectified"
    assert done.json()["reason"] == "Apellido"

    other = _request(network, person)
    blank = api.post(f"{REQUESTS}{other.pk}/reject/", {"reason": "  "}, format="json")
    assert blank.status_code == 400 and "reason" in blank.json()
    rejected = api.post(f"{REQUESTS}{other.pk}/reject/", {"reason": "No"}, format="json")
    assert rejected.json()["status"] == "rejected"
    wrong = api.post(f"{REQUESTS}{_request(network, person).pk}/rectified/", {}, format="json")
    assert wrong.status_code == 409  # an access request is not closed as rectified


def test_anonymising_takes_a_supervisor(network):
    person = _person(network, given="Borrable")
    deletion = _request(network, person, kind="deletion")
    url = f"{REQUESTS}{deletion.pk}/anonymise/"
    assert _api(network.user(Role.OFFICER)).post(url).status_code == 404
    answer = _api(network.user(Role.SUPERVISOR)).post(url)
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "anonymised" and answer.json()["counts"]
    person.refresh_from_db()
    assert person.given_names != "Borrable"


def test_the_breach_register(network):
    supervisor = _api(network.user(Role.SUPERVISOR))
    detected = (timezone.now() - dt.timedelta(hours=3)).isoformat()
    made = supervisor.post(
        BREACHES,
        {"detected_at": detected, "description": "Portátil perdido", "records_affected": 3},
        format="json",
    )
    assert made.status_code == 201, made.content
    breach = Breach.objects.get(pk=made.json()["id"])
    assert made.json()["notify_by"] == breach.notify_by.isoformat()
    assert _api(network.user(Role.OFFICER)).post(BREACHES, {}, format="json").status_code == 404
    assert _api(network.user(Role.OFFICER)).get(BREACHES).status_code == 404
    focal = _api(network.user(Role.NATIONAL_FOCAL_POINT)).get(BREACHES).json()
    assert [b["id"] for b in focal["results"]] == [str(breach.pk)]

    url = f"{BREACHES}{breach.pk}/notified/"
    now = timezone.now().isoformat()
    done = supervisor.post(url, {"notified_at": now, "notified_to": "INAI"}, format="json")
    assert done.status_code == 200 and done.json()["notified_to"] == "INAI"
    twice = supervisor.post(url, {"notified_at": now, "notified_to": "INAI"}, format="json")
    assert twice.status_code == 409
    early = supervisor.post(
        BREACHES,
        {"detected_at": (timezone.now() + dt.timedelta(days=1)).isoformat(), "description": "x"},
        format="json",
    )
    assert early.status_code == 400 and "detected_at" in early.json()
