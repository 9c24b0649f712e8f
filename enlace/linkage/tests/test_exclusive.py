"""One person sought: a request's candidates share its probability (batch and online alike)."""

from __future__ import annotations

import math

import pytest

from enlace.linkage import Scorer, normalize_record, registry_keys, request_keys
from enlace.linkage.model import (
    default_model,
    exclusive_pairs,
    predict,
    records_table,
)
from enlace.linkage.scoring import EXCLUSIVE_FLOOR, exclusive_probabilities

SOUGHT = {
    "id": "q1",
    "given_names": "Pedro",
    "first_surname": "Silva",
    "second_surname": "Souza",
    "sex": "M",
    "birth_date": "1960",
    "nationality": "BR",
}
# Two registry persons the request describes equally well (same names, born the same year).
NAMESAKE_1 = dict(SOUGHT, id="p1", birth_date="1960-06-23", birth_place="Porto Alegre")
NAMESAKE_2 = dict(SOUGHT, id="p2", birth_date="1960-02-11", birth_place="Recife")


def _p(weight: float) -> float:
    return 2.0**weight / (1 + 2.0**weight)


def test_alone_a_candidate_keeps_its_probability_and_a_tie_is_shared() -> None:
    assert exclusive_probabilities([3.0]) == pytest.approx([_p(3.0)])
    # Two candidates at 0.5 each (odds 1): each is the person with probability 1/3.
    assert exclusive_probabilities([0.0, 0.0]) == pytest.approx([1 / 3, 1 / 3])
    # A clear match leaves nothing to a namesake that alone would be proposed at 0.6.
    best, namesake = exclusive_probabilities([12.0, math.log2(0.6 / 0.4)])
    assert best > 0.999 and namesake < 0.001
    # Never more than 1 in all, however many candidates, and no overflow at extreme weights.
    shared = exclusive_probabilities([2.0, 1.0, 0.5, -1.0, 900.0, -900.0])
    assert sum(shared) <= 1.0 + 1e-12 and shared[4] == pytest.approx(1.0)
    assert exclusive_probabilities([-1500.0])[0] < 1e-300
    # Candidates under the floor are not competitors (their own value is still given).
    tiny = math.log2(EXCLUSIVE_FLOOR / 2)
    assert exclusive_probabilities([0.0] + [tiny] * 50)[0] == pytest.approx(0.5)
    assert exclusive_probabilities([0.0] + [tiny] * 50, floor=0.0)[0] < 0.495


def test_two_namesakes_are_not_both_proposed_but_both_stay_listed() -> None:
    scorer = Scorer.default()
    query = normalize_record(SOUGHT)
    cands = [normalize_record(NAMESAKE_1), normalize_record(NAMESAKE_2)]
    pairwise = scorer.rank(query, cands, min_probability=0.01)
    assert [m.match_probability >= 0.5 for m in pairwise] == [True, True]
    shared = scorer.rank(query, cands, min_probability=0.01, exclusive=True)
    # Same candidates, same order and weights; neither reaches 0.5: who is it, 1 or 2?
    assert [m.candidate_id for m in shared] == [m.candidate_id for m in pairwise]
    assert [m.match_weight for m in shared] == [m.match_weight for m in pairwise]
    assert all(m.match_probability < 0.5 for m in shared)
    # With the full date known, the request tells them apart: one is proposed, alone.
    dated = normalize_record(dict(SOUGHT, birth_date="1960-06-23"))
    told = scorer.rank(dated, cands, min_probability=0.01, exclusive=True)
    assert told[0].candidate_id == "p1" and told[0].match_probability > 0.99
    assert all(m.match_probability < 0.01 for m in told[1:])


def _link_people() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    registry = [NAMESAKE_1, NAMESAKE_2]
    for i, (given, year) in enumerate(
        [("Pedro Paulo", "1961"), ("Paulo", "1960"), ("Pedro", "1975"), ("João", "1960")]
    ):
        registry.append(dict(SOUGHT, id=f"p{i + 3}", given_names=given, birth_date=year))
    registry.append(dict(NAMESAKE_1, id="p9", given_names="Ana", sex="F"))
    requests = [
        SOUGHT,
        dict(SOUGHT, id="q2", birth_date="1960-06-23"),
        dict(SOUGHT, id="q3", given_names="Pedro Paulo", birth_date="1961-04-02"),
        dict(SOUGHT, id="q4", second_surname="", birth_date=""),
    ]
    return requests, registry


def test_batch_shares_the_probability_as_the_online_scorer() -> None:
    requests, registry = _link_people()
    model = default_model("link_only")
    left = records_table(requests, role="request")
    right = records_table(registry, role="registry")
    got = predict(left, right, model, threshold=0.01, exclusive=True).to_pylist()
    pairwise = predict(left, right, model, threshold=0.01).to_pylist()
    assert {(r["unique_id_l"], r["unique_id_r"]) for r in got} == {
        (r["unique_id_l"], r["unique_id_r"]) for r in pairwise
    }
    scorer = Scorer(model)
    reg = {r["id"]: normalize_record(r) for r in registry}
    changed = 0
    for req in requests:
        query = normalize_record(req)
        keys = request_keys(query)
        cands = [rec for rec in reg.values() if keys & registry_keys(rec)]
        online = {
            m.candidate_id: m.match_probability
            for m in scorer.rank(query, cands, top=100, min_probability=0.01, exclusive=True)
        }
        batch = {
            r["unique_id_r"]: r["match_probability"] for r in got if r["unique_id_l"] == req["id"]
        }
        assert batch.keys() == online.keys()
        for pid, p in batch.items():
            assert p == pytest.approx(online[pid], abs=1e-9), (req["id"], pid)
        assert sum(batch.values()) <= 1.0 + 1e-9
    for row, plain in zip(
        sorted(got, key=lambda r: (r["unique_id_l"], r["unique_id_r"])),
        sorted(pairwise, key=lambda r: (r["unique_id_l"], r["unique_id_r"])),
        strict=True,
    ):
        assert row["match_weight"] == pytest.approx(plain["match_weight"])
        changed += row["match_probability"] < plain["match_probability"] - 0.05
    assert changed >= 2
    # The same from pairs scored elsewhere (Spark): pairwise pairs down to the floor.
    low = predict(left, right, model, threshold=EXCLUSIVE_FLOOR)
    again = {
        (r["unique_id_l"], r["unique_id_r"]): r["match_probability"]
        for r in exclusive_pairs(low, threshold=0.01).to_pylist()
    }
    assert again == pytest.approx(
        {(r["unique_id_l"], r["unique_id_r"]): r["match_probability"] for r in got}
    )
