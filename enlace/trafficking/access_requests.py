"""Requests to see a case's identities: a trafficking focal point of a country on the case's
route (who sees the case de-identified) asks, with a purpose, a legal basis or the victims'
consent, and a duration; the owning country's trafficking focal points grant or refuse, with a
reason. A grant is one access grant (enlace.access.grants) per victim, source
`trafficking.identityrequest` with the case as source_id, valid until the end of the duration
and revocable; enlace.trafficking.rules reads them, so the requesting country's focal points
see the identities while a grant is active, and every identity shown is logged as it is for
the owner. The requester is told of each decision through the inbox (no identity in it).
"""

import datetime as dt
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.access import grants, roles
from enlace.access.models import Grant
from enlace.accounts.actor import Actor
from enlace.audit.models import Purpose
from enlace.audit.services import change_record
from enlace.core.errors import StaleEdit, ValidationFailed
from enlace.core.lookups import get_or_404
from enlace.core.validation import check_text
from enlace.inbox.models import Kind
from enlace.inbox.services import notify

from . import rules
from .alerts import TFP_ROLES, _offices_with
from .models import IdentityRequest, TraffickingCase

MAX_DAYS = 365
S = IdentityRequest.Status
OPEN = (S.REQUESTED, S.GRANTED)


def _expire(case: TraffickingCase) -> None:
    """Granted requests whose grants have all run out are marked expired (so a new request
    may be made, and the pages say so)."""
    now = timezone.now()
    IdentityRequest.objects.filter(case=case, status=S.GRANTED, valid_until__lte=now).update(
        status=S.EXPIRED, modified=now
    )


def is_expired(request: IdentityRequest) -> bool:
    return request.status == S.EXPIRED or (
        request.status == S.GRANTED
        and request.valid_until is not None
        and request.valid_until <= timezone.now()
    )


# Who may do what -----------------------------------------------------------------------------


def can_request(actor: Actor, case: TraffickingCase) -> bool:
    """A trafficking focal point who sees the case (its country is on the route) but not its
    identities, whose office has no request waiting or granted on it."""
    if not rules.is_focal_point(actor) or rules.sees_identities(actor, case):
        return False
    running = Q(status=S.REQUESTED) | Q(status=S.GRANTED, valid_until__gt=timezone.now())
    return not IdentityRequest.objects.filter(running, case=case, office=actor.office).exists()


def can_decide(actor: Actor, request: IdentityRequest) -> bool:
    """Only the trafficking focal points of the case's owning country."""
    return rules.can_edit(actor, request.case)


def request_list(*, actor: Actor) -> QuerySet[IdentityRequest]:
    """The requests the actor may see: those of their office (the requester's side), and for
    the owning country's focal points those on their country's cases. Newest first."""
    office = actor.office
    if office is None or not rules.is_focal_point(actor):
        return IdentityRequest.objects.none()
    return (
        IdentityRequest.objects.filter(
            Q(office=office) | Q(case__owner_office__country_id=office.country_id)
        )
        .select_related("case", "case__owner_office", "office", "created_by", "decided_by")
        .order_by("-created", "id")
    )


def request_get(*, actor: Actor, request_id: UUID | str) -> IdentityRequest:
    """One request in the actor's reach; else 404."""
    return get_or_404(request_list(actor=actor), request_id)


# Writes --------------------------------------------------------------------------------------


def _audit(actor: Actor, request: IdentityRequest, action: str, status: str) -> None:
    change_record(
        actor=actor,
        obj=request.case,
        owner_office=request.case.owner_office,
        action=action,
        changes={"identity_request": [str(request.pk), status]},
    )


def _tell_requester(request: IdentityRequest, kind: str, office_name: str) -> None:
    notify(
        kind=kind,
        user=request.created_by,
        params={"reference": request.case.reference, "office": office_name},
        link=reverse("trafficking:access_request", kwargs={"request_id": request.pk}),
    )


def _clean(purpose: Any, basis: Any, legal_basis: Any, days: Any) -> dict[str, Any]:
    errors: dict[str, list[Any]] = {}
    clean: dict[str, Any] = {}
    for key, value in (("purpose", purpose), ("legal_basis", legal_basis)):
        try:
            clean[key] = check_text(key, value, limit=2000, required=key == "purpose")
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if basis not in IdentityRequest.Basis.values:
        errors["basis"] = [_("Choose a legal basis or the victims' consent.")]
    elif basis == IdentityRequest.Basis.LEGAL_BASIS and not clean.get("legal_basis"):
        errors.setdefault("legal_basis", [_("State the legal basis.")])
    clean["basis"] = basis
    try:
        number = int(days)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_DAYS:
        errors["days"] = [_("Enter a number of days from 1 to %(max)d.") % {"max": MAX_DAYS}]
    clean["days"] = number
    if errors:
        raise ValidationFailed(errors)
    if basis == IdentityRequest.Basis.CONSENT:
        clean["legal_basis"] = ""
    return clean


@transaction.atomic
def request_create(
    *,
    actor: Actor,
    case: TraffickingCase,
    purpose: str,
    basis: str,
    legal_basis: str = "",
    days: Any,
) -> IdentityRequest:
    """Ask the owning country's trafficking focal points for the case's identities."""
    office = actor.office
    if office is None or not can_request(actor, case):
        raise Http404
    _expire(case)
    clean = _clean(purpose, basis, legal_basis, days)
    request = IdentityRequest.objects.create(
        case=case, office=office, created_by=actor.user, **clean
    )
    _audit(actor, request, "trafficking_identity_request", S.REQUESTED)
    owner_country = case.owner_office.country_id
    link = reverse("trafficking:access_request", kwargs={"request_id": request.pk})
    for deciders in _offices_with(roles.TRAFFICKING_FOCAL_POINTS, [owner_country]):
        notify(
            kind=Kind.TRAFFICKING_ACCESS_REQUESTED,
            office=deciders,
            roles=TFP_ROLES,
            params={"reference": case.reference, "office": office.name},
            link=link,
        )
    return request


def _consents(people: list[Any]) -> dict[Any, Any]:
    """Each victim's recorded, unrevoked consent (the latest), for a grant on consent."""
    from enlace.people.models import Consent

    found: dict[Any, Any] = {}
    for consent in Consent.objects.filter(person__in=people, revoked_on__isnull=True).order_by(
        "person_id", "-given_on"
    ):
        found.setdefault(consent.person_id, consent)
    return found


@transaction.atomic
def request_decide(
    *, actor: Actor, request: IdentityRequest, grant: bool, reason: str = "", version: Any = None
) -> IdentityRequest:
    """Grant (one access grant per victim, until the requested duration ends) or refuse (a
    reason is required) a waiting request."""
    if not can_decide(actor, request):
        raise Http404
    locked = (
        IdentityRequest.objects.select_for_update(of=("self",))
        .select_related("case__owner_office", "office", "created_by")
        .get(pk=request.pk)
    )
    if version not in (None, "") and str(locked.version) != str(version):
        raise StaleEdit
    if locked.status != S.REQUESTED:
        raise ValidationFailed({"__all__": [_("This request was decided already.")]})
    reason = check_text("reason", reason, limit=2000, required=not grant)
    now = timezone.now()
    if grant:
        victims = list(locked.case.victims.select_related("person__owner_office"))
        if not victims:
            raise ValidationFailed({"__all__": [_("The case names no victim to grant.")]})
        consents: dict[Any, Any] = {}
        if locked.basis == IdentityRequest.Basis.CONSENT:
            consents = _consents([v.person for v in victims])
            if any(v.person_id not in consents for v in victims):
                message = _(
                    "Not every victim has a recorded consent: refuse, and ask for a request on "
                    "a legal basis."
                )
                raise ValidationFailed({"__all__": [message]})
        locked.valid_until = now + dt.timedelta(days=locked.days)
        for victim in victims:
            grants.grant_create(
                actor=actor,
                office=locked.office,
                person=victim.person,
                purpose=Purpose.TRAFFICKING,
                source=locked,
                source_id=str(locked.case_id),
                consent=consents.get(victim.person_id),
                legal_basis=locked.legal_basis,
                valid_until=locked.valid_until,
            )
        locked.status = S.GRANTED
    else:
        locked.status = S.REFUSED
    locked.decided_by = actor.user
    locked.decided_at = now
    locked.decision_reason = reason
    locked.version += 1
    locked.save()
    _audit(actor, locked, "trafficking_identity_request_decide", locked.status)
    kind = Kind.TRAFFICKING_ACCESS_GRANTED if grant else Kind.TRAFFICKING_ACCESS_REFUSED
    _tell_requester(locked, kind, locked.case.owner_office.name)
    return locked


def request_grants(request: IdentityRequest) -> QuerySet[Grant]:
    """The access grants a granted request opened (of its office, on its case)."""
    return Grant.objects.filter(
        source_type=Grant.Source.TRAFFICKING_IDENTITY_REQUEST,
        source_id=str(request.case_id),
        office=request.office,
    )


@transaction.atomic
def request_revoke(*, actor: Actor, request: IdentityRequest) -> IdentityRequest:
    """The owning country's focal points take a granted access back: every grant of it ends."""
    if not can_decide(actor, request):
        raise Http404
    locked = (
        IdentityRequest.objects.select_for_update(of=("self",))
        .select_related("case__owner_office", "office", "created_by")
        .get(pk=request.pk)
    )
    if locked.status != S.GRANTED:
        raise ValidationFailed({"__all__": [_("Only a granted access can be revoked.")]})
    for grant in request_grants(locked).filter(revoked_at__isnull=True):
        grants.grant_revoke(actor=actor, grant=grant)
    locked.status = S.REVOKED
    locked.revoked_by = actor.user
    locked.revoked_at = timezone.now()
    locked.version += 1
    locked.save()
    _audit(actor, locked, "trafficking_identity_request_revoke", S.REVOKED)
    _tell_requester(locked, Kind.TRAFFICKING_ACCESS_REVOKED, locked.case.owner_office.name)
    return locked
