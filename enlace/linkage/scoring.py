"""Online scoring: one query record against a few hundred candidates, in pure Python.

The :class:`Scorer` reads the same model JSON that Splink writes (comparison levels with their
m and u probabilities) and evaluates the same levels (``comparisons.py``), so its match weights
equal Splink's for the same pair.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from enlace.linkage.comparisons import COMPARISONS, Comparison
from enlace.linkage.dates import estimated_year_for
from enlace.linkage.frequencies import ADJUSTED_LEVELS, TF_KEY, Adjuster
from enlace.linkage.normalize import NormalizedRecord

__all__ = [
    "DEFAULT_PROBABILITY",
    "EXCLUSIVE_FLOOR",
    "FieldScore",
    "Match",
    "Scorer",
    "exclusive_probabilities",
    "fill_parameters",
]

DEFAULT_PROBABILITY = 1e-4
_MIN_P = 1e-6

# --- one person sought, one record per person: competing candidates share the probability --
# A tracing request seeks one person, and a registry holds each person once, so the pairs of
# one request are exclusive hypotheses: at most one of them is the person. The pairwise
# Fellegi-Sunter probability ignores that: two namesakes born the same year each get the
# probability that one of them would get alone, and both are proposed. With the pairs' odds
# o_i = 2 ** match_weight (the model's prior included), the probability that candidate i is
# the person, and not another candidate nor someone absent from the registry, is
#     P_i = o_i / (1 + sum_j o_j)
# (the "1" is the hypothesis "none of them": the pairwise odds are already relative to it).
# A candidate alone keeps its pairwise probability; a tie of two at 0.5 becomes 1/3 each; a
# true match at 0.999 leaves a namesake at 0.6 with nothing. The ranking is unchanged. This is
# the assignment constraint of record linkage (each record of one file links to at most one
# of the other: Jaro 1989; Sadinle 2017, "Bayesian estimation of bipartite matchings for
# record linkage", JASA 112:518), applied to one request's candidates.
# Candidates under EXCLUSIVE_FLOOR (pairwise) are left out of the sum, in the batch engine
# and online alike (with a smaller listing threshold, that threshold is the floor): the batch
# engine then asks Splink for no more pairs than it lists. A floor of 0.001 gave the same
# results on the three bench sets, and made a 1M-person batch hold millions more pairs.
EXCLUSIVE_FLOOR = 0.01


def exclusive_probabilities(
    weights: Iterable[float], floor: float = EXCLUSIVE_FLOOR
) -> list[float]:
    """The candidates' probabilities when at most one of them is the person sought.

    ``weights``: the match weights (bits) of one request's candidates. Candidates whose pairwise
    probability is under ``floor`` are not counted among the competitors (their own value is
    still computed)."""
    ws = list(weights)
    if not ws:
        return []
    top = max(ws)
    floor_w = math.log2(floor / (1.0 - floor)) if 0.0 < floor < 1.0 else -math.inf
    # Scaled by 2 ** -top so that no power overflows: o_i / (1 + sum) with o = 2 ** w.
    total = sum(2.0 ** (w - top) for w in ws if w >= floor_w)
    none = 2.0 ** min(-top, 1000.0) if top < 1000 else 0.0
    return [2.0 ** (w - top) / (none + total) for w in ws]


class FieldScore(NamedTuple):
    """One line of a match explanation."""

    field: str
    level: str
    weight: float


@dataclass(frozen=True, slots=True)
class Match:
    """A scored candidate: weight in bits, probability, and per-field explanation."""

    candidate_id: str
    match_weight: float
    match_probability: float
    explanation: tuple[FieldScore, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidate_id": self.candidate_id,
            "match_weight": self.match_weight,
            "match_probability": self.match_probability,
            "explanation": [list(f) for f in self.explanation],
        }


def _valid(p: object) -> bool:
    return isinstance(p, int | float) and not math.isnan(p) and 0.0 < float(p) <= 1.0


# Comparisons a saved model may lack because it predates them (they get their default m/u).
_ADDED_LATER = frozenset({"document_number"})


def fill_parameters(model: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a Splink model dict with missing or degenerate m/u replaced by defaults.

    A model saved by an older Enlace version, whose comparisons lack a level added since, is
    upgraded: the comparison takes the current levels, with the saved m/u of the levels whose
    labels it has and the default m/u for the new ones; a comparison added since (identity
    documents) is added with its default m/u. Raises ``ValueError`` when the
    comparisons are not Enlace's (a comparison is missing or shares no level label).
    """
    out: dict[str, Any] = json.loads(json.dumps(model))
    comparisons = out.setdefault("comparisons", [])
    by_name = {c["output_column_name"]: c for c in comparisons}
    for comp in COMPARISONS:
        saved = by_name.get(comp.name)
        if saved is None:
            if comp.name not in _ADDED_LATER:
                raise ValueError(f"model has no comparison {comp.name!r}")
            saved = json.loads(json.dumps(comp.splink_dict("duckdb")))  # added since: defaults
            comparisons.append(saved)
        labels = [lvl.get("label_for_charts") for lvl in saved["comparison_levels"]]
        expected = [lvl.label for lvl in comp.levels]
        if labels != expected:
            saved_by_label = {
                lvl.get("label_for_charts"): lvl for lvl in saved["comparison_levels"]
            }
            if not set(saved_by_label) & set(expected):
                raise ValueError(f"comparison {comp.name!r} has levels {labels}, expected others")
            current = comp.splink_dict("duckdb")
            for level in current["comparison_levels"]:  # type: ignore[attr-defined]
                old = saved_by_label.get(level["label_for_charts"], {})
                for key in ("m_probability", "u_probability"):
                    if key in level and key in old:
                        level[key] = old[key]
            saved.clear()
            saved.update(current)
        for level, saved_level in zip(comp.levels, saved["comparison_levels"], strict=True):
            if level.is_null:
                continue
            for key, default in (("m_probability", level.m), ("u_probability", level.u)):
                value = saved_level.get(key)
                if not _valid(value):
                    saved_level[key] = default
                else:
                    saved_level[key] = min(max(float(value), _MIN_P), 1.0)
    if not _valid(out.get("probability_two_random_records_match")):
        out["probability_two_random_records_match"] = DEFAULT_PROBABILITY
    return out


class Scorer:
    """Fellegi-Sunter scorer with Enlace's comparisons and a model's m/u parameters."""

    def __init__(self, model: Mapping[str, Any]) -> None:
        self.model = fill_parameters(model)
        lam = float(self.model["probability_two_random_records_match"])
        lam = min(max(lam, 1e-12), 1 - 1e-12)
        self.prior_weight = math.log2(lam / (1 - lam))
        by_name = {c["output_column_name"]: c for c in self.model["comparisons"]}
        self._weights: list[tuple[Comparison, list[float]]] = []
        for comp in COMPARISONS:
            weights: list[float] = []
            for level, saved in zip(
                comp.levels, by_name[comp.name]["comparison_levels"], strict=True
            ):
                if level.is_null:
                    weights.append(0.0)
                else:
                    weights.append(math.log2(saved["m_probability"] / saved["u_probability"]))
            self._weights.append((comp, weights))
        # Per comparison: the fast classifier (or None) and label -> (label, weight).
        self._fast: list[tuple[Comparison, dict[str, tuple[str, float]]]] = [
            (comp, {lvl.label: (lvl.label, w) for lvl, w in zip(comp.levels, ws, strict=True)})
            for comp, ws in self._weights
        ]
        # The registry's name frequencies (absent from models trained before them: no change).
        self._tf = Adjuster(self.model.get(TF_KEY))
        self._tf_on = bool(self._tf)

    @classmethod
    def from_json(cls, model_json: str | bytes | Path | Mapping[str, Any]) -> Scorer:
        """Load a model saved by :func:`enlace.linkage.model.train` (dict, JSON text or path)."""
        if isinstance(model_json, Mapping):
            return cls(model_json)
        if isinstance(model_json, Path):
            return cls(json.loads(model_json.read_text(encoding="utf-8")))
        return cls(json.loads(model_json))

    @classmethod
    def default(cls) -> Scorer:
        """A scorer with hand-set m/u (used before any model has been trained)."""
        from enlace.linkage.model import default_model

        return cls(default_model())

    def score(self, query: NormalizedRecord, candidate: NormalizedRecord) -> Match:
        """Score one pair; the explanation lists every field's level and its weight."""
        query, candidate = _align_estimated_ages(query, candidate)
        levels = [self._level(comp, by_label, query, candidate) for comp, by_label in self._fast]
        total = self.prior_weight + sum(w for _, w in levels)
        explanation = tuple(
            FieldScore(comp.name, label, w)
            for (comp, _), (label, w) in zip(self._fast, levels, strict=True)
        )
        return Match(candidate.id, total, _probability(total), explanation)

    def _level(
        self,
        comp: Comparison,
        by_label: dict[str, tuple[str, float]],
        query: NormalizedRecord,
        candidate: NormalizedRecord,
    ) -> tuple[str, float]:
        if comp.classify is not None:
            label, weight = by_label[comp.classify(query, candidate)]
        else:
            label, weight = by_label[comp.levels[comp.level_index(query, candidate)].label]
        if self._tf_on and label in ADJUSTED_LEVELS.get(comp.name, ()):
            names = _TF_FIELDS[comp.name]
            weight += self._tf.adjustment(
                comp.name, label, set(names(query)) & set(names(candidate))
            )
        return label, weight

    def weight(self, query: NormalizedRecord, candidate: NormalizedRecord) -> float:
        """The pair's match weight alone (what :meth:`score` adds up, without explanation)."""
        query, candidate = _align_estimated_ages(query, candidate)
        level = self._level
        return self.prior_weight + sum(
            level(comp, by_label, query, candidate)[1] for comp, by_label in self._fast
        )

    def rank(
        self,
        query: NormalizedRecord,
        candidates: Iterable[NormalizedRecord],
        *,
        top: int = 10,
        min_probability: float = 0.01,
        exclusive: bool = False,
    ) -> list[Match]:
        """The ``top`` best candidates with probability >= ``min_probability``, best first.

        ``exclusive``: ``query`` seeks one person and each candidate is a different person
        (a tracing request against the registry): each match's probability is then the
        chance that it, and not another candidate, is that person
        (:func:`exclusive_probabilities`); ``min_probability`` still applies to the pair's
        own probability, so the candidates listed are the same."""
        # Weights first; the explanations are built for the few candidates returned.
        weighed = [
            (-self.weight(query, cand), cand.id, cand)
            for cand in candidates
            if cand.id != query.id or not query.id
        ]
        weighed.sort(key=lambda item: (item[0], item[1]))
        best = [self.score(query, cand) for _, _, cand in weighed[:top]]
        listed = [m for m in best if m.match_probability >= min_probability]
        if not exclusive or not listed:
            return listed
        floor = min(EXCLUSIVE_FLOOR, min_probability)
        # The same sum as the batch engine: every candidate at or above the floor.
        others = [-w for w, _, _ in weighed[len(best) :]]
        shared = exclusive_probabilities([m.match_weight for m in best] + others, floor)
        return [replace(m, match_probability=p) for m, p in zip(listed, shared, strict=False)]


_TF_FIELDS = {
    "given_names": lambda r: r.given_ph,
    "surnames": lambda r: r.surnames_ph,
}


def _align_estimated_ages(
    a: NormalizedRecord, b: NormalizedRecord
) -> tuple[NormalizedRecord, NormalizedRecord]:
    """An estimated birth year (from an age) within the wider tolerance counts as one year off.

    Only the online path meets estimated ages (batch CSV input has no age column)."""
    year_a, year_b = a.birth_year, b.birth_year
    if year_a is None or year_b is None:
        return a, b
    if a.birth_precision == "estimated":
        a = replace(a, birth_year=estimated_year_for(year_a, year_b))
    elif b.birth_precision == "estimated":
        b = replace(b, birth_year=estimated_year_for(year_b, year_a))
    return a, b


def _probability(weight: float) -> float:
    if weight > 60:
        return 1.0
    if weight < -60:
        return 0.0
    odds: float = 2.0**weight
    return odds / (1.0 + odds)
