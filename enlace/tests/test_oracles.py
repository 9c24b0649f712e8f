"""Side doors per module (issue 18): for a record the reader may not see, search, counts, error
texts, the queries run and response timings answer exactly as for a record that does not exist.

Each module gives a hidden record (owned by an office of another country) and the doors of its
kind: the detail page and API, the list and its search. The portal's follow-up (wrong secret vs
unknown reference) is checked in enlace/portal/tests/test_intake.py; names of protected people
in search in enlace/access/tests/test_search.py; trafficking free text in
enlace/trafficking/tests/test_freetext.py."""

import difflib
import re
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, Network
from enlace.people import services as people_services

pytestmark = pytest.mark.django_db

HIDDEN_WORD = "Zanatepecoracle"
NONSENSE = "qwzxnonsenseqq"


@dataclass(frozen=True)
class Module:
    name: str
    viewer: tuple[str, str]  # (role, relation) of the reader, who may see some records of the kind
    make: Callable[[Network], Any]  # the hidden record, owned by the other country's office
    page: str  # the detail page, "{id}" for the record's id
    api: str = ""  # the detail in the API
    list_api: str = ""  # the list in the API, searched with ?q= when `searchable`
    list_page: str = ""
    searchable: bool = False


def _person(network: Network, relation: str = OTHER_COUNTRY) -> Any:
    return people_services.person_create(
        actor=actor_for(network.user(Role.OFFICER, relation)),
        data={"given_names": HIDDEN_WORD, "first_surname": "Oracle", "sex": "F"},
        nationalities=[network.offices[relation].country_id],
    )


def _trafficking(network: Network) -> Any:
    from enlace.trafficking import services

    return services.case_create(
        actor=actor_for(network.user(Role.TRAFFICKING_FOCAL_POINT, OTHER_COUNTRY)),
        kind="trafficking",
        summary=f"Denuncia en {HIDDEN_WORD}",
        route=[{"country": network.offices[OTHER_COUNTRY].country_id, "place": HIDDEN_WORD}],
    )


def _return(network: Network) -> Any:
    from enlace.returns import services

    officer = actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))
    return services.return_open(actor=officer, person=_person(network), note=HIDDEN_WORD)


def _tracing(network: Network) -> Any:
    from enlace.tracing import services

    return services.request_create(
        actor=actor_for(network.user(Role.OFFICER, OTHER_COUNTRY)),
        data={
            "requester_name": "Rosa Oracle",
            "requester_relation": "mother",
            "requester_consent": True,
            "given_names": HIDDEN_WORD,
            "first_surname": "Oracle",
            "sex": "M",
            "birth_date": "1990",
        },
    )


def _rights_request(network: Network) -> Any:
    from enlace.privacy import services

    return services.rights_request_record(
        actor=actor_for(network.user(Role.OFFICER, OTHER_COUNTRY)),
        person=_person(network),
        kind="access",
        law_country="MX",
        received_on=timezone.localdate(),
    )


def _public_request(network: Network) -> Any:
    from enlace.portal.models import PublicRequest
    from enlace.portal.services import new_code, secret_digest

    return PublicRequest.objects.create(
        kind="help",
        reference=new_code(),
        secret_digest=secret_digest(new_code()),
        office=network.offices[OTHER_COUNTRY],
        updated=timezone.now(),
        details={"situation": "detention", "description": HIDDEN_WORD},
    )


MODULES = [
    Module(
        "trafficking",
        (Role.TRAFFICKING_FOCAL_POINT, OWN_OFFICE),
        _trafficking,
        page="/trafficking/{id}/",
        api="/api/v1/trafficking-cases/{id}/",
        list_api="/api/v1/trafficking-cases/",
        list_page="/trafficking/",
        searchable=True,
    ),
    Module(
        "returns",
        (Role.OFFICER, OWN_OFFICE),
        _return,
        page="/returns/{id}/",
        api="/api/v1/returns/{id}/",
        list_api="/api/v1/returns/",
        list_page="/returns/",
        searchable=True,
    ),
    Module(
        "tracing",
        (Role.OFFICER, OWN_OFFICE),
        _tracing,
        page="/tracing/requests/{id}/",
        api="/api/v1/tracing-requests/{id}/",
        list_api="/api/v1/tracing-requests/",
        list_page="/tracing/",
    ),
    Module(
        "privacy",
        (Role.SUPERVISOR, OWN_OFFICE),
        _rights_request,
        page="/privacy/requests/{id}/",
        list_page="/privacy/requests/",
    ),
    Module(
        "portal",
        (Role.OFFICER, OWN_OFFICE),
        _public_request,
        page="/portal/triage/{id}/",
        list_page="/portal/triage/",
    ),
]

# Per-request tokens a page carries (CSRF, CSP nonce): the only bytes allowed to differ.
_TOKENS = re.compile(
    rb'(csrfmiddlewaretoken" value="|nonce="|csrf-token" content="|"X-CSRFToken": ")[^"]*'
)


def _clients(network: Network, module: Module) -> tuple[Client, APIClient]:
    user = network.user(*module.viewer)
    web = Client()
    web.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    return web, api


def _same(body: bytes, *terms: str) -> bytes:
    """The body without its per-request tokens, and with the terms the request itself carried
    (a search term, the id in the URL: the language links echo the path) replaced."""
    body = _TOKENS.sub(rb"\1", body)
    for term in terms:
        body = body.replace(term.encode(), b"TERM")
    return body


def _lists(web: Client, api: APIClient, module: Module, term: str | None) -> list[Any]:
    """What the reader's lists answer (with the search term when given)."""
    query = {"q": term} if term else {}
    out: list[Any] = []
    if module.list_api:
        response = api.get(module.list_api, query)
        assert response.status_code == 200
        data = response.json()
        out += [data.get("count"), [r.get("id") for r in data["results"]]]
        out.append(_same(response.content, *([term] if term else [])))
    if module.list_page:
        page = web.get(module.list_page, query)
        assert page.status_code == 200
        out.append(_same(page.content, *([term] if term else [])))
    # the inbox badge and its list count what the reader was told
    out.append(api.get("/api/v1/inbox/").json().get("count"))
    return out


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_lists_counts_and_search_answer_as_if_the_hidden_record_did_not_exist(network, module):
    web, api = _clients(network, module)
    before = _lists(web, api, module, None)
    searched_before = _lists(web, api, module, HIDDEN_WORD) if module.searchable else None
    hidden = module.make(network)
    # (c) counts: the lists and the inbox count the same with the hidden record as without
    after = _lists(web, api, module, None)
    assert after == before, _diff(after, before)
    if module.searchable:
        # (a) a term only the hidden record holds finds what a nonsense term finds
        found = _lists(web, api, module, HIDDEN_WORD)
        assert found == searched_before
        nonsense = _lists(web, api, module, NONSENSE)
        assert [_same(x, NONSENSE) if isinstance(x, bytes) else x for x in nonsense] == [
            _same(x, HIDDEN_WORD) if isinstance(x, bytes) else x for x in found
        ]
        reference = getattr(hidden, "reference", "")
        if reference:  # the hidden record's own reference is no better a key
            assert _lists(web, api, module, reference)[:2] == found[:2]


def _detail(client: Any, url: str, record: str) -> tuple[int, bytes, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url.format(id=record))
    return response.status_code, _same(response.content, record), len(queries)


def _diff(a: Any, b: Any) -> str:
    """The lines that differ, for the failure message."""
    if isinstance(a, list):
        return "\n".join(_diff(x, y) for x, y in zip(a, b, strict=True) if x != y)
    if not isinstance(a, bytes):
        return f"{a!r} != {b!r}"
    lines = difflib.unified_diff(a.decode().splitlines(), b.decode().splitlines(), n=0)
    return "\n".join(list(lines)[:40])


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_a_hidden_record_answers_as_a_missing_one(network, module):
    """(d) byte-identical 404 pages and API bodies, after the same number of queries; (e)
    median times of 30 requests each within the spread of all of them."""
    web, api = _clients(network, module)
    hidden = str(module.make(network).pk)
    missing = str(uuid.uuid4())
    doors = [(web, module.page)] + ([(api, module.api)] if module.api else [])
    for client, url in doors:
        client.get(url.format(id=str(uuid.uuid4())))  # the first request loads the session
        got_hidden = _detail(client, url, hidden)
        got_missing = _detail(client, url, missing)
        assert got_hidden[0] == 404, url
        # the same text, byte for byte
        assert got_hidden[1] == got_missing[1], _diff(got_hidden[1], got_missing[1])
        assert got_hidden[2] == got_missing[2], url  # the same work: as many queries
    client, url = doors[-1]
    timings: dict[str, list[float]] = {"hidden": [], "missing": []}
    for _i in range(30):  # interleaved, so drift in the machine's load hits both alike
        for name, record in (("hidden", hidden), ("missing", missing)):
            start = time.perf_counter()
            client.get(url.format(id=record))
            timings[name].append(time.perf_counter() - start)
    a, b = (statistics.median(t) for t in timings.values())
    spread = statistics.quantiles(timings["hidden"] + timings["missing"], n=4)
    assert abs(a - b) <= max(spread[2] - spread[0], 0.001), (a, b, spread)
