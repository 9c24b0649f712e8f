"""Successive releases of one year (enlace.indicators.releases.publish, the daily job): a quarter
is published once it is over and never changes; a later release adds the quarters over since and
the year to date. Attacked as an attacker who kept every release: all of them together, with the
differences between them (the year to date minus the one before, minus the new quarter), recover
no cell under ten persons."""

import copy
import datetime as dt
import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from enlace.cases.models import Case
from enlace.core.disclosure import DISCLOSURE_THRESHOLD, attack
from enlace.indicators import protection, releases
from enlace.indicators.releases import ProtectionRelease, publish, release_table, span_code
from enlace.people.models import Person

from .world import YEAR, generate

T = DISCLOSURE_THRESHOLD
API = "/api/v1/indicators/protection/"


@pytest.fixture
def world(db):
    return generate()


def _late_cases(world, n, quarter):
    """n persons with a detention case in Guatemala in `quarter`, entered late."""
    people = Person.objects.bulk_create(
        Person(owner_office=world.offices["GT"], given_names=f"Late{i}", sex="M", search_text="l")
        for i in range(n)
    )
    cases = Case.objects.bulk_create(
        Case(
            reference=f"LATE-{quarter}-{i}",
            owner_office=world.offices["GT"],
            person=p,
            case_type="detention",
            summary="late",
        )
        for i, p in enumerate(people)
    )
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(
        created=dt.datetime(YEAR, 3 * quarter - 1, 10, 12, tzinfo=dt.UTC)
    )


def _publish_through(quarter):
    today = dt.date(YEAR + 1, 1, 1) if quarter == 4 else dt.date(YEAR, 3 * quarter + 1, 1)
    publish(YEAR, "suppression", today=today)
    return copy.deepcopy(ProtectionRelease.objects.get(year=YEAR, method="suppression"))


def test_successive_releases_freeze_what_they_published_and_resist_differencing(world):
    assert publish(YEAR, "suppression", today=dt.date(YEAR, 3, 31)) is None  # no quarter over
    snapshots = [_publish_through(1)]
    _late_cases(world, 4, quarter=1)  # entered after Q1 was published
    snapshots += [_publish_through(2), _publish_through(3)]
    _late_cases(world, 3, quarter=3)
    snapshots.append(_publish_through(4))
    assert [s.through for s in snapshots] == [1, 2, 3, 4]
    assert snapshots[-1].params["spans"] == [1, 2, 3, 4]
    # Frozen: every cell published (or suppressed) by a release is the same in every later one.
    for before, after in itertools.pairwise(snapshots):
        for indicator, cells in before.cells.items():
            for where, got in cells.items():
                assert after.cells[indicator][where] == got, (indicator, where)
        periods = {f"{YEAR}-Q{q}" for q in range(1, before.through + 1)}
        for indicator, cells in after.cells.items():
            for where in cells:
                if where.split("|")[3] in periods:
                    assert where in before.cells.get(indicator, {}), (indicator, where)
    # The late records changed no published figure: Q1 of Guatemala is what it was.
    q1_gt = snapshots[0].cell("cases.opened.detention", "GT", "", "", f"{YEAR}-Q1")
    assert snapshots[-1].cell("cases.opened.detention", "GT", "", "", f"{YEAR}-Q1") == q1_gt
    # The attacker holds every release: the last one holds them all (frozen), plus the year to
    # date of each (Q1, Q1-Q2, Q1-Q3, the year), related by Q1-Q3 = Q1-Q2 + Q3 etc.
    last = snapshots[-1]
    keys, lines = release_table(YEAR, last.params["domains"], [1, 2, 3, 4])
    span_of = {span_code(YEAR, s): [f"{YEAR}-Q{q}" for q in range(1, s + 1)] for s in (2, 3, 4)}
    checked = 0
    for indicator in last.params["domains"]["indicator"]:
        leaves = {tuple(where.split("|")): n for where, n in last.counts.get(indicator, {}).items()}
        truth = releases._table(leaves, keys, span_of)
        published = {}
        for k in keys:
            got = last.cells.get(indicator, {}).get("|".join(k))
            published[k] = got[0] if got is not None else None
        bounds = attack(published, lines=lines)
        for k, v in truth.items():
            if published[k] is not None:
                assert v == 0 or v >= T, (indicator, k, v)
                assert abs(published[k] - v) <= 2
            if 0 < v < T:
                checked += 1
                assert published[k] is None and bounds[k][1] >= T, (indicator, k, bounds[k])
        # Differencing two successive releases directly: the year to date of one minus the
        # other's is the new quarter; where both are shown, it is a shown quarter or >= 10.
        for s in (2, 3, 4):
            for k in keys:
                if k[3] != span_code(YEAR, s):
                    continue
                new, old = published[k], published[(*k[:3], span_code(YEAR, s - 1))]
                if new is not None and old is not None:
                    diff = truth[k] - truth[(*k[:3], span_code(YEAR, s - 1))]
                    assert diff == 0 or diff >= T or published[(*k[:3], f"{YEAR}-Q{s}")], k
    assert checked > 50  # the world has small cells in every period


def test_year_answers_to_date_and_unpublished_periods_say_so(world):
    client = Client()
    body = client.get(API, {"period": str(YEAR)}).json()
    assert body["published"] is False and body["release"] is None and body["cells"] == []
    assert client.get(API, {"country": "ZZ", "period": str(YEAR)}).status_code == 400
    assert client.get(API, {"country": "GT", "period": str(YEAR)}).json()["published"] is False
    section = protection.page_sections(country=None, period=str(YEAR))
    assert section is not None and section["not_published"]
    with translation.override("es"):
        html = client.get("/indicators/", {"period": str(YEAR)}).content.decode()
        assert translation.gettext(
            "No figures from Enlace's records are published yet: a quarter's figures are "
            "published once it is over."
        ) in html.replace("&#x27;", "'")
    _publish_through(2)
    body = client.get(API, {"period": str(YEAR)}).json()
    assert body["published"] is True and body["period"] == f"{YEAR}-Q1-Q2"
    assert any(c["value"] for c in body["cells"])
    assert client.get(API, {"period": f"{YEAR}-Q2"}).json()["published"] is True
    assert client.get(API, {"period": f"{YEAR}-Q3"}).json()["published"] is False
    assert client.get(API).json()["period"] == f"{YEAR}-Q1-Q2"  # the latest year published


def test_requests_never_compute_a_release(world, monkeypatch):
    def computed(*args, **kwargs):
        raise AssertionError("a request computed a release")

    monkeypatch.setattr(releases, "compute", computed)
    client = Client()
    assert client.get(API, {"period": str(YEAR)}).status_code == 200
    assert client.get("/indicators/").status_code == 200
    assert not ProtectionRelease.objects.exists()


def test_the_daily_command_publishes_what_is_due_once(world):
    out = StringIO()
    call_command("publish_indicators", "--year", str(YEAR), "--method", "suppression", stdout=out)
    assert f"{YEAR} suppression: published through Q4" in out.getvalue()
    first = ProtectionRelease.objects.get(year=YEAR, method="suppression")
    out = StringIO()
    call_command("publish_indicators", "--year", str(YEAR), stdout=out)  # again: dp only
    assert "suppression" not in out.getvalue() and f"{YEAR} dp" in out.getvalue()
    assert ProtectionRelease.objects.get(year=YEAR, method="suppression").cells == first.cells
    assert releases.publish_due(years=[YEAR]) == []  # nothing more is due
