"""What returns adds to other parts of Enlace: the audit trail's names of returns and the demo.
(The pages' panels, navigation and home card are added by the returns pages.) Registered from
ReturnsConfig.ready()."""

from typing import Any

from enlace.core.lookups import uuids
from enlace.core.slots import DemoLoader, RecordNames, register_demo, register_record_names


def return_names(actor: Any, ids: list[str], purpose: str) -> dict[str, tuple[str, bool]]:
    """Returns named by their reference in the audit trail (those the reader may open, each
    logged as shown)."""
    from .selectors import return_list, returns_shown

    found = return_list(actor=actor).filter(pk__in=uuids(ids))
    return {
        str(r.pk): (r.reference, False)
        for r in returns_shown(actor=actor, returns=found, purpose=purpose)
    }


def demo() -> list[str]:
    from .demo import seed_demo_returns

    return seed_demo_returns()


def register() -> None:
    register_record_names(RecordNames("returns.return", return_names))
    register_demo(DemoLoader("returns", demo, 45))
