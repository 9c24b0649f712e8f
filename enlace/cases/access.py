"""The firewall in one place: who may see which person and case, and which of their fields.

A record belongs to the office that created it. It is visible to that office's officers and
supervisors, to the national focal points of the same country, to the trafficking focal points
of that country for trafficking matters, and to another office only through an accepted
referral. Missing and forbidden are the same 404 (selectors raise Http404).
"""

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q

from enlace.accounts.actor import Actor
from enlace.accounts.models import Role

if TYPE_CHECKING:
    from enlace.people.models import Person

OFFICE_ROLES = (Role.OFFICER, Role.SUPERVISOR)
REFERRAL_GRANTS = ("accepted", "done")  # Referral.Status values that open a case to the receiver
TRAFFICKING_CASE = "possible_trafficking"
TRAFFICKING_FLAG = "trafficking_victim"
GBV_FLAG = "gbv_survivor"
NOTHING = Q(pk__in=[])


def _referred_to(actor: Actor, case_ref: str) -> Any:
    from .models import Referral

    office = actor.office
    if office is None:
        return NOTHING
    target = (
        Q(to_office=office)
        if actor.role in OFFICE_ROLES
        else Q(to_office__country_id=office.country_id)
    )
    return Exists(
        Referral.objects.filter(target, case=OuterRef(case_ref), status__in=REFERRAL_GRANTS)
    )


def case_scope(actor: Actor) -> Any:
    """Filter for Case querysets."""
    office = actor.office
    if office is None:
        return NOTHING
    if actor.role in OFFICE_ROLES:
        return Q(owner_office=office) | _referred_to(actor, "pk")
    if actor.role == Role.NATIONAL_FOCAL_POINT:
        return Q(owner_office__country_id=office.country_id) | _referred_to(actor, "pk")
    if actor.role == Role.TRAFFICKING_FOCAL_POINT:
        return Q(owner_office__country_id=office.country_id) & (
            Q(case_type=TRAFFICKING_CASE) | Q(person__vulnerabilities__kind=TRAFFICKING_FLAG)
        )
    return NOTHING


def person_scope(actor: Actor) -> Any:
    """Filter for Person querysets: owned, or one of the person's cases referred in."""
    from .models import Referral

    office = actor.office
    if office is None:
        return NOTHING
    if actor.role == Role.TRAFFICKING_FOCAL_POINT:
        return Q(owner_office__country_id=office.country_id) & (
            Q(vulnerabilities__kind=TRAFFICKING_FLAG) | Q(cases__case_type=TRAFFICKING_CASE)
        )
    if actor.role not in (*OFFICE_ROLES, Role.NATIONAL_FOCAL_POINT):
        return NOTHING
    target = (
        Q(to_office=office)
        if actor.role in OFFICE_ROLES
        else Q(to_office__country_id=office.country_id)
    )
    referred = Exists(
        Referral.objects.filter(target, case__person=OuterRef("pk"), status__in=REFERRAL_GRANTS)
    )
    owned = (
        Q(owner_office=office)
        if actor.role in OFFICE_ROLES
        else Q(owner_office__country_id=office.country_id)
    )
    return owned | referred


def sees_migratory_status(actor: Actor, owner_office_id: object) -> bool:
    """Only the owning office's own staff ever see the migratory status."""
    office = actor.office
    return office is not None and actor.role in OFFICE_ROLES and office.pk == owner_office_id


def sees_identity(actor: Actor, person: "Person") -> bool:
    """Trafficking victims: owner office and trafficking focal points. GBV survivors: owner office
    and focal points of its country. Everyone else who can see the record sees the name."""
    office = actor.office
    if office is None:
        return False
    own = actor.role in OFFICE_ROLES and office.pk == person.owner_office_id
    kinds = person.flag_kinds
    same_country = office.country_id == person.owner_office.country_id
    if TRAFFICKING_FLAG in kinds or person.has_trafficking_case:
        return own or (actor.role == Role.TRAFFICKING_FOCAL_POINT and same_country)
    if GBV_FLAG in kinds:
        return own or (
            actor.role in (Role.NATIONAL_FOCAL_POINT, Role.TRAFFICKING_FOCAL_POINT) and same_country
        )
    return True
