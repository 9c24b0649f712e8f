"""Partial birth dates: exact day, year-month, year only, or estimated from a reported age.

The comparison levels (see :func:`date_level`) tolerate day/month swaps, one-digit typos in
the day or month, and ±1 year (ages are reported in whole years, so a birth year estimated
from an age is only known to ±1).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "DATE_LEVELS",
    "FAR_YEARS",
    "PartialDate",
    "date_level",
    "estimate_birth_from_age",
    "parse_date",
]

MIN_YEAR = 1880
MAX_YEAR = 2100

_ISO = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to day, month or year precision; ``precision`` is one of
    ``day``, ``month``, ``year``, ``estimated`` (year ±1, from an age) or ``none``."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    precision: str = "none"


NO_DATE = PartialDate()


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= day <= calendar.monthrange(year, month)[1]


def _build(year: int, month: int | None, day: int | None) -> PartialDate:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return NO_DATE
    if month is None:
        return PartialDate(year, None, None, "year")
    if not 1 <= month <= 12:
        # A day written in the month slot (1990-25-03): swap when that makes a real date.
        if day is not None and 1 <= day <= 12 and _valid_day(year, day, month):
            return PartialDate(year, day, month, "day")
        return PartialDate(year, None, None, "year")
    if day is None:
        return PartialDate(year, month, None, "month")
    if not _valid_day(year, month, day):
        return PartialDate(year, month, None, "month")
    return PartialDate(year, month, day, "day")


@lru_cache(maxsize=1 << 16)
def parse_date(text: str | None) -> PartialDate:
    """Parse ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` (also ``/`` or ``.``) or ``DD/MM/YYYY``.

    Anything else, including empty text, gives a date with ``precision == "none"``.
    """
    if not text:
        return NO_DATE
    m = _ISO.match(text)
    if m:
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
        return _build(year, month, day)
    m = _DMY.match(text)
    if m:
        return _build(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return NO_DATE


def estimate_birth_from_age(age: str | int, reported_on: str | None = None) -> PartialDate:
    """Birth year from an age reported on a date (today if not given); precise to ±1 year."""
    try:
        years = int(float(str(age).strip()))
    except (ValueError, OverflowError):  # "abc", "nan", "inf"
        return NO_DATE
    if not 0 <= years <= 120:
        return NO_DATE
    reported = parse_date(reported_on) if reported_on else NO_DATE
    ref_year = reported.year if reported.year is not None else dt.date.today().year  # noqa: DTZ011
    year = ref_year - years
    if not MIN_YEAR <= year <= MAX_YEAR:
        return NO_DATE
    # Someone aged N on a date was born in year-N or year-N-1; keep year-N, compare with ±1.
    return PartialDate(year, None, None, "estimated")


# An age told by a relative ("about 25") is often a few years off, or was the age when the person
# was last seen: an estimated birth year is compatible with years up to this far away. Exact,
# year-month and year-only dates keep the ±1 year tolerance. (Domain choice, not a standard.)
ESTIMATED_AGE_TOLERANCE = 3


def estimated_year_for(estimated: int, other: int) -> int:
    """The estimated year moved to within one year of `other` when it is within tolerance, so
    the pair compares as "within one year" rather than "different"; else unchanged."""
    gap = other - estimated
    if 1 < abs(gap) <= ESTIMATED_AGE_TOLERANCE:
        return other - (1 if gap > 0 else -1)
    return estimated


# Comparison levels, best first; the null level is "no birth year on one side".
DATE_LEVELS = (
    "null",
    "exact",
    "day_month_swap_or_typo",
    "same_year_compatible",
    "full_dates_differ",
    "within_1_year",
    "within_5_years",
    "different",
)

# Years further apart than this are another generation or a far older or younger sibling rather
# than a year misremembered or an age guessed (ESTIMATED_AGE_TOLERANCE): "different" is kept
# for them, and years 2 to 5 apart get a level of their own. (Domain choice, not a standard.)
FAR_YEARS = 5


def date_level(
    y1: int | None,
    m1: int | None,
    d1: int | None,
    y2: int | None,
    m2: int | None,
    d2: int | None,
) -> str:
    """The comparison level of two partial dates (mirrors the SQL in ``model.py``)."""
    if y1 is None or y2 is None:
        return "null"
    if y1 == y2:
        if d1 is not None and d2 is not None:
            # both full dates (a day implies a month)
            if m1 == m2 and d1 == d2:
                return "exact"
            if (m1 == d2 and d1 == m2) or m1 == m2 or d1 == d2:
                return "day_month_swap_or_typo"
        elif (m1 is None or m2 is None or m1 == m2) and (d1 is None or d2 is None or d1 == d2):
            return "same_year_compatible"
    if abs(y1 - y2) <= 1:
        if d1 is not None and d2 is not None and not (m1 == m2 and d1 == d2):
            # Two full dates a year or less apart that disagree on more than one field: a
            # registry rarely gets both the day and the month wrong; siblings are born apart.
            return "full_dates_differ"
        return "within_1_year"
    if abs(y1 - y2) <= FAR_YEARS:
        return "within_5_years"
    return "different"
