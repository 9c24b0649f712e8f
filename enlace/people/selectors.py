"""Reads of people, scoped by the actor through the firewall (enlace.access)."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from enlace.access.reads import Purpose, read_many, read_one
from enlace.access.rules import identity_visible, person_reach, sees_identity
from enlace.accounts.actor import Actor
from enlace.core.lookups import get_or_404
from enlace.core.text import fold
from enlace.linkage import normalize_record

from .models import Person
from .search import name_matches, search_words


def person_list(*, actor: Actor, search: str = "") -> QuerySet[Person]:
    scope, branches = person_reach(actor)
    qs = (
        Person.objects.scoped(scope, branches)
        .select_related("owner_office", "owner_office__country")
        .prefetch_related("vulnerabilities", "nationalities")
    )
    return person_search(qs, search, actor=actor) if search else qs


def person_search(qs: QuerySet[Person], search: str, *, actor: Actor) -> QuerySet[Person]:
    """People whose name holds every word of the search, accents and case ignored, through the
    name index (enlace.people.search: words of 3+ characters anywhere, shorter ones at the
    start of a name)."""
    words = search_words(search)
    if words:
        # Names match only where the actor may see them: a protected identity is not a target.
        qs = qs.filter(identity_visible(actor), name_matches(words, using=qs.db))
    return qs


def person_get(*, actor: Actor, person_id: UUID | str) -> Person:
    """One person in scope, without logging: for writes and checks. To show a person, use
    person_read."""
    return get_or_404(person_list(actor=actor), person_id)


def person_read(
    *,
    actor: Actor,
    person_id: UUID | str,
    purpose: str = Purpose.VIEW,
    check: Callable[[Actor, Person], bool] | None = None,
) -> Person:
    """One person to show (page, form, API): the read is logged, a refusal too. `check`
    narrows who may open this view of them (the edit form: the owner's staff)."""
    return read_one(
        actor=actor,
        record_type="people.person",
        record_id=person_id,
        get=lambda: person_get(actor=actor, person_id=person_id),
        purpose=purpose,
        check=check,
    )


def person_photo_read(*, actor: Actor, person_id: UUID | str) -> Person:
    """A person whose photo is shown: only to those who may see the identity; logged."""

    def get() -> Person:
        person = person_get(actor=actor, person_id=person_id)
        if not person.photo or not sees_identity(actor, person):
            raise Http404
        return person

    return read_one(
        actor=actor,
        record_type="people.person",
        record_id=person_id,
        get=get,
        purpose=Purpose.DOWNLOAD,
    )


def people_shown(*, actor: Actor, people: Iterable[Person], search: str = "") -> Sequence[Person]:
    """A page of people about to be shown: one logged read each."""
    return read_many(
        actor=actor, records=people, purpose=Purpose.SEARCH if search else Purpose.LIST
    )


def person_duplicates(
    *, actor: Actor, data: dict[str, Any], exclude_id: UUID | None = None, limit: int = 5
) -> list[Person]:
    """People of the actor's own office who may be the same person as `data` (form values).

    Same folded given name and first surname with a compatible birth year, or a likely match
    (probability >= 0.5) of the record-linkage engine.
    """
    from .matching import rank_people

    office = actor.require_office()
    mine = Person.objects.filter(owner_office=office)
    given = fold(str(data.get("given_names") or "")).split()[:1]
    first_surname = fold(str(data.get("first_surname") or ""))
    found: dict[Any, Person] = {}
    if given and first_surname:
        qs = mine.filter(search_text__startswith=f"{given[0]} ").filter(
            search_text__contains=f" {first_surname}"
        )
        birth = str(data.get("birth_date") or "")
        if birth[:4].isdigit():
            year = int(birth[:4])
            qs = qs.filter(
                Q(birth_date__year__in=[year - 1, year, year + 1]) | Q(birth_date__isnull=True)
            )
        found |= {p.pk: p for p in qs[:limit]}
    raw = {
        k: data.get(k)
        for k in (
            "given_names",
            "first_surname",
            "second_surname",
            "sex",
            "birth_place",
            "mother_name",
        )
    }
    raw["birth_date"] = data.get("birth_date") or ""
    raw["id"] = str(exclude_id or "new")
    matches = rank_people(
        normalize_record(raw), where=Q(person__owner_office=office), min_probability=0.5, top=limit
    )
    if matches:
        ranked = Person.objects.in_bulk([m.candidate_id for m in matches])
        for m in matches:
            person = ranked.get(UUID(m.candidate_id))
            if person is not None:
                found.setdefault(person.pk, person)
    found.pop(exclude_id, None)
    return list(found.values())[:limit]
