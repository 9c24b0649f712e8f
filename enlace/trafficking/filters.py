"""The trafficking case list's filters, declared once for the page and the API."""

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from enlace.core.filters import CountryCodeFilter, SearchFilter

from . import htcds
from .models import CaseKind, RouteStop, TraffickingCase
from .selectors import search


class TraffickingCaseFilter(django_filters.FilterSet):
    """Filters over the cases an actor may see (the queryset is scoped before)."""

    q = SearchFilter(label=_("Search"), method="filter_q")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=CaseKind.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=htcds.choices(htcds.CASE_STATUS), empty_label=_("All")
    )
    country = CountryCodeFilter(label=_("Country on the route"), method="filter_country")

    class Meta:
        model = TraffickingCase
        fields: list[str] = []

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def filter_q(self, qs: QuerySet[TraffickingCase], name: str, value: str) -> Any:
        if self.actor is None:
            return qs.none()
        return search(qs, value, actor=self.actor)

    def filter_country(self, qs: QuerySet[TraffickingCase], name: str, value: str) -> Any:
        stops = RouteStop.objects.filter(case=OuterRef("pk"), country_id=value.upper())
        return qs.filter(Exists(stops))
