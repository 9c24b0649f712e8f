"""Dates of birth as people report them: exact, year-month, year only, or an age."""

import datetime as dt
import re

from django.utils.translation import gettext_lazy as _

from enlace.core.errors import ValidationFailed

from .models import DatePrecision

_PATTERN = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")


def parse_birth_date(value: str | dt.date | None) -> tuple[dt.date | None, str]:
    """'1999', '1999-07' or '1999-07-14' -> (date, precision); year-only dates use 1 January."""
    if value in (None, ""):
        return None, DatePrecision.EXACT
    if isinstance(value, dt.date):
        return value, DatePrecision.EXACT
    match = _PATTERN.match(str(value))
    if not match:
        raise ValidationFailed(
            {"birth_date": [_("Use YYYY-MM-DD, YYYY-MM or YYYY, e.g. 1999-07-14 or 1999.")]}
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        date = dt.date(year or 1, month or 1, day or 1)
    except ValueError as exc:
        raise ValidationFailed({"birth_date": [_("This date does not exist.")]}) from exc
    if date > dt.date.today() or date.year < 1900:  # noqa: DTZ011 - a calendar date
        raise ValidationFailed(
            {"birth_date": [_("The date of birth must be between 1900 and today.")]}
        )
    precision = DatePrecision.EXACT if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    return date, precision


def format_birth_date(date: dt.date | None, precision: str) -> str:
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{date.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()
