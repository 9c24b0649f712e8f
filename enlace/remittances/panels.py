"""What the remittance pages add to other pages (registered from RemittancesConfig.ready()): the
navigation item of the staff who enter and correct quotes (rules.may_edit_quotes)."""

from django.utils.translation import gettext_lazy as _

from enlace.core.slots import NavItem, register_nav

from . import rules


def register() -> None:
    register_nav(
        NavItem("remittances", _("Remittances"), "remittances:quotes", rules.may_edit_quotes, 70)
    )
