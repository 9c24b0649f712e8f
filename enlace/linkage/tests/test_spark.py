"""The same model on Splink's Spark backend, in local mode (skipped without pyspark)."""

from __future__ import annotations

import os
import shutil

import pytest

from enlace.linkage.model import default_model, predict, records_table
from enlace.linkage.tests.test_scoring import BROTHER, CHUY, JESUS

if os.environ.get("ENLACE_REQUIRE_SPARK") != "1":  # CI sets it: there a skip is a failure
    pytest.importorskip(
        "pyspark",
        reason="pyspark is not importable: the Spark path needs the extra 'enlace[spark]' "
        "(pyspark 4.x) and Java 17",
    )
    if shutil.which("java") is None:  # pragma: no cover - depends on the machine
        pytest.skip("Java is not installed (Spark needs Java 17)", allow_module_level=True)


def test_spark_scores_like_duckdb() -> None:
    from enlace.linkage.spark import local_spark_session, predict_spark

    # Document numbers reach every level: exact, one edit, two edits, different.
    left = records_table(
        [
            dict(CHUY, document_number="G12345678"),
            dict(JESUS, id="q2", second_surname="", document_number="G12345687"),
            dict(JESUS, id="q3", given_names="Manuel", document_number="Z7654321"),
        ]
    )
    right = records_table(
        [dict(JESUS, document_number="G12345678"), dict(BROTHER, document_number="G12345679")]
    )
    model = default_model()
    expected = {
        (r["unique_id_l"], r["unique_id_r"]): r["match_weight"]
        for r in predict(left, right, model, threshold=0.0).to_pylist()
    }
    spark = local_spark_session(cores=1, memory="1g")
    got = {
        (r["unique_id_l"], r["unique_id_r"]): r["match_weight"]
        for r in predict_spark(left, right, model, spark=spark, threshold=0.0).to_pylist()
    }
    assert got.keys() == expected.keys()
    for key, weight in expected.items():
        assert got[key] == pytest.approx(weight, abs=1e-6)
