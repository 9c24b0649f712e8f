"""The rights-request queue's filters and sort orders, declared once (django-filter) so that a bad
value is a clear 400 (enlace.core.filters.bound_filters)."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.core.filters import StrictBooleanFilter

from .models import RequestKind, RequestStatus, RightsRequest

# The queue's sort orders: the API's value → the ordering (the id breaks ties, so that pages
# never overlap).
SORTS = {
    "due_on": ("due_on", "received_on", "id"),
    "-due_on": ("-due_on", "-received_on", "id"),
    "received_on": ("received_on", "due_on", "id"),
    "-received_on": ("-received_on", "due_on", "id"),
}


class RightsRequestFilter(django_filters.FilterSet):
    """Filters over the office's rights requests (the selector scopes them and applies the
    status and the kind; this declares and validates them, and adds the rest)."""

    status = django_filters.ChoiceFilter(
        label=_("Status (open by default; 'all' for every status)"),
        choices=[*RequestStatus.choices, ("all", _("All"))],
        method="filter_nothing",
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of request"), choices=RequestKind.choices, method="filter_nothing"
    )
    overdue = StrictBooleanFilter(label=_("Overdue only"), method="filter_overdue")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[(key, key) for key in SORTS],
        method="filter_sort",
    )

    class Meta:
        model = RightsRequest
        fields: list[str] = []

    def filter_nothing(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs

    def filter_overdue(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value:
            return qs.filter(status=RequestStatus.OPEN, due_on__lt=timezone.localdate())
        return qs

    def filter_sort(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.order_by(*SORTS[value]) if value in SORTS else qs
