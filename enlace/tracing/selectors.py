"""Reads for family tracing. A match is visible to the office that registered the person and,
while it is a live proposal or a confirmation, to the requesting office; what each side sees
of the other is decided in present.py."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet, Value
from django.http import Http404

from enlace.access.reads import Purpose, read_many, read_one
from enlace.access.rules import can_trace
from enlace.accounts.actor import Actor
from enlace.accounts.models import Office
from enlace.core.counting import age_years, first_of_year_counts

from .models import Reunification, TracingMatch, TracingRequest

# What the requesting office may still see: a pending proposal of a person who has not refused
# tracing, a confirmed match, or the bare fact that a confirmed match was withdrawn. Withheld
# (over the per-office limit), rejected and withdrawn proposals are gone from its view.
REQUESTER_VISIBLE = (
    Q(status=TracingMatch.Status.PROPOSED, person__refuses_tracing=False)
    | Q(status=TracingMatch.Status.CONFIRMED)
    | Q(status=TracingMatch.Status.WITHDRAWN, consent__isnull=False)
)
# The requester's order says nothing about the scores: by office, then by random id.
REQUESTER_ORDER = ("person__owner_office__name", "pk")


def _office(actor: Actor) -> Office:
    office = actor.office
    if office is None or not can_trace(actor):
        raise Http404
    return office


def request_list(*, actor: Actor) -> QuerySet[TracingRequest]:
    """The tracing requests filed by the actor's office."""
    if not can_trace(actor):
        return TracingRequest.objects.none()
    return TracingRequest.objects.filter(office=actor.office).select_related("office")


def request_get(*, actor: Actor, request_id: UUID | str) -> TracingRequest:
    try:
        return request_list(actor=actor).get(pk=request_id)
    except (TracingRequest.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


def match_list(*, actor: Actor, side: str = "owner") -> QuerySet[TracingMatch]:
    """Matches on people of the actor's office ('owner') or on its requests ('requester')."""
    office = _office(actor)
    qs = TracingMatch.objects.select_related(
        "request",
        "request__office",
        "person",
        "person__owner_office",
        "person__owner_office__country",
        "consent",
    )
    if side == "owner":
        return qs.filter(person__owner_office=office).exclude(status=TracingMatch.Status.WITHHELD)
    return qs.filter(REQUESTER_VISIBLE, request__office=office).order_by(*REQUESTER_ORDER)


def request_matches(*, actor: Actor, request: TracingRequest) -> QuerySet[TracingMatch]:
    """The matches of one of the actor's requests that the requesting office may see."""
    return match_list(actor=actor, side="requester").filter(request=request)


def requests_matches(*, actor: Actor, requests: Sequence[TracingRequest]) -> QuerySet[TracingMatch]:
    """The matches of several of the actor's requests (a page of the list) in one query, as the
    requesting office may see them."""
    if not requests:
        return TracingMatch.objects.none()
    return match_list(actor=actor, side="requester").filter(request__in=[r.pk for r in requests])


def match_get(*, actor: Actor, match_id: UUID | str) -> TracingMatch:
    office = _office(actor)
    try:
        return TracingMatch.objects.select_related(
            "request", "request__office", "person", "person__owner_office", "consent"
        ).get(
            Q(person__owner_office=office) | (Q(request__office=office) & REQUESTER_VISIBLE),
            pk=match_id,
        )
    except (TracingMatch.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


def reunification_get(*, actor: Actor, reunification_id: UUID | str) -> Reunification:
    office = _office(actor)
    try:
        return Reunification.objects.select_related(
            "match",
            "match__request",
            "match__request__office",
            "match__person",
            "match__person__owner_office",
        ).get(
            Q(match__person__owner_office=office)
            | Q(
                match__request__office=office,
                match__status=TracingMatch.Status.CONFIRMED,
                match__person__refuses_tracing=False,
                match__consent__revoked_on__isnull=True,
            ),
            pk=reunification_id,
        )
    except (Reunification.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


# Logged reads: what pages, API and exports show goes through these.

REQUEST_OWNER = "office"
MATCH_OWNER = "person__owner_office"
REUNIFICATION_OWNER = "match__person__owner_office"


def request_read(
    *, actor: Actor, request_id: UUID | str, purpose: str = Purpose.TRACING
) -> TracingRequest:
    return read_one(
        actor=actor,
        record_type="tracing.tracingrequest",
        record_id=request_id,
        get=lambda: request_get(actor=actor, request_id=request_id),
        owner_path=REQUEST_OWNER,
        purpose=purpose,
    )


def match_read(
    *, actor: Actor, match_id: UUID | str, purpose: str = Purpose.TRACING
) -> TracingMatch:
    return read_one(
        actor=actor,
        record_type="tracing.tracingmatch",
        record_id=match_id,
        get=lambda: match_get(actor=actor, match_id=match_id),
        owner_path=MATCH_OWNER,
        purpose=purpose,
    )


def reunification_read(
    *, actor: Actor, reunification_id: UUID | str, purpose: str = Purpose.REUNIFICATION
) -> Reunification:
    return read_one(
        actor=actor,
        record_type="tracing.reunification",
        record_id=reunification_id,
        get=lambda: reunification_get(actor=actor, reunification_id=reunification_id),
        owner_path=REUNIFICATION_OWNER,
        purpose=purpose,
    )


def requests_shown(
    *, actor: Actor, requests: Iterable[TracingRequest], purpose: str = Purpose.LIST
) -> Sequence[TracingRequest]:
    return read_many(actor=actor, records=requests, owner_path=REQUEST_OWNER, purpose=purpose)


def matches_shown(
    *, actor: Actor, matches: Iterable[TracingMatch], purpose: str = Purpose.LIST
) -> Sequence[TracingMatch]:
    return read_many(actor=actor, records=matches, owner_path=MATCH_OWNER, purpose=purpose)


def is_owner_side(actor: Actor, match: TracingMatch) -> bool:
    office = actor.office
    return office is not None and match.person.owner_office_id == office.pk


def is_requester_side(actor: Actor, match: TracingMatch) -> bool:
    office = actor.office
    return office is not None and match.request.office_id == office.pk


def withdrawn_for_requester(match: TracingMatch) -> bool:
    """The person refused tracing or withdrew the consent the confirmation rested on, even if
    the withdrawal was written without the service (an import, the admin)."""
    if match.status == TracingMatch.Status.WITHDRAWN or match.person.refuses_tracing:
        return True
    consent = match.consent
    return consent is not None and consent.revoked_on is not None


def contact_office(actor: Actor, match: TracingMatch) -> Office | None:
    """The other office of a confirmed match, whose contact details (the office directory)
    both sides see so they can reach each other; None before confirmation or once the person
    withdrew."""
    if match.status != TracingMatch.Status.CONFIRMED:
        return None
    if is_owner_side(actor, match):
        return match.request.office
    if is_requester_side(actor, match) and not withdrawn_for_requester(match):
        return match.person.owner_office
    return None


# Figures for the indicators module (enlace.indicators.protection) ---------------------------


def tracing_counts(
    *, since: dt.date | None = None, until: dt.date | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Counts for published statistics, never a person (enlace.core.counting):

    - "requests": tracing requests by the requesting office's country and the sought person's
      sex, on the day they were made. The sought person is not a registered person, so each
      request counts as one person (two relatives seeking the same person count twice); the age
      group is "unknown" (the date of birth of a request is free text);
    - "reunifications": completed reunifications by the registered person found, on the day of
      the reunion, in the requesting office's country.

    `since`/`until`: only the whole calendar years they fall in. Two GROUP BY queries."""
    requests = first_of_year_counts(
        TracingRequest.objects.all(),
        person="pk",
        on="created",
        dims={"country": F("office__country_id"), "sex": F("sex"), "age_group": Value("unknown")},
        since=since,
        until=until,
    )
    reunifications = first_of_year_counts(
        Reunification.objects.filter(status=Reunification.Status.COMPLETED),
        person="match__person",
        on="reunion_date",
        dims={"country": F("match__request__office__country_id"), "sex": F("match__person__sex")},
        age=age_years(
            on="reunion_date",
            born="match__person__birth_date",
            estimated="match__person__estimated_age",
            reported="match__person__age_reported_on",
        ),
        since=since,
        until=until,
    )
    return {"requests": requests, "reunifications": reunifications}
