"""Reads of assisted voluntary returns, always scoped by the actor (404 when out of scope);
every return shown is logged (enlace.access.reads). Figures for the indicators module are
aggregates under the disclosure rule, never records."""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone

from enlace.access import roles
from enlace.access.reads import Purpose, read_many, read_one
from enlace.accounts.actor import Actor
from enlace.core.disclosure import Cell, disclosed
from enlace.core.lookups import get_or_404

from . import rules
from .models import ENDED, FollowUp, Return, Status

RECORD_TYPE = "returns.return"


def return_list(*, actor: Actor) -> QuerySet[Return]:
    """The returns the actor may see (either side), newest first."""
    scope, branches = rules.return_reach(actor)
    return Return.objects.scoped(scope, branches).select_related(
        "owner_office",
        "owner_office__country",
        "receiving_office",
        "origin_country",
        "person",
        "person__owner_office",
    )


def return_get(*, actor: Actor, return_id: UUID | str) -> Return:
    """One return in scope, without logging: for writes and checks. To show one, return_read."""
    ret = get_or_404(return_list(actor=actor), return_id)
    if not rules.sees(actor, ret):  # the scope's query and the predicate agree; belt and braces
        from django.http import Http404

        raise Http404
    return ret


def return_read(
    *,
    actor: Actor,
    return_id: UUID | str,
    purpose: str = Purpose.VIEW,
    check: Callable[[Actor, Return], bool] | None = None,
) -> Return:
    """One return to show (page, API, PDF, panel): the read is logged, a refusal too."""
    return read_one(
        actor=actor,
        record_type=RECORD_TYPE,
        record_id=return_id,
        get=lambda: return_get(actor=actor, return_id=return_id),
        purpose=purpose,
        check=check,
    )


def returns_shown(
    *, actor: Actor, returns: Iterable[Return], purpose: str = Purpose.LIST
) -> Sequence[Return]:
    """Returns about to be shown in a list: one logged read each."""
    return read_many(actor=actor, records=returns, purpose=purpose)


def returns_of_person(*, actor: Actor, person: Any) -> Sequence[Return]:
    """The person's returns the actor may see (a panel on the person's page), logged."""
    return returns_shown(actor=actor, returns=return_list(actor=actor).filter(person=person))


def returns_of_case(*, actor: Actor, case: Any) -> Sequence[Return]:
    """The returns that come from a protection case, that the actor may see, logged."""
    return returns_shown(actor=actor, returns=return_list(actor=actor).filter(protection_case=case))


def upcoming_arrivals(*, actor: Actor) -> QuerySet[Return]:
    """Returns handed over to the actor's side that have not arrived yet (the receiving
    office's home card), soonest first."""
    granted = rules.granted_return_ids(actor)
    return (
        return_list(actor=actor)
        .filter(pk__in=granted, status__in=[Status.TRAVEL_PLAN, Status.DEPARTED])
        .order_by("expected_arrival_on", "planned_departure_on", "id")
    )


def follow_ups_due(*, actor: Actor, today: dt.date | None = None) -> QuerySet[FollowUp]:
    """Follow-ups due (date reached, not done) of the returns the actor receives."""
    today = today or timezone.localdate()
    granted = rules.granted_return_ids(actor)
    return (
        FollowUp.objects.filter(ret_id__in=granted, done_on__isnull=True, due_on__lte=today)
        .exclude(ret__status__in=ENDED)
        .select_related("ret")
        .order_by("due_on", "id")
    )


def trend(ret: Return, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The follow-ups in order: (due date, done date, scores) and whether each is due or
    overdue — due: its date is reached and it is not done; overdue: due and the next one's date
    (or, for the last, 30 days) has passed too."""
    today = today or timezone.localdate()
    rows = list(ret.follow_ups.all())
    out = []
    for i, f in enumerate(rows):
        due = f.is_due(today)
        later = rows[i + 1].due_on if i + 1 < len(rows) else f.due_on + dt.timedelta(days=30)
        out.append(
            {
                "months": f.months,
                "due_on": f.due_on,
                "done_on": f.done_on,
                "reached": f.reached,
                "economic": f.economic,
                "social": f.social,
                "psychosocial": f.psychosocial,
                "due": due and not ret.is_ended,
                "overdue": due and today >= later and not ret.is_ended,
            }
        )
    return out


def next_follow_up(ret: Return, today: dt.date | None = None) -> FollowUp | None:
    """The first follow-up not done yet (None when all are done or none exist)."""
    for f in ret.follow_ups.all():
        if not f.is_done:
            return f
    return None


# Figures for the indicators module ----------------------------------------------------------

AGE_GROUPS = ((0, 11), (12, 17), (18, 24), (25, 34), (35, 49), (50, 59), (60, 200))
UNKNOWN = "unknown"
DIMENSIONS = ("sex", "age_group", "origin_country", "month", "outcome")


def _age_group(
    born: dt.date | None, estimated: int | None, reported: dt.date | None, on: dt.date
) -> str:
    if born is not None:
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    elif estimated is not None:
        age = estimated + max(0, (on - (reported or on)).days // 365)
    else:
        return UNKNOWN
    for low, high in AGE_GROUPS:
        if low <= age <= high:
            return f"{low}+" if high >= 200 else f"{low}-{high}"
    return UNKNOWN


def figures_scope(actor: Actor) -> Any:
    """Which returns the actor's figures count: analysts (aggregate readers) the whole network,
    national focal points their country's (sent or received), office staff their office's."""
    office = actor.office
    if office is None:
        return None
    if roles.in_group(actor.role, roles.AGGREGATE_READERS | roles.ADMINISTRATORS):
        return Q()
    if roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS):
        return Q(owner_office__country_id=office.country_id) | Q(
            receiving_office__country_id=office.country_id
        )
    if roles.in_group(actor.role, roles.OFFICE_STAFF):
        return Q(owner_office=office) | Q(receiving_office=office)
    return None


def return_figures(
    *,
    actor: Actor,
    start: dt.date | None = None,
    end: dt.date | None = None,
    departed_only: bool = False,
) -> dict[str, dict[str, Cell]]:
    """Counts of persons who asked to return (or who departed: `departed_only`) by sex, age
    group (on the request's date), origin country, month of the request and reintegration
    outcome. Aggregates only: each cell counts distinct persons and is suppressed under the
    disclosure threshold (enlace.core.disclosure), zero included. Nothing identifies a person:
    no names, ids or dates finer than a month leave here."""
    scope = figures_scope(actor)
    if scope is None:
        return {dim: {} for dim in DIMENSIONS}
    qs = Return.objects.filter(scope)
    if departed_only:
        qs = qs.filter(departed_on__isnull=False)
    if start is not None:
        qs = qs.filter(created__date__gte=start)
    if end is not None:
        qs = qs.filter(created__date__lte=end)
    rows = qs.values_list(
        "person_id",
        "person__sex",
        "person__birth_date",
        "person__estimated_age",
        "person__age_reported_on",
        "origin_country_id",
        "created",
        "outcome",
        "status",
    )
    groups: dict[str, Counter[str]] = {dim: Counter() for dim in DIMENSIONS}
    seen: dict[tuple[str, str], set[Any]] = {}
    for pid, sex, birth, estimated, reported, country, created, outcome, state in rows:
        on = timezone.localtime(created).date()
        keys = {
            "sex": sex or "U",
            "age_group": _age_group(birth, estimated, reported, on),
            "origin_country": country,
            "month": on.strftime("%Y-%m"),
            # Closed: its outcome; withdrawn by the person; or still under way ("open").
            "outcome": outcome or ("withdrawn" if state == Status.WITHDRAWN else "open"),
        }
        for dim, key in keys.items():
            seen.setdefault((dim, key), set()).add(pid)
    for (dim, key), pids in seen.items():
        groups[dim][key] = len(pids)
    return {dim: {k: disclosed(n) for k, n in sorted(c.items())} for dim, c in groups.items()}
