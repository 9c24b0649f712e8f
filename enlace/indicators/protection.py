"""Figures from Enlace's own records, under disclosure control.

Interfaces shared by the pages, the API, the home panels and bench/indicators.py:

- `count_rows()` — the raw counts of distinct persons, read from each module through its
  selectors (never published as they are);
- `page_sections()` — the context of the template "indicators/_protection.html" for the region
  (country=None) or one country, or None when there is nothing to publish.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

# Every count is broken down by these, "" meaning "all" (a margin).
DIMENSIONS = ("country", "sex", "age_group", "period")


@dataclass(frozen=True)
class CountRow:
    """Distinct persons counted by one indicator in one cell (country ISO alpha-2, sex code,
    age group code, period "2026" or "2026-Q1")."""

    indicator: str
    country: str
    sex: str
    age_group: str
    period: str
    persons: int


def count_rows(*, since: dt.date | None = None, until: dt.date | None = None) -> list[CountRow]:
    """The raw cells of every indicator, from each module's selectors (not for publication)."""
    raise NotImplementedError("written by the ind-protection branch")


def page_sections(
    *, country: str | None, period: str | None, method: str = "suppression"
) -> dict[str, Any] | None:
    """Context for indicators/_protection.html (None: the section is left out)."""
    return None
