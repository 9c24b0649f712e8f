"""Registrations of the intake (slots), called from PortalConfig.ready(): the navigation link
of an office's triage (with how many requests wait), and the audit trail's names of requests."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from enlace.access.rules import is_office_staff
from enlace.core.slots import NavItem, RecordNames, register_nav, register_record_names


def waiting_count(actor: Any) -> int:
    from .selectors import triage_list

    return triage_list(actor=actor).count()


def request_names(actor: Any, ids: list[str], purpose: str) -> dict[str, tuple[str, bool]]:
    """Requests from the public named in the audit trail by kind and date (no code: the
    reference is half of what opens the requester's follow-up)."""
    from enlace.access.reads import read_many
    from enlace.core.lookups import uuids

    from .selectors import triage_list

    found = triage_list(actor=actor, waiting=False).filter(pk__in=uuids(ids))
    shown = read_many(actor=actor, records=found, owner_path="office", purpose=purpose)
    return {str(r.pk): (f"{r.get_kind_display()} {r.created.date()}", False) for r in shown}


def register() -> None:
    register_nav(
        NavItem(
            "portal_triage",
            _("Requests from the public"),
            "portal:triage_list",
            is_office_staff,
            45,
            badge=waiting_count,
        )
    )
    register_record_names(RecordNames("portal.publicrequest", request_names))
