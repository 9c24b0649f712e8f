"""The audit trail in the navigation, for the roles that oversee records."""

from django.utils.translation import gettext_lazy as _

from enlace.core.slots import NavItem, register_nav

from .rules import can_oversee


def register() -> None:
    register_nav(NavItem("audit", _("Audit"), "audit:recent", can_oversee, 85))
