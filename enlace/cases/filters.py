"""The case list's filters, declared once for the page, the exports and the API."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.access.rules import identity_visible
from enlace.core.filters import SearchFilter, StrictBooleanFilter
from enlace.people.models import Person
from enlace.people.search import name_matches, search_words

from .models import Case, CaseStatus, CaseType, Referral, RiskLevel


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
        reference. Each word is a set of case ids, names ∪ references, each through its own
        index: an OR across the two tables would scan every case."""
        for word in search_words(value):
            qs = qs.filter(pk__in=self._word_matches(word, qs.db))
        return qs

    def _word_matches(self, word: str, using: str) -> QuerySet[Case]:
        by_reference = Case.objects.filter(reference__icontains=word).order_by().values("pk")
        if self.actor is None:
            return by_reference
        # The person's name matches only where the actor may see it (no letter-by-letter oracle).
        named = (
            Person.objects.filter(identity_visible(self.actor), name_matches([word], using=using))
            .order_by()
            .values("pk")
        )
        by_name = Case.objects.filter(person__in=named).order_by().values("pk")
        return by_name.union(by_reference)

    def filter_assigned(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if value == "me" and self.actor is not None:
            return qs.filter(assigned_to=self.actor.user)
        return qs

    def filter_overdue(self, qs: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        if value:
            return qs.filter(due_date__lt=timezone.localdate()).exclude(status=CaseStatus.CLOSED)
        return qs


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

    def filter_format(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return qs
