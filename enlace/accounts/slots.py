"""The offices directory in the navigation, and the demo offices and users."""

from django.utils.translation import gettext_lazy as _

from enlace.core.slots import DemoLoader, NavItem, register_demo, register_nav, signed_in


def register() -> None:
    from .management.demo import demo_accounts

    register_nav(NavItem("accounts.offices", _("Offices"), "accounts:offices", signed_in, 80))
    register_demo(DemoLoader("accounts", demo_accounts, 10))
