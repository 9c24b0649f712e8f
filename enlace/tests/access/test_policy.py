"""The access policy table (policy.py) covers every URL pattern, and every cell of it holds."""

import time

import pytest

from enlace.tests.urlconf import pattern_names

from .mutants import QUICK, by_name, matrix_endpoints
from .policy import ENDPOINTS, POLICY
from .runner import run

pytestmark = pytest.mark.django_db


def test_every_url_pattern_has_an_entry_in_the_policy_table():
    missing = sorted(set(pattern_names()) - set(POLICY))
    assert not missing, (
        "URL patterns with no entry in enlace/tests/access/policy.py (say who may call them):\n"
        + "\n".join(f"  {name}  ({pattern_names()[name][0].route})" for name in missing)
    )


def test_the_policy_table_names_no_pattern_that_is_gone():
    gone = sorted(set(POLICY) - set(pattern_names()))
    assert not gone, "policy.py names patterns the URL conf no longer has: " + ", ".join(gone)


def test_the_table_states_exactly_the_methods_each_api_view_answers():
    """A method added to (or removed from) an API view must be added to the table too."""
    wrong = []
    for name, patterns in pattern_names().items():
        answered = set().union(*(p.drf_methods or set() for p in patterns))
        if not answered or name not in POLICY:
            continue
        stated = {call.method for call in POLICY[name].calls}
        if stated != answered:
            wrong.append(f"  {name}: view answers {sorted(answered)}, table {sorted(stated)}")
    assert not wrong, "methods differ between the API views and policy.py:\n" + "\n".join(wrong)


def test_every_cell_of_the_policy_table(world):
    started, cpu = time.monotonic(), time.process_time()
    count, failures = run(world, ENDPOINTS)
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    print(f"\npolicy matrix: {count} cells in {elapsed:.1f} s ({cpu:.1f} s of CPU)")
    from .runner import TIMES

    for name, t in sorted(TIMES.items(), key=lambda kv: -kv[1])[:5]:  # where the time goes
        print(f"  {t:5.1f} s  {name}")
    assert count > 2000
    assert not failures, f"{len(failures)} of {count} cells differ from the policy table:\n" + (
        "\n".join(failures)
    )


@pytest.mark.parametrize("name", QUICK)
def test_a_broken_rule_is_caught_by_the_matrix(world, name):
    """A few of the policy mutants (mutants.py; `make mutants` runs them all): with the rule
    broken, some cell of the table differs; without it, none of those endpoints' cells do."""
    mutant = by_name(name)
    pattern = mutant.killers[0].removeprefix("matrix:")
    with mutant.applied():
        _count, failures = run(world, matrix_endpoints(pattern), first_only=True)
    assert failures, f"no cell of {pattern} notices: {mutant.name}"
