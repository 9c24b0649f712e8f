"""Run the cells of the policy table: one request per (endpoint, call, role, relation)."""

import copy
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from .policy import AUTH, LOGIN, Call, Ctx, Endpoint, Expect
from .world import ANONYMOUS, ROLES, World


@dataclass
class Cell:
    endpoint: Endpoint
    call: Call
    role: str
    relation: str

    @property
    def where(self) -> str:
        label = f" [{self.call.label}]" if self.call.label else ""
        return f"{self.call.method} {self.endpoint.name}{label} as {self.role} × {self.relation}"


def cells(endpoint: Endpoint) -> Iterator[Cell]:
    for call in endpoint.calls:
        relations = call.relations or endpoint.relations
        for relation in relations:
            for role in ROLES:
                yield Cell(endpoint, call, role, relation)
        yield Cell(endpoint, call, ANONYMOUS, relations[0])


class Clients:
    """One logged-in client per user, reused for every cell (logging in costs queries)."""

    def __init__(self) -> None:
        self._web: dict[Any, Client] = {}
        self._api: dict[Any, APIClient] = {}

    def web(self, user: Any) -> Client:
        key = user.pk if user else None
        if key not in self._web:
            client = Client()
            if user is not None:
                client.force_login(user)
            self._web[key] = client
        return self._web[key]

    def api(self, user: Any) -> APIClient:
        key = user.pk if user else None
        if key not in self._api:
            client = APIClient()
            if user is not None:
                client.force_authenticate(user)
            self._api[key] = client
        return self._api[key]


def body_of(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def expected(cell: Cell) -> Expect:
    if cell.role == ANONYMOUS:
        if cell.call.anonymous is not None:
            return cell.call.anonymous
        return AUTH if cell.endpoint.is_api else LOGIN
    return cell.call.expect(cell.role, cell.relation)


def request(
    world: World,
    clients: Clients,
    cell: Cell,
    keep: bool = False,
    rewrite: Callable[[str], str] | None = None,
) -> tuple[HttpResponse, Ctx, str]:
    """Send the cell's request inside a savepoint that is rolled back (writes leave no trace),
    unless `keep` (the caller rolls back itself); `rewrite` changes the URL before sending."""
    user = None if cell.role == ANONYMOUS else world.user(cell.role, cell.relation)
    ctx = Ctx(world=world, role=cell.role, relation=cell.relation, user=user)
    endpoint, call = cell.endpoint, cell.call
    # The client logs in outside the savepoint, so that its session outlives the cell.
    client: Any = clients.api(user) if endpoint.is_api else clients.web(user)
    with transaction.atomic():
        kwargs = endpoint.kwargs(ctx) if endpoint.kwargs else {}
        if call.prepare:
            kwargs.update(call.prepare(ctx))
        url = endpoint.url or reverse(endpoint.name, kwargs=kwargs or None)
        if rewrite:
            url = rewrite(url)
        query = call.query(ctx) if callable(call.query) else call.query
        data = call.data(ctx) if call.data else None
        headers = {"HTTP_HX_REQUEST": "true"} if call.htmx else {}
        cookies = copy.deepcopy(client.cookies)
        send = getattr(client, call.method.lower())
        if call.method != "GET" and query:  # a POST's filters in the URL (the API's export)
            url = f"{url}?{urlencode(query, doseq=True)}"
        if call.job is not None and user is not None:
            with TestCase.captureOnCommitCallbacks(execute=True):  # the job runs now
                if call.method == "GET":
                    response = send(url, query, **headers)
                elif endpoint.is_api:
                    response = send(url, data, format=call.fmt if data else None, **headers)
                else:
                    response = send(url, data or {}, **headers)
            if response.status_code in (202, 302):  # started: what counts is the file
                response = client.get(call.job(client, response))
        elif call.method == "GET":
            response = send(url, query, **headers)
        elif endpoint.is_api:
            fmt = call.fmt if data is not None else None
            response = send(url, data, format=fmt, **headers)
        elif call.method == "POST":
            response = send(url, data or {}, **headers)
        else:
            response = send(url, data or {}, content_type="application/json", **headers)
        client.cookies = cookies  # logging in or out, or a language, must not carry over
        response.policy_body = body_of(response)  # type: ignore[attr-defined]
        transaction.set_rollback(not keep)
    return response, ctx, url


def check(expect: Expect, response: Any, ctx: Ctx, call: Call) -> bool:
    if response.status_code not in expect.statuses:
        return False
    if expect.to_login is not None:
        location = response.get("Location", "")
        login = reverse(settings.LOGIN_URL)
        if location.startswith(login) != expect.to_login:
            return False
    body = response.policy_body
    if expect.listed is not None:
        assert call.marker is not None, "a listing outcome needs a marker"
        if (call.marker(ctx).encode() in body) != expect.listed:
            return False
    return expect.named is None or (ctx.world.name(ctx.relation).encode() in body) == expect.named


def run(world: World, endpoints: list[Endpoint], first_only: bool = False) -> tuple[int, list[str]]:
    """Every cell of the endpoints; the number of cells and a line per mismatch (`first_only`:
    stop at the first one, as the policy mutants do, enlace/tests/access/mutants.py)."""
    clients = Clients()
    failures = []
    count = 0
    for endpoint in endpoints:
        started = time.monotonic()
        for cell in cells(endpoint):
            want = expected(cell)
            count += 1
            try:
                response, ctx, url = request(world, clients, cell)
            except Exception as exc:  # a server error is a mismatch too, reported with the rest
                failures.append(f"{cell.where}: raised {type(exc).__name__}: {exc}"[:300])
            else:
                if not check(want, response, ctx, cell.call):
                    got = str(response.status_code)
                    if response.status_code in (301, 302, 303):
                        got += f" → {response.get('Location', '')}"
                    failures.append(f"{cell.where} ({url}): got {got}, want {want}")
            if first_only and failures:
                return count, failures
        failures += missing_like_forbidden(world, clients, endpoint)
        if first_only and failures:
            return count, failures
        TIMES[endpoint.name] = time.monotonic() - started
    return count, failures


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
VOLATILE = re.compile(rb'(csrfmiddlewaretoken" value="|nonce="|"X-CSRFToken": ")[^"]*')


def _same_page(body: bytes, url: str) -> bytes:
    """A 404's body without what changes on every request or names the URL asked for."""
    return VOLATILE.sub(rb"\1", body.replace(url.encode(), b"<url>"))


def missing_like_forbidden(world: World, clients: Clients, endpoint: Endpoint) -> list[str]:
    """Missing and forbidden look the same: for every call on a record, the user who may not
    see the record gets, for a record that does not exist, the same 404, byte for byte (but the
    URL); and a user who may see it gets a 404 for a missing one."""
    failures = []
    nowhere = str(uuid.uuid4())
    for call in endpoint.calls:
        relations = call.relations or endpoint.relations
        cells_ = [Cell(endpoint, call, role, rel) for rel in relations for role in ROLES]
        forbidden = next((c for c in cells_ if expected(c).statuses == {404}), None)
        allowed = next((c for c in cells_ if not expected(c).statuses & {401, 403, 404}), None)
        for cell in (forbidden, allowed):
            if cell is None:
                continue
            seen, _ctx, url = request(world, clients, cell)
            if not UUID.search(url):
                return []  # not a record's URL
            gone, _ctx, gone_url = request(
                world, clients, cell, rewrite=lambda u: UUID.sub(nowhere, u)
            )
            where = f"{cell.where} with a missing id ({gone_url})"
            if gone.status_code != 404:
                failures.append(f"{where}: got {gone.status_code}, want 404")
            elif cell is forbidden and seen.status_code == 404:
                a = _same_page(seen.policy_body, url)  # type: ignore[attr-defined]
                b = _same_page(gone.policy_body, gone_url)  # type: ignore[attr-defined]
                if a != b:
                    failures.append(f"{where}: the 404 differs from the forbidden one ({url})")
    return failures


TIMES: dict[str, float] = {}
