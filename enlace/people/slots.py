"""The people registry in the navigation, and people's names in the audit trail."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from enlace.access.reads import read_many
from enlace.access.rules import sees_identity, works_cases
from enlace.core.lookups import uuids
from enlace.core.slots import NavItem, RecordNames, register_nav, register_record_names


def person_names(actor: Any, ids: list[str], purpose: str) -> dict[str, tuple[str, bool]]:
    """People named in the audit trail as the reader may see them: a protected identity stays
    "Identity protected" and its changed values stay hidden; people out of reach are left out.
    Each person shown is logged as a read."""
    from .present import display_name
    from .selectors import person_list

    people = person_list(actor=actor).filter(pk__in=uuids(ids)).prefetch_related(None)
    shown = read_many(actor=actor, records=people, purpose=purpose)
    return {str(p.pk): (display_name(actor, p), not sees_identity(actor, p)) for p in shown}


def register() -> None:
    register_nav(NavItem("people", _("People"), "people:list", works_cases, 20))
    register_record_names(RecordNames("people.person", person_names))
