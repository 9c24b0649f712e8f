"""The audit trail's filters: who, what action, which kind of record, from and to which day."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from enlace.audit.models import ChangeEvent
from enlace.core.filters import SearchFilter
from enlace.core.forms import DateInput

from .audit_present import action_choices, record_type_choices


class AuditFilter(django_filters.FilterSet):
    who = SearchFilter(label=_("Who (name or user name)"), method="filter_who")
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=action_choices, empty_label=_("All")
    )
    record_type = django_filters.ChoiceFilter(
        label=_("Kind of record"), choices=record_type_choices, empty_label=_("All")
    )
    since = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=DateInput()
    )
    until = django_filters.DateFilter(
        label=_("To"), field_name="at", lookup_expr="date__lte", widget=DateInput()
    )

    class Meta:
        model = ChangeEvent
        fields: list[str] = []

    def filter_who(self, qs: QuerySet[ChangeEvent], name: str, value: str) -> QuerySet[ChangeEvent]:
        for word in value.split():
            qs = qs.filter(
                Q(actor__username__icontains=word)
                | Q(actor__first_name__icontains=word)
                | Q(actor__last_name__icontains=word)
            )
        return qs

    def is_valid(self) -> bool:
        valid = super().is_valid()
        data: Any = self.form.cleaned_data if valid else {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.form.add_error("until", _("The end date is before the start date."))
            return False
        return valid
