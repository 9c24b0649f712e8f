"""What diaspora adds to other parts of Enlace: the navigation item of the representatives and
moderators, and the demo. Registered from DiasporaConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from enlace.core.slots import DemoLoader, NavItem, register_demo, register_nav


def _manages(actor: object) -> bool:
    from . import rules

    return rules.manages_some(actor)  # type: ignore[arg-type]


def demo() -> list[str]:
    from .demo import seed_demo_associations

    return seed_demo_associations()


def register() -> None:
    register_nav(NavItem("diaspora.manage", _("Associations"), "diaspora:manage", _manages, 60))
    register_demo(DemoLoader("diaspora", demo, 50))
