"""Returns' figures, now read from the release (moved from returns/tests/test_figures.py,
keeping what it checked: distinct persons, small cells hidden, a person counted once, nothing
that identifies a person). What it also checked, that an officer's figures counted only their
office's returns, no longer applies: a release is one table, the same for every reader."""

import datetime as dt
import json

from django.utils import timezone

from enlace.core.disclosure import DISCLOSURE_THRESHOLD
from enlace.indicators import protection
from enlace.indicators.panels import regional_table
from enlace.indicators.releases import publish
from enlace.returns import services
from enlace.returns.tests.conftest import rw  # noqa: F401  (the returns world fixture)

T = DISCLOSURE_THRESHOLD


def _open(rw, n, sex, birth):  # noqa: F811
    people = []
    for i in range(n):
        person = rw.person(birth_date=birth, sex=sex, given_names=f"Persona {sex}{i}")
        services.return_open(actor=rw.officer, person=person)
        people.append(person)
    return people


def _requested(release, sex="", age=""):
    got = release.cell("returns.requested", "MX", sex, age, str(release.year))
    return got[0] if got else None


def _publish():
    """The year's release as the daily job publishes it once the year is over."""
    year = timezone.localdate().year
    return publish(year, "suppression", today=dt.date(year + 1, 1, 1))


def test_small_cells_are_hidden_and_no_person_leaves(rw):  # noqa: F811
    women = _open(rw, 12, "F", "1990-01-01")
    men = _open(rw, T - 1, "M", "2012-01-01")  # one short: hidden
    rows = [r for r in protection.count_rows() if r.indicator == "returns.requested"]
    assert sum(r.persons for r in rows if r.sex == "F") == 12
    assert sum(r.persons for r in rows if r.sex == "M") == T - 1
    assert {r.age_group for r in rows} == {"35-49", "12-17"}
    release = _publish()
    assert _requested(release, "M") is None
    assert _requested(release, "", "12-17") is None
    # 21 in all: showing the 12 women would give the 9 men (the old per-dimension figures did:
    # the country's total minus the women), so the women hide with them; the total shows.
    assert _requested(release) == 20 and _requested(release, "F") is None
    assert _requested(release, "", "35-49") is None  # the same along the age groups
    table = regional_table(release.year)
    text = json.dumps(
        {"cells": [str(c) for row in table["returns"]["rows"] for c in row["cells"]]}
        | {"params": release.params, "cells": release.cells}
    )
    for person in women + men:
        assert str(person.pk) not in text and person.given_names not in text
        assert person.birth_date.isoformat() not in text


def test_a_person_counts_once(rw):  # noqa: F811
    """A person with a withdrawn return and a new one is one person."""
    people = _open(rw, T, "F", "1990-01-01")
    first = people[0].returns.get()
    services.return_withdraw(actor=rw.officer, ret=first, version=first.version)
    services.return_open(actor=rw.officer, person=people[0])
    rows = [r for r in protection.count_rows() if r.indicator == "returns.requested"]
    assert sum(r.persons for r in rows) == T


def test_two_large_groups_are_both_shown(rw):  # noqa: F811
    _open(rw, 12, "F", "1990-01-01")
    _open(rw, 14, "M", "1990-01-01")
    release = _publish()
    assert (_requested(release, "F"), _requested(release, "M"), _requested(release)) == (
        10,
        15,
        25,
    )
