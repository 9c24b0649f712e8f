"""Every string of the Big List of Naughty Strings (shared/data/blns, MIT) through every text
field of every API endpoint: each operation is found in the OpenAPI schema (drf-spectacular's
generator, in process), so a new endpoint is covered without editing this file.

For every operation with a JSON body or query parameters holding free-text strings, each such
field (one at a time) gets each string, sent by a user who may call the operation, with the rest
of the request as the access-policy table makes an allowed call (enlace/tests/access/policy.py:
its URL arguments, body and query, on the same small world). Each answer must be:
  - a status the schema documents for the operation (2xx, 400, 404, 409…), never a server error;
  - valid JSON when it says it is JSON;
  - for a write that succeeded (2xx), the string stored as sent (or trimmed, or with its line
    ends as \\n): read back from the answer, or else from the database.

A sample of the strings by default (the forms test's: one in thirty of those with markup or
control characters and one in a hundred of all), shared out among each operation's fields so that
the operation gets all of it and each field at least PER_FIELD strings; every string through
every field under `make fuzz` (ENLACE_BLNS_FULL=1). Every request runs in a savepoint that is
rolled back, so each string meets the same records."""

import html
import itertools
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.db import models, transaction
from django.test import override_settings
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from enlace.tests.access.policy import POLICY, Call, Ctx, Endpoint
from enlace.tests.access.world import ANONYMOUS, ROLES, World, build_world

BLNS = Path(__file__).resolve().parents[4] / "shared" / "data" / "blns" / "blns.json"
STRINGS = json.loads(BLNS.read_text(encoding="utf-8")) if BLNS.exists() else []
FULL = bool(os.environ.get("ENLACE_BLNS_FULL"))
_MARKUP = [s for s in STRINGS if html.escape(s) != s or any(ord(c) < 32 for c in s)]
SAMPLE = STRINGS if FULL else list(dict.fromkeys(_MARKUP[::30] + STRINGS[::100]))
METHODS = ("get", "post", "put", "patch", "delete")
PER_FIELD = 3

# Operations left out, with the reason. Everything else the schema lists is sent the strings.
SKIPPED = {
    # Revoking the caller's own token would end the run's authentication half-way; its body
    # holds no text field anyway.
    "auth_token_destroy": "revokes the caller's token; no text field",
}
# Text fields a successful write does not store as typed, by design: (operation id, field).
NOT_STORED = {
    ("auth_token_create", "username"): "credentials: checked, never stored",
    ("auth_token_create", "password"): "credentials: checked, never stored",
    ("auth_token_create", "otp_token"): "credentials: checked, never stored",
    # The policy's referral is made with the person's consent; the reason is kept only for a
    # supervisor's referral without it (enlace.cases.services.referral_create).
    ("cases_referrals_create", "override_reason"): "kept only for a referral without consent",
}
# Operations whose one body serves several steps, each taking its own fields: only the fields of
# the step the policy's call takes are stored (the others belong to other steps).
STEP_FIELDS = {
    "returns_steps_create": {"reason"},  # the withdraw step (enlace.returns.services.STEPS)
}

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.fuzz,
    pytest.mark.skipif(not STRINGS, reason=f"{BLNS} is missing"),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Any:
    """The access-policy world (enlace/tests/access/world.py), built once for this module inside
    a transaction rolled back at the end."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


# ---------------------------------------------------------------- the schema's operations


@dataclass
class Operation:
    method: str  # upper case
    path: str  # the schema's path, with {parameters}
    op: dict[str, Any]
    body_fields: list[tuple[str | int, ...]]  # paths of free-text strings inside the body
    query_fields: list[str]
    skipped: str = ""

    @property
    def id(self) -> str:
        return str(self.op.get("operationId") or f"{self.method} {self.path}")

    @property
    def documented(self) -> set[int]:
        return {int(code) for code in self.op.get("responses", {}) if code.isdigit()}


def _resolve(schema: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    if isinstance(node, dict) and "allOf" in node and len(node["allOf"]) == 1:
        return _resolve(schema, node["allOf"][0])
    return node


def _free_text(node: dict[str, Any]) -> bool:
    """A string that is free text: no format (date, uuid, email…) and no list of choices (a
    field that may be blank is one of a string or an empty string)."""
    options = node.get("oneOf") or node.get("anyOf")
    if options:
        return any(_free_text(option) for option in options)
    return node.get("type") == "string" and "format" not in node and "enum" not in node


def _string_paths(schema: dict[str, Any], node: Any, prefix: tuple[Any, ...] = ()) -> list[Any]:
    node = _resolve(schema, node)
    if not isinstance(node, dict):
        return []
    if _free_text({**node, "oneOf": [_resolve(schema, o) for o in node.get("oneOf", [])]}):
        return [prefix]
    if node.get("type") == "array" and len(prefix) < 4:
        return _string_paths(schema, node.get("items", {}), (*prefix, 0))
    found = []
    for name, prop in (node.get("properties") or {}).items():
        if len(prefix) < 4 and not _resolve(schema, prop).get("readOnly"):
            found += _string_paths(schema, prop, (*prefix, name))
    return found


def _operations() -> list[Operation]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            content = (op.get("requestBody") or {}).get("content", {})
            body_fields: list[Any] = []
            skipped = SKIPPED.get(op.get("operationId", ""), "")
            if "application/json" in content:
                body_fields = _string_paths(schema, content["application/json"].get("schema"))
            elif content and not skipped:
                kinds = ", ".join(content)
                skipped = f"the body is {kinds} (a file upload): the file tests cover it"
            query_fields = [
                p["name"]
                for p in op.get("parameters", [])
                if p.get("in") == "query" and _free_text(_resolve(schema, p.get("schema", {})))
            ]
            if body_fields or query_fields or skipped:
                found.append(
                    Operation(method.upper(), path, op, body_fields, query_fields, skipped)
                )
    return found


OPERATIONS = _operations()


def test_the_sweep_covers_the_endpoints_that_take_text():
    """The schema walk finds the text fields (a walk that found none would pass vacuously)."""
    ids = {o.id: o for o in OPERATIONS}
    assert ("details",) in ids["rights_requests_create"].body_fields
    assert ("reason",) in ids["rights_requests_reject_create"].body_fields
    assert "q" in ids["cases_list"].query_fields
    assert len([o for o in OPERATIONS if not o.skipped]) > 30


# ---------------------------------------------------------------- one request


def _url_name(path: str) -> str:
    sample = path
    while "{" in sample:
        start, end = sample.index("{"), sample.index("}")
        name = sample[start + 1 : end]
        value = str(uuid.uuid4()) if name in ("id", "pk") or name.endswith("_id") else "MX"
        sample = sample[:start] + value + sample[end + 1 :]
    try:
        match = resolve(sample)
    except Resolver404:
        match = resolve(sample.replace("MX", str(uuid.uuid4())))
    return match.view_name


@dataclass
class Plan:
    endpoint: Endpoint
    call: Call
    role: str
    relation: str


def _plan(operation: Operation) -> Plan:
    """Who calls the operation and how: the policy table's call for its URL and method, by a
    (role, relation) it allows (a 2xx if any does)."""
    endpoint = POLICY[_url_name(operation.path)]
    calls = [c for c in endpoint.calls if c.method == operation.method]
    assert calls, f"{operation.id}: the policy table has no {operation.method} call"
    fallback = None
    for call in calls:
        for relation in call.relations or endpoint.relations:
            for role in ROLES:
                statuses = call.expect(role, relation).statuses
                if all(200 <= s < 300 for s in statuses):
                    return Plan(endpoint, call, role, relation)
                if fallback is None and 404 not in statuses and 401 not in statuses:
                    fallback = Plan(endpoint, call, role, relation)
    if fallback is None and calls[0].anonymous is not None:
        fallback = Plan(endpoint, calls[0], ANONYMOUS, endpoint.relations[0])
    assert fallback is not None, f"{operation.id}: nobody may call it"
    return fallback


def _put(body: Any, where: tuple[Any, ...], value: str) -> Any:
    """The body with the string at `where`; a missing object or list on the way is made (a
    list gets one item)."""
    node = body
    for step, following in itertools.pairwise(where):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(step, int):
            if not node:
                node.append(empty)
            node = node[step]
        else:
            node = node.setdefault(step, empty)
    last = where[-1]
    if isinstance(last, int) and not node:
        node.append(value)
    else:
        node[last] = value
    return body


def _strings_in(data: Any) -> set[str]:
    if isinstance(data, str):
        return {data}
    if isinstance(data, dict):
        return set().union(*(_strings_in(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(_strings_in(v) for v in data)) if data else set()
    return set()


def _variants(s: str) -> set[str]:
    """What a stored string may look like: as sent, trimmed where the serializer trims, with
    the line ends a form or a text field normalises."""
    out = {s, s.strip()}
    return out | {v.replace("\r\n", "\n") for v in out}


def _columns(kind: Any) -> list[tuple[Any, list[str]]]:
    """The columns of that kind of every Enlace table but the audit log's (a change history
    that quotes the value is not the value stored)."""
    columns = []
    for model in apps.get_models():
        if not model.__module__.startswith("enlace.") or model._meta.app_label == "audit":
            continue
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, kind)]
        if names:
            columns.append((model, names))
    return columns


def _stored(s: str, since: Any) -> bool:
    """Some text column of Enlace's tables holds the string (as sent, or trimmed), or a JSON
    column of a row written since `since` holds it."""
    variants = _variants(s)
    for model, names in _columns(models.CharField | models.TextField):
        query = models.Q()
        for name in names:
            query |= models.Q(**{f"{name}__in": list(variants)})
        if model._default_manager.filter(query).exists():
            return True
    for model, names in _columns(models.JSONField):
        stamps = [f for f in ("modified", "created", "at") if hasattr(model, f)]
        if not stamps:
            continue
        rows = model._default_manager.filter(**{f"{stamps[0]}__gte": since})
        for values in rows.values_list(*names):
            if variants & _strings_in(list(values)):
                return True
    return False


@dataclass
class Outcome:
    status: int
    problem: str = ""


class Sender:
    def __init__(self, world: World) -> None:
        self.world = world
        self.clients: dict[Any, APIClient] = {}

    def client(self, user: Any) -> APIClient:
        key = user.pk if user is not None else None
        if key not in self.clients:
            client = APIClient()
            if user is not None:
                client.force_authenticate(user)
            self.clients[key] = client
        return self.clients[key]

    def send(
        self,
        operation: Operation,
        plan: Plan,
        *,
        where: tuple[Any, ...] | None = None,
        param: str = "",
        value: str = "",
    ) -> Outcome:
        world, call, endpoint = self.world, plan.call, plan.endpoint
        user = None if plan.role == ANONYMOUS else world.user(plan.role, plan.relation)
        ctx = Ctx(world=world, role=plan.role, relation=plan.relation, user=user)
        client = self.client(user)
        with transaction.atomic():
            kwargs = endpoint.kwargs(ctx) if endpoint.kwargs else {}
            if call.prepare:
                kwargs.update(call.prepare(ctx))
            url = reverse(endpoint.name, kwargs=kwargs or None)
            since = timezone.now()
            query = dict(call.query(ctx) if callable(call.query) else call.query)
            body = call.data(ctx) if call.data else {}
            if where is not None:
                body = _put(json.loads(json.dumps(body, default=str)), where, value)
            if param:
                query[param] = value
            try:
                if operation.method == "GET":
                    response = client.get(url, query)
                else:
                    send = getattr(client, operation.method.lower())
                    if query:  # a write's parameters go in its URL
                        url += "?" + urlencode(query)
                    response = send(url, body, format="json")
            except Exception as exc:
                transaction.set_rollback(True)
                return Outcome(500, f"raised {type(exc).__name__}: {exc}"[:300])
            outcome = Outcome(response.status_code)
            if response.status_code not in operation.documented:
                outcome.problem = f"answered {response.status_code}, not documented"
            content_type = response.get("Content-Type", "")
            payload: Any = None
            if "json" in content_type:
                try:
                    payload = json.loads(response.content)
                except ValueError as exc:
                    outcome.problem = f"invalid JSON: {exc}"
            written = operation.method != "GET" and 200 <= response.status_code < 300
            field = where[-1] if where else param
            checked = written and where is not None and (operation.id, field) not in NOT_STORED
            checked = checked and field in STEP_FIELDS.get(operation.id, {field})
            echoed = bool(_variants(value) & _strings_in(payload))
            if checked and not echoed and not _stored(value, since):
                outcome.problem = f"{response.status_code} but the string was not stored"
            transaction.set_rollback(True)
        return outcome


def _strings_for(index: int, fields: int) -> list[str]:
    """The strings the field-th of an operation's fields gets: every string under `make fuzz`;
    by default a share of the sample, in turn, so that the operation's fields together get the
    whole sample and each field at least PER_FIELD strings."""
    if FULL:
        return SAMPLE
    count = min(len(SAMPLE), max(PER_FIELD, -(-len(SAMPLE) // fields)))
    return [SAMPLE[(index * count + n) % len(SAMPLE)] for n in range(count)]


def _ids(operation: Operation) -> str:
    return f"{operation.method} {operation.path}"


@pytest.mark.parametrize("operation", OPERATIONS, ids=_ids)
def test_every_blns_string_through_every_text_field_of_the_api(world, operation):
    if operation.skipped:
        pytest.skip(operation.skipped)
    plan = _plan(operation)
    sender = Sender(world)
    baseline = sender.send(operation, plan)
    assert baseline.status < 500 and not baseline.problem, (operation.id, baseline)
    problems = []
    started = time.monotonic()
    fields = [("body", where) for where in operation.body_fields]
    fields += [("query", param) for param in operation.query_fields]
    for index, (part, name) in enumerate(fields):
        for s in _strings_for(index, len(fields)):
            if part == "body":
                got = sender.send(operation, plan, where=name, value=s)
                label = ".".join(map(str, name))
            else:
                got = sender.send(operation, plan, param=name, value=s)
                label = f"?{name}"
            if got.status >= 500 or got.problem:
                problems.append(f"{label} = {s!r}: {got.problem}")
    assert not problems, (
        f"{operation.id} as {plan.role} × {plan.relation} "
        f"({time.monotonic() - started:.1f} s):\n  " + "\n  ".join(problems[:40])
    )
