"""Reads of data-protection records, scoped by the actor (enlace.privacy.permissions)."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from enlace.access.reads import Purpose, read_many, read_one
from enlace.accounts.actor import Actor
from enlace.core.lookups import get_or_404

from . import permissions
from .models import Breach, ConsentEvent, RequestStatus, RightsRequest

# A request is "due soon" this many days before its deadline (the queue and the inbox).
DUE_SOON_DAYS = 3


def request_list(*, actor: Actor, status: str = "", kind: str = "") -> QuerySet[RightsRequest]:
    """The office's rights requests, earliest deadline first; open ones by default."""
    if not permissions.handles_requests(actor):
        raise Http404
    qs = RightsRequest.objects.filter(permissions.request_scope(actor)).select_related("person")
    qs = qs.filter(status=status or RequestStatus.OPEN) if status != "all" else qs
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("due_on", "received_on", "id")


def request_get(*, actor: Actor, request_id: UUID | str) -> RightsRequest:
    qs = RightsRequest.objects.filter(permissions.request_scope(actor)).select_related(
        "person", "person__owner_office", "office"
    )
    return get_or_404(qs, request_id)


def request_read(
    *, actor: Actor, request_id: UUID | str, purpose: str = Purpose.VIEW
) -> RightsRequest:
    """One request to show or act on: the reads of the request and of its person are logged
    (a refusal too)."""
    found = read_one(
        actor=actor,
        record_type="privacy.rightsrequest",
        record_id=request_id,
        get=lambda: request_get(actor=actor, request_id=request_id),
        owner_path="office",
        purpose=purpose,
    )
    read_many(actor=actor, records=[found.person], purpose=purpose)
    return found


def is_overdue(request: RightsRequest, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return request.status == RequestStatus.OPEN and request.due_on < today


def is_due_soon(request: RightsRequest, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return request.status == RequestStatus.OPEN and today <= request.due_on <= today + dt.timedelta(
        days=DUE_SOON_DAYS
    )


def breach_list(*, actor: Actor) -> QuerySet[Breach]:
    if not permissions.reads_breaches(actor):
        raise Http404
    return (
        Breach.objects.filter(permissions.breach_scope(actor))
        .select_related("office")
        .order_by("notified_at", "notify_by", "-detected_at", "id")
    )


def breach_get(*, actor: Actor, breach_id: UUID | str) -> Breach:
    return get_or_404(breach_list(actor=actor), breach_id)


def breach_overdue(breach: Breach, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return breach.notified_at is None and breach.notify_by < today


def consent_ledger(*, person_id: Any) -> QuerySet[ConsentEvent]:
    """Every line of a person's consent ledger, oldest first (the caller has read the person
    through people's selectors)."""
    return ConsentEvent.objects.filter(person_id=person_id).order_by("at", "id")


def consent_state(events: Any) -> dict[str, str]:
    """The current state per purpose, derived from the ledger: 'given' while some consent of
    that purpose has a latest line that gives it, else 'withdrawn'."""
    latest: dict[tuple[str, Any], str] = {}
    for event in events:
        latest[(event.purpose, event.consent_id)] = event.action
    state: dict[str, str] = {}
    for (purpose, _consent), action in latest.items():
        if state.get(purpose) != ConsentEvent.Action.GIVEN:
            state[purpose] = action
    return state
