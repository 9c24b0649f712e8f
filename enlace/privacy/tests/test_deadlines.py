"""Deadlines of rights requests per country, and the breach clock (enlace.privacy.deadlines)."""

import datetime as dt

import pytest

from enlace.privacy import deadlines
from enlace.privacy.deadlines import Kind, breach_deadline, due_date, rule_for

FRIDAY = dt.date(2026, 10, 2)  # a Friday; 12 October is a public holiday in Colombia


@pytest.mark.parametrize(
    ("country", "kind", "due"),
    [
        # Argentina, Ley 25.326: access 10 calendar days (art. 14), rectification 5 working days
        ("AR", Kind.ACCESS, dt.date(2026, 10, 12)),
        ("AR", Kind.RECTIFICATION, dt.date(2026, 10, 9)),  # Mon 5 … Fri 9
        ("AR", Kind.DELETION, dt.date(2026, 10, 9)),
        # Brazil, LGPD art. 19 II: 15 days
        ("BR", Kind.ACCESS, dt.date(2026, 10, 17)),
        # Colombia, Ley 1581: consultas 10 working days (skipping Monday 12, a holiday),
        # reclamos 15 working days
        ("CO", Kind.ACCESS, dt.date(2026, 10, 19)),
        ("CO", Kind.RECTIFICATION, dt.date(2026, 10, 26)),
        # Mexico, LGPDPPSO art. 51: 20 working days
        ("MX", Kind.ACCESS, dt.date(2026, 10, 30)),
        ("MX", Kind.DELETION, dt.date(2026, 10, 30)),
        # Another country: Enlace's default, 15 working days (Guatemala: skipping 20 October,
        # Revolution Day; a code the holidays package does not know: weekends only)
        ("GT", Kind.ACCESS, dt.date(2026, 10, 26)),
        ("ZZ", Kind.ACCESS, dt.date(2026, 10, 23)),
    ],
)
def test_due_date_of_a_request_received_on_a_friday(country, kind, due):
    assert due_date(FRIDAY, country, kind) == due


def test_working_days_skip_national_holidays():
    # Argentina, 7 and 8 December 2026 are holidays: 5 working days from Friday 4 December
    # are 9, 10, 11, 14, 15 December.
    assert due_date(dt.date(2026, 12, 4), "AR", Kind.RECTIFICATION) == dt.date(2026, 12, 15)
    assert deadlines.is_working_day(dt.date(2026, 12, 9), "AR")
    assert not deadlines.is_working_day(dt.date(2026, 12, 8), "AR")
    assert not deadlines.is_working_day(dt.date(2026, 12, 5), "AR")  # a Saturday


def test_every_rule_states_its_legal_source_and_the_default_says_it_is_one():
    for rule in deadlines.RULES.values():
        assert rule.source and rule.days > 0
    assert "Ley 25.326, art. 14" in rule_for("AR", Kind.ACCESS).source
    assert "art. 16" in rule_for("AR", Kind.RECTIFICATION).source
    assert "art. 19 II" in rule_for("BR", Kind.ACCESS).source
    assert "art. 14" in rule_for("co", Kind.ACCESS).source
    assert "art. 15" in rule_for("CO", Kind.DELETION).source
    assert "art. 51" in rule_for("MX", Kind.ACCESS).source
    assert rule_for("PE", Kind.ACCESS) is deadlines.DEFAULT
    assert "default" in deadlines.DEFAULT.source


def test_breach_clock_is_three_working_days():
    # Detected on a Friday: Monday, Tuesday, Wednesday.
    assert breach_deadline(FRIDAY, "ZZ") == dt.date(2026, 10, 7)
    # Detected on a Wednesday in Mexico: Thursday, Friday, Monday.
    assert breach_deadline(dt.date(2026, 10, 7), "MX") == dt.date(2026, 10, 12)
