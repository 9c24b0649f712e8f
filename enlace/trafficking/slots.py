"""What trafficking adds to other pages: the navigation item, the panel on a protection case's
page (the trafficking cases naming it, as the reader may see them), the audit trail's names,
and the demo. Registered from TraffickingConfig.ready()."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from enlace.core.lookups import uuids
from enlace.core.slots import (
    CASE_PAGE,
    DemoLoader,
    NavItem,
    Panel,
    RecordNames,
    register_demo,
    register_nav,
    register_panel,
    register_record_names,
)

from . import rules


def case_panel(request: HttpRequest, case: Any) -> dict[str, Any] | None:
    """On a protection case's page: the trafficking cases naming it that the reader may see
    (reference, kind, status: no identity), each logged as shown."""
    from .selectors import cases_of_protection_case

    actor = request.actor  # type: ignore[attr-defined]
    if not rules.may_see_some(actor):
        return None
    found = cases_of_protection_case(actor=actor, case=case)
    return {"trafficking_cases": found} if found else None


def case_names(actor: Any, ids: list[str], purpose: str) -> dict[str, tuple[str, bool]]:
    """Trafficking cases named by their reference in the audit trail (those the reader may
    open, each logged as shown)."""
    from .selectors import case_list, cases_shown

    cases = case_list(actor=actor).filter(pk__in=uuids(ids))
    return {
        str(c.pk): (c.reference, False)
        for c in cases_shown(actor=actor, cases=cases, purpose=purpose)
    }


def _sees_alerts(actor: Any) -> bool:
    from .alerts import may_see_alerts

    return may_see_alerts(actor)


def _alerts_waiting(actor: Any) -> int:
    """Alerts not acknowledged yet (one query)."""
    from .alerts import alert_list

    return alert_list(actor=actor, unacknowledged=True).count()


def demo() -> list[str]:
    from .demo import seed_demo_trafficking

    return seed_demo_trafficking()


def register() -> None:
    register_nav(
        NavItem("trafficking", _("Trafficking"), "trafficking:list", rules.may_see_some, 40)
    )
    register_nav(
        NavItem(
            "trafficking_alerts",
            _("Alerts"),
            "trafficking:alerts",
            _sees_alerts,
            41,
            badge=_alerts_waiting,
        )
    )
    register_panel(
        CASE_PAGE, Panel("trafficking.cases", "trafficking/_case_panel.html", case_panel, 50)
    )
    register_record_names(RecordNames("trafficking.traffickingcase", case_names))
    register_demo(DemoLoader("trafficking", demo, 40))
