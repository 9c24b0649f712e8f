"""Who sees and who works an assisted voluntary return: the one place these rules live (pages,
API, panels, inbox links and figures all ask here).

- The sending side (everything, the steps up to departure): the owner office's staff and the
  national focal points of the owner office's country.
- The receiving side (what reception and reintegration need; arrival, reintegration plan,
  follow-ups, closure): the receiving office's staff and the national focal points of its
  country, only while the hand-over grant (enlace.access, source `returns.return`, to the
  receiving office) is active. Revoked or expired: they lose the return at once.
- Everyone else: 404 (selectors raise Http404), as for a missing return.
- The migratory status is never part of a return (enlace.access.rules.sees_migratory_status:
  the person's owner office only); a travel document's number is identity data, shown only to
  whoever sees the person's identity (enlace.access.rules.sees_identity).
"""

import uuid
from typing import Any

from django.db.models import Q

from enlace.access import roles
from enlace.access import rules as access
from enlace.access.models import Grant
from enlace.access.rules import NOTHING, active_grants
from enlace.accounts.actor import Actor

from .models import Return

GRANT_SOURCE = Grant.Source.RETURN_HANDOVER.value

SENDING = "sending"
RECEIVING = "receiving"


def _staff(actor: Actor) -> bool:
    return actor.office is not None and roles.in_group(actor.role, roles.OFFICE_STAFF)


def _focal(actor: Actor) -> bool:
    return actor.office is not None and roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS)


def may_see_some(actor: Actor) -> bool:
    """Some return may be in reach (the navigation item, the list)."""
    return _staff(actor) or _focal(actor)


def can_open(actor: Actor) -> bool:
    """Open a return: an office's staff (for a person their office registered)."""
    return _staff(actor)


def can_configure(actor: Actor) -> bool:
    """Set the office's return settings (the cooling-off period): its supervisors and
    administrators."""
    return actor.office is not None and roles.in_group(
        actor.role, roles.APPROVERS | roles.ADMINISTRATORS
    )


def granted_return_ids(actor: Actor) -> set[uuid.UUID]:
    """Returns handed over to the actor's office (staff) or to an office of the actor's country
    (national focal points) by an active grant."""
    office = actor.office
    if office is None:
        return set()
    if _staff(actor):
        target = Q(office=office)
    elif _focal(actor):
        target = Q(office__country_id=office.country_id)
    else:
        return set()
    ids: set[uuid.UUID] = set()
    for source_id in Grant.objects.filter(
        target, active_grants(), source_type=GRANT_SOURCE
    ).values_list("source_id", flat=True):
        try:
            ids.add(uuid.UUID(str(source_id)))
        except ValueError:
            continue
    return ids


def own_scope(actor: Actor) -> Q | None:
    """The returns the actor's side owns (its office's, or its country's for national focal
    points), without those handed over to it; None for other roles."""
    office = actor.office
    if office is None:
        return None
    if _staff(actor):
        return Q(owner_office=office)
    if _focal(actor):
        return Q(owner_office__country_id=office.country_id)
    return None


def return_reach(actor: Actor) -> tuple[Any, list[Q]]:
    """(scope, branches) for Return querysets (enlace.core.querysets): what the actor may see."""
    office = actor.office
    if office is None:
        return NOTHING, []
    if _staff(actor):
        own = Q(owner_office=office)
    elif _focal(actor):
        own = Q(owner_office__country_id=office.country_id)
    else:
        return NOTHING, []
    granted = granted_return_ids(actor)
    if not granted:
        return own, [own]
    branches = [own, Q(pk__in=granted)]
    return own | branches[1], branches


def _grant_active(ret: Return, actor: Actor, granted: set[uuid.UUID] | None) -> bool:
    if ret.receiving_office_id is None:
        return False
    return ret.pk in (granted_return_ids(actor) if granted is None else granted)


def side(actor: Actor, ret: Return, granted: set[uuid.UUID] | None = None) -> str | None:
    """SENDING (the owner's side: everything), RECEIVING (what reception needs) or None.
    `granted`: granted_return_ids(actor), read once for a list."""
    office = actor.office
    if office is None:
        return None
    if _staff(actor) and ret.owner_office_id == office.pk:
        return SENDING
    if _focal(actor) and ret.owner_office.country_id == office.country_id:
        return SENDING
    if ret.receiving_office_id is None:
        return None
    receiving = ret.receiving_office
    if receiving is None:
        return None
    if (_staff(actor) and receiving.pk == office.pk) or (
        _focal(actor) and receiving.country_id == office.country_id
    ):
        return RECEIVING if _grant_active(ret, actor, granted) else None
    return None


def sees(actor: Actor, ret: Return) -> bool:
    return side(actor, ret) is not None


def works_sending(actor: Actor, ret: Return) -> bool:
    """Take the steps up to departure (and withdraw): the sending side."""
    return side(actor, ret) == SENDING


def works_receiving(actor: Actor, ret: Return) -> bool:
    """Record arrival, the reintegration plan, follow-ups and the closure: the receiving side
    (through the active hand-over grant)."""
    office = actor.office
    if office is None or ret.receiving_office_id is None:
        return False
    receiving = ret.receiving_office
    if receiving is None:
        return False
    mine = (_staff(actor) and receiving.pk == office.pk) or (
        _focal(actor) and receiving.country_id == office.country_id
    )
    return mine and _grant_active(ret, actor, None)


def sees_document_numbers(actor: Actor, ret: Return) -> bool:
    """A travel document's number is identity data: whoever sees the person's identity."""
    return sees(actor, ret) and access.sees_identity(actor, ret.person)


def sees_voluntariness_details(actor: Actor, ret: Return) -> bool:
    """Counselling notes, eligibility reasons, the determination's and medical notes stay with
    the sending side; the receiving side learns that consent was given, when, and the needs."""
    return side(actor, ret) == SENDING


def return_permissions(actor: Actor, ret: Return) -> dict[str, bool]:
    """What the return's page offers the actor, as booleans for the template."""
    current = side(actor, ret)
    return {
        "sending": current == SENDING,
        "receiving": works_receiving(actor, ret),
        "document_numbers": sees_document_numbers(actor, ret),
        "details": sees_voluntariness_details(actor, ret),
    }
