"""The tracing firewall against a requesting office that probes it: no explanation oracle,
repeated requests limited and shown to the owner, refusal and withdrawn consent hide the
person again."""

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, SAME_COUNTRY
from enlace.core.errors import TransitionNotAllowed
from enlace.people import services as people_services
from enlace.tracing import services
from enlace.tracing.models import Reunification, TracingMatch, TracingRequest
from enlace.tracing.present import LEVEL_LABELS

from .test_tracing import REQUEST, SECRETS, SOUGHT

pytestmark = pytest.mark.django_db

# What the engine computes and only the owning office may read before confirmation.
SCORING_KEYS = {"match_probability", "match_weight", "explanation", "score", "weight", "level"}


@pytest.fixture
def registered(network):
    office = network.offices[OTHER_COUNTRY]
    office.email, office.phone = "registered-office@example.org", "+1 555 0100"
    office.save()
    owner = actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))
    return people_services.person_create(actor=owner, data=SOUGHT)


def _requester(network) -> Any:
    return actor_for(network.user(Role.OFFICER, OWN_OFFICE))


def _owner(network) -> Any:
    return actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _requester_bodies(network, tr: TracingRequest) -> dict[str, str]:
    """Every door through which the requesting office reads its request and its matches."""
    api, web = (
        _api(network.user(Role.OFFICER, OWN_OFFICE)),
        _web(network.user(Role.OFFICER, OWN_OFFICE)),
    )
    bodies = {
        "api request": api.get(f"/api/v1/tracing-requests/{tr.pk}/").content.decode(),
        "api requests": api.get("/api/v1/tracing-requests/").content.decode(),
        "api matches": api.get("/api/v1/tracing-matches/?side=requester").content.decode(),
        "page request": web.get(f"/tracing/requests/{tr.pk}/").content.decode(),
        "export": web.get("/tracing/export/").content.decode("utf-8-sig"),
    }
    for match in tr.matches.all():
        bodies[f"api match {match.pk}"] = api.get(
            f"/api/v1/tracing-matches/{match.pk}/"
        ).content.decode()
        bodies[f"page match {match.pk}"] = web.get(f"/tracing/matches/{match.pk}/").content.decode()
    return bodies


# 1. The explanation is not an oracle -------------------------------------------------------


def test_requester_sees_only_a_coarse_strength_before_confirmation(network, registered):
    tr = services.request_create(actor=_requester(network), data=REQUEST)
    match = tr.matches.get()
    api = _api(network.user(Role.OFFICER, OWN_OFFICE))
    for url in (
        f"/api/v1/tracing-matches/{match.pk}/",
        f"/api/v1/tracing-requests/{tr.pk}/",
        "/api/v1/tracing-requests/",
        "/api/v1/tracing-matches/?side=requester",
    ):
        data = api.get(url).json()
        assert not _keys(data) & SCORING_KEYS, url
    data = api.get(f"/api/v1/tracing-matches/{match.pk}/").json()
    assert data["strength"] == "strong"
    assert data["office"] == network.offices[OTHER_COUNTRY].name
    for name, body in _requester_bodies(network, tr).items():
        # No score in per cent, no field-by-field agreement, no weights.
        assert not re.search(r"\d+\s*%", body), name
        for label in LEVEL_LABELS.values():
            assert f">{label}<" not in body, (name, label)
        for secret in SECRETS:
            assert secret not in body, (name, secret)
    export = _requester_bodies(network, tr)["export"]
    assert str(round(match.match_probability, 4)) not in export
    assert "strong" in export.splitlines()[1]


def test_owner_keeps_the_full_explanation(network, registered):
    tr = services.request_create(actor=_requester(network), data=REQUEST)
    match = tr.matches.get()
    data = (
        _api(network.user(Role.OFFICER, OTHER_COUNTRY))
        .get(f"/api/v1/tracing-matches/{match.pk}/")
        .json()
    )
    assert data["match_probability"] == round(match.match_probability, 4)
    assert {row["field"]: row["level"] for row in data["explanation"]}["mother_name"] == "exact"
    page = _web(network.user(Role.OFFICER, OTHER_COUNTRY)).get(f"/tracing/matches/{match.pk}/")
    assert str(LEVEL_LABELS["exact"]) in page.content.decode()


@pytest.mark.parametrize(
    "variants",
    [
        # The attacker walked the date of birth: exact, a typo in the day, a year off.
        ("1999-03-14", "1999-03-15", "1998-03-14"),
    ],
)
def test_request_variants_give_the_requester_identical_answers(network, registered, variants):
    """Variants whose field levels differ but whose strength is the same read the same."""
    requester = _requester(network)
    answers = []
    levels = set()
    for birth_date in variants:
        tr = services.request_create(
            actor=requester, data={**REQUEST, "birth_date": birth_date, "approximate_age": None}
        )
        match = tr.matches.get()
        levels.add({f: lvl for f, lvl, _w in match.explanation}["birth_date"])
        data = (
            _api(network.user(Role.OFFICER, OWN_OFFICE))
            .get(f"/api/v1/tracing-matches/{match.pk}/")
            .json()
        )
        answers.append({k: v for k, v in data.items() if k not in ("id", "request")})
        page = _web(network.user(Role.OFFICER, OWN_OFFICE)).get(f"/tracing/matches/{match.pk}/")
        html = page.content.decode().replace(str(match.pk), "ID")
        # The navigation's unread count grows with each request filed (the requester's inbox
        # is told of each possible match): the reader's own state, not the match's.
        html = re.sub(r'<span class="badge count">.*?</span></span>', "", html)
        answers.append(re.sub(r"[A-Za-z0-9]{64}", "CSRF", html))  # the per-response token
    assert len(levels) == 3  # the engine did see three different agreements on the date
    assert answers[0::2] == [answers[0]] * 3
    assert answers[1::2] == [answers[1]] * 3


def test_walking_the_date_of_birth_stops_answering_after_three_proposals(network, registered):
    """The attack as reported: variants of one request walking the date of birth. After three
    proposals the exact date reads exactly like a date twenty years off: no match."""
    requester = _requester(network)
    api = _api(network.user(Role.OFFICER, OWN_OFFICE))

    def answer(birth_date: str) -> list[dict[str, Any]]:
        tr = services.request_create(
            actor=requester, data={**REQUEST, "birth_date": birth_date, "approximate_age": None}
        )
        matches = api.get(f"/api/v1/tracing-requests/{tr.pk}/").json()["matches"]
        return [{k: v for k, v in m.items() if k not in ("id", "request")} for m in matches]

    walk = [answer(d) for d in ("1998-03-14", "2000-03-14", "1999-03-15")]
    assert all(len(a) == 1 for a in walk)  # three answers, and no more
    assert answer("1999-03-14") == answer("1979-03-14") == []


def test_document_number_guesses_read_the_same(network):
    owner = _owner(network)
    person = people_services.person_create(
        actor=owner, data={"given_names": "Kelvin Josué", "first_surname": "Rhodas", "sex": "M"}
    )
    people_services.document_add(
        actor=owner, person=person, doc_type="passport", number="G0458812", issuing_country="HN"
    )
    base = {
        **REQUEST,
        "nickname": "",
        "given_names": "Kelvin Josue",
        "first_surname": "Rhodas",
        "approximate_age": None,
        "birth_place": "",
        "mother_name": "",
    }
    answers, levels = [], set()
    for guess in ("G0458812", "G0458813", "G0458893"):  # exact, one edit, two edits
        tr = services.request_create(
            actor=_requester(network), data={**base, "document_number": guess}
        )
        match = tr.matches.get()
        levels.add({f: lvl for f, lvl, _w in match.explanation}["document_number"])
        data = (
            _api(network.user(Role.OFFICER, OWN_OFFICE))
            .get(f"/api/v1/tracing-matches/{match.pk}/")
            .json()
        )
        answers.append({k: v for k, v in data.items() if k not in ("id", "request")})
    assert len(levels) == 3
    assert answers == [answers[0]] * 3


# 2. Repeated requests are limited and visible -----------------------------------------------


def test_one_office_gets_the_same_person_proposed_at_most_three_times(network, registered):
    requester = _requester(network)
    filed = [
        services.request_create(actor=requester, data={**REQUEST, "birth_place": place})
        for place in ("Tegucigalpa", "Tegucigalpa MDC", "Tegus", "Tegucigalpa, HN", "TGU")
    ]
    assert services.MAX_REQUESTS_PER_PERSON == 3
    api = _api(network.user(Role.OFFICER, OWN_OFFICE))
    shown = [api.get(f"/api/v1/tracing-requests/{tr.pk}/").json()["matches"] for tr in filed]
    assert [len(m) for m in shown] == [1, 1, 1, 0, 0]
    assert len(api.get("/api/v1/tracing-matches/?side=requester").json()["results"]) == 3
    page = _web(network.user(Role.OFFICER, OWN_OFFICE)).get(f"/tracing/requests/{filed[4].pk}/")
    assert network.offices[OTHER_COUNTRY].name not in page.content.decode()
    # The owner reviewing any of the three sees that five requests from that office sought
    # this person.
    match = filed[0].matches.get(status=TracingMatch.Status.PROPOSED)
    owner_page = _web(network.user(Role.OFFICER, OTHER_COUNTRY)).get(
        f"/tracing/matches/{match.pk}/"
    )
    assert re.search(r'class="repeat-requests">\s*5\s*<', owner_page.content.decode())
    owner_api = _api(network.user(Role.OFFICER, OTHER_COUNTRY))
    assert owner_api.get(f"/api/v1/tracing-matches/{match.pk}/").json()["repeat_requests"] == 5
    # Its review queue holds the three proposals, not the withheld requests.
    assert len(owner_api.get("/api/v1/tracing-matches/").json()["results"]) == 3
    assert "repeat_requests" not in api.get(f"/api/v1/tracing-matches/{match.pk}/").json()
    # Re-matching (the relink job) counts no request twice and proposes nothing new.
    for tr in filed:
        services.request_match(request=tr)
    match.refresh_from_db()
    assert match.repeat_requests == 5
    assert TracingMatch.objects.filter(status=TracingMatch.Status.PROPOSED).count() == 3
    # Another office's request is still proposed.
    other = services.request_create(
        actor=actor_for(network.user(Role.OFFICER, SAME_COUNTRY)), data=REQUEST
    )
    assert other.matches.get().status == TracingMatch.Status.PROPOSED


def test_the_limit_holds_when_the_person_is_registered_after_the_requests(network):
    requester = _requester(network)
    filed = [services.request_create(actor=requester, data=REQUEST) for _ in range(4)]
    assert not TracingMatch.objects.exists()
    person = people_services.person_create(actor=_owner(network), data=SOUGHT)
    services.person_match_requests(person_id=person.pk)
    api = _api(network.user(Role.OFFICER, OWN_OFFICE))
    shown = [len(api.get(f"/api/v1/tracing-requests/{tr.pk}/").json()["matches"]) for tr in filed]
    assert sorted(shown) == [0, 1, 1, 1]
    assert set(TracingMatch.objects.values_list("repeat_requests", flat=True)) == {4}


# 3. Refusal and withdrawn consent hide the person -------------------------------------------


def _assert_requester_sees_nothing_of(network, tr: TracingRequest, match: TracingMatch) -> None:
    api = _api(network.user(Role.OFFICER, OWN_OFFICE))
    web = _web(network.user(Role.OFFICER, OWN_OFFICE))
    assert api.get(f"/api/v1/tracing-requests/{tr.pk}/").json()["matches"] == []
    assert api.get("/api/v1/tracing-matches/?side=requester").json()["results"] == []
    assert api.get(f"/api/v1/tracing-matches/{match.pk}/").status_code == 404
    assert web.get(f"/tracing/matches/{match.pk}/").status_code == 404
    office = network.offices[OTHER_COUNTRY].name
    for url in (f"/tracing/requests/{tr.pk}/", "/tracing/export/"):
        assert office not in web.get(url).content.decode("utf-8-sig"), url


def test_refusal_withdraws_a_pending_proposal_from_the_requester(network, registered):
    tr = services.request_create(actor=_requester(network), data=REQUEST)
    match = tr.matches.get()
    owner = _owner(network)
    people_services.person_update(
        actor=owner, person=registered, version=None, data={"refuses_tracing": True}
    )
    _assert_requester_sees_nothing_of(network, tr, match)
    match.refresh_from_db()
    assert match.status == TracingMatch.Status.WITHDRAWN
    # Never proposed again, even when the person later accepts to be traced.
    services.request_match(request=tr)
    people_services.person_update(
        actor=owner, person=registered, version=None, data={"refuses_tracing": False}
    )
    services.person_match_requests(person_id=registered.pk)
    services.request_match(request=tr)
    _assert_requester_sees_nothing_of(network, tr, match)
    # The owning office cannot confirm a withdrawn proposal: a conflict, as for cases.
    with pytest.raises(TransitionNotAllowed):
        services.match_confirm(actor=owner, match=match, notice_language="es")
    resp = _api(network.user(Role.OFFICER, OTHER_COUNTRY)).post(
        f"/api/v1/tracing-matches/{match.pk}/confirm/", {"notice_language": "es"}
    )
    assert resp.status_code == 409


def test_refusal_hides_even_before_the_withdrawal_is_recorded(network, registered):
    """A refusal written without the service (an import, the admin) hides the proposal too."""
    tr = services.request_create(actor=_requester(network), data=REQUEST)
    match = tr.matches.get()
    type(registered).objects.filter(pk=registered.pk).update(refuses_tracing=True)
    _assert_requester_sees_nothing_of(network, tr, match)


@pytest.mark.parametrize("how", ["consent_revoked", "refuses_tracing"])
def test_withdrawal_after_confirmation_hides_the_person_again(network, registered, how):
    tr = services.request_create(actor=_requester(network), data=REQUEST)
    match = tr.matches.get()
    match = services.match_confirm(actor=_owner(network), match=match, notice_language="es")
    api = _api(network.user(Role.OFFICER, OWN_OFFICE))
    assert api.get(f"/api/v1/tracing-matches/{match.pk}/").json()["person_name"] == (
        "Jesús Alberto Pérez Gómez"
    )
    # The confirmation opened the person's record to the requesting office (a grant).
    assert api.get(f"/api/v1/people/{registered.pk}/").status_code == 200
    reunification = Reunification.objects.get(match=match)
    # The owning office records it the way its staff would: the consent's revoke button on
    # the person's page, or the refusal through the API.
    owner_user = network.user(Role.OFFICER, OTHER_COUNTRY)
    if how == "consent_revoked":
        resp = _web(owner_user).post(f"/people/{registered.pk}/consents/{match.consent_id}/revoke/")
        assert resp.status_code == 302
    else:
        resp = _api(owner_user).patch(
            f"/api/v1/people/{registered.pk}/", {"refuses_tracing": True}, format="json"
        )
        assert resp.status_code == 200
    data = api.get(f"/api/v1/tracing-matches/{match.pk}/").json()
    assert data["status"] == "withdrawn"
    request_data = api.get(f"/api/v1/tracing-requests/{tr.pk}/").json()
    assert [m["status"] for m in request_data["matches"]] == ["withdrawn"]
    for name, body in _requester_bodies(network, tr).items():
        for secret in SECRETS:
            assert secret not in body, (name, secret)
        assert str(registered.pk) not in body, name
    page = _web(network.user(Role.OFFICER, OWN_OFFICE)).get(f"/tracing/requests/{tr.pk}/")
    with translation.override("es"):  # the web UI's default language
        withdrawn = str(TracingMatch.Status.WITHDRAWN.label)
    assert withdrawn in page.content.decode()
    assert api.get(f"/api/v1/reunifications/{reunification.pk}/").status_code == 404
    assert api.get(f"/api/v1/people/{registered.pk}/").status_code == 404
    web = _web(network.user(Role.OFFICER, OWN_OFFICE))
    assert web.get(f"/tracing/reunifications/{reunification.pk}/").status_code == 404
    match.refresh_from_db()
    reunification.refresh_from_db()
    assert match.status == TracingMatch.Status.WITHDRAWN
    assert reunification.status == Reunification.Status.CANCELLED
    # The owning office still sees its person and the history of the match.
    owner_data = (
        _api(network.user(Role.OFFICER, OTHER_COUNTRY))
        .get(f"/api/v1/tracing-matches/{match.pk}/")
        .json()
    )
    assert owner_data["status"] == "withdrawn"
    assert owner_data["person_name"] == "Jesús Alberto Pérez Gómez"


def test_consent_revoked_without_the_service_hides_the_person_too(network, registered):
    tr = services.request_create(actor=_requester(network), data=REQUEST)
    match = services.match_confirm(
        actor=_owner(network), match=tr.matches.get(), notice_language="es"
    )
    type(match.consent).objects.filter(pk=match.consent_id).update(revoked_on="2026-12-01")
    data = (
        _api(network.user(Role.OFFICER, OWN_OFFICE))
        .get(f"/api/v1/tracing-matches/{match.pk}/")
        .json()
    )
    assert data["status"] == "withdrawn"
    assert "person_name" not in data and "office_email" not in data


# 4. Workflow errors are conflicts -----------------------------------------------------------


def test_deciding_twice_is_a_conflict(network, registered):
    tr = services.request_create(actor=_requester(network), data=REQUEST)
    match = tr.matches.get()
    owner = _api(network.user(Role.OFFICER, OTHER_COUNTRY))
    url = f"/api/v1/tracing-matches/{match.pk}/"
    assert owner.post(url + "confirm/", {"notice_language": "es"}).status_code == 200
    assert owner.post(url + "reject/", {}).status_code == 409
    assert owner.post(url + "confirm/", {"notice_language": "es"}).status_code == 409


def test_saving_a_finished_reunification_page_is_a_conflict(network, registered):
    tr = services.request_create(actor=_requester(network), data=REQUEST)
    owner = _owner(network)
    match = services.match_confirm(actor=owner, match=tr.matches.get(), notice_language="es")
    people_services.consent_revoke(actor=owner, consent=match.consent)
    reunification = Reunification.objects.get(match=match)
    assert reunification.status == Reunification.Status.CANCELLED
    with pytest.raises(TransitionNotAllowed):
        services.reunification_update(
            actor=owner, reunification=reunification, version=None, data={"follow_up": "x"}
        )
    resp = _web(network.user(Role.OFFICER, OTHER_COUNTRY)).post(
        f"/tracing/reunifications/{reunification.pk}/",
        {"version": reunification.version, "follow_up": "Llamada"},
    )
    assert resp.status_code == 409
    assert 'role="alert"' in resp.content.decode()  # the refusal is shown, not swallowed
    reunification.refresh_from_db()
    assert reunification.follow_up == ""
