"""The tracing lists' parameters, declared once and validated."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import TracingMatch


class MatchFilter(django_filters.FilterSet):
    """Which matches: on people of the actor's office (default) or on its requests."""

    side = django_filters.ChoiceFilter(
        label=_("Side"),
        choices=[("owner", _("On people of my office")), ("requester", _("On my requests"))],
        method="filter_nothing",  # the selector picks the side; this declares and validates it
    )

    class Meta:
        model = TracingMatch
        fields: list[str] = []

    def filter_nothing(
        self, qs: QuerySet[TracingMatch], name: str, value: str
    ) -> QuerySet[TracingMatch]:
        return qs
