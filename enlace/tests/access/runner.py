"""Run the cells of the policy table: one request per (endpoint, call, role, relation)."""

import copy
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
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
    world: World, clients: Clients, cell: Cell, keep: bool = False
) -> tuple[HttpResponse, Ctx, str]:
    """Send the cell's request inside a savepoint that is rolled back (writes leave no trace),
    unless `keep` (the caller rolls back itself)."""
    user = None if cell.role == ANONYMOUS else world.user(cell.role, cell.relation)
    ctx = Ctx(world=world, role=cell.role, relation=cell.relation, user=user)
    endpoint, call = cell.endpoint, cell.call
    # The client logs in outside the savepoint, so that its session outlives the cell.
    client: Any = clients.api(user) if endpoint.is_api else clients.web(user)
    with transaction.atomic():
        kwargs = endpoint.kwargs(ctx) if endpoint.kwargs else {}
        if call.prepare:
            kwargs.update(call.prepare(ctx))
        url = reverse(endpoint.name, kwargs=kwargs or None)
        query = call.query(ctx) if callable(call.query) else call.query
        data = call.data(ctx) if call.data else None
        headers = {"HTTP_HX_REQUEST": "true"} if call.htmx else {}
        cookies = copy.deepcopy(client.cookies)
        send = getattr(client, call.method.lower())
        if call.method == "GET":
            response = send(url, query, **headers)
        elif endpoint.is_api:
            fmt = call.fmt if data is not None else None
            response = send(url, data, format=fmt, **headers)
        elif call.method == "POST":
            response = send(url, data or {}, **headers)
        else:
            response = send(url, data or {}, content_type="application/json", **headers)
        if call.method != "GET":
            client.cookies = cookies  # logging out or in must not change the next cell's client
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


def run(world: World, endpoints: list[Endpoint]) -> tuple[int, list[str]]:
    """Every cell of the endpoints; the number of cells and a line per mismatch."""
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
                continue
            if not check(want, response, ctx, cell.call):
                got = str(response.status_code)
                if response.status_code in (301, 302, 303):
                    got += f" → {response.get('Location', '')}"
                failures.append(f"{cell.where} ({url}): got {got}, want {want}")
        TIMES[endpoint.name] = time.monotonic() - started
    return count, failures


TIMES: dict[str, float] = {}
