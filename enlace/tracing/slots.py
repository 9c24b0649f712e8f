"""What family tracing adds to other pages: the navigation link, and on a case page the
possible and confirmed matches of the case's person (for the office that registered them)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from enlace.access.rules import can_trace, is_administrator, oversees_country
from enlace.core.lookups import uuids
from enlace.core.slots import (
    CASE_PAGE,
    HOME,
    PERSON_PAGE,
    NavItem,
    Panel,
    RecordNames,
    register_nav,
    register_panel,
    register_record_names,
)


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
        .exclude(status__in=(TracingMatch.Status.REJECTED, TracingMatch.Status.CLOSED))
        .select_related("reunification")[:20]
    )
    rows = [(match_fields(actor, m), m.get_status_display()) for m in matches]
    return {"tracing_matches": rows} if rows else None


def person_matches(request: HttpRequest, person: Any) -> dict[str, Any] | None:
    """On a person's page: the office that registered them sees every match about them (to
    review, confirmed, withdrawn); an office whose request was confirmed with this person sees
    its confirmed match, the reunification and the other office's contact. Nothing else."""
    from .models import TracingMatch
    from .present import match_fields
    from .selectors import contact_office, match_list, matches_shown

    actor = request.actor  # type: ignore[attr-defined]
    if not can_trace(actor):
        return None
    owner = actor.office is not None and person.owner_office_id == actor.office.pk
    if owner:
        found = match_list(actor=actor, side="owner").exclude(
            status__in=(TracingMatch.Status.REJECTED, TracingMatch.Status.CLOSED)
        )
    else:
        found = match_list(actor=actor, side="requester").filter(
            status=TracingMatch.Status.CONFIRMED
        )
    found = found.filter(person_id=person.pk).select_related("reunification")[:20]
    rows = [
        {
            "m": match_fields(actor, m),
            "reference": m.request.reference,
            "status": m.get_status_display(),
            "contact": contact_office(actor, m),
        }
        for m in matches_shown(actor=actor, matches=found)
    ]
    return {"tracing_rows": rows, "tracing_owner": owner} if rows else None


def registry_relink(request: HttpRequest, _record: Any) -> dict[str, Any] | None:
    """Home → the registry relink job, for administrators (docs/tracing.md § 6)."""
    actor = request.actor  # type: ignore[attr-defined]
    return {} if is_administrator(actor) else None


def home_country_tracing(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    """The national focal point's tracing figures: requests filed by the country's offices and
    their reunifications, by status (two GROUP BY queries; counts only)."""
    from django.db.models import Count

    from .models import Reunification, TracingRequest

    actor = request.actor  # type: ignore[attr-defined]
    if not oversees_country(actor):
        return None
    country = actor.country_code
    request_counts = dict(
        TracingRequest.objects.filter(office__country_id=country)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    reunions = dict(
        Reunification.objects.filter(match__request__office__country_id=country)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "tracing_requests": [
            (label, request_counts.get(v, 0)) for v, label in TracingRequest.Status.choices
        ],
        "reunifications": [
            (label, reunions.get(v, 0)) for v, label in Reunification.Status.choices
        ],
    }


def request_names(actor: Any, ids: list[str], purpose: str) -> dict[str, tuple[str, bool]]:
    """Tracing requests named by their reference in the audit trail (those of the reader's
    office; each shown logged as a read)."""
    from .selectors import request_list, requests_shown

    found = request_list(actor=actor).filter(pk__in=uuids(ids))
    shown = requests_shown(actor=actor, requests=found, purpose=purpose)
    return {str(r.pk): (r.reference, False) for r in shown}


def register() -> None:
    register_record_names(RecordNames("tracing.tracingrequest", request_names))
    register_panel(
        HOME, Panel("tracing.country", "tracing/_home_country.html", home_country_tracing, 15)
    )
    register_nav(NavItem("tracing", _("Family tracing"), "tracing:home", can_trace, 40))
    register_panel(
        CASE_PAGE, Panel("tracing.case_matches", "tracing/_case_panel.html", case_matches, 20)
    )
    register_panel(
        PERSON_PAGE,
        Panel("tracing.person_matches", "tracing/_person_panel.html", person_matches, 30),
    )
    register_panel(HOME, Panel("tracing.relink", "tracing/_relink_panel.html", registry_relink, 90))
