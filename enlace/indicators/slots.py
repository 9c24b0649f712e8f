"""Navigation, help and demo loaders of the indicator pages (official sources)."""

from django.utils.translation import gettext_lazy as _

from enlace.core.slots import DemoLoader, NavItem, register_demo, register_nav, signed_in


def demo() -> list[str]:
    """Import the vendored official files once: a file whose digest is already imported is
    skipped, so a second `make run` costs a few digests (see importers.load_vendored). `make
    run` prints the demo logins only, so nothing is returned."""
    from .importers import load_vendored

    load_vendored()
    return []


def register() -> None:
    """Called from IndicatorsConfig.ready()."""
    # The pages are public; signed-in users find them in the main navigation too.
    register_nav(
        NavItem("indicators", _("Migration in figures"), "indicators:region", signed_in, 75)
    )
    register_demo(DemoLoader("indicators", demo, 90))
