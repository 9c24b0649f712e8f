"""One mapping from service errors to HTTP, for the API and for pages alike; a malformed id is a
404 everywhere; the actor is looked up once per request."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from enlace.accounts import actor as actor_module
from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE
from enlace.cases import services as case_services
from enlace.core.errors import (
    StaleEdit,
    TransitionNotAllowed,
    ValidationFailed,
    http_error,
)
from enlace.people import services as people_services
from enlace.tracing import services as tracing_services
from enlace.tracing.tests.test_tracing import REQUEST, SOUGHT

pytestmark = pytest.mark.django_db


def test_the_one_mapping():
    assert http_error(StaleEdit()).status == 409
    assert http_error(TransitionNotAllowed("no")).body() == {"detail": "no"}
    error = http_error(ValidationFailed({"summary": ["Too long."]}))
    assert (error.status, error.body()) == (400, {"summary": ["Too long."]})
    from django.http import Http404
    from django.utils import translation

    with translation.override("en"):
        assert http_error(Http404("secret detail")).body() == {"detail": "Not found."}
    assert http_error(ValueError()) is None


@pytest.fixture
def officer(network):
    return network.user(Role.OFFICER)


@pytest.fixture
def case(officer):
    actor = actor_for(officer)
    person = people_services.person_create(actor=actor, data={"given_names": "Ana"})
    return case_services.case_open(actor=actor, person=person, case_type="labour", summary="x")


def _page(user):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_a_transition_the_workflow_refuses_is_409_on_api_and_page_for_cases(network, case):
    supervisor = network.user(Role.SUPERVISOR)
    api = APIClient()
    api.force_authenticate(supervisor)
    resp = api.post(f"/api/v1/cases/{case.pk}/transitions/", {"name": "reopen"})
    assert resp.status_code == 409 and resp.json()["detail"]
    resp = _page(supervisor).post(f"/cases/{case.pk}/steps/reopen/")
    assert resp.status_code == 409


def test_a_stale_transition_on_the_case_page_is_409_and_says_so(network, case):
    resp = _page(network.user(Role.OFFICER)).post(
        f"/cases/{case.pk}/steps/request_closure/",
        {"version": case.version + 5, "note": "Nota que no se pierde"},
    )
    assert resp.status_code == 409
    # the case page again, saying so, with the note kept in its step's box (issue 10)
    assert b"Someone else changed this case while you were on the page" in resp.content
    assert b"Nota que no se pierde</textarea>" in resp.content


@pytest.fixture
def decided_match(network):
    owner = actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))
    people_services.person_create(actor=owner, data=SOUGHT)
    requester = actor_for(network.user(Role.OFFICER, OWN_OFFICE))
    match = tracing_services.request_create(actor=requester, data=REQUEST).matches.get()
    tracing_services.match_reject(actor=owner, match=match, note="otra persona")
    return match


def test_a_transition_the_workflow_refuses_is_409_on_api_and_page_for_tracing(
    network, decided_match
):
    owner = network.user(Role.OFFICER, OTHER_COUNTRY)
    api = APIClient()
    api.force_authenticate(owner)
    resp = api.post(f"/api/v1/tracing-matches/{decided_match.pk}/reject/", {})
    assert resp.status_code == 409
    resp = _page(owner).post(f"/tracing/matches/{decided_match.pk}/reject/", {"note": "x"})
    assert resp.status_code == 409
    assert b"errorlist" in resp.content


# ------------------------------------------------------------------ malformed ids

JUNK = "not-a-uuid"
ID_NAMES = re.compile(r"^(pk|id|.*_id)$")


def _routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _with_junk_id(route: str) -> str | None:
    """The route with its id parameter replaced by junk, other parameters by a word."""
    if "(?P<format>" in route or ".(?P" in route:
        return None
    found = False

    def junk(name: str) -> str:
        nonlocal found
        if ID_NAMES.match(name):
            found = True
            return JUNK
        return "x"

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: junk(m.group(1)), route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: junk(m.group(1)), path)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path if found else None


def test_a_malformed_id_is_a_404_in_every_api_and_page_url(network):
    client = Client()
    client.force_login(network.user(Role.SUPERVISOR))
    urls = sorted({u for u in map(_with_junk_id, _routes(get_resolver().url_patterns)) if u})
    assert any(u.startswith("/api/v1/cases/") for u in urls)
    assert any(u.startswith("/cases/") for u in urls)
    wrong = {}
    for url in urls:
        resp = client.get(url)
        for method in ("post", "put"):
            if resp.status_code == 405:
                resp = getattr(client, method)(url, {}, content_type="application/json")
        if resp.status_code != 404:
            wrong[url] = resp.status_code
    assert wrong == {}


def test_a_well_formed_unknown_id_is_the_same_404(network):
    client = APIClient()
    client.force_authenticate(network.user(Role.OFFICER))
    junk = client.get(f"/api/v1/cases/{JUNK}/")
    unknown = client.get(f"/api/v1/cases/{uuid.uuid4()}/")
    assert junk.status_code == unknown.status_code == 404
    assert junk.json() == unknown.json()


# ------------------------------------------------------------------ the actor, once


def test_the_actor_is_looked_up_once_per_api_request(network, case, monkeypatch):
    calls = []
    real = actor_module.actor_for

    def counting(user):
        calls.append(user)
        return real(user)

    monkeypatch.setattr(actor_module, "actor_for", counting)
    client = APIClient()
    client.force_authenticate(network.user(Role.OFFICER))
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    assert len(calls) == 1
    calls.clear()
    resp = client.post(f"/api/v1/cases/{case.pk}/notes/", {"text": "Llamó la familia."})
    assert resp.status_code == 201
    assert len(calls) == 1
