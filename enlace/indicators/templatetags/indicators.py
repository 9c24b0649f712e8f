"""Figures as the reader's language writes them (thousands grouped: 5.056.331 in Spanish)."""

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value: Any, kind: str = "int") -> str:
    """A cell of an indicator table: "—" for no figure; counts grouped; shares with one decimal
    and "%"; US$ million with one decimal."""
    if value is None or value == "":
        return "—"
    if kind == "text":
        return str(value)
    if kind == "pct":
        return f"{number_format(Decimal(value), 1, force_grouping=True)} %"
    if kind == "money":
        return number_format(Decimal(value), 1, force_grouping=True)
    return number_format(int(value), 0, force_grouping=True)
