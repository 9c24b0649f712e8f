"""Partial dates and their comparison levels."""

from __future__ import annotations

from enlace.linkage.dates import PartialDate, date_level, estimate_birth_from_age, parse_date


def test_parse_precisions() -> None:
    assert parse_date("1990-05-03") == PartialDate(1990, 5, 3, "day")
    assert parse_date("1990-05") == PartialDate(1990, 5, None, "month")
    assert parse_date("1990") == PartialDate(1990, None, None, "year")
    assert parse_date("03/05/1990") == PartialDate(1990, 5, 3, "day")
    assert parse_date("") == PartialDate()
    assert parse_date("not a date").precision == "none"
    assert parse_date("1990-25-03") == PartialDate(1990, 3, 25, "day")  # swapped slots
    assert parse_date("1990-02-30").precision == "month"


def test_estimated_from_age() -> None:
    d = estimate_birth_from_age(30, "2024-06-01")
    assert d == PartialDate(1994, None, None, "estimated")
    assert estimate_birth_from_age("abc").precision == "none"


def _lvl(a: str, b: str) -> str:
    x, y = parse_date(a), parse_date(b)
    return date_level(x.year, x.month, x.day, y.year, y.month, y.day)


def test_levels() -> None:
    assert _lvl("1990-05-03", "1990-05-03") == "exact"
    assert _lvl("1990-05-03", "1990-03-05") == "day_month_swap_or_typo"
    assert _lvl("1990-05-03", "1990-05-13") == "day_month_swap_or_typo"
    assert _lvl("1990", "1990-05-03") == "same_year_compatible"
    assert _lvl("1990-05", "1990-05-03") == "same_year_compatible"
    assert _lvl("1990-06", "1990-05-03") == "within_1_year"
    assert _lvl("1991", "1990-05-03") == "within_1_year"
    assert _lvl("1993", "1990-05-03") == "within_5_years"
    assert _lvl("1997", "1990-05-03") == "different"
    assert _lvl("", "1990-05-03") == "null"


def test_two_full_dates_that_differ_in_day_and_month_have_their_own_level() -> None:
    assert _lvl("1990-05-03", "1990-09-16") == "full_dates_differ"
    assert _lvl("1990-05-03", "1991-09-16") == "full_dates_differ"
    # A typo in the year alone stays "within one year"; two to five years apart is its own
    # level, more is "different".
    assert _lvl("1990-05-03", "1991-05-03") == "within_1_year"
    assert _lvl("1990-05-03", "1992-09-16") == "within_5_years"
    assert _lvl("1990-05-03", "1996-09-16") == "different"
