"""Scorer: explanations, siblings, blocking keys, consistency with Splink, speed."""

from __future__ import annotations

import json
import time

from enlace.linkage import Scorer, blocking_keys, normalize_record
from enlace.linkage.model import default_model, predict, records_table

JESUS = {
    "id": "r1",
    "given_names": "JESUS ALBERTO",
    "first_surname": "PEREZ",
    "second_surname": "GOMEZ",
    "sex": "M",
    "birth_date": "1990-05-03",
    "birth_place": "Oaxaca",
    "nationality": "MX",
    "mother_name": "Guadalupe Gómez Ruiz",
}
CHUY = {
    "id": "q1",
    "given_names": "Chuy",
    "first_surname": "Pérez",
    "sex": "m",
    "birth_date": "1990",
    "nationality": "México",
    "mother_name": "Lupe Gómez",
}
BROTHER = dict(JESUS, id="r2", given_names="Miguel Ángel", birth_date="1992-01-20")


def test_chuy_is_likely_jesus_with_explanation() -> None:
    match = Scorer.default().score(normalize_record(CHUY), normalize_record(JESUS))
    assert match.match_probability > 0.9
    levels = {f.field: f.level for f in match.explanation}
    assert levels["given_names"] == "one_contains_other"
    assert levels["surnames"] == "one_shared_other_missing"
    assert levels["birth_date"] == "same_year_compatible"
    assert all(f.weight > 0 for f in match.explanation if f.field in {"given_names", "surnames"})
    assert json.loads(json.dumps(match.to_dict()))["candidate_id"] == "r1"


def test_siblings_score_low() -> None:
    scorer = Scorer.default()
    match = scorer.score(normalize_record(JESUS), normalize_record(BROTHER))
    assert match.match_probability < 0.01
    assert scorer.score(normalize_record(CHUY), normalize_record(BROTHER)).match_probability < 0.01


def test_blocking_keys_shared_by_hard_variants() -> None:
    base = normalize_record(JESUS)
    variants = [
        CHUY,
        dict(JESUS, second_surname=""),
        dict(JESUS, first_surname="Gómez", second_surname="Pérez"),  # Brazilian order
        dict(JESUS, birth_date="1991"),
        dict(JESUS, given_names="Jesus Alberto Perez Gomez", first_surname="", second_surname=""),
        dict(JESUS, given_names="Jesus Perez", first_surname="Gomez", second_surname=""),
        dict(JESUS, first_surname="Peres", second_surname="", birth_date=""),
    ]
    for v in variants:
        assert blocking_keys(normalize_record(v)) & blocking_keys(base), v
    assert all(len(k) < 60 for k in blocking_keys(base))


def test_scorer_equals_splink() -> None:
    people = [JESUS, CHUY, BROTHER, dict(JESUS, id="r3", given_names="Jesús", second_surname="")]
    people.append(dict(CHUY, id="q2", given_names="Jesus Perez", first_surname="Gomez"))
    people.append(dict(JESUS, id="r4", birth_date="1990-03-05", first_surname="Peres"))
    model = default_model()
    pairs = predict(records_table(people), None, model, threshold=0.0)
    assert pairs.num_rows > 0
    scorer = Scorer.from_json(json.dumps(model))
    recs = {p["id"]: normalize_record(p) for p in people}
    for row in pairs.to_pylist():
        mine = scorer.score(recs[row["unique_id_l"]], recs[row["unique_id_r"]])
        assert abs(mine.match_weight - row["match_weight"]) < 1e-6, row


def test_rank_is_fast_for_hundreds_of_candidates() -> None:
    scorer = Scorer.default()
    query = normalize_record(CHUY)
    cands = [
        normalize_record(dict(JESUS, id=f"c{i}", given_names=g, birth_date=f"{1960 + i % 40}"))
        for i, g in enumerate(["Jesús", "José", "Juan Carlos", "María", "Jesus Alberto"] * 80)
    ]
    started = time.perf_counter()
    best = scorer.rank(query, cands, top=10)
    elapsed = time.perf_counter() - started
    assert len(best) == 10
    assert best[0].match_weight >= best[-1].match_weight
    assert elapsed < 0.05, elapsed
