"""What remittances adds to other parts of Enlace: the names of quotes in the change history and
the demo loader. (The public pages' navigation is added by the remittance pages.) Registered
from RemittancesConfig.ready()."""

from typing import Any

from enlace.core.lookups import uuids
from enlace.core.slots import DemoLoader, RecordNames, register_demo, register_record_names


def quote_names(actor: Any, ids: list[str], purpose: str) -> dict[str, tuple[str, bool]]:
    """Quotes named in the change history ("Demo Envíos A, US → GT, 2026-11-16, USD 200") for
    the readers who may correct them. Prices are public: nothing is hidden, no read is logged."""
    from .selectors import quote_list

    found = quote_list(actor=actor).filter(pk__in=uuids(ids))
    return {
        str(q.pk): (
            f"{q.provider.name}, {q.corridor}, {q.collected_on.isoformat()}, USD {q.usd_band}",
            False,
        )
        for q in found
    }


def demo() -> list[str]:
    """Load the remittance demo; `make run` prints the demo logins only, so its report stays
    here (seed_demo_remittances returns it for tests and the shell)."""
    from .demo import seed_demo_remittances

    seed_demo_remittances()
    return []


def register() -> None:
    register_record_names(RecordNames("remittances.quote", quote_names))
    register_demo(DemoLoader("remittances", demo, 60))
