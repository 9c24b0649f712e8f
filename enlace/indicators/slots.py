"""Navigation, help and demo loaders of the indicator pages (official sources)."""

from django.utils.translation import gettext_lazy as _

from enlace.core.slots import DemoLoader, NavItem, register_demo, register_nav, signed_in


def demo() -> list[str]:
    """Import the vendored official files once: a file whose digest is already imported is
    skipped, so a second `make run` costs a few digests (see importers.load_vendored). `make
    run` prints the demo logins only, so nothing is returned."""
    from .importers import load_vendored

    load_vendored()
    publish_demo()
    return []


def publish_demo() -> None:
    """The demo's figures from its own records (runs after every other app's demo data): the
    demo's cases are all recent, so its current quarter is published as if it were over (a
    real site publishes a quarter once it is over, from the daily job `publish_indicators`).
    Kept if already published, as everything the demo loads."""
    import datetime as dt

    from django.utils import timezone

    from .releases import ProtectionRelease, publish

    today = timezone.localdate()
    if ProtectionRelease.objects.filter(year=today.year, method="suppression").exists():
        return
    quarter_over = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    next_quarter = (
        dt.date(today.year + 1, 1, 1)
        if quarter_over.month == 10
        else dt.date(today.year, quarter_over.month + 3, 1)
    )
    publish(today.year, "suppression", today=next_quarter)


def register() -> None:
    """Called from IndicatorsConfig.ready()."""
    # The pages are public; signed-in users find them in the main navigation too.
    register_nav(
        NavItem("indicators", _("Migration in figures"), "indicators:region", signed_in, 75)
    )
    register_demo(DemoLoader("indicators", demo, 90))
