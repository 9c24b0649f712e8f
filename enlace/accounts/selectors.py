"""Reads of offices and memberships, scoped by the actor."""

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from enlace.core.lookups import get_or_404

from .actor import Actor
from .models import Membership, Office, Role, User


def office_list(*, actor: Actor, search: str = "", country: str = "") -> QuerySet[Office]:
    """The directory of active offices: every member of the network may see it (to refer)."""
    actor.require_office()
    qs = Office.objects.filter(is_active=True).select_related("country", "host_country")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(city__icontains=search))
    if country:
        qs = qs.filter(country_id=country.upper())
    return qs


def office_get(*, actor: Actor, office_id: UUID | str) -> Office:
    return get_or_404(office_list(actor=actor), office_id)


def can_see_members(actor: Actor, office: Office) -> bool:
    """Members of the office, national focal points of its country and administrators."""
    mine = actor.office
    if mine is None:
        return False
    if actor.is_admin or mine.pk == office.pk:
        return True
    return actor.role == Role.NATIONAL_FOCAL_POINT and mine.country_id == office.country_id


def can_manage_members(actor: Actor, office: Office) -> bool:
    """Supervisors of the office and administrators grant and remove roles."""
    mine = actor.office
    if mine is None:
        return False
    return actor.is_admin or (actor.role == Role.SUPERVISOR and mine.pk == office.pk)


def membership_list(*, actor: Actor, office_id: UUID | str) -> QuerySet[Membership]:
    """The people working in an office; 404 for those who may not see it."""
    office = office_get(actor=actor, office_id=office_id)
    if not can_see_members(actor, office):
        raise Http404
    return Membership.objects.filter(office=office).select_related("user", "office")


def membership_get(*, actor: Actor, membership_id: UUID | str) -> Membership:
    membership = get_or_404(Membership.objects.select_related("office", "user"), membership_id)
    if not can_see_members(actor, membership.office):
        raise Http404
    return membership


def my_memberships(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(
        user=user, is_active=True, office__is_active=True
    ).select_related("office", "office__country")
