"""Reads of trafficking and smuggling cases, always scoped by the actor (404 when out of
scope); every case shown is logged, and so is every identity shown in it."""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from uuid import UUID

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from enlace.access.reads import Purpose, read_many, read_one
from enlace.accounts.actor import Actor
from enlace.core.counting import age_years, first_of_year_counts
from enlace.core.lookups import get_or_404
from enlace.core.text import fold
from enlace.people.models import Person

from . import htcds, rules
from .models import Perpetrator, RouteStop, TraffickingCase, Victim

RECORD_TYPE = "trafficking.traffickingcase"


def case_list(*, actor: Actor) -> QuerySet[TraffickingCase]:
    """The cases the actor may see, newest first (filters: enlace.trafficking.filters)."""
    scope, branches = rules.case_reach(actor)
    return TraffickingCase.objects.scoped(scope, branches).select_related(
        "owner_office", "owner_office__country"
    )


def search(qs: QuerySet[TraffickingCase], text: str, *, actor: Actor) -> QuerySet[TraffickingCase]:
    """Cases where every word of `text` is in the reference or places, or — only in the cases
    whose identities the actor may see — in the summary (free text), or in a victim's or a
    perpetrator's name. A hidden name is never a target: the same search with and without it
    finds the same cases."""
    words = fold(text).split()
    if not words:
        return qs
    shown = rules.identity_scope(actor)  # names and free text: rules.sees_free_text
    plain = Q()
    for word in words:
        plain &= Q(search_text__contains=word) | (shown & Q(free_text_search__contains=word))
    named_perpetrator = Perpetrator.objects.filter(case=OuterRef("pk"))
    named_victim = Victim.objects.filter(case=OuterRef("pk"))
    for word in words:
        named_perpetrator = named_perpetrator.filter(search_text__contains=word)
        named_victim = named_victim.filter(person__search_text__contains=word)
    names = Q(Exists(named_perpetrator)) | Q(Exists(named_victim))
    return qs.filter(plain | (shown & names))


def case_get(*, actor: Actor, case_id: UUID | str) -> TraffickingCase:
    """One case in scope, without logging: for writes and checks. To show one, case_read."""
    return get_or_404(case_list(actor=actor), case_id)


def case_read(
    *,
    actor: Actor,
    case_id: UUID | str,
    purpose: str = Purpose.VIEW,
    check: Callable[[Actor, TraffickingCase], bool] | None = None,
) -> TraffickingCase:
    """One case to show (page, form, API, panel): the read is logged, a refusal too."""
    return read_one(
        actor=actor,
        record_type=RECORD_TYPE,
        record_id=case_id,
        get=lambda: case_get(actor=actor, case_id=case_id),
        purpose=purpose,
        check=check,
    )


def cases_shown(
    *, actor: Actor, cases: Iterable[TraffickingCase], purpose: str = Purpose.LIST
) -> Sequence[TraffickingCase]:
    """Cases about to be shown in a list: one logged read each."""
    return read_many(actor=actor, records=cases, purpose=purpose)


def case_rows(case: TraffickingCase) -> dict[str, list[Any]]:
    """The case's rows, each kind in its order, in one query per kind."""
    return {
        "route": list(case.route.select_related("country").order_by("position")),
        "victims": list(
            case.victims.select_related(
                "person", "person__owner_office", "protection_case"
            ).order_by("created", "id")
        ),
        "perpetrators": list(case.perpetrators.select_related("nationality")),
        "identifiers": list(case.identifiers.all()),
        "events": list(case.events.select_related("country", "victim")),
        "incidents": list(case.incidents.select_related("country")),
    }


def identities_shown(
    *, actor: Actor, victims: Sequence[Victim], perpetrators: Sequence[Perpetrator]
) -> None:
    """The identities about to be shown: one logged read per victim's person and per
    perpetrator (their names are the case's most sensitive data)."""
    read_many(actor=actor, records=[v.person for v in victims], purpose=Purpose.TRAFFICKING)
    read_many(
        actor=actor,
        records=perpetrators,
        owner_path="case__owner_office",
        purpose=Purpose.TRAFFICKING,
    )


def route_countries(case: TraffickingCase) -> list[str]:
    return list(
        RouteStop.objects.filter(case=case)
        .order_by("position")
        .values_list("country_id", flat=True)
    )


def victim_people(*, actor: Actor) -> QuerySet[Person]:
    """The people a focal point may name as victims: those they may see (people's scope)."""
    from enlace.people.selectors import person_list

    return person_list(actor=actor)


def cases_of_protection_case(*, actor: Actor, case: Any) -> Sequence[TraffickingCase]:
    """The trafficking cases naming `case` (a protection case) as a victim's, that the actor
    may see; each logged as shown."""
    linked = Victim.objects.filter(protection_case=case).values("case_id")
    cases = case_list(actor=actor).filter(pk__in=linked)
    return cases_shown(actor=actor, cases=cases)


def route_countries_of(cases: Iterable[TraffickingCase]) -> dict[Any, list[str]]:
    """{case id: [country codes in route order]} for a page of cases, in one query."""
    found: dict[Any, list[str]] = {}
    ids = [c.pk for c in cases]
    stops = RouteStop.objects.filter(case_id__in=ids).order_by("case_id", "position")
    for case_id, country in stops.values_list("case_id", "country_id"):
        found.setdefault(case_id, []).append(country)
    return found


# Figures for the indicators module (enlace.indicators.protection) ---------------------------


def exploitation_counts(
    *, since: dt.date | None = None, until: dt.date | None = None
) -> list[dict[str, Any]]:
    """Distinct victims (and smuggled persons) by the case's kind (category), the owner office's
    country and each form of exploitation (HTCDS vic_TypeOfExploitation; one person counts in
    every form recorded for them; "all": every victim of the kind, whatever the form), on the day
    the case was opened. Counts only, never a person (enlace.core.counting); `since`/`until`:
    only the whole calendar years they fall in. One GROUP BY query."""
    forms = {"all": Q(pk__isnull=False)} | {
        form.name: Q(type_of_exploitation__icontains=f'"{form.name}"')
        for form in htcds.TYPE_OF_EXPLOITATION
    }
    return first_of_year_counts(
        Victim.objects.all(),
        person="person",
        on="case__created",
        dims={
            "country": F("case__owner_office__country_id"),
            "sex": F("person__sex"),
            "category": F("case__kind"),
        },
        partition=("category",),
        age=age_years(
            on="case__created",
            born="person__birth_date",
            estimated="person__estimated_age",
            reported="person__age_reported_on",
        ),
        flags=forms,
        since=since,
        until=until,
    )
