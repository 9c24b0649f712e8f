"""The disclosure algorithm (enlace.core.disclosure) on hand-made and random tables: rounding,
margins, primary and secondary suppression, the audit by interval propagation."""

import random

import pytest

from enlace.core.disclosure import (
    DISCLOSURE_THRESHOLD,
    attack,
    build_cube,
    cube_lines,
    disclosed,
    protect,
    rounded,
)

T = DISCLOSURE_THRESHOLD


def test_rounding_to_base_five():
    assert [rounded(n) for n in (10, 11, 12, 13, 14, 15, 17, 18)] == [
        10,
        10,
        10,
        15,
        15,
        15,
        15,
        20,
    ]
    assert all(abs(rounded(n) - n) <= 2 for n in range(200))


def test_margins_are_sums_of_the_leaves():
    domains = [["A", "B"], ["F", "M"]]
    cube = build_cube({("A", "F"): 3, ("A", "M"): 20, ("B", "F"): 7}, domains)
    assert cube[("A", "")] == 23 and cube[("", "F")] == 10 and cube[("", "")] == 30
    assert cube[("B", "M")] == 0


def test_a_lone_small_cell_gets_a_partner_and_the_difference_is_not_small():
    # Country A: 3 women, 40 men; total 43. Showing the total and the men gives the women.
    domains = [["A"], ["F", "M", "X"]]
    cube = build_cube({("A", "F"): 3, ("A", "M"): 40, ("A", "X"): 12}, domains)
    published = protect(cube, domains)
    assert published[("A", "F")] is None
    assert published[("", "")] is not None  # the total stays
    hidden = [k for k in (("A", "F"), ("A", "M"), ("A", "X")) if published[k] is None]
    assert len(hidden) >= 2 and sum(cube[k] for k in hidden) >= T


def test_zeros_are_shown_and_never_protect_a_small_cell():
    # 25 women, 4 men, no one else: the zeros show, and cannot hide the 4 men.
    domains = [["A"], ["F", "M", "X", "U"]]
    cube = build_cube({("A", "F"): 25, ("A", "M"): 4}, domains)
    published = protect(cube, domains)
    assert published[("A", "X")] == 0 and published[("A", "U")] == 0
    assert published[("A", "M")] is None and published[("A", "F")] is None
    assert published[("A", "")] == 30
    bounds = attack(published, domains)
    assert bounds[("A", "M")][1] >= T
    assert str(disclosed(0)) == f"<{T}"  # a lone figure, with no table around it: hidden


def test_a_country_alone_in_the_region_is_shown():
    domains = [["A", "B"], ["F", "M"]]
    cube = build_cube({("A", "F"): 12, ("A", "M"): 14}, domains)
    published = protect(cube, domains)
    assert published[("A", "")] == 25 and published[("", "")] == 25
    assert published[("B", "")] == 0


def test_the_naive_table_is_broken_by_the_attack_and_the_protected_one_is_not():
    domains = [["A", "B"], ["F", "M"]]
    cube = build_cube({("A", "F"): 4, ("A", "M"): 30, ("B", "F"): 30, ("B", "M"): 30}, domains)
    naive = {k: (None if 0 < v < T else rounded(v)) for k, v in cube.items()}
    bounds = attack(naive, domains)
    assert bounds[("A", "F")][1] < T  # the naive table gives the small cell away
    protected = protect(cube, domains)
    assert attack(protected, domains)[("A", "F")][1] >= T


def _random_cube(seed: int, density: float):
    rng = random.Random(seed)
    domains = [
        [f"C{i}" for i in range(rng.randint(2, 8))],
        ["F", "M", "X", "U"],
        ["0-11", "12-17", "18-24", "25+"],
        ["Q1", "Q2", "Q3", "Q4"],
    ]
    leaves = {}
    for c in domains[0]:
        for s in domains[1]:
            for a in domains[2]:
                for q in domains[3]:
                    if rng.random() < density:
                        leaves[(c, s, a, q)] = rng.choice((1, 2, 3, 4, 6, 9, 11, 15, 30, 80))
    return domains, build_cube(leaves, domains)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("density", [0.05, 0.3, 0.9])
def test_random_tables_hold_every_rule(seed, density):
    domains, cube = _random_cube(seed, density)
    published = protect(cube, domains)
    shown = [k for k, v in published.items() if v is not None]
    for k in shown:  # zero, or at least the threshold; a multiple of 5 within 2 of the count
        assert cube[k] == 0 or cube[k] >= T
        assert published[k] % 5 == 0 and abs(published[k] - cube[k]) <= 2
    for line in cube_lines(domains):  # total minus the shown parts: suppressed, or >= 10
        if published[line[0]] is None:
            continue
        hidden = [p for p in line[1:] if published[p] is None]
        assert not hidden or (len(hidden) >= 2 and sum(cube[p] for p in hidden) >= T), line
    bounds = attack(published, domains)
    for k, v in cube.items():  # every cell under 10 stays possibly 10 or more to an attacker
        if 0 < v < T:
            assert published[k] is None and bounds[k][1] >= T, (k, v, bounds[k])
        assert bounds[k][0] <= v <= bounds[k][1]  # the attack is sound: bounds hold the truth
