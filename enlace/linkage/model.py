"""Model estimation (Splink EM on DuckDB) and batch prediction.

A model is a Splink settings dict with trained m/u probabilities: plain JSON that the app stores
next to the registry, that ``splink.Linker`` can load, and that
:class:`~enlace.linkage.scoring.Scorer` reads for online scoring.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal

import duckdb
import pyarrow as pa

from enlace.linkage.blocking import blocking_keys
from enlace.linkage.comparisons import (
    COMPARISONS,
    INT_COLUMNS,
    LIST_COLUMNS,
    TABLE_COLUMNS,
    Dialect,
    record_to_row,
)
from enlace.linkage.normalize import NormalizedRecord, normalize_record
from enlace.linkage.scoring import DEFAULT_PROBABILITY, fill_parameters

__all__ = [
    "LinkType",
    "ModelJSON",
    "connect",
    "default_model",
    "model_for_dialect",
    "predict",
    "records_table",
    "to_normalized",
    "train",
]

log = logging.getLogger(__name__)

ModelJSON = dict[str, Any]
LinkType = Literal["link_only", "dedupe_only"]
RecordLike = NormalizedRecord | Mapping[str, Any]

# Training blocks: each comparison is left free in at least one of them (Splink holds the
# comparisons whose columns a rule uses fixed during that EM session).
_EM_RULES = (
    'l."sn_ph"[1] = r."sn_ph"[1] AND l."b_year" = r."b_year" AND l."b_month" = r."b_month" '
    'AND l."b_day" = r."b_day" AND l."sex" = r."sex"',  # trains given, place, mother; no siblings
    'l."gn_ph"[1] = r."gn_ph"[1] AND l."b_year" = r."b_year"',  # trains surnames
    'l."gn_ph"[1] = r."gn_ph"[1] AND l."sn_ph"[1] = r."sn_ph"[1]',  # trains birth date
)
# Near-certain matches, for the prior (share of random pairs that match).
_DETERMINISTIC_RULES = (
    'l."gn_ph" = r."gn_ph" AND l."sn_ph" = r."sn_ph" AND l."b_year" = r."b_year" '
    'AND l."b_month" = r."b_month" AND l."b_day" = r."b_day"',
)
_DETERMINISTIC_RECALL = 0.7
_MIN_RECORDS_FOR_EM = 100


def _arrow_schema() -> pa.Schema:
    fields = []
    for name in TABLE_COLUMNS:
        if name in LIST_COLUMNS:
            fields.append(pa.field(name, pa.list_(pa.string())))
        elif name in INT_COLUMNS:
            fields.append(pa.field(name, pa.int32()))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)


SCHEMA = _arrow_schema()


def to_normalized(records: Iterable[RecordLike]) -> Iterator[NormalizedRecord]:
    """Normalise raw dicts; pass :class:`NormalizedRecord` through unchanged."""
    for rec in records:
        yield rec if isinstance(rec, NormalizedRecord) else normalize_record(rec)


def records_table(records: Iterable[RecordLike], batch_size: int = 100_000) -> pa.Table:
    """The Arrow table Splink reads: one row per record with its blocking keys."""
    batches: list[pa.RecordBatch] = []
    columns: dict[str, list[object]] = {name: [] for name in TABLE_COLUMNS}
    count = 0
    for rec in to_normalized(records):
        row = record_to_row(rec, sorted(blocking_keys(rec)))
        for name in TABLE_COLUMNS:
            columns[name].append(row[name])
        count += 1
        if count == batch_size:
            batches.append(pa.RecordBatch.from_pydict(columns, schema=SCHEMA))
            columns = {name: [] for name in TABLE_COLUMNS}
            count = 0
    if count or not batches:
        batches.append(pa.RecordBatch.from_pydict(columns, schema=SCHEMA))
    return pa.Table.from_batches(batches, schema=SCHEMA)


def connect(memory_limit: str = "4GB", threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with a memory cap (spills to a temp directory beyond it)."""
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    return con


def _settings(link_type: LinkType, dialect: Dialect, probability: float) -> dict[str, Any]:
    from splink import block_on

    creator = block_on("bk", arrays_to_explode=["bk"])
    rule: dict[str, Any] = creator.get_blocking_rule(dialect).as_dict()  # type: ignore[no-untyped-call]
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": probability,
        "comparisons": [comp.splink_dict(dialect) for comp in COMPARISONS],
        "blocking_rules_to_generate_predictions": [rule],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "em_convergence": 0.001,
        "max_iterations": 25,
        "sql_dialect": dialect,
    }


def default_model(link_type: LinkType = "dedupe_only") -> ModelJSON:
    """The untrained model: hand-set m/u, used when data are too few for EM."""
    return fill_parameters(_settings(link_type, "duckdb", DEFAULT_PROBABILITY))


def model_for_dialect(model: Mapping[str, Any], dialect: Dialect, link_type: LinkType) -> ModelJSON:
    """The same model (same m/u) with SQL for another backend and the given link type."""
    filled = fill_parameters(model)
    out = _settings(link_type, dialect, float(filled["probability_two_random_records_match"]))
    trained = {c["output_column_name"]: c for c in filled["comparisons"]}
    for comp in out["comparisons"]:
        for level, saved in zip(
            comp["comparison_levels"],
            trained[comp["output_column_name"]]["comparison_levels"],
            strict=True,
        ):
            if not level.get("is_null_level"):
                level["m_probability"] = saved["m_probability"]
                level["u_probability"] = saved["u_probability"]
    return out


def _prior_fallback(link_type: LinkType, n_left: int, n_right: int) -> float:
    """About one match per record: 1/max(n) for links, 1/n for dedupe."""
    if link_type == "link_only":
        return min(0.5, 1.0 / max(n_left, n_right, 2))
    return min(0.5, 1.0 / max(n_left, 2))


def _em_step(rule: str) -> Callable[[Any], None]:
    def step(linker: Any) -> None:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)

    return step


def _uid() -> str:
    return uuid.uuid4().hex[:10]


def _sample(table: pa.Table, max_records: int, seed: int) -> pa.Table:
    if table.num_rows <= max_records:
        return table
    rows = sorted(
        random.Random(seed).sample(  # noqa: S311 - sampling, not secrets
            range(table.num_rows), max_records
        )
    )
    return table.take(pa.array(rows))


def train(
    records: Iterable[RecordLike] | pa.Table,
    other: Iterable[RecordLike] | pa.Table | None = None,
    *,
    memory_limit: str = "4GB",
    max_records: int = 200_000,
    max_pairs_u: float = 2e6,
    seed: int = 42,
    con: duckdb.DuckDBPyConnection | None = None,
) -> ModelJSON:
    """Estimate the model by Splink EM on DuckDB (no labels needed).

    With ``other`` the model is trained for linking ``records`` to ``other``, else for
    deduplicating ``records``. Tables are sampled down to ``max_records`` each. With too few
    records, or when EM fails, the hand-set default m/u are kept (never raises for that).
    """
    from splink import DuckDBAPI, Linker

    left = records if isinstance(records, pa.Table) else records_table(records)
    right = None
    if other is not None:
        right = other if isinstance(other, pa.Table) else records_table(other)
    link_type: LinkType = "link_only" if right is not None else "dedupe_only"
    n_left, n_right = left.num_rows, right.num_rows if right is not None else 0
    prior = _prior_fallback(link_type, n_left, n_right)
    model = fill_parameters(_settings(link_type, "duckdb", prior))
    if n_left + n_right < _MIN_RECORDS_FOR_EM or (right is not None and min(n_left, n_right) < 1):
        log.info("too few records (%d) for EM: default parameters", n_left + n_right)
        return model

    con = con or connect(memory_limit)
    db = DuckDBAPI(connection=con)
    uid = _uid()
    tables = [db.register(_sample(left, max_records, seed), table_name=f"enlace_left_{uid}")]
    if right is not None:
        sampled = _sample(right, max_records, seed)
        tables.append(db.register(sampled, table_name=f"enlace_right_{uid}"))
    inputs: Any = tables if right is not None else tables[0]
    # One linker per step: Splink raises when EM drives an m to 0 on some data, and a failed
    # step must not spoil the parameters estimated before it.
    steps: list[tuple[str, Callable[[Any], None]]] = [
        (
            "prior",
            lambda lk: lk.training.estimate_probability_two_random_records_match(
                list(_DETERMINISTIC_RULES), recall=_DETERMINISTIC_RECALL
            ),
        ),
        (
            "u",
            lambda lk: lk.training.estimate_u_using_random_sampling(
                max_pairs=max_pairs_u, seed=seed
            ),
        ),
    ]
    steps.extend((rule, _em_step(rule)) for rule in _EM_RULES)
    for name, step in steps:
        linker = Linker(inputs, model, log_level=logging.WARNING)
        try:
            step(linker)
            model = fill_parameters(linker.misc.save_model_to_json())
        except Exception:  # tiny or odd data: keep what was estimated so far
            log.warning("training step %r failed; keeping previous parameters", name, exc_info=True)
    trained = model
    if not 0.0 < float(trained["probability_two_random_records_match"]) < 1.0:
        trained["probability_two_random_records_match"] = prior
    return trained


def predict(
    left: pa.Table,
    right: pa.Table | None,
    model: Mapping[str, Any],
    *,
    threshold: float = 0.01,
    con: duckdb.DuckDBPyConnection | None = None,
    memory_limit: str = "4GB",
) -> pa.Table:
    """Score all blocked pairs with Splink on DuckDB.

    Returns an Arrow table ``unique_id_l, unique_id_r, match_weight, match_probability``
    (for a link, ``_l`` is always from ``left``).
    """
    from splink import DuckDBAPI, Linker

    link_type: LinkType = "link_only" if right is not None else "dedupe_only"
    settings = model_for_dialect(model, "duckdb", link_type)
    con = con or connect(memory_limit)
    db = DuckDBAPI(connection=con)
    uid = _uid()
    if right is not None:
        inputs: Any = [
            db.register(left, table_name=f"enlace_left_{uid}"),
            db.register(right, table_name=f"enlace_right_{uid}"),
        ]
    else:
        inputs = db.register(left, table_name=f"enlace_input_{uid}")
    linker = Linker(inputs, settings, log_level=logging.WARNING)
    df = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    cols = "unique_id_l, unique_id_r, match_weight, match_probability"
    # Splink orders each pair by source dataset name; "left" < "right" keeps _l on the left.
    # Table names are generated here, never user input.
    where = f"WHERE source_dataset_l = 'enlace_left_{uid}'" if right is not None else ""
    sql = f"SELECT {cols} FROM {df.physical_name} {where}"  # noqa: S608
    result = con.sql(sql).to_arrow_table()
    df.drop_table_from_database_and_remove_from_cache()
    return result


def cluster(
    records: pa.Table,
    pairs: pa.Table,
    threshold: float = 0.5,
) -> dict[str, str]:
    """Connected components of the pairs at ``threshold``: record id -> cluster id.

    The cluster id is the smallest record id in the cluster (stable across runs).
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    ids = records.column("unique_id").to_pylist()
    probs = pairs.column("match_probability").to_pylist()
    lefts = pairs.column("unique_id_l").to_pylist()
    rights = pairs.column("unique_id_r").to_pylist()
    for a, b, p in zip(lefts, rights, probs, strict=True):
        if p is None or p < threshold:
            continue
        ra, rb = find(a), find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            parent[rb] = ra
    return {i: find(i) for i in ids}
