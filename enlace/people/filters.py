"""The people list's filters, declared once for the page and the API."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from enlace.core.filters import SearchFilter

from .models import Person
from .selectors import person_search


class PersonFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Name"), method="filter_q")

    class Meta:
        model = Person
        fields: list[str] = []

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def filter_q(self, qs: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return person_search(qs, value, actor=self.actor)
