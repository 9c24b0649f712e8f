"""When a data-protection rights request must be answered, by the law of the country that
applies: one rule per (country, kind of request), each with its legal source written next to it.

Working days skip Saturdays, Sundays and the national public holidays of the country whose law
applies (the `holidays` package; regional and local holidays are not counted). A term counts
from the day after the request was received. Calendar terms are not moved off a weekend or a
holiday. A breach must be notified within three working days of its detection.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache

import holidays


class Kind:
    """The kinds of request (the model's choices use the same values)."""

    ACCESS = "access"
    RECTIFICATION = "rectification"
    DELETION = "deletion"
    OBJECTION = "objection"


@dataclass(frozen=True)
class Rule:
    """A term: `days` calendar or working days from the day after receipt, and its source."""

    days: int
    working: bool
    source: str


AR_ACCESS = Rule(10, False, "Argentina, Ley 25.326, art. 14 inc. 2 (10 días corridos)")
AR_CHANGE = Rule(5, True, "Argentina, Ley 25.326, art. 16 inc. 2 (5 días hábiles)")
BR_ACCESS = Rule(15, False, "Brasil, LGPD (Lei 13.709/2018), art. 19 II (15 dias)")
# LGPD art. 18 §5 leaves the term of the other rights to regulation; until the ANPD sets one,
# Enlace applies the 15 days of art. 19 II.
BR_CHANGE = Rule(
    15, False, "Brasil, LGPD art. 18 §5 (prazo em regulamento; aplicados os 15 dias do art. 19 II)"
)
CO_QUERY = Rule(10, True, "Colombia, Ley 1581 de 2012, art. 14 (consultas: 10 días hábiles)")
CO_CLAIM = Rule(15, True, "Colombia, Ley 1581 de 2012, art. 15 (reclamos: 15 días hábiles)")
# The 2017 general law for public-sector bodies (DOF 26-01-2017), art. 51: the answer within
# 20 working days of the day after receipt (extendable once by 10 days, not applied here).
MX_ANY = Rule(
    20,
    True,
    "México, Ley General de Protección de Datos Personales en Posesión de Sujetos Obligados "
    "(2017), art. 51 (20 días hábiles)",
)
# Not a legal term: Enlace's own default where no rule of the country is written here.
DEFAULT = Rule(15, True, "Enlace default (no rule written for this country): 15 working days")

RULES: dict[tuple[str, str], Rule] = {
    ("AR", Kind.ACCESS): AR_ACCESS,
    ("AR", Kind.RECTIFICATION): AR_CHANGE,
    ("AR", Kind.DELETION): AR_CHANGE,
    ("AR", Kind.OBJECTION): AR_CHANGE,
    ("BR", Kind.ACCESS): BR_ACCESS,
    ("BR", Kind.RECTIFICATION): BR_CHANGE,
    ("BR", Kind.DELETION): BR_CHANGE,
    ("BR", Kind.OBJECTION): BR_CHANGE,
    ("CO", Kind.ACCESS): CO_QUERY,
    ("CO", Kind.RECTIFICATION): CO_CLAIM,
    ("CO", Kind.DELETION): CO_CLAIM,
    ("CO", Kind.OBJECTION): CO_CLAIM,
    ("MX", Kind.ACCESS): MX_ANY,
    ("MX", Kind.RECTIFICATION): MX_ANY,
    ("MX", Kind.DELETION): MX_ANY,
    ("MX", Kind.OBJECTION): MX_ANY,
}

BREACH_WORKING_DAYS = 3


def rule_for(country: str, kind: str) -> Rule:
    """The term that applies to a request of `kind` under the law of `country` (ISO code)."""
    return RULES.get((country.upper(), kind), DEFAULT)


@cache
def _holidays(country: str, year: int) -> frozenset[dt.date]:
    try:
        found = holidays.country_holidays(country, years=year)
    except NotImplementedError:  # a country the package does not know: weekends only
        return frozenset()
    return frozenset(found.keys())


def is_working_day(day: dt.date, country: str) -> bool:
    return day.weekday() < 5 and day not in _holidays(country.upper(), day.year)


def add_working_days(start: dt.date, days: int, country: str) -> dt.date:
    """The `days`-th working day after `start` (start itself is not counted)."""
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, country):
            counted += 1
    return day


def due_date(received: dt.date, country: str, kind: str) -> dt.date:
    """The last day to answer a request of `kind` received on `received`."""
    rule = rule_for(country, kind)
    if rule.working:
        return add_working_days(received, rule.days, country)
    return received + dt.timedelta(days=rule.days)


def breach_deadline(detected: dt.date, country: str) -> dt.date:
    """The last day to notify a breach detected on `detected` (3 working days)."""
    return add_working_days(detected, BREACH_WORKING_DAYS, country)
