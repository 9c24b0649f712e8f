"""The policy matrix as a test that scripts/mutants.py points at a part of the table (the
endpoints a mutant touches), stopping at the first cell that differs. Not collected by
`make test` (the file name does not start with test_); the mutants runner names it."""

from typing import Any

import pytest

from .mutants import matrix_endpoints
from .runner import run

pytestmark = pytest.mark.django_db

SELECTED: dict[str, Any] = {"pattern": None, "failure": "", "endpoint": ""}


def test_world_ready(world):
    """Builds the world (package-scoped) before a mutant is applied, so no mutant builds it."""
    assert world.users


def test_matrix_part(world):
    pattern = SELECTED["pattern"]
    if pattern is None:
        pytest.skip("run by scripts/mutants.py with a part of the policy table")
    SELECTED["failure"] = SELECTED["endpoint"] = ""
    for endpoint in matrix_endpoints(pattern):
        count, failures = run(world, [endpoint], first_only=True)
        if failures:
            SELECTED["failure"], SELECTED["endpoint"] = failures[0], endpoint.name
        assert not failures, failures[0]
        assert count
