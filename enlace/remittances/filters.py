"""The staff list of quotes: filters by corridor, provider, quarter and demonstration data (a bad
value is a 400 with its message next to the filter)."""

from typing import Any

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import QUARTER_RE, Corridor, Provider, Quote

DEMONSTRATION_CHOICES = [("yes", _("Demonstration only")), ("no", _("Real quotes only"))]


class CorridorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Corridor) -> str:
        return f"{obj.sending.name} → {obj.receiving.name}"


class CorridorFilter(django_filters.ModelChoiceFilter):
    field_class = CorridorChoice


class QuoteFilter(django_filters.FilterSet):
    """Filters over the quotes the actor may correct (the queryset is scoped before)."""

    corridor = CorridorFilter(
        label=_("Corridor"), queryset=Corridor.objects.none(), empty_label=_("All")
    )
    provider = django_filters.ModelChoiceFilter(
        label=_("Provider"), queryset=Provider.objects.none(), empty_label=_("All")
    )
    period = django_filters.CharFilter(
        label=_("Quarter"),
        validators=[RegexValidator(QUARTER_RE, _("Write the quarter as YYYYQn, e.g. 2024Q3."))],
        method="filter_period",
    )
    demonstration = django_filters.ChoiceFilter(
        label=_("Demonstration data"),
        choices=DEMONSTRATION_CHOICES,
        empty_label=_("All"),
        method="filter_demonstration",
    )

    class Meta:
        model = Quote
        fields: list[str] = []

    def __init__(self, *args: Any, corridors: Any = None, providers: Any = None, **kw: Any):
        super().__init__(*args, **kw)
        for name, qs in (("corridor", corridors), ("provider", providers)):
            if qs is not None:
                self.filters[name].queryset = qs
                self.form.fields[name].queryset = qs

    def filter_period(self, qs: QuerySet[Quote], name: str, value: str) -> QuerySet[Quote]:
        return qs.filter(period=value.upper())

    def filter_demonstration(self, qs: QuerySet[Quote], name: str, value: str) -> QuerySet[Quote]:
        return qs.filter(is_demonstration=(value == "yes"))
