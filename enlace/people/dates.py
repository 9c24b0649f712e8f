"""Dates of birth as people report them: exact, year-month, year only, or an age (the parser
is core's one partial-date parser)."""

import datetime as dt

from enlace.core.validation import format_partial_date, parse_partial_date


def parse_birth_date(value: str | dt.date | None) -> tuple[dt.date | None, str]:
    """'1999', '1999-07' or '1999-07-14' -> (date, precision); year-only dates use 1 January."""
    return parse_partial_date("birth_date", value)


def format_birth_date(date: dt.date | None, precision: str) -> str:
    return format_partial_date(date, precision)
