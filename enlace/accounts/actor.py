"""The actor: who is acting, in which office and role. Every selector and service takes one."""

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.functional import cached_property

from .models import Membership, Office, Role, User


@dataclass(frozen=True)
class Actor:
    """A user acting through one membership (office + role)."""

    user: User
    membership: Membership | None

    @cached_property
    def office(self) -> Office | None:
        return self.membership.office if self.membership else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def country_code(self) -> str | None:
        office = self.office
        return office.country_id if office else None

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    def require_office(self) -> Office:
        """The active office, or 404 for a user without one (nothing to show)."""
        if self.office is None:
            raise Http404
        return self.office


def actor_for(user: User) -> Actor:
    """The actor for a user, using the active membership if still valid, else the first one."""
    membership = None
    if user.is_authenticated:
        qs = Membership.objects.select_related("office", "office__country").filter(
            user=user, is_active=True, office__is_active=True
        )
        if user.active_membership_id:
            membership = qs.filter(pk=user.active_membership_id).first()
        if membership is None:
            membership = qs.order_by("created").first()
    return Actor(user=user, membership=membership)


def actor_in_office(user: User | None, office_id: Any) -> Actor | None:
    """The actor a background job acts as: its user in the office the job was started from,
    as they stand now (a membership or office deactivated since, or a user no longer active:
    None, so the job does nothing the user may no longer do). The active membership is
    preferred when it is in that office, as the user's pages would."""
    if user is None or not user.is_active or office_id is None:
        return None
    qs = Membership.objects.select_related("office", "office__country").filter(
        user=user, office_id=office_id, is_active=True, office__is_active=True
    )
    membership = None
    if user.active_membership_id:
        membership = qs.filter(pk=user.active_membership_id).first()
    if membership is None:
        membership = qs.order_by("created").first()
    return Actor(user=user, membership=membership) if membership else None


def request_actor(request: Any) -> Actor:
    """The actor of a page or API request, looked up once per request and kept on it.

    Takes a Django HttpRequest or a DRF Request (whose user may come from a token, so the
    cached actor is only reused for the same user).
    """
    http_request = getattr(request, "_request", request)
    user = request.user
    cached: Actor | None = getattr(http_request, "_enlace_actor", None)
    if cached is None or cached.user.pk != user.pk:
        cached = actor_for(user)
        http_request._enlace_actor = cached
    return cached


# The name API endpoints use (a DRF request whose user came from a token).
api_actor = request_actor
