"""Per-value term-frequency adjustment of given-name and surname agreements.

"Same given name" says more for Raimunda than for María, and "same surname" more for Quintanilla
than for Silva. As in Splink's term-frequency adjustments (after Winkler, "Using the EM
algorithm for weight computation in the Fellegi-Sunter model of record linkage", 1988), the
weight of an agreement on value ``v`` is moved by ``log2(u_ref / u_v)``, where ``u_v`` is the
share of the registry's records that carry ``v`` (the chance that a random record agrees on it)
and ``u_ref`` the same share averaged over the records the level is about, so that the
adjustment averages out over true matches and the m/u the model learnt stay calibrated.

- The frequencies come from the registry being linked, counted when the model is trained, and
  are stored in the model (``model["enlace_term_frequencies"]``): the batch engine
  (:func:`apply_to_pairs`) and the online scorer (:class:`Adjuster`) read the same numbers.
- A pair sharing several names is judged by its rarest shared name.
- The levels with a "frequent" twin (``exact_frequent`` / ``exact``...) are centred within
  their own bin (all names among the region's most frequent, or not): that two-bin split is
  already in the learnt weights.
- Values seen fewer than :data:`MIN_COUNT` times are not stored; an unseen value counts as
  seen once. The adjustment is capped to ``[-CAP_DOWN, +CAP_UP]`` bits, so that a typo that
  happens to agree, or a tiny registry, cannot dominate the other fields.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

__all__ = [
    "ADJUSTED_LEVELS",
    "CAP_DOWN",
    "CAP_UP",
    "TF_KEY",
    "Adjuster",
    "apply_to_pairs",
    "count_frequencies",
]

TF_KEY = "enlace_term_frequencies"
MIN_COUNT = 2
MAX_VALUES = 20_000
CAP_UP = 3.0
CAP_DOWN = 3.0

# Comparison -> (list column, the record's frequent-names column, level label -> bin).
_FIELDS: dict[str, tuple[str, str]] = {
    "given_names": ("gn_ph", "gn_fq"),
    "surnames": ("sn_ph", "sn_fq"),
}
ADJUSTED_LEVELS: dict[str, dict[str, str]] = {
    "given_names": {
        "exact_frequent": "frequent",
        "exact": "other",
        "one_contains_other_frequent": "frequent",
        "one_contains_other": "other",
        # Not "some_name_shared": one name shared while each has another is how siblings
        # look ("María José" / "María Isabel"); a rare shared name there says "same family".
    },
    "surnames": {
        "two_shared_frequent": "frequent",
        "two_shared": "other",
        "one_shared_other_missing_frequent": "frequent",
        "one_shared_other_missing": "other",
        "one_shared": "all",
    },
}


def count_frequencies(con: Any, table: str) -> dict[str, Any]:
    """The term-frequency block of a model, counted on a registered records table."""
    out: dict[str, Any] = {"min_count": MIN_COUNT, "cap": [CAP_DOWN, CAP_UP], "fields": {}}
    for field, (col, fq) in _FIELDS.items():
        # ``table`` and the columns are our identifiers, never user input.
        base = (
            f"tok AS (SELECT unique_id, unnest(list_distinct({col})) AS v, "  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
            f"coalesce(len(list_distinct({fq})), 0) = len(list_distinct({col})) AS all_fq "
            f"FROM {table} WHERE {col} IS NOT NULL), "
            "cnt AS (SELECT v, count(*) AS c FROM tok GROUP BY v)"
        )
        n_rows = con.execute(f"WITH {base} SELECT count(DISTINCT unique_id) FROM tok").fetchall()  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
        n = int(n_rows[0][0]) if n_rows else 0
        if not n:
            continue
        counts = con.execute(
            f"WITH {base} SELECT v, c FROM cnt WHERE c >= {MIN_COUNT} "  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
            f"ORDER BY c DESC, v LIMIT {MAX_VALUES}"
        ).fetchall()
        # The reference share per bin: the mean, over the registry's records, of the share of
        # records carrying the record's rarest name (what a true match's pair would carry).
        refs = con.execute(
            f"WITH {base}, rec AS (SELECT unique_id, min(c) AS c, bool_and(all_fq) AS all_fq "  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
            "FROM tok JOIN cnt USING (v) GROUP BY unique_id) "
            "SELECT all_fq, avg(c), count(*) FROM rec GROUP BY all_fq"
        ).fetchall()
        ref: dict[str, float] = {}
        total_c, total_n = 0.0, 0
        for all_fq, mean_c, k in refs:
            ref["frequent" if all_fq else "other"] = float(mean_c) / n
            total_c += float(mean_c) * int(k)
            total_n += int(k)
        ref["all"] = total_c / total_n / n
        out["fields"][field] = {"n": n, "ref": ref, "counts": {str(v): int(c) for v, c in counts}}
    return out


class Adjuster:
    """The adjustment, in bits, of a given-name or surname level for the names a pair shares."""

    def __init__(self, block: Mapping[str, Any] | None) -> None:
        self.fields: dict[str, tuple[int, dict[str, float], dict[str, int]]] = {}
        self.cap_down, self.cap_up = CAP_DOWN, CAP_UP
        if not block:
            return
        cap = block.get("cap") or (CAP_DOWN, CAP_UP)
        self.cap_down, self.cap_up = float(cap[0]), float(cap[1])
        for field, data in (block.get("fields") or {}).items():
            n = int(data.get("n") or 0)
            if n > 0 and field in ADJUSTED_LEVELS:
                ref = {k: float(v) for k, v in (data.get("ref") or {}).items() if float(v) > 0}
                self.fields[field] = (n, ref, dict(data.get("counts") or {}))

    def __bool__(self) -> bool:
        return bool(self.fields)

    def adjustment(self, field: str, label: str, shared: Iterable[str]) -> float:
        """Bits to add to ``field``'s weight at level ``label`` for the shared names."""
        entry = self.fields.get(field)
        bin_ = ADJUSTED_LEVELS.get(field, {}).get(label)
        if entry is None or bin_ is None:
            return 0.0
        n, ref, counts = entry
        rarest = min((counts.get(v, 1) for v in shared), default=None)
        u_ref = ref.get(bin_)
        if rarest is None or u_ref is None:
            return 0.0
        return _clamp(math.log2(u_ref * n / rarest), self.cap_down, self.cap_up)


def _clamp(x: float, down: float, up: float) -> float:
    return min(max(x, -down), up)


def apply_to_pairs(
    con: Any,
    pairs: str,
    left: str,
    right: str,
    model: Mapping[str, Any],
    level_sql: Mapping[str, str],
    columns: Iterable[str],
) -> str:
    """SQL selecting ``pairs`` (a relation with ``unique_id_l, unique_id_r, match_weight``)
    with the adjustment added to ``match_weight`` and ``match_probability`` recomputed.

    ``level_sql`` maps a comparison to a SQL expression of its level label over the pair's
    ``"<column>_l"`` / ``"<column>_r"`` values (the same levels Splink used); ``columns`` are
    the record columns those expressions read. Registers the model's counts as
    ``enlace_tf_counts`` on ``con``.
    """
    adjuster = Adjuster(model.get(TF_KEY))
    plain = f"SELECT unique_id_l, unique_id_r, match_weight, match_probability FROM {pairs}"  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
    if not adjuster:
        return plain
    rows: dict[str, list[Any]] = {"field": [], "v": [], "c": []}
    for field, (_, _, counts) in adjuster.fields.items():
        for v, c in counts.items():
            rows["field"].append(field)
            rows["v"].append(v)
            rows["c"].append(int(c))
    con.register(
        "enlace_tf_counts",
        pa.table(
            {
                "field": pa.array(rows["field"], pa.string()),
                "v": pa.array(rows["v"], pa.string()),
                "c": pa.array(rows["c"], pa.int64()),
            }
        ),
    )
    levels, shared, adds = [], [], []
    for field, (n, ref, _) in adjuster.fields.items():
        col = _FIELDS[field][0]
        # DuckDB's least/greatest skip NULLs: every branch is computed on non-NULL values.
        rarest = f"rc_{field}"
        whens = [
            f"WHEN lvl_{field} = '{label}' AND {rarest} > 0 THEN least(greatest("
            f"log2({ref[bin_] * n!r} / {rarest}), {-adjuster.cap_down!r}), {adjuster.cap_up!r})"
            for label, bin_ in ADJUSTED_LEVELS[field].items()
            if bin_ in ref
        ]
        if not whens or field not in level_sql:
            continue
        levels.append(f"({level_sql[field]}) AS lvl_{field}")
        # The rarest shared name's count (a name the counts lack counts 1; 0: none shared).
        shared.append(
            "(SELECT coalesce(min(coalesce(t.c, 1)), 0) "  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
            f'FROM unnest(list_intersect("{col}_l", "{col}_r")) AS s(v) '
            f"LEFT JOIN enlace_tf_counts t ON t.field = '{field}' AND t.v = s.v) AS rc_{field}"
        )
        adds.append(f"CASE {' '.join(whens)} ELSE 0 END")
    if not adds:
        return plain
    select = ", ".join(f'l."{c}" AS "{c}_l", r."{c}" AS "{c}_r"' for c in columns)
    return (
        "SELECT unique_id_l, unique_id_r, w AS match_weight, "  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
        "CASE WHEN w > 60 THEN 1.0 WHEN w < -60 THEN 0.0 ELSE pow(2, w) / (1 + pow(2, w)) END "
        "AS match_probability FROM ("
        f"SELECT unique_id_l, unique_id_r, match_weight + {' + '.join(adds)} AS w FROM ("
        f"SELECT unique_id_l, unique_id_r, match_weight, {', '.join(levels)}, "
        f"{', '.join(shared)} FROM ("
        f"SELECT p.unique_id_l, p.unique_id_r, p.match_weight, {select} "
        f"FROM {pairs} p JOIN {left} l ON l.unique_id = p.unique_id_l "
        f"JOIN {right} r ON r.unique_id = p.unique_id_r)))"
    )
