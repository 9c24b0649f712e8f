"""The office directory's filters, declared once for the page and the API."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from enlace.core.filters import CountryCodeFilter, SearchFilter

from .models import Office


class OfficeFilter(django_filters.FilterSet):
    search = SearchFilter(label=_("Name or city"), method="filter_search")
    country = CountryCodeFilter(
        label=_("Country represented (ISO 3166-1 alpha-2)"), method="filter_country"
    )

    class Meta:
        model = Office
        fields: list[str] = []

    def filter_search(self, qs: QuerySet[Office], name: str, value: str) -> QuerySet[Office]:
        value = value.strip()
        return qs.filter(Q(name__icontains=value) | Q(city__icontains=value)) if value else qs

    def filter_country(self, qs: QuerySet[Office], name: str, value: str) -> QuerySet[Office]:
        return qs.filter(country_id=value.upper())
