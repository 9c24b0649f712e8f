"""Reads of assisted voluntary returns, always scoped by the actor (404 when out of scope);
every return shown is logged (enlace.access.reads). Figures for the indicators module are
aggregates under the disclosure rule, never records."""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from uuid import UUID

from django.db.models import F, QuerySet
from django.utils import timezone

from enlace.access.reads import Purpose, read_many, read_one
from enlace.accounts.actor import Actor
from enlace.core.counting import AGE_GROUPS as COUNTING_AGE_GROUPS
from enlace.core.counting import age_years, first_of_year_counts
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

AGE_GROUPS = COUNTING_AGE_GROUPS  # the same groups as every published count
UNKNOWN = "unknown"


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


def _return_age(on: str) -> Any:
    return age_years(
        on=on,
        born="person__birth_date",
        estimated="person__estimated_age",
        reported="person__age_reported_on",
    )


def return_counts(
    *, since: dt.date | None = None, until: dt.date | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Distinct persons who returned, for published statistics (counts only, never a person;
    enlace.core.counting), by the owner office's country:

    - "requested": who asked to return, on the day of the request;
    - "departed": who departed, on the day of departure;
    - "outcome": closed returns by reintegration outcome (category), on the day they ended.

    `since`/`until`: only the whole calendar years they fall in. Three GROUP BY queries."""
    dims = {"country": F("owner_office__country_id"), "sex": F("person__sex")}
    return {
        "requested": first_of_year_counts(
            Return.objects.all(),
            person="person",
            on="created",
            dims=dims,
            age=_return_age("created"),
            since=since,
            until=until,
        ),
        "departed": first_of_year_counts(
            Return.objects.all(),
            person="person",
            on="departed_on",
            dims=dims,
            age=_return_age("departed_on"),
            since=since,
            until=until,
        ),
        "outcome": first_of_year_counts(
            Return.objects.filter(status=Status.CLOSED).exclude(outcome=""),
            person="person",
            on="ended_at",
            dims={**dims, "category": F("outcome")},
            partition=("category",),
            age=_return_age("ended_at"),
            since=since,
            until=until,
        ),
    }
