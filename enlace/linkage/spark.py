"""Scale-out: the same model (same levels, same m/u) on Splink's Spark backend.

Needs the optional extra ``enlace[spark]`` (pyspark) and Java 17. Spark is the path for
registries that outgrow one machine; on one machine DuckDB (``model.predict``) is faster.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from enlace.linkage.model import (
    LinkType,
    adjust_pairs,
    limit_wide_keys,
    model_for_dialect,
    splink_threshold,
)

__all__ = ["local_spark_session", "predict_spark"]


def local_spark_session(cores: int = 2, memory: str = "2g") -> Any:
    """A local-mode SparkSession suitable for Splink (checkpoint dir in a temp folder)."""
    import tempfile

    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    spark = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("enlace-linkage")
        .config("spark.driver.memory", memory)
        .config("spark.sql.shuffle.partitions", str(max(2, cores * 2)))
        .config("spark.ui.enabled", "false")
        # Splink's Scala UDFs (jaro_winkler and friends) used by the comparison levels.
        .config("spark.jars", similarity_jar_location())
        .getOrCreate()
    )
    spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="enlace_spark_"))
    return spark


def _spark_frame(spark: Any, table: pa.Table) -> Any:
    """A Spark DataFrame with the same typed columns (arrays stay arrays).

    For national registries, write the table to Parquet and let Spark read it instead.
    """
    from pyspark.sql import types as T  # noqa: N812

    fields = []
    for field in table.schema:
        if pa.types.is_list(field.type):
            spark_type: Any = T.ArrayType(T.StringType())
        elif pa.types.is_integer(field.type):
            spark_type = T.IntegerType()
        else:
            spark_type = T.StringType()
        fields.append(T.StructField(field.name, spark_type, nullable=True))
    return spark.createDataFrame(table.to_pylist(), schema=T.StructType(fields))


def predict_spark(
    left: pa.Table,
    right: pa.Table | None,
    model: Mapping[str, Any],
    *,
    spark: Any = None,
    threshold: float = 0.01,
) -> pa.Table:
    """Score blocked pairs on Spark; same output columns as :func:`model.predict`.

    ``left``/``right`` come from :func:`enlace.linkage.model.records_table`.
    """
    from splink import Linker, SparkAPI

    spark = spark or local_spark_session()
    link_type: LinkType = "link_only" if right is not None else "dedupe_only"
    settings = model_for_dialect(model, "spark", link_type)
    db = SparkAPI(spark_session=spark)  # type: ignore[no-untyped-call]
    if right is not None:
        left = limit_wide_keys(left, right)  # as model.predict does on DuckDB
        inputs: Any = [
            db.register(_spark_frame(spark, left), table_name="enlace_left"),
            db.register(_spark_frame(spark, right), table_name="enlace_right"),
        ]
    else:
        inputs = db.register(_spark_frame(spark, left), table_name="enlace_input")
    linker = Linker(inputs, settings, log_level=logging.WARNING)
    df = linker.inference.predict(
        threshold_match_probability=splink_threshold(model, threshold), warning_mode="never"
    )
    pdf = df.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    if right is not None:
        pdf = pdf[pdf["source_dataset_l"] == "enlace_left"]
    cols = ["unique_id_l", "unique_id_r", "match_weight", "match_probability"]
    pairs = pa.Table.from_pandas(pdf[cols], preserve_index=False)
    # The registry's name frequencies, added as model.predict adds them on DuckDB.
    return adjust_pairs(pairs, left, right, model, threshold=threshold)
