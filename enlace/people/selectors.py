"""Reads of people, scoped by the actor through the firewall in enlace.cases.access."""

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from enlace.accounts.actor import Actor
from enlace.cases.access import person_scope
from enlace.core.text import fold

from .models import Person


def person_list(*, actor: Actor, search: str = "") -> QuerySet[Person]:
    qs = (
        Person.objects.filter(person_scope(actor))
        .distinct()
        .select_related("owner_office", "owner_office__country")
        .prefetch_related("vulnerabilities", "cases", "nationalities")
    )
    if search:
        for word in fold(search).split():
            qs = qs.filter(search_text__contains=word)
    return qs


def person_get(*, actor: Actor, person_id: UUID | str) -> Person:
    try:
        return person_list(actor=actor).get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def person_duplicates(
    *,
    actor: Actor,
    given_names: str,
    first_surname: str,
    second_surname: str = "",
    birth_year: int | None = None,
    exclude_id: UUID | None = None,
) -> QuerySet[Person]:
    """People of the actor's own office with the same folded names (and birth year if known)."""
    office = actor.require_office()
    qs = Person.objects.filter(owner_office=office)
    first = fold(given_names).split()[:1]
    if not first or not first_surname:
        return qs.none()
    qs = qs.filter(search_text__startswith=f"{first[0]} ").filter(
        search_text__contains=f" {fold(first_surname)}"
    )
    if second_surname:
        qs = qs.filter(search_text__contains=f" {fold(second_surname)}") | qs.filter(
            second_surname=""
        )
    if birth_year is not None:
        qs = qs.filter(
            birth_date__year__in=[birth_year - 1, birth_year, birth_year + 1]
        ) | qs.filter(birth_date__isnull=True)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return qs.distinct()
