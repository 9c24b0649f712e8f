"""The case list's filters, declared once for the page, the exports and the API."""

from functools import reduce
from operator import or_
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.access.rules import identity_visible
from enlace.core.filters import SearchFilter, StrictBooleanFilter
from enlace.people.models import Person
from enlace.people.search import TRIGRAM, name_matches, search_words

from .models import Case, CaseStatus, CaseType, Referral, RiskLevel

# Up to this many cases whose reference holds a word of the search are read as candidates.
REFERENCES = 200


class CaseFilter(django_filters.FilterSet):
    """Filters over the cases an actor may see (the queryset is scoped before)."""

    q = SearchFilter(label=_("Name or reference"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CaseStatus.choices, empty_label=_("All")
    )
    case_type = django_filters.ChoiceFilter(
        label=_("Case type"), choices=CaseType.choices, empty_label=_("All")
    )
    risk_level = django_filters.ChoiceFilter(
        label=_("Risk level"), choices=RiskLevel.choices, empty_label=_("All")
    )
    assigned = django_filters.ChoiceFilter(
        label=_("Assigned"),
        choices=[("me", _("Me"))],
        empty_label=_("Anyone"),
        method="filter_assigned",
    )
    overdue = StrictBooleanFilter(label=_("Overdue only"), method="filter_overdue")
    office = django_filters.UUIDFilter(
        label=_("Owner office"), field_name="owner_office_id", widget=forms.HiddenInput
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def filter_q(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        """Cases where every word is in the person's name (enlace.people.search) or in the
        reference.

        An OR across the two tables would test every case in scope, so the references are
        asked first (their trigram index answers in a few ms). Nearly always none holds any
        word: then every word must be in the name, a semi-join that PostgreSQL may read from
        either side (the people whose name matches, or the list's index, stopping at a page).
        When a few references match, the candidates are those cases ∪ the cases of the people
        whose name holds all the words, tested word by word; when many do (`2026`), the
        words are tested on the cases in scope as they are read."""
        words = search_words(value)
        if not words:
            return qs
        if self.actor is None:
            return qs.filter(*(_reference_has(word) for word in words))
        by_reference = Case.objects.filter(reduce(or_, (_reference_has(w) for w in words)))
        referenced = list(by_reference.order_by().values_list("pk", flat=True)[: REFERENCES + 1])
        # The person's name matches only where the actor may see it (no letter-by-letter oracle).
        named = Person.objects.filter(
            identity_visible(self.actor), name_matches(words, using=qs.db)
        ).order_by()
        if not referenced:
            return qs.filter(person__in=named.values("pk"))
        if len(referenced) <= REFERENCES:
            qs = qs.filter(Q(pk__in=referenced) | Q(person__in=named.values("pk")))
            if len(words) == 1:
                return qs
        visible = identity_visible(self.actor, "person__")
        for word in words:  # some words may be in the name and the others in the reference
            name_has = name_matches([word], using=qs.db, prefix="person__")
            qs = qs.filter((name_has & visible) | _reference_has(word))
        return qs

    def filter_assigned(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if value == "me" and self.actor is not None:
            return qs.filter(assigned_to=self.actor.user)
        return qs

    def filter_overdue(self, qs: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        if value:
            return qs.filter(due_date__lt=timezone.localdate()).exclude(status=CaseStatus.CLOSED)
        return qs


def _reference_has(word: str) -> Q:
    """The reference (MX-2026-000123) holds the word: as a substring from 3 characters, as the
    start of a part for shorter words, as names do (enlace.people.search), so that the trigram
    index answers (migration cases 0004)."""
    if len(word) >= TRIGRAM:
        return Q(reference__icontains=word)
    return Q(reference__istartswith=word) | Q(reference__icontains=f"-{word}")


class ReferralFilter(django_filters.FilterSet):
    """Which referrals: those received by the actor's office (default) or sent by it."""

    direction = django_filters.ChoiceFilter(
        label=_("Direction"),
        choices=[("in", _("Received")), ("out", _("Sent"))],
        method="filter_nothing",  # the selector picks the side; this declares and validates it
    )

    class Meta:
        model = Referral
        fields: list[str] = []

    def filter_nothing(self, qs: QuerySet[Referral], name: str, value: str) -> QuerySet[Referral]:
        return qs


class ExportFilter(CaseFilter):
    """The case filters and the file format of an export."""

    format = django_filters.ChoiceFilter(
        label=_("File format"),
        choices=[("csv", "CSV"), ("xlsx", "XLSX")],
        method="filter_format",
    )

    # Type, status and risk as words in the reader's language (the default, for people), or as
    # the API's codes (for scripts that read the file back).
    values = django_filters.ChoiceFilter(
        label=_("Type, status and risk as names in the reader's language (labels) or codes"),
        choices=[("labels", _("Names in the reader's language")), ("codes", _("Codes"))],
        method="filter_format",
    )

    def filter_format(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return qs
