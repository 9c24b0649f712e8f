"""Writes to grants: give an office access to a record, and take it back.

Referrals (cases) and confirmed tracing matches (tracing) call these; withdrawing a consent
(people) revokes every grant that rests on it, at once. Apps that keep their own record of a
hand-over (a referral's status) hear about consent withdrawals through `on_consent_revoked`.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from enlace.accounts.actor import Actor
from enlace.accounts.models import Office
from enlace.audit.services import change_record

from .models import Grant

ConsentHook = Callable[..., Any]
_CONSENT_HOOKS: list[ConsentHook] = []


def on_consent_revoked(hook: ConsentHook) -> None:
    """Call `hook(actor=…, consent=…)` when a consent is withdrawn (e.g. to mark referrals)."""
    if hook not in _CONSENT_HOOKS:
        _CONSENT_HOOKS.append(hook)


def _audit(actor: Actor, grant: Grant, action: str) -> None:
    record: Any = grant.case if grant.case_id else grant.person
    change_record(
        actor=actor,
        obj=record,
        owner_office=record.owner_office,
        action=action,
        changes={"grant": [str(grant.pk), str(grant.office_id)]},
    )


@transaction.atomic
def grant_create(
    *,
    actor: Actor,
    office: Office,
    person: Any,
    case: Any = None,
    purpose: str,
    source: models.Model,
    consent: Any = None,
    legal_basis: str = "",
    valid_until: dt.datetime | None = None,
    source_id: str | None = None,
) -> Grant:
    """Open a person (and one of their cases) to another office for a purpose. `source` is
    the record that decided it (a referral, a match, an identity request); `source_id` names
    another record instead when the rules look grants up by it (a trafficking identity request
    records the trafficking case's id, see enlace.trafficking.rules)."""
    if consent is None and not legal_basis.strip():
        raise ValueError("A grant rests on a consent or a stated legal basis.")
    grant = Grant.objects.create(
        office=office,
        person=person,
        case=case,
        purpose=purpose,
        consent=consent,
        legal_basis="" if consent is not None else legal_basis,
        valid_until=valid_until,
        source_type=source._meta.label_lower,
        source_id=str(source.pk) if source_id is None else source_id,
        granted_by=actor.user,
        created_by=actor.user,
    )
    _audit(actor, grant, "grant_create")
    return grant


def _revoke(actor: Actor, grants: Any) -> int:
    count = 0
    for grant in grants.filter(revoked_at__isnull=True).select_related(
        "case__owner_office", "person__owner_office"
    ):
        grant.revoked_at = timezone.now()
        grant.revoked_by = actor.user
        grant.save(update_fields=["revoked_at", "revoked_by", "modified"])
        _audit(actor, grant, "grant_revoke")
        count += 1
    return count


@transaction.atomic
def grant_revoke(*, actor: Actor, grant: Grant) -> Grant:
    """Take one grant back: the office loses access at once."""
    _revoke(actor, Grant.objects.filter(pk=grant.pk))
    grant.refresh_from_db()
    return grant


@transaction.atomic
def grants_revoke_for_source(*, actor: Actor, source: models.Model) -> int:
    """Revoke the grants a referral or a tracing match opened."""
    return _revoke(
        actor,
        Grant.objects.filter(source_type=source._meta.label_lower, source_id=str(source.pk)),
    )


@transaction.atomic
def grants_revoke_for_consent(*, actor: Actor, consent: Any) -> int:
    """The person withdrew a consent: every grant resting on it ends now, and the apps that
    recorded the hand-over (referrals) are told."""
    count = _revoke(actor, Grant.objects.filter(consent=consent))
    for hook in _CONSENT_HOOKS:
        hook(actor=actor, consent=consent)
    return count
