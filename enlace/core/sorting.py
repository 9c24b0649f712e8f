"""Sortable list columns: `?sort=key` or `?sort=-key`, from a list's own whitelist.

Each list names the keys it can be sorted by and the fields each one orders by (ascending; the
descending order reverses every field, so that an index on those fields, read backwards, serves
both). Only keys an index of the list serves are offered (the lists' index migrations say
which), so a sorted page reads its rows in order and stops, as the default order does. A key
the list does not offer is a 400 with a clear message, like any malformed filter.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .errors import ValidationFailed


@dataclass(frozen=True)
class Sort:
    """The list's order as asked for: its key ("due_date"), and whether it is descending."""

    key: str
    descending: bool
    fields: tuple[str, ...]

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    def order_by(self) -> list[str]:
        if not self.descending:
            return list(self.fields)
        return [f[1:] if f.startswith("-") else f"-{f}" for f in self.fields]


def sort_from(params: Mapping[str, Any], keys: Mapping[str, Sequence[str]], default: str) -> Sort:
    """The order asked for in `params` ("sort"), or the list's default; an unknown key raises
    ValidationFailed (400)."""
    raw = params.get("sort") or default
    key = raw[1:] if raw.startswith("-") else raw
    if key not in keys:
        raise ValidationFailed(
            {
                "sort": [
                    _("This list cannot be sorted by “%(value)s”. Choose a column heading.")
                    % {"value": str(raw)[:40]}
                ]
            }
        )
    return Sort(key=key, descending=raw.startswith("-"), fields=tuple(keys[key]))


def sorted_list(
    qs: QuerySet[Any], params: Mapping[str, Any], keys: Mapping[str, Sequence[str]], default: str
) -> tuple[QuerySet[Any], Sort]:
    """The queryset in the order asked for, and that order (for the column headings)."""
    sort = sort_from(params, keys, default)
    return qs.order_by(*sort.order_by()), sort
