"""The people registry in the navigation."""

from django.utils.translation import gettext_lazy as _

from enlace.access.rules import works_cases
from enlace.core.slots import NavItem, register_nav


def register() -> None:
    register_nav(NavItem("people", _("People"), "people:list", works_cases, 20))
