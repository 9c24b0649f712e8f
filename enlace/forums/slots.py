"""What forums adds to other parts of Enlace: its navigation item and its demo. Registered from
ForumsConfig.ready()."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from enlace.core.slots import DemoLoader, NavItem, register_demo, register_nav


def _reads(actor: Any) -> bool:
    from . import rules

    return rules.reads_working_documents(actor)


def demo() -> list[str]:
    from .demo import seed_demo_forums

    return seed_demo_forums()


def register() -> None:
    register_nav(NavItem("forums", _("Forums"), "forums:index", _reads, 70))
    register_demo(DemoLoader("forums", demo, 60))
