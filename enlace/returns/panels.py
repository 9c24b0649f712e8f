"""What the return pages add to other pages (registered from ReturnsConfig.ready()): the
navigation item, the home card (the receiving office's upcoming arrivals and follow-ups due; the
owner office's returns waiting on it), and the panels on a person's and a protection case's page
(their returns as the reader may see them, and the button to open one). Cases and people never
import returns: they render whatever is registered in their slots."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.access.rules import can_edit_case, can_edit_person
from enlace.core.slots import (
    CASE_PAGE,
    HOME,
    PERSON_PAGE,
    NavItem,
    Panel,
    register_nav,
    register_panel,
)

from . import rules

HOME_ROWS = 10


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def home_returns(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    """The receiving side: upcoming arrivals and follow-ups due; the sending side: returns
    before departure waiting on the office. Nothing when there is nothing (the card stays out).
    Two small queries when there is nothing to show (the grants, the office's returns waiting),
    one more per part shown, one to log the reads."""
    from .models import BEFORE_DEPARTURE, ENDED, FollowUp, Return, Status
    from .present import return_summary
    from .selectors import returns_shown

    actor = _actor(request)
    if not rules.may_see_some(actor):
        return None
    today = timezone.localdate()
    related = ("owner_office", "receiving_office", "origin_country", "person__owner_office")
    granted = rules.granted_return_ids(actor)  # handed over to the actor's side: in reach
    arrivals: list[Any] = []
    due: list[Any] = []
    if granted:
        arrivals = list(
            Return.objects.filter(pk__in=granted, status__in=[Status.TRAVEL_PLAN, Status.DEPARTED])
            .select_related(*related)
            .order_by("expected_arrival_on", "planned_departure_on", "id")[:HOME_ROWS]
        )
        due = list(
            FollowUp.objects.filter(ret_id__in=granted, done_on__isnull=True, due_on__lte=today)
            .exclude(ret__status__in=ENDED)
            .select_related("ret")
            .order_by("due_on", "id")[:HOME_ROWS]
        )
    own = rules.own_scope(actor)
    waiting: list[Any] = []
    if own is not None:
        waiting = list(
            Return.objects.filter(own, status__in=BEFORE_DEPARTURE)
            .select_related(*related)
            .order_by("-created", "id")[:HOME_ROWS]
        )
    if not (arrivals or due or waiting):
        return None
    shown = {r.pk: r for r in [*arrivals, *waiting, *(f.ret for f in due)]}
    returns_shown(actor=actor, returns=list(shown.values()))
    return {
        "arrivals": [return_summary(actor, r, granted) for r in arrivals],
        "follow_ups_due": [
            {
                "id": f.ret_id,
                "reference": f.ret.reference,
                "months": f.months,
                "due_on": f.due_on,
                "overdue": (today - f.due_on).days > 30,
            }
            for f in due
        ],
        "waiting": [return_summary(actor, r, granted) for r in waiting],
    }


def person_returns(request: HttpRequest, person: Any) -> dict[str, Any] | None:
    """The person's returns this reader may see, and the button to open one."""
    from .selectors import returns_of_person

    actor = _actor(request)
    if not rules.may_see_some(actor):
        return None
    found = returns_of_person(actor=actor, person=person)
    can_open = rules.can_open(actor) and can_edit_person(actor, person)
    if not found and not can_open:
        return None
    return {"person_returns": found, "can_open_return": can_open, "return_person": person}


def case_returns(request: HttpRequest, case: Any) -> dict[str, Any] | None:
    """On a protection case's page: the returns that come from it, and the button to open one
    from it (the case's office)."""
    from .selectors import returns_of_case

    actor = _actor(request)
    if not rules.may_see_some(actor):
        return None
    found = returns_of_case(actor=actor, case=case)
    can_open = rules.can_open(actor) and can_edit_case(actor, case) and case.status != "closed"
    if not found and not can_open:
        return None
    return {"case_returns": found, "can_open_return": can_open, "return_case": case}


def register() -> None:
    register_nav(NavItem("returns", _("Returns"), "returns:list", rules.may_see_some, 45))
    register_panel(HOME, Panel("returns.home", "returns/_home_panel.html", home_returns, 30))
    register_panel(
        PERSON_PAGE, Panel("returns.person", "returns/_person_panel.html", person_returns, 30)
    )
    register_panel(CASE_PAGE, Panel("returns.case", "returns/_case_panel.html", case_returns, 60))
