"""The audit trail in the navigation, for the roles that oversee records; on the home page, the
tasks of the roles whose work is not cases (administrators, association representatives); the
API's documentation on the help page, for the roles that connect systems to Enlace."""

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from enlace.core.slots import HOME, NavItem, Panel, register_help, register_nav, register_panel

from .rules import can_oversee, is_administrator, represents_association, uses_api


def home_tasks(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    """What an administrator or an association representative can do, with the figures that
    say where to start (counts only)."""
    from enlace.accounts.models import Membership, Office, User
    from enlace.accounts.selectors import can_see_members

    actor = request.actor  # type: ignore[attr-defined]
    if is_administrator(actor):
        try:
            django_admin = reverse("admin:index")
        except NoReverseMatch:
            django_admin = None
        active = Office.objects.filter(is_active=True)
        return {
            "admin": True,
            "offices": active.count(),
            # No one to receive a referral or a tracing hand-over there: give someone a role.
            "unstaffed": active.exclude(memberships__is_active=True).count(),
            "users": User.objects.filter(is_active=True).count(),
            "django_admin": django_admin,
        }
    if represents_association(actor):
        office = actor.office
        return {
            "association": office,
            "members": Membership.objects.filter(office=office, is_active=True).count(),
            "can_see_members": can_see_members(actor, office),
        }
    return None


def register() -> None:
    register_nav(NavItem("audit", _("Audit"), "audit:recent", can_oversee, 85))
    register_panel(HOME, Panel("access.tasks", "access/_home_tasks.html", home_tasks, 5))
    register_help(NavItem("api.docs", _("API documentation (OpenAPI)"), "api:docs", uses_api, 10))
