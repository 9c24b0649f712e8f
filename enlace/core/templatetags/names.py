"""Template filters that show names instead of codes, in the reader's language and order."""

from collections.abc import Iterable
from typing import Any

from django import template

from enlace.core import names

register = template.Library()


@register.filter
def language_names(value: str | None) -> str:
    """ "spa, quc" → "Español, K'iche'"."""
    return names.language_names(value or "")


@register.filter
def by_name(items: Iterable[Any]) -> list[Any]:
    """The items in alphabetical order of their names in the reader's language."""
    return names.sort_by_name(items)
