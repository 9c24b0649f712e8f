"""What family tracing adds to other pages: the navigation link, and on a case page the
possible and confirmed matches of the case's person (for the office that registered them)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from enlace.access.rules import can_trace
from enlace.core.slots import CASE_PAGE, NavItem, Panel, register_nav, register_panel


def case_matches(request: HttpRequest, case: Any) -> dict[str, Any] | None:
    """Tracing requests matched to the case's person, shown only to the person's own office
    (the owner side of a match); nothing at all when there is none."""
    from .models import TracingMatch
    from .present import match_fields
    from .selectors import match_list

    actor = request.actor  # type: ignore[attr-defined]
    if not can_trace(actor):
        return None
    matches = (
        match_list(actor=actor, side="owner")
        .filter(person_id=case.person_id)
        .exclude(status=TracingMatch.Status.REJECTED)
        .select_related("reunification")[:20]
    )
    rows = [(match_fields(actor, m), m.get_status_display()) for m in matches]
    return {"tracing_matches": rows} if rows else None


def register() -> None:
    register_nav(NavItem("tracing", _("Family tracing"), "tracing:home", can_trace, 40))
    register_panel(
        CASE_PAGE, Panel("tracing.case_matches", "tracing/_case_panel.html", case_matches, 20)
    )
