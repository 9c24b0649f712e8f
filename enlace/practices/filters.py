"""The library's filters, declared once for the public page and the API: a search, a country,
a theme, a target group, a Global Compact objective. A bad value is a clear 400."""

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from enlace.core.filters import CountryCodeFilter, SearchFilter

from .models import Practice, TargetGroup, Theme

FILTER_NAMES = ("q", "country", "theme", "target_group", "gcm")


class PracticeFilter(django_filters.FilterSet):
    """Validates the library's parameters; selectors.search_practices applies them."""

    q = SearchFilter(label=_("Search"), method="keep")
    country = CountryCodeFilter(label=_("Country"), method="keep")
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), choices=Theme.choices, empty_label=_("All"), method="keep"
    )
    target_group = django_filters.ChoiceFilter(
        label=_("Target group"), choices=TargetGroup.choices, empty_label=_("All"), method="keep"
    )
    gcm = django_filters.ChoiceFilter(
        label=_("Global Compact objective"),
        choices=[(str(n), str(n)) for n in range(1, 24)],
        empty_label=_("All"),
        method="keep",
    )

    class Meta:
        model = Practice
        fields: list[str] = []

    def keep(self, qs: Any, name: str, value: Any) -> Any:
        """The selector filters (one search function for both databases): nothing here."""
        return qs

    def values(self) -> dict[str, Any]:
        """The valid parameters that were given, for selectors.search_practices."""
        return {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}
