"""Registrations of data protection, called from PrivacyConfig.ready(): the navigation links,
the panel on a person's page (consent ledger, rights requests), and the hooks through which
people and the public portal tell the consent ledger of each consent given or withdrawn."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from enlace.access.rules import can_edit_person
from enlace.core.slots import PERSON_PAGE, NavItem, Panel, register_nav, register_panel

from . import permissions


def open_count(actor: Any) -> int:
    from .models import RequestStatus, RightsRequest

    return RightsRequest.objects.filter(
        permissions.request_scope(actor), status=RequestStatus.OPEN
    ).count()


def person_privacy(request: HttpRequest, person: Any) -> dict[str, Any] | None:
    """The person's consent ledger state and rights requests, for the owning office's staff."""
    from .models import RightsRequest
    from .selectors import consent_ledger, consent_state

    actor = request.actor  # type: ignore[attr-defined]
    if not permissions.handles_requests(actor) or not can_edit_person(actor, person):
        return None
    events = list(consent_ledger(person_id=person.pk))
    return {
        "consent_events": events,
        "consent_state": sorted(consent_state(events).items()),
        "rights_requests": list(
            RightsRequest.objects.filter(person=person, office=actor.office).order_by(
                "-received_on"
            )[:20]
        ),
    }


def register() -> None:
    from enlace.people.services import on_consent_event
    from enlace.portal.services import on_requester_consent

    from . import services

    on_consent_event(services.on_person_consent)
    on_requester_consent(services.on_requester_consent)
    register_nav(
        NavItem(
            "privacy_requests",
            _("Data-protection requests"),
            "privacy:request_list",
            permissions.handles_requests,
            46,
            badge=open_count,
        )
    )
    register_nav(
        NavItem(
            "privacy_breaches",
            _("Breach register"),
            "privacy:breach_list",
            permissions.reads_breaches,
            47,
        )
    )
    register_panel(
        PERSON_PAGE,
        Panel("privacy.person", "privacy/_person_panel.html", person_privacy, 80),
    )
