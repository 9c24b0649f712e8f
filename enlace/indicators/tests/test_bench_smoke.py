"""bench/indicators.py's code path on a tiny world, so the benchmark cannot rot: the world is
written, exported, counted by the plain DuckDB GROUP BYs and by protection.count_rows(), and
the two must agree cell by cell."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "indicators.py"


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_indicators", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_indicators"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_ours_equals_duckdb_on_a_tiny_world(tmp_path):
    bench = load_bench()
    written = bench.generate(2000, seed=16)
    assert written["cases"] == 2000
    assert written["persons"] == 1400
    # Every kind of record the indicators count is there.
    for table in ("detention logs", "tracing requests", "reunifications", "returns", "victims"):
        assert written[table] > 0, table
    rows = bench.export(tmp_path / "parquet")
    assert rows["cases_case"] == 2000
    ref = bench.duckdb_counts(tmp_path / "parquet")
    ours = bench.our_counts()
    assert ours, "count_rows() returned nothing"
    assert bench.differences(ours, ref, limit=0) == []
    # Every indicator family of the release is counted (not only cases).
    families = {key[0].split(":")[0] for key in ours}
    assert len(families) >= 5, families
    # A year's release, checked against DuckDB's counts: each published cell is the true count
    # of its cell rounded to base 5, and at least 10 unless a true zero (one year: protecting
    # the cube takes seconds per year).
    released = bench.our_release(years=[2025])
    checked, errors = bench.release_errors(released, ref)
    assert checked > 0
    assert errors == []
