"""Reads of the inbox, always as one actor: the items addressed to the user, and those of the
actor's active office meant for the actor's role there."""

from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from enlace.accounts.actor import Actor
from enlace.accounts.models import Membership, User

from .models import Item, Preference, Receipt


def _audience(actor: Actor) -> Q:
    q = Q(user_id=actor.user.pk)
    if actor.office is not None and actor.role:
        q |= Q(office_id=actor.office.pk) & (Q(roles="") | Q(roles__contains=f",{actor.role},"))
    return q


def item_list(*, actor: Actor, unread: bool | None = None) -> QuerySet[Item]:
    """The actor's items, newest first, each with `is_read` for this user."""
    read = Receipt.objects.filter(item=OuterRef("pk"), user_id=actor.user.pk)
    qs = Item.objects.filter(_audience(actor)).annotate(is_read=Exists(read))
    if unread is True:
        qs = qs.filter(is_read=False)
    elif unread is False:
        qs = qs.filter(is_read=True)
    return qs.order_by("-created", "-id")


def unread_count(*, actor: Actor) -> int:
    """One query: the actor's unread items."""
    return (
        Item.objects.filter(_audience(actor))
        .exclude(Exists(Receipt.objects.filter(item=OuterRef("pk"), user_id=actor.user.pk)))
        .count()
    )


def item_get(*, actor: Actor, item_id: UUID | str) -> Item:
    """One of the actor's items; anyone else's (or none) is a 404."""
    try:
        return item_list(actor=actor).get(pk=item_id)
    except (Item.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def email_choice(*, user: Any) -> str:
    pref = Preference.objects.filter(user_id=user.pk).values_list("email", flat=True).first()
    return pref or Preference.Email.EACH


def item_recipients(item: Item) -> list[User]:
    """The active users an item is for now: its user, or the office's active members in the
    item's roles."""
    if item.user_id is not None:
        user = User.objects.filter(pk=item.user_id, is_active=True).first()
        return [user] if user else []
    members = Membership.objects.filter(
        office=item.office, is_active=True, office__is_active=True, user__is_active=True
    )
    roles = [r for r in item.roles.split(",") if r]
    if roles:
        members = members.filter(role__in=roles)
    return list(User.objects.filter(pk__in=members.values("user_id")).order_by("pk"))


def user_items_since(*, user: User, since: Any) -> list[Item]:
    """Unread items of the last day for a user, through each of their active memberships
    (the digest: an item is listed once even when two memberships see it)."""
    q = Q(user_id=user.pk)
    for m in Membership.objects.filter(user=user, is_active=True, office__is_active=True):
        q |= Q(office_id=m.office_id) & (Q(roles="") | Q(roles__contains=f",{m.role},"))
    read = Receipt.objects.filter(item=OuterRef("pk"), user_id=user.pk)
    return list(
        Item.objects.filter(q, created__gte=since)
        .exclude(Exists(read))
        .order_by("-created", "-id")
        .distinct()
    )
