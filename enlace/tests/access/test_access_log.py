"""Logged reads: one allowed read of a page, htmx partial, edit form, list, API endpoint or export
that shows a person, case or tracing record writes exactly one access-log row for that record.

Which records each read shows is stated in the policy table (Call.logs), next to who may read.
"""

from typing import Any

import pytest
from django.db import transaction

from enlace.audit.models import AccessEvent

from .policy import ENDPOINTS, ROLE_ONLY, Call, Ctx, Endpoint
from .runner import Cell, Clients, expected, request
from .world import ROLES

pytestmark = pytest.mark.django_db


def _reads() -> list[tuple[Endpoint, Call]]:
    # Reads: the GETs, and the calls that start an export (a POST whose file shows records).
    return [(e, c) for e in ENDPOINTS for c in e.calls if c.method == "GET" or c.job is not None]


def _allowed_cell(endpoint: Endpoint, call: Call) -> Cell:
    """The first cell of the table that is shown the record (own office first)."""
    for relation in call.relations or endpoint.relations:
        for role in ROLES:
            cell = Cell(endpoint, call, role, relation)
            want = expected(cell)
            if want.statuses <= {200} and want.listed is not False:
                return cell
    raise AssertionError(f"nobody may read {endpoint.name}")


def _logged(obj: Any) -> int:
    # Refused reads are logged too, as refusals: only the reads that showed the record count.
    return AccessEvent.objects.filter(
        record_type=obj._meta.label_lower, record_id=str(obj.pk), denied=False
    ).count()


def test_every_read_of_a_record_scoped_endpoint_states_what_it_logs():
    silent = [
        f"{e.name} {c.method}" for e, c in _reads() if c.logs is None and e.relations != ROLE_ONLY
    ]
    assert not silent, (
        "say in policy.py which records these reads show (logs=...), or why they show none:\n"
        + "\n".join(silent)
    )


def test_each_read_writes_exactly_one_access_row_per_record_shown(world):
    clients = Clients()
    wrong = []
    checked = 0
    for endpoint, call in _reads():
        if not callable(call.logs):
            continue
        cell = _allowed_cell(endpoint, call)
        user = world.user(cell.role, cell.relation)
        ctx = Ctx(world=world, role=cell.role, relation=cell.relation, user=user)
        clients.api(user) if endpoint.is_api else clients.web(user)  # log in outside the savepoint
        with transaction.atomic():
            records = call.logs(ctx)
            before = [_logged(r) for r in records]
            response, _ctx, url = request(world, clients, cell, keep=True)
            after = [_logged(r) for r in records]
            transaction.set_rollback(True)
        checked += 1
        if response.status_code != 200:
            wrong.append(f"{url} ({endpoint.name}) as {cell.role}: got {response.status_code}")
            continue
        for record, b, a in zip(records, before, after, strict=True):
            if a - b != 1:
                wrong.append(
                    f"{url} ({endpoint.name}) as {cell.role} × {cell.relation}: "
                    f"{a - b} access rows for {record._meta.label_lower} {record.pk}, want 1"
                )
    assert checked >= 25
    assert not wrong, f"{len(wrong)} reads are not logged exactly once:\n" + "\n".join(wrong)
