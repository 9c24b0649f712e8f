"""The linkage engine is deterministic (the same records give the same scores and order, call
after call and whatever order the candidates come in) and symmetric (score(a, b) equals
score(b, a), both in weight and in every field's level)."""

from hypothesis import given
from hypothesis import strategies as st

from enlace.linkage import Scorer, normalize_record

SCORER = Scorer.default()

_NAMES = st.sampled_from(
    ["María José", "Maria Jose", "José", "Pepe", "Juan Carlos", "Lupita", "Guadalupe", "Ana", ""]
)
_SURNAMES = st.sampled_from(["López", "Lopez", "Pérez", "de la Cruz", "Quispe", "Ríos", ""])
_DATES = st.sampled_from(["1990-07-14", "1990-07-15", "1990-07", "1990", "1991-07-14", ""])
_TEXT = st.text(max_size=20)


@st.composite
def records(draw, ident=None):
    raw = {
        "id": ident or draw(st.uuids()).hex,
        "given_names": draw(st.one_of(_NAMES, _TEXT)),
        "first_surname": draw(st.one_of(_SURNAMES, _TEXT)),
        "second_surname": draw(_SURNAMES),
        "sex": draw(st.sampled_from(["F", "M", "U", ""])),
        "birth_date": draw(_DATES),
        "birth_place": draw(st.sampled_from(["Tegucigalpa", "tegucigalpa", "Oaxaca", ""])),
        "nationality": draw(st.sampled_from(["HN", "GT", "MX", ""])),
        "mother_name": draw(st.one_of(_NAMES, st.just(""))),
        "document_number": draw(st.sampled_from(["", "A123", "A123;B9"])),
    }
    if draw(st.booleans()):
        raw["age"] = draw(st.sampled_from(["", "34", "35", "abc"]))
        raw["age_reported_on"] = "2024-06-01"
        raw["birth_date"] = ""
    return normalize_record(raw)


@given(records(), records())
def test_score_is_symmetric(a, b):
    ab, ba = SCORER.score(a, b), SCORER.score(b, a)
    assert ab.match_weight == ba.match_weight
    assert ab.match_probability == ba.match_probability
    assert [(f.field, f.level) for f in ab.explanation] == [
        (f.field, f.level) for f in ba.explanation
    ]
    assert SCORER.weight(a, b) == SCORER.weight(b, a) == ab.match_weight


@given(records(), st.lists(records(), max_size=8), st.randoms(use_true_random=False))
def test_rank_is_deterministic_whatever_the_order(query, candidates, rnd):
    first = SCORER.rank(query, candidates, top=5, min_probability=0.0)
    again = SCORER.rank(query, candidates, top=5, min_probability=0.0)
    shuffled = list(candidates)
    rnd.shuffle(shuffled)
    other_order = SCORER.rank(query, shuffled, top=5, min_probability=0.0)

    def key(ms):
        return [(m.candidate_id, m.match_weight, m.match_probability) for m in ms]

    assert key(first) == key(again) == key(other_order)
    weights = [m.match_weight for m in first]
    assert weights == sorted(weights, reverse=True)


@given(records(), records())
def test_normalising_again_scores_the_same(a, b):
    from enlace.linkage import NormalizedRecord

    a2 = NormalizedRecord.from_dict(a.to_dict())
    b2 = NormalizedRecord.from_dict(b.to_dict())
    assert SCORER.score(a2, b2) == SCORER.score(a, b)
