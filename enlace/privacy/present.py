"""Rights requests and breaches as the API shows them (dicts for the output serializers)."""

import datetime as dt
from typing import Any

from enlace.accounts.actor import Actor
from enlace.people.present import display_name

from . import selectors
from .models import Breach, RightsRequest
from .services import short_reference


def request_row(request: RightsRequest, today: dt.date) -> dict[str, Any]:
    """A row of the queue: the request, never its person."""
    return {
        "id": request.pk,
        "reference": short_reference(request),
        "kind": request.kind,
        "status": request.status,
        "law_country": request.law_country,
        "received_on": request.received_on,
        "due_on": request.due_on,
        "closed_on": request.closed_on,
        "overdue": selectors.is_overdue(request, today),
        "due_soon": selectors.is_due_soon(request, today),
    }


def request_detail(actor: Actor, request: RightsRequest, today: dt.date) -> dict[str, Any]:
    """One request with its person (the caller read both through request_read or person_read,
    which logged the reads)."""
    return request_row(request, today) | {
        "person": request.person_id,
        "person_name": display_name(actor, request.person),
        "legal_source": request.legal_source,
        "details": request.details,
        "reason": request.reason,
        "counts": request.counts or {},
    }


def breach_row(breach: Breach, today: dt.date) -> dict[str, Any]:
    return {
        "id": breach.pk,
        "reference": short_reference(breach),
        "office": breach.office_id,
        "detected_at": breach.detected_at,
        "description": breach.description,
        "records_affected": breach.records_affected,
        "persons_affected": breach.persons_affected,
        "notify_by": breach.notify_by,
        "notified_at": breach.notified_at,
        "notified_to": breach.notified_to,
        "overdue": selectors.breach_overdue(breach, today),
    }
