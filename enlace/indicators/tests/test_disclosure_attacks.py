"""Attacks on the published protection figures of a generated world (tests/world.py): small
cells, differencing with two overlapping views (country minus its sexes, year minus its
quarters, region minus its countries, page vs API), totals, and the differential-privacy path
(budget, stored noise, accuracy). Every view reads the same stored release."""

from collections import Counter

import pytest
from django.template.loader import render_to_string
from django.test import Client

from enlace.core.disclosure import DISCLOSURE_THRESHOLD, attack
from enlace.indicators import protection, releases
from enlace.indicators.releases import ProtectionRelease, publish, release_table

from .world import YEAR, generate

T = DISCLOSURE_THRESHOLD
API = "/api/v1/indicators/protection/"


@pytest.fixture
def world(db):
    return generate()


def _exact_cubes(release):
    """The true table of every indicator (its keys and lines as published: country × sex and
    country × age group, every quarter and the year), rebuilt from the raw counts (what an
    attacker wants)."""
    keys, lines = release_table(YEAR, release.params["domains"], release.params["spans"])
    span_of = {str(YEAR): [f"{YEAR}-Q{q}" for q in range(1, 5)]}
    leaves: dict[str, Counter] = {}
    for r in protection.count_rows(since=None, until=None):
        if r.period.startswith(str(YEAR)):
            leaves.setdefault(r.indicator, Counter())[
                (r.country, r.sex, r.age_group, r.period)
            ] += r.persons
    return (keys, lines), {i: releases._table(c, keys, span_of) for i, c in leaves.items()}


def _published(release, indicator, dims):
    keys, _lines = dims
    return {k: (release.cell(indicator, *k) or [None])[0] for k in keys}


def test_counts_are_distinct_persons_once_a_year_in_their_first_quarter(world):
    rows = protection.count_rows()
    small = [r for r in rows if r.indicator == "cases.opened.detention" and r.country == "GT"]
    assert sum(r.persons for r in small) == 3 and {r.period for r in small} == {f"{YEAR}-Q2"}
    opened = Counter()
    for case in world.cases:
        if case.case_type == "detention":
            opened[case.person_id] += 1
    persons = sum(r.persons for r in rows if r.indicator == "cases.opened.detention")
    assert persons == len(opened)  # persons, not cases (some have two or three)
    assert all(r.persons > 0 for r in rows)


def test_no_published_figure_rests_on_fewer_than_ten_persons(world):
    release = publish(YEAR, "suppression")
    dims, exact = _exact_cubes(release)
    assert exact, "the world has figures"
    checked_lines = 0
    for indicator, cube in exact.items():
        published = _published(release, indicator, dims)
        for k, v in published.items():  # every shown cell: 10 or more, rounded to 5
            if v is not None:
                assert cube[k] == 0 or cube[k] >= T, (indicator, k)
                assert v % 5 == 0 and abs(v - cube[k]) <= 2, (indicator, k)
        # Differencing along every line: country total minus its shown sexes, the year minus
        # its shown quarters, the region minus its shown countries, every age margin too.
        for line in dims[1]:
            if published[line[0]] is None:
                continue
            hidden = [p for p in line[1:] if published[p] is None]
            if hidden:
                checked_lines += 1
                assert len(hidden) >= 2 and sum(cube[p] for p in hidden) >= T, (indicator, line)
        bounds = attack(published, lines=dims[1])  # all lines at once, with the rounding's slack
        for k, v in cube.items():
            if 0 < v < T:
                assert published[k] is None and bounds[k][1] >= T, (indicator, k, bounds[k])
    assert checked_lines > 20  # the world does exercise secondary suppression


def test_a_country_with_three_cases_is_never_shown_nor_derivable(world):
    release = publish(YEAR, "suppression")
    dims, exact = _exact_cubes(release)
    _exact = exact["cases.opened.detention"]
    published = _published(release, "cases.opened.detention", dims)
    gt = [k for k in published if k[0] == "GT" and _exact[k] > 0]
    assert gt and all(published[k] is None for k in gt)
    bounds = attack(published, lines=dims[1])
    assert all(bounds[k][1] >= T for k in gt)
    # The API and the page say the same: nothing for Guatemala.
    body = Client().get(API, {"country": "GT", "period": str(YEAR)}).json()
    det = [c for c in body["cells"] if c["indicator"] == "cases.opened.detention"]
    assert det and all(c["value"] in (None, 0) for c in det)  # hidden, or truly no one
    assert any(c["flag"] == "suppressed" for c in det)


def test_page_api_and_release_are_views_of_one_table(world):
    release = publish(YEAR, "suppression")
    body = Client().get(API, {"period": str(YEAR)}).json()  # the region
    assert body["release"]["year"] == YEAR and body["release"]["rounding"] == 5
    by_key = {(c["indicator"], c["sex"], c["age_group"]): c for c in body["cells"]}
    shown = [c for c in body["cells"] if c["value"] is not None]
    assert shown
    for c in body["cells"]:
        got = release.cell(c["indicator"], "", c["sex"], c["age_group"], str(YEAR))
        assert c["value"] == (got[0] if got else None)
    section = protection.page_sections(country=None, period=str(YEAR))
    assert section is not None
    for row in section["rows"]:
        for cell in row["cells"]:
            assert by_key[(cell["indicator"], cell["sex"], "")]["value"] == cell["value"]
    html = render_to_string("indicators/_protection.html", {"protection": section})
    assert 'id="protection-figures"' in html and "Gen1" not in html and "World" not in html
    # Asking again reads the same stored release, not a new one.
    assert publish(YEAR, "suppression").pk == release.pk
    assert ProtectionRelease.objects.filter(year=YEAR, method="suppression").count() == 1


def test_bad_parameters_answer_400(world):
    client = Client()
    for params in (
        {"period": "2025-Q5"},
        {"period": "twenty"},
        {"country": "ZZ", "period": str(YEAR)},
        {"method": "magic", "period": str(YEAR)},
        {"method": "dp", "period": f"{YEAR}-Q1"},  # dp: years only
        {"period": ""},  # empty is not "left out" (schemathesis ST201)
        {"country": "", "period": str(YEAR)},
        {"method": "", "period": str(YEAR)},
    ):
        response = client.get(API, params)
        assert response.status_code == 400, (params, response.content)
    assert client.get(API, {"period": f"{YEAR}-Q1"}).status_code == 200


def test_dp_release_keeps_the_budget_reuses_its_noise_and_states_accuracy(world, monkeypatch):
    release = publish(YEAR, "dp")
    assert release.epsilon is not None and 0 < release.epsilon <= 1.0
    assert release.delta is not None and release.delta <= 1e-7
    body = Client().get(API, {"country": "MX", "period": str(YEAR), "method": "dp"}).json()
    noisy = [c for c in body["cells"] if c["flag"] == "noisy"]
    withheld = [c for c in body["cells"] if c["flag"] == "withheld"]
    assert withheld and all(c["value"] is None for c in withheld)
    for c in noisy:  # thresholding on the noisy value; the accuracy beside each number
        assert c["value"] >= T and c["accuracy"] and c["accuracy"] > 0
    assert body["release"]["epsilon"] <= 1.0 and body["release"]["delta"] <= 1e-7

    def no_new_noise(*args, **kwargs):
        raise AssertionError("a stored release is never computed again")

    monkeypatch.setattr(releases, "compute", no_new_noise)
    again = Client().get(API, {"country": "MX", "period": str(YEAR), "method": "dp"}).json()
    assert again["cells"] == body["cells"]
    section = protection.page_sections(country=None, period=str(YEAR), method="dp")
    if section is not None:
        html = render_to_string("indicators/_protection.html", {"protection": section})
        assert "±" in html
