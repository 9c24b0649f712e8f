"""enlace.core.counting's SQL on the edges (run on SQLite and on PostgreSQL): the calendar year,
quarter and age group of a record at their boundaries, read natively on SQLite (substr of the
stored text) and through Django's EXTRACT elsewhere; another current time zone; and the years
kept by `since`/`until` read in the WHERE, giving the cells of counting every year and keeping
those."""

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enlace.accounts.models import Office
from enlace.cases.models import Case, CaseStatus, DetentionLog
from enlace.cases.selectors import protection_counts
from enlace.core.counting import age_years, first_of_year_counts
from enlace.indicators import protection
from enlace.people.models import Person

pytestmark = pytest.mark.django_db

UTC = dt.UTC


@pytest.fixture
def office():
    return Office.objects.create(
        name="Counting consulate",
        kind=Office.Kind.CONSULATE,
        country_id="MX",
        host_country_id="US",
        city="Houston",
    )


def _case(office, name, opened, *, closed=None, arrest=None, notified=None, **person):
    who = Person.objects.create(
        owner_office=office, given_names=name, first_surname="Count", search_text=name, **person
    )
    case = Case.objects.create(
        reference=f"CNT-{name}",
        owner_office=office,
        person=who,
        case_type="detention",
        summary="counting",
        status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
        closed_at=closed,
    )
    Case.objects.filter(pk=case.pk).update(created=opened)  # auto_now_add: set it after
    if arrest:
        DetentionLog.objects.create(case=case, arrest_date=arrest, notified_on=notified)
    return case


def _cells(**kwargs):
    rows = first_of_year_counts(
        Case.objects.all(),
        person="person",
        on="created",
        dims={"name": F("person__given_names")},
        age=age_years(
            on="created",
            born="person__birth_date",
            estimated="person__estimated_age",
            reported="person__age_reported_on",
        ),
        **kwargs,
    )
    return {r["name"]: (r["year"], r["quarter"], r["age_group"], r["persons"]) for r in rows}


def test_year_quarter_and_age_group_at_their_boundaries(office):
    born = dt.date(2000, 4, 1)
    _case(
        office, "q1-last", dt.datetime(2025, 3, 31, 23, 59, 59, 999999, tzinfo=UTC), birth_date=born
    )
    _case(office, "q2-first", dt.datetime(2025, 4, 1, tzinfo=UTC), birth_date=born)
    _case(office, "eve", dt.datetime(2024, 12, 31, 23, 59, 59, tzinfo=UTC), birth_date=born)
    # The day before the 12th birthday, and the birthday itself.
    _case(
        office, "eleven", dt.datetime(2025, 12, 30, 9, tzinfo=UTC), birth_date=dt.date(2013, 12, 31)
    )
    _case(
        office, "twelve", dt.datetime(2025, 12, 31, 9, tzinfo=UTC), birth_date=dt.date(2013, 12, 31)
    )
    # An estimated age of 11 reported two calendar years before: 13.
    _case(
        office, "estimated", dt.datetime(2025, 1, 1, tzinfo=UTC),
        estimated_age=11, age_reported_on=dt.date(2023, 6, 1),
    )  # fmt: skip
    _case(office, "unknown", dt.datetime(2025, 7, 1, tzinfo=UTC))
    _case(office, "sixty", dt.datetime(2025, 10, 1, tzinfo=UTC), birth_date=dt.date(1965, 10, 1))
    assert _cells() == {
        "q1-last": (2025, 1, "18-24", 1),
        "q2-first": (2025, 2, "25-34", 1),
        "eve": (2024, 4, "18-24", 1),
        "eleven": (2025, 4, "0-11", 1),
        "twelve": (2025, 4, "12-17", 1),
        "estimated": (2025, 1, "12-17", 1),
        "unknown": (2025, 3, "unknown", 1),
        "sixty": (2025, 4, "60+", 1),
    }


def test_another_current_time_zone_counts_in_its_own_calendar(office):
    """Datetimes are stored in UTC: under another current time zone a part is not a plain
    substring of the stored text (Django's own conversion is used), and the record falls in
    the local year and quarter."""
    _case(
        office, "new-year", dt.datetime(2025, 1, 1, 3, tzinfo=UTC), birth_date=dt.date(2000, 1, 1)
    )
    _case(office, "april", dt.datetime(2025, 4, 1, 3, tzinfo=UTC), birth_date=dt.date(2000, 4, 1))
    with timezone.override(ZoneInfo("America/Mexico_City")):  # UTC-6 all year
        local = _cells()
    assert local == {
        "new-year": (2024, 4, "18-24", 1),  # 2024-12-31 21:00 there: still 24
        "april": (2025, 1, "18-24", 1),  # 2025-03-31 21:00: the day before turning 25
    }
    assert _cells() == {
        "new-year": (2025, 1, "25-34", 1),
        "april": (2025, 2, "25-34", 1),
    }


def test_a_persons_first_record_of_each_year_counts(office):
    case = _case(
        office, "twice", dt.datetime(2025, 2, 1, tzinfo=UTC), birth_date=dt.date(1990, 1, 1)
    )
    again = Case.objects.create(
        reference="CNT-again", owner_office=office, person=case.person,
        case_type="detention", summary="counting",
    )  # fmt: skip
    Case.objects.filter(pk=again.pk).update(created=dt.datetime(2025, 11, 1, tzinfo=UTC))
    later = Case.objects.create(
        reference="CNT-later", owner_office=office, person=case.person,
        case_type="detention", summary="counting",
    )  # fmt: skip
    Case.objects.filter(pk=later.pk).update(created=dt.datetime(2026, 5, 1, tzinfo=UTC))
    rows = first_of_year_counts(Case.objects.all(), person="person", on="created", dims={})
    assert sorted((r["year"], r["quarter"], r["persons"]) for r in rows) == [
        (2025, 1, 1),
        (2026, 2, 1),
    ]


def _world(office):
    """Cases, closures and art. 36 logs over 2024-2026, several at the years' edges."""
    for i, (opened, closed, arrest, notified) in enumerate(
        [
            # Closed two days later to the minute: whole days agree between the databases
            # (SQLite truncates the Julian days, PostgreSQL subtracts the calendar dates).
            (dt.datetime(2024, 12, 31, 23, 59, tzinfo=UTC),
             dt.datetime(2025, 1, 2, 23, 59, tzinfo=UTC),
             dt.date(2024, 12, 31), dt.date(2025, 1, 2)),
            (dt.datetime(2025, 1, 1, tzinfo=UTC), None, dt.date(2024, 12, 30), None),
            (dt.datetime(2025, 6, 1, tzinfo=UTC), dt.datetime(2025, 12, 31, 23, tzinfo=UTC),
             dt.date(2025, 6, 1), dt.date(2025, 6, 4)),
            (dt.datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC),
             dt.datetime(2026, 1, 1, 0, 0, 1, tzinfo=UTC), dt.date(2026, 1, 1), None),
            (dt.datetime(2026, 3, 1, tzinfo=UTC), None, None, None),
        ]
    ):  # fmt: skip
        _case(
            office, f"w{i}", opened, closed=closed, arrest=arrest, notified=notified,
            birth_date=dt.date(1980 + i, 6, 15), sex="FM"[i % 2],
        )  # fmt: skip


def test_since_until_give_the_cells_of_counting_every_year_and_keeping_those(office):
    _world(office)
    everything = protection.count_rows()
    assert {r.period[:4] for r in everything} == {"2024", "2025", "2026"}
    for first, last in ((2025, 2025), (2024, 2025), (2026, 2026), (2023, 2023)):
        with CaptureQueriesContext(connection) as queries:
            kept = protection.count_rows(since=dt.date(first, 3, 4), until=dt.date(last, 5, 6))
        expected = [r for r in everything if first <= int(r.period[:4]) <= last]
        assert Counter(kept) == Counter(expected)
        # In the WHERE of the counting queries, from the first day of the first year.
        counting = [q["sql"] for q in queries if "AS firsts" in q["sql"]]
        assert len(counting) == 9
        assert all(f"{first}-01-01" in sql for sql in counting)


def test_selector_rows_for_a_year(office):
    _world(office)
    got = protection_counts(since=dt.date(2025, 1, 1), until=dt.date(2025, 12, 31))
    assert sorted((r["year"], r["quarter"], r["persons"]) for r in got["opened"]) == [
        (2025, 1, 1),
        (2025, 2, 1),
        (2025, 4, 1),
    ]
    # Days come as each cell's histogram, (days, persons) pairs.
    assert sorted((r["year"], r["quarter"], r["days"]) for r in got["closed"]) == [
        (2025, 1, ((2, 1),)),
        (2025, 4, ((213, 1),)),
    ]
    assert sorted((r["year"], r["quarter"], r["days"]) for r in got["art36"]) == [
        (2025, 2, ((3, 1),))
    ]


def test_days_are_one_histogram_per_cell(office):
    """Persons of one cell with different days (and art. 36 logs not notified yet, days None)
    come as one row: the persons and their histogram by days, None first; count_rows() splits
    the art. 36 logs into notified (with the histogram of the known days) and pending."""
    opened = dt.datetime(2025, 1, 10, tzinfo=UTC)
    for i, (days, arrest, notified) in enumerate(
        [
            (5, dt.date(2025, 4, 1), dt.date(2025, 4, 4)),
            (5, dt.date(2025, 4, 2), None),
            (9, dt.date(2025, 5, 1), dt.date(2025, 5, 1)),
            (30, dt.date(2025, 6, 1), None),
        ]
    ):
        _case(
            office, f"h{i}", opened, closed=opened + dt.timedelta(days=days, hours=1),
            arrest=arrest, notified=notified, sex="F",
        )  # fmt: skip
    got = protection_counts()
    [closed] = got["closed"]
    assert (closed["persons"], closed["days"]) == (4, ((5, 2), (9, 1), (30, 1)))
    assert type(closed["persons"]) is int  # not PostgreSQL's numeric sum (a Decimal)
    [art36] = got["art36"]
    assert (art36["persons"], art36["days"]) == (4, ((None, 2), (0, 1), (3, 1)))
    rows = {
        r.indicator: r for r in protection.count_rows() if not r.indicator.startswith("cases.o")
    }
    assert (rows["cases.closed.detention"].persons, rows["cases.closed.detention"].days) == (
        4,
        ((5, 2), (9, 1), (30, 1)),
    )
    assert (rows["art36.notified"].persons, rows["art36.notified"].days) == (2, ((0, 1), (3, 1)))
    assert (rows["art36.pending"].persons, rows["art36.pending"].days) == (2, None)
