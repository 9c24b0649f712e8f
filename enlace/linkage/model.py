"""Model estimation (Splink EM on DuckDB) and batch prediction.

A model is a Splink settings dict with trained m/u probabilities: plain JSON that the app stores
next to the registry, that ``splink.Linker`` can load, and that
:class:`~enlace.linkage.scoring.Scorer` reads for online scoring.
"""

from __future__ import annotations

import itertools
import logging
import math
import random
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from enlace.linkage import blocking
from enlace.linkage.blocking import (
    WIDE_PREFIX,
    blocking_keys,
    registry_keys,
    request_keys,
)
from enlace.linkage.comparisons import (
    COMPARISONS,
    GIVEN_DIFFERS_COLUMN,
    GIVEN_DIFFERS_INLINE_SQL,
    INT_COLUMNS,
    LIST_COLUMNS,
    PAIR_SUBEXPRESSIONS,
    TABLE_COLUMNS,
    Dialect,
    _Sql,
    duckdb_macros,
    frequent_given,
    frequent_mother,
    frequent_surnames,
    full_date,
    given_letters,
    read_pair_columns,
)
from enlace.linkage.frequencies import TF_KEY, Adjuster, apply_to_pairs, count_frequencies
from enlace.linkage.normalize import NormalizedRecord, normalize_record
from enlace.linkage.scoring import DEFAULT_PROBABILITY, EXCLUSIVE_FLOOR, fill_parameters

__all__ = [
    "LinkType",
    "ModelJSON",
    "connect",
    "default_model",
    "estimate_u",
    "exclusive_pairs",
    "install_macros",
    "limit_wide_keys",
    "model_for_dialect",
    "predict",
    "records_table",
    "to_normalized",
    "train",
]

log = logging.getLogger(__name__)

ModelJSON = dict[str, Any]
LinkType = Literal["link_only", "dedupe_only"]
# Which keys a record table carries (blocking.registry_keys / request_keys); None: the
# symmetric blocking_keys, for a dedupe or any link where neither side is the registry.
Role = Literal["request", "registry"] | None
_KEYS_OF: dict[Role, Callable[[NormalizedRecord], set[str]]] = {
    None: blocking_keys,
    "request": request_keys,
    "registry": registry_keys,
}
RecordLike = NormalizedRecord | Mapping[str, Any]

# Training blocks: each comparison is left free in at least one of them (Splink holds the
# comparisons whose columns a rule uses fixed during that EM session).
# 1. Same full birth date: trains given names, surnames, sex, place, nationality, mother.
#    Siblings almost never share a full date, so "same family" pairs do not pollute it, and
#    matches are a large share of these pairs whatever the population.
_EM_RULE_DATE = 'l."b_year" = r."b_year" AND l."b_month" = r."b_month" AND l."b_day" = r."b_day"'
# 2. Same given names, same surnames and the same mother (or, without mothers, the same birth
#    place and nationality): trains the birth date. Looser name rules are dominated by
#    namesakes with common Latin names, and EM then learns "same name", not "same person".
_EM_RULE_NAMES = (
    'l."gn_ph" = r."gn_ph" AND l."sn_ph" = r."sn_ph" '
    'AND coalesce(l."mo_ph" = r."mo_ph", l."bp" = r."bp" AND l."nat" = r."nat")'
)
_EM_RULES = (_EM_RULE_DATE, _EM_RULE_NAMES)
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


def _list_column(values: list[tuple[str, ...]]) -> pa.Array:
    """A list<string> column from tuples; empty tuples become NULL (the null levels)."""
    return pa.array([v or None for v in values], _LIST_OF_STRINGS)


_LIST_OF_STRINGS = pa.list_(pa.string())


def _long_list_column(values: list[tuple[str, ...]]) -> pa.Array:
    """The same as :func:`_list_column` for long lists (the fifty-odd blocking keys of each
    record): one flat string array and offsets, about four times faster than nested lists."""
    lengths = np.fromiter((len(v) for v in values), dtype=np.int32, count=len(values))
    offsets = np.zeros(len(values) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    flat = pa.array(list(itertools.chain.from_iterable(values)), pa.string())
    return pa.ListArray.from_arrays(pa.array(offsets), flat, mask=pa.array(lengths == 0))


def _batch(recs: list[NormalizedRecord], role: Role = None) -> pa.RecordBatch:
    """Columns built directly from the records (same values as ``record_to_row``)."""
    cols: dict[str, pa.Array] = {
        "unique_id": pa.array([r.id for r in recs], pa.string()),
        "gn": _list_column([r.given for r in recs]),
        "gn_ph": _list_column([r.given_ph for r in recs]),
        "gn_str": pa.array([r.given_str or None for r in recs], pa.string()),
        "sn": _list_column([r.surnames for r in recs]),
        "sn_ph": _list_column([r.surnames_ph for r in recs]),
        "sex": pa.array([r.sex or None for r in recs], pa.string()),
        "b_year": pa.array([r.birth_year for r in recs], pa.int32()),
        "b_month": pa.array([r.birth_month for r in recs], pa.int32()),
        "b_day": pa.array([r.birth_day for r in recs], pa.int32()),
        "dob": pa.array([full_date(r) for r in recs], pa.string()),
        "yr": pa.array([r.birth_year for r in recs], pa.int32()),
        "mon": pa.array([r.birth_month for r in recs], pa.int32()),
        "bp": pa.array([r.birth_place or None for r in recs], pa.string()),
        "nat": pa.array([r.nationality or None for r in recs], pa.string()),
        "mo_ph": _list_column([r.mother_ph for r in recs]),
        "mo_str": pa.array([r.mother_str or None for r in recs], pa.string()),
        "doc": _list_column([r.documents for r in recs]),
        "gn_fq": _list_column([frequent_given(r) for r in recs]),
        "gn_bits": pa.array([given_letters(r) for r in recs], pa.int32()),
        "sn_fq": _list_column([frequent_surnames(r) for r in recs]),
        "mo_fq": _list_column([frequent_mother(r) for r in recs]),
        "bk": _long_list_column([tuple(_KEYS_OF[role](r)) for r in recs]),
    }
    return pa.RecordBatch.from_arrays([cols[n] for n in TABLE_COLUMNS], schema=SCHEMA)


def records_table(
    records: Iterable[RecordLike], batch_size: int = 100_000, *, role: Role = None
) -> pa.Table:
    """The Arrow table Splink reads: one row per record with its blocking keys.

    ``role``: "request" for the records sought, "registry" for the registry they are sought
    in (a thin request then reaches the registry's wide keys, see blocking.request_keys);
    None for the symmetric keys (dedupe)."""
    batches: list[pa.RecordBatch] = []
    chunk: list[NormalizedRecord] = []
    for rec in to_normalized(records):
        chunk.append(rec)
        if len(chunk) == batch_size:
            batches.append(_batch(chunk, role))
            chunk = []
    if chunk or not batches:
        batches.append(_batch(chunk, role))
    return pa.Table.from_batches(batches, schema=SCHEMA)


def limit_wide_keys(left: pa.Table, right: pa.Table, limit: int | None = None) -> pa.Table:
    """``left`` without the wide keys (``w``) that 0 or more than ``limit`` records of ``right``
    hold (default blocking.WIDE_BLOCK_LIMIT: the same rule as the online lookups,
    blocking.wide_keys_kept)."""
    limit = blocking.WIDE_BLOCK_LIMIT if limit is None else limit
    col = left.column("bk").combine_chunks()
    flat = pc.list_flatten(col)
    wide = pc.starts_with(flat, WIDE_PREFIX)
    if not pc.any(wide).as_py():
        return left
    # Chunk by chunk: combining the registry's key column first copied all of its keys (about
    # 1.5 GB at 1M persons) only to keep the few wide ones.
    right_wide = []
    for chunk in right.column("bk").chunks:
        right_flat = pc.list_flatten(chunk)
        right_wide.append(right_flat.filter(pc.starts_with(right_flat, WIDE_PREFIX)))
    counts = pc.value_counts(
        pa.concat_arrays(right_wide) if right_wide else pa.array([], pa.string())
    )
    ok = pc.less_equal(counts.field("counts"), limit)
    kept = counts.field("values").filter(ok)
    keep = pc.or_(pc.invert(wide), pc.is_in(flat, value_set=kept))
    parents = pc.list_parent_indices(col).filter(keep).to_numpy()
    lengths = np.bincount(parents, minlength=len(col))
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    bk = pa.ListArray.from_arrays(pa.array(offsets), flat.filter(keep), mask=col.is_null())
    return left.set_column(left.schema.get_field_index("bk"), "bk", bk)


def connect(memory_limit: str = "2GB", threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with a memory cap (spills to a temp directory beyond it)."""
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    install_macros(con)
    return con


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the SQL macros Enlace's comparisons call (idempotent; needed on any connection
    handed to Splink with an Enlace model)."""
    for sql in duckdb_macros():
        con.execute(sql).fetchall()


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


def _em_step(rule: str, max_pairs: float, *, last: bool) -> Callable[[Any], None]:
    def step(linker: Any) -> None:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule,
            max_pairs=max_pairs,
            populate_probability_two_random_records_match_from_trained_values=last,
        )

    return step


def _sample_sizes(n_left: int, n_right: int | None, max_pairs: float) -> tuple[int, int]:
    if n_right is None:  # dedupe: about s * (s - 1) / 2 pairs
        s = min(n_left, max(2, math.isqrt(int(2 * max_pairs)) + 1))
        return s, s
    s_l = min(n_left, max(1, math.isqrt(int(max_pairs))))
    s_r = min(n_right, max(1, int(max_pairs // s_l)))
    if s_r == n_right:
        s_l = min(n_left, max(1, int(max_pairs // s_r)))
    return s_l, s_r


def estimate_u(
    con: duckdb.DuckDBPyConnection,
    left: str,
    right: str | None,
    model: Mapping[str, Any],
    *,
    max_pairs: float = 1e6,
    seed: int = 42,
) -> ModelJSON:
    """The model with u re-estimated on random pairs of registered tables (one SQL query).

    Same method as Splink's ``estimate_u_using_random_sampling`` (share of each level among
    random pairs, null levels excluded), but every comparison is evaluated in one pass over
    the pairs and the "given names differ" test, shared by four comparisons, only once. A
    level never seen among the sampled pairs keeps its previous u.
    """
    left, right = _ident(left), _ident(right) if right is not None else None
    install_macros(con)
    n_left = _count(con, left)
    n_right = _count(con, right) if right is not None else None
    s_l, s_r = _sample_sizes(n_left, n_right, max_pairs)
    sql_d = _Sql("duckdb")
    cols = [c for c in TABLE_COLUMNS if c not in {"unique_id", "bk"}]
    select = ", ".join(f'l."{c}" AS "{c}_l", r."{c}" AS "{c}_r"' for c in cols)
    gammas = []
    for comp in COMPARISONS:
        whens = " ".join(
            f"WHEN {_read_columns(lvl.sql(sql_d))} THEN {i}"
            for i, lvl in enumerate(comp.levels[:-1])
        )
        gammas.append(f'CASE {whens} ELSE {len(comp.levels) - 1} END AS "g_{comp.name}"')
    # Table names are checked identifiers, the rest are our integers and generated SQL.
    # A sample chosen by a hash of the record id, not DuckDB's reservoir sample: that one is
    # repeatable only on one thread, and on several a rerun on the same data drew another
    # sample, moved the weights by a few tenths of a bit and put pairs near 0.5 on the
    # other side of it.
    sample_l = _hash_sample(left, s_l, seed)
    if right is None:
        pairs = "FROM ls l JOIN ls r ON l.unique_id < r.unique_id"
        sample_r = ""
    else:
        pairs = "FROM ls l CROSS JOIN rs r"
        sample_r = f", rs AS ({_hash_sample(right, s_r, seed + 1)})"
    shared = ", ".join(f"{expr} AS {column}" for expr, column in PAIR_SUBEXPRESSIONS)
    group_cols = [f'"g_{comp.name}"' for comp in COMPARISONS]
    group_sets = ", ".join(f"({g})" for g in group_cols)
    sql = (
        f"WITH ls AS ({sample_l}){sample_r}, "  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
        f"p AS (SELECT {select} {pairs}), "
        f"pw AS (SELECT *, {shared} FROM p), "
        f"q AS (SELECT *, {read_pair_columns(GIVEN_DIFFERS_INLINE_SQL)} "
        f"AS {GIVEN_DIFFERS_COLUMN} FROM pw), "
        f"g AS (SELECT {', '.join(gammas)} FROM q) "
        f"SELECT {', '.join(group_cols)}, count(*) AS n "
        f"FROM g GROUP BY GROUPING SETS ({group_sets})"
    )
    counts: dict[str, dict[int, int]] = {comp.name: {} for comp in COMPARISONS}
    for row in con.execute(sql).fetchall():
        *gs, n = row
        for comp, g in zip(COMPARISONS, gs, strict=True):
            if g is not None:
                counts[comp.name][int(g)] = int(n)
    out = fill_parameters(model)
    by_name = {c["output_column_name"]: c for c in out["comparisons"]}
    for comp in COMPARISONS:
        seen = counts[comp.name]
        total = sum(n for i, n in seen.items() if not comp.levels[i].is_null)
        if not total:
            continue
        for i, level in enumerate(by_name[comp.name]["comparison_levels"]):
            if comp.levels[i].is_null or not seen.get(i):
                continue
            level["u_probability"] = seen[i] / total
    return out


def _hash_sample(table: str, rows: int, seed: int) -> str:
    """SQL: ``rows`` records of ``table`` chosen by a seeded hash of their id (the same
    sample on every run and any number of threads)."""
    return (
        f"SELECT * FROM {table} "  # nosec B608 # checked table name and our integers  # noqa: S608
        f"ORDER BY hash(unique_id, {int(seed)}), unique_id LIMIT {int(rows)}"
    )


def _read_columns(sql: str) -> str:
    """A level's SQL reading the tests estimate_u computes once per pair as columns."""
    return read_pair_columns(sql)


def _keep_sane_m(before: Mapping[str, Any], after: ModelJSON) -> tuple[ModelJSON, bool]:
    """Undo an EM estimate that says full disagreement is not evidence against a match.

    EM can settle on the wrong cluster (e.g. "same family" or, on data with no duplicates at
    all, random structure): then the last level ("different") of some comparison gets an m
    close to its u. Such a comparison keeps the m it had before the session.
    """
    old = {c["output_column_name"]: c for c in before["comparisons"]}
    reverted = False
    for comp in after["comparisons"]:
        last = comp["comparison_levels"][-1]
        if float(last["m_probability"]) > float(last["u_probability"]) / 2:  # > -1 bit
            name = comp["output_column_name"]
            log.warning("EM gave %s an implausible m; keeping the previous m", name)
            reverted = True
            for level, prev in zip(
                comp["comparison_levels"], old[name]["comparison_levels"], strict=True
            ):
                if "m_probability" in prev:
                    level["m_probability"] = prev["m_probability"]
    return after, reverted


# Smallest m of a level after EM. EM drives m to 0 for a level no match showed in the
# training data (e.g. a different sex when requests copy it), which makes that level a veto of
# 20 bits; but every field is sometimes mistyped or reported differently, so keep some mass.
M_FLOOR = 0.005


def _floor_m(model: Mapping[str, Any]) -> ModelJSON:
    out = fill_parameters(model)
    for comp in out["comparisons"]:
        levels = [lvl for lvl in comp["comparison_levels"] if not lvl.get("is_null_level")]
        floored = [max(float(lvl["m_probability"]), M_FLOOR) for lvl in levels]
        total = sum(floored)
        for lvl, m in zip(levels, floored, strict=True):
            lvl["m_probability"] = m / total
    return out


def _prior_from_date_block(
    con: duckdb.DuckDBPyConnection,
    left: str,
    right: str | None,
    model: Mapping[str, Any],
    lambda_in_block: float,
) -> float:
    """Share of random pairs that match, from the EM session blocked on the full birth date.

    matches = (share of matches among the same-date pairs) x (same-date pairs) / P(a match
    has the same full date); the latter is P(both birth years known) x m(birth date exact),
    with m trained by the other session. No labels and no assumed rule recall.
    """
    left, right = _ident(left), _ident(right) if right is not None else None
    other = right or left
    where = "" if right is not None else "AND l.unique_id < r.unique_id"
    row = con.execute(
        f"SELECT count(*) FROM {left} l JOIN {other} r ON l.dob = r.dob {where}"  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
    ).fetchall()
    block_pairs = int(row[0][0]) if row else 0

    def known_year_share(table: str) -> float:
        sql = f"SELECT avg((b_year IS NOT NULL)::DOUBLE) FROM {table}"  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
        got = con.execute(sql).fetchall()
        return float(got[0][0]) if got and got[0][0] is not None else 0.0

    n_left = _count(con, left)
    n_right = _count(con, right) if right is not None else None
    total = n_left * n_right if n_right is not None else n_left * (n_left - 1) / 2
    by_name = {c["output_column_name"]: c for c in model["comparisons"]}
    exact = next(
        lvl
        for lvl in by_name["birth_date"]["comparison_levels"]
        if lvl.get("label_for_charts") == "exact"
    )
    recall = float(exact["m_probability"]) * known_year_share(left) * known_year_share(other)
    if not block_pairs or not total or recall <= 0:
        raise ValueError("no pairs with the same full birth date")
    matches = lambda_in_block * block_pairs / recall
    return min(max(matches / total, 1e-12), 0.5)


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _ident(name: str) -> str:
    """A table name safe to put in SQL (registered tables only, never user input)."""
    if not _IDENT.match(name):
        raise ValueError(f"not a plain table name: {name!r}")
    return name


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    # fetchall, not fetchone: DuckDB 2 keeps the connection busy until a result is exhausted.
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()  # nosec B608 # our names  # noqa: S608
    return int(rows[0][0]) if rows else 0


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
    memory_limit: str = "2GB",
    max_records: int = 200_000,
    max_pairs_u: float = 3e5,
    max_pairs_em: float = 5e5,
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
    install_macros(con)
    db = DuckDBAPI(connection=con)
    uid = _uid()
    tables = [db.register(_sample(left, max_records, seed), table_name=f"enlace_left_{uid}")]
    if right is not None:
        sampled = _sample(right, max_records, seed)
        tables.append(db.register(sampled, table_name=f"enlace_right_{uid}"))
    inputs: Any = tables if right is not None else tables[0]
    names = [t.physical_name for t in tables]
    try:
        model = estimate_u(
            con,
            names[0],
            names[1] if right is not None else None,
            model,
            max_pairs=max_pairs_u,
            seed=seed,
        )
    except Exception:  # pragma: no cover - SQL errors on odd data: keep default u
        log.warning("u estimation failed; keeping default u", exc_info=True)
    linker = Linker(inputs, model, log_level=logging.WARNING, validate_settings=False)
    lambda_in_date_block: float | None = None
    for rule in _EM_RULES:
        # One linker for all steps; Splink raises when EM drives an m to 0 on some data, and
        # a failed step must not spoil the parameters estimated before it: start a fresh
        # linker from the last good parameters then.
        try:
            session = linker.training.estimate_parameters_using_expectation_maximisation(
                rule, max_pairs=max_pairs_em
            )
            model, reverted = _keep_sane_m(model, fill_parameters(linker.misc.save_model_to_json()))
            if reverted:  # the next session starts from the kept values
                linker = Linker(inputs, model, log_level=logging.WARNING, validate_settings=False)
            if rule == _EM_RULE_DATE:
                lambda_in_date_block = float(
                    session.core_model_settings.probability_two_random_records_match
                )
        except Exception:  # tiny or odd data: keep what was estimated so far
            log.warning("EM on %r failed; keeping previous parameters", rule, exc_info=True)
            linker = Linker(inputs, model, log_level=logging.WARNING, validate_settings=False)
    if lambda_in_date_block is not None:
        try:
            model["probability_two_random_records_match"] = _prior_from_date_block(
                con, names[0], names[1] if right is not None else None, model, lambda_in_date_block
            )
        except Exception:  # pragma: no cover - keep the fallback prior
            log.warning("prior estimation failed; keeping %g", prior, exc_info=True)
    trained = _floor_m(model)
    if not 0.0 < float(trained["probability_two_random_records_match"]) < 1.0:
        trained["probability_two_random_records_match"] = prior
    try:  # the registry's name frequencies (the right table when linking requests to it)
        trained[TF_KEY] = count_frequencies(con, names[-1])
    except Exception:  # pragma: no cover - no adjustment rather than no model
        log.warning("name frequencies not counted", exc_info=True)
    return trained


def predict(
    left: pa.Table,
    right: pa.Table | None,
    model: Mapping[str, Any],
    *,
    threshold: float = 0.01,
    con: duckdb.DuckDBPyConnection | None = None,
    memory_limit: str = "2GB",
    top: int | None = None,
    exclusive: bool = False,
) -> pa.Table:
    """Score all blocked pairs with Splink on DuckDB.

    Returns an Arrow table ``unique_id_l, unique_id_r, match_weight, match_probability``
    (for a link, ``_l`` is always from ``left``). With ``top``, only the ``top`` best pairs of
    each ``unique_id_l`` (ranked in DuckDB, so the other pairs never reach Python).

    ``exclusive`` (a link only): each left record seeks one person and the right table holds
    each person once (tracing requests against the registry), so ``match_probability`` is the
    chance that this right record, and not another candidate, is the one sought
    (scoring.exclusive_probabilities, as ``Scorer.rank(exclusive=True)`` online); pairs are
    still kept by their own probability (``threshold``).
    """
    exclusive = exclusive and right is not None
    from splink import DuckDBAPI, Linker

    link_type: LinkType = "link_only" if right is not None else "dedupe_only"
    settings = model_for_dialect(model, "duckdb", link_type)
    # Name frequencies move weights after Splink: keep the pairs they may lift.
    adjust = bool(Adjuster(model.get(TF_KEY)))
    if right is not None:
        left = limit_wide_keys(left, right)
    con = con or connect(memory_limit)
    install_macros(con)
    db = DuckDBAPI(connection=con)
    uid = _uid()
    if right is not None:
        inputs: Any = [
            db.register(left, table_name=f"enlace_left_{uid}"),
            db.register(right, table_name=f"enlace_right_{uid}"),
        ]
        names = [t.physical_name for t in inputs]
    else:
        inputs = db.register(left, table_name=f"enlace_input_{uid}")
        names = [inputs.physical_name, inputs.physical_name]
    linker = Linker(inputs, settings, log_level=logging.WARNING, validate_settings=False)
    # Exclusive: the competitors down to the floor are needed too.
    floor = min(EXCLUSIVE_FLOOR, threshold) if exclusive else threshold
    df = linker.inference.predict(
        threshold_match_probability=splink_threshold(model, floor), warning_mode="never"
    )
    cols = "unique_id_l, unique_id_r, match_weight, match_probability"
    # Splink orders each pair by source dataset name; "left" < "right" keeps _l on the left.
    # Table names are generated here, never user input.
    where = f"WHERE source_dataset_l = 'enlace_left_{uid}'" if right is not None else ""
    if adjust:
        base = f"(SELECT {cols} FROM {df.physical_name} {where})"  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
        sql = apply_to_pairs(con, base, names[0], names[1], model, _TF_LEVELS, _TF_COLUMNS)
    else:
        sql = f"SELECT {cols} FROM {df.physical_name} {where}"  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
    if exclusive:
        sql = exclusive_sql(sql, threshold)
    elif adjust:
        sql = f"SELECT * FROM ({sql}) WHERE match_probability >= {float(threshold)!r}"  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
    if top is not None:
        sql = (
            f"SELECT {cols} FROM (SELECT *, row_number() OVER (PARTITION BY unique_id_l "  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
            f"ORDER BY match_weight DESC, unique_id_r) AS enlace_rank FROM ({sql})) "
            f"WHERE enlace_rank <= {int(top)}"
        )
    result = con.sql(sql).to_arrow_table()
    df.drop_table_from_database_and_remove_from_cache()
    return result


def exclusive_sql(pairs: str, threshold: float) -> str:
    """SQL over ``pairs`` (``unique_id_l, unique_id_r, match_weight, match_probability``, the
    pairwise probability): the pairs whose own probability is >= ``threshold``, with
    ``match_probability`` shared among each left record's candidates as
    scoring.exclusive_probabilities computes it (competitors down to
    ``min(EXCLUSIVE_FLOOR, threshold)``)."""
    floor = min(EXCLUSIVE_FLOOR, threshold)
    # Scaled by 2 ** -top per left record, as in Python, so that no power overflows.
    return (
        "SELECT unique_id_l, unique_id_r, match_weight, "  # nosec B608 # our SQL and numbers  # noqa: S608
        "pow(2, match_weight - w_top) / ("
        "CASE WHEN w_top < 1000 THEN pow(2, least(-w_top, 1000)) ELSE 0 END + w_sum) "
        "AS match_probability "
        f"FROM (SELECT *, sum(CASE WHEN pair_p >= {float(floor)!r} "
        "THEN pow(2, match_weight - w_top) ELSE 0 END) "
        "OVER (PARTITION BY unique_id_l) AS w_sum "
        "FROM (SELECT *, max(match_weight) OVER (PARTITION BY unique_id_l) AS w_top "
        "FROM (SELECT unique_id_l, unique_id_r, match_weight, match_probability AS pair_p "
        f"FROM ({pairs})))) WHERE pair_p >= {float(threshold)!r}"
    )


def exclusive_pairs(pairs: pa.Table, threshold: float = 0.0) -> pa.Table:
    """Scored pairs of a link (e.g. from Spark: ``predict_spark`` with a threshold of at most
    EXCLUSIVE_FLOOR) with ``match_probability`` shared among each left record's candidates,
    as :func:`predict` does with ``exclusive=True``; pairs under ``threshold`` are dropped."""
    con = duckdb.connect()
    con.register(
        "enlace_excl_pairs",
        pairs.select(["unique_id_l", "unique_id_r", "match_weight", "match_probability"]),
    )
    return con.sql(exclusive_sql("SELECT * FROM enlace_excl_pairs", threshold)).to_arrow_table()


def _level_label_sql(comp_name: str) -> str:
    """A comparison's level label as one SQL CASE over ``"<column>_l"/"<column>_r"``."""
    comp = next(c for c in COMPARISONS if c.name == comp_name)
    sql_d = _Sql("duckdb")
    whens = " ".join(f"WHEN {lvl.sql(sql_d)} THEN '{lvl.label}'" for lvl in comp.levels[:-1])
    return f"CASE {whens} ELSE '{comp.levels[-1].label}' END"


# The levels the name-frequency adjustment reads, and the record columns their SQL needs.
_TF_LEVELS = {name: _level_label_sql(name) for name in ("given_names", "surnames")}
_TF_COLUMNS = tuple(
    c
    for c in TABLE_COLUMNS
    if c not in {"unique_id", "bk"}
    and any(f'"{c}_l"' in sql or f'"{c}_r"' in sql for sql in _TF_LEVELS.values())
)


def adjust_pairs(
    pairs: pa.Table,
    left: pa.Table,
    right: pa.Table | None,
    model: Mapping[str, Any],
    *,
    threshold: float = 0.0,
    memory_limit: str = "2GB",
) -> pa.Table:
    """Scored pairs (``unique_id_l, unique_id_r, match_weight, ...``) with the model's
    name-frequency adjustment added, as :func:`predict` does (for backends that score
    without it, e.g. Spark: predict there with :func:`splink_threshold`)."""
    con = connect(memory_limit)
    con.register("enlace_adj_pairs", pairs.select(["unique_id_l", "unique_id_r", "match_weight"]))
    con.register("enlace_adj_left", left)
    con.register("enlace_adj_right", right if right is not None else left)
    # The probability from the weight, for pairs the adjustment leaves as they are.
    base = (
        "(SELECT *, pow(2, match_weight) / (1 + pow(2, match_weight)) AS match_probability"
        " FROM enlace_adj_pairs)"
    )
    sql = apply_to_pairs(
        con, base, "enlace_adj_left", "enlace_adj_right", model, _TF_LEVELS, _TF_COLUMNS
    )
    return con.sql(
        f"SELECT * FROM ({sql}) WHERE match_probability >= {float(threshold)!r}"  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
    ).to_arrow_table()


def splink_threshold(model: Mapping[str, Any], threshold: float) -> float:
    """The probability threshold to give Splink so that no pair the name-frequency adjustment
    could lift to ``threshold`` is dropped before it."""
    adjuster = Adjuster(model.get(TF_KEY))
    return _lower_threshold(threshold, 2 * adjuster.cap_up) if adjuster else threshold


def _lower_threshold(probability: float, bits: float) -> float:
    """The probability whose match weight is ``bits`` below that of ``probability``."""
    p = min(max(probability, 1e-12), 1 - 1e-12)
    w = math.log2(p / (1 - p)) - bits
    return 2.0**w / (1.0 + 2.0**w)


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
