"""The return list's filters (the page): status, what is due, office, country of origin, and a
search by reference and — only where the reader may see the identity — by name."""

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.access.rules import identity_visible
from enlace.accounts.models import Office
from enlace.core.filters import CountryCodeFilter, SearchFilter
from enlace.people.search import name_matches, search_words

from .models import ENDED, REINTEGRATION_PLAN_DAYS, FollowUp, Return, Status

DUE_CHOICES = [
    ("arrival", _("Arrival expected")),
    ("plan", _("Reintegration plan overdue")),
    ("follow_up", _("Follow-up due")),
]


class ReturnFilter(django_filters.FilterSet):
    """Filters over the returns an actor may see (the queryset is scoped before)."""

    q = SearchFilter(label=_("Name or reference"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All")
    )
    due = django_filters.ChoiceFilter(
        label=_("Due"), choices=DUE_CHOICES, empty_label=_("Anything"), method="filter_due"
    )
    office = django_filters.ModelChoiceFilter(
        label=_("Office"),
        queryset=Office.objects.none(),
        empty_label=_("All"),
        method="filter_office",
    )
    country = CountryCodeFilter(label=_("Country of origin"), field_name="origin_country_id")

    class Meta:
        model = Return
        fields: list[str] = []

    def __init__(self, *args: Any, actor: Any = None, offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        if offices is not None:
            self.filters["office"].queryset = offices
            self.form.fields["office"].queryset = offices

    def filter_q(self, qs: QuerySet[Return], name: str, value: str) -> QuerySet[Return]:
        """Every word in the reference, or in the person's name where the reader may see it
        (no letter-by-letter oracle of a protected name)."""
        words = search_words(value)
        if not words or self.actor is None:
            return qs
        visible = identity_visible(self.actor, "person__")
        for word in words:
            named = name_matches([word], using=qs.db, prefix="person__") & visible
            qs = qs.filter(Q(reference__icontains=word) | named)
        return qs

    def filter_due(self, qs: QuerySet[Return], name: str, value: str) -> QuerySet[Return]:
        today = timezone.localdate()
        if value == "arrival":
            return qs.filter(
                status__in=[Status.TRAVEL_PLAN, Status.DEPARTED], receiving_office__isnull=False
            )
        if value == "plan":
            return qs.filter(
                status=Status.ARRIVED,
                plan_on__isnull=True,
                arrived_on__lt=today - dt.timedelta(days=REINTEGRATION_PLAN_DAYS),
            )
        if value == "follow_up":
            due = FollowUp.objects.filter(
                ret=OuterRef("pk"), done_on__isnull=True, due_on__lte=today
            )
            return qs.filter(Exists(due)).exclude(status__in=ENDED)
        return qs

    def filter_office(self, qs: QuerySet[Return], name: str, value: Office) -> QuerySet[Return]:
        return qs.filter(Q(owner_office=value) | Q(receiving_office=value))
