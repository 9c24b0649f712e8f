"""Scorer: explanations, siblings, blocking keys, consistency with Splink, speed."""

from __future__ import annotations

import json
import time

import pytest

from enlace.linkage import NormalizedRecord, Scorer, blocking_keys, normalize_record
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
    # Jesús is one of Mexico's most frequent given names: its own, weaker level.
    assert levels["given_names"] == "one_contains_other_frequent"
    assert levels["surnames"] == "one_shared_other_missing_frequent"
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
    # Document numbers: shared, one edit, two edits, different, and with another given name.
    people.append(dict(JESUS, id="d1", document_number="G12345678"))
    people.append(dict(BROTHER, id="d2", document_number="G12345679;X9999999"))
    people.append(dict(JESUS, id="d3", document_number="G12345687", birth_date=""))
    people.append(dict(JESUS, id="d4", given_names="Manuel", document_number="g1234-5678"))
    people.append(dict(JESUS, id="d5", document_number="Z7654321"))
    # A slip in a given name, a twin of the other sex, two full dates apart, rare names.
    people.append(dict(JESUS, id="t1", given_names="Jesis Alberot", birth_date="1990-09-16"))
    people.append(dict(BROTHER, id="t2", birth_date="1990-05-03", sex="F"))
    people.append(dict(JESUS, id="t3", given_names="Ulises", first_surname="Quintanilla"))
    people.append(dict(JESUS, id="t4", given_names="Ulisses", first_surname="Quintanilla"))
    # Masculine/feminine forms are not slips; "Mari" / "María" and "Albert" / "Alberto" are.
    people.append(dict(JESUS, id="t5", given_names="Jesusa Alberta", sex="F"))
    people.append(dict(JESUS, id="t6", given_names="Mari Albert", birth_date="1990"))
    people.append(dict(JESUS, id="t7", given_names="María Alberto", birth_date="1990"))
    # A nickname read by the person's sex (Chelo: Marcelo for a man, Consuelo for a woman).
    people.append(dict(JESUS, id="n1", given_names="Marcelo", birth_date="1990"))
    people.append(dict(CHUY, id="n2", given_names="Chelo", sex="m"))
    people.append(dict(CHUY, id="n3", given_names="Chelo", sex="f"))
    people.append(dict(CHUY, id="n4", given_names="Chelo", sex=""))
    # Born the same year: another month (a sibling), a day/month swap, a slip in the month.
    people.append(dict(JESUS, id="m1", given_names="Jesús", birth_date="1990-11-20"))
    people.append(dict(JESUS, id="m2", given_names="Alberto", birth_date="1990-03-05"))
    people.append(dict(JESUS, id="m3", given_names="Jesús", birth_date="1990-07-03"))
    people.append(dict(JESUS, id="m4", given_names="Jesús", birth_date="1990-11"))
    # The mother's name: known in part, two women each with a word the other lacks, two
    # frequent words only.
    people.append(dict(JESUS, id="o1", mother_name="Guadalupe Gómez"))
    people.append(dict(JESUS, id="o2", mother_name="Guadalupe Ximena Gómez Salas"))
    people.append(dict(JESUS, id="o3", mother_name="María Ana"))
    people.append(dict(JESUS, id="o4", mother_name="María Ana Ruiz Alves"))
    # Years three and twenty apart.
    people.append(dict(JESUS, id="y1", birth_date="1987-05-03"))
    people.append(dict(JESUS, id="y2", birth_date="1970"))
    model = default_model()
    pairs = predict(records_table(people), None, model, threshold=0.0)
    assert pairs.num_rows > 0
    scorer = Scorer.from_json(json.dumps(model))
    recs = {p["id"]: normalize_record(p) for p in people}
    for row in pairs.to_pylist():
        mine = scorer.score(recs[row["unique_id_l"]], recs[row["unique_id_r"]])
        assert abs(mine.match_weight - row["match_weight"]) < 1e-6, row


def _namesakes(count: int, *, first_year: int, years: int) -> list[NormalizedRecord]:
    """Pérez Gómez relatives and namesakes with a few given names and birth years."""
    names = ["Jesús", "José", "Juan Carlos", "María", "Jesus Alberto"]
    return [
        normalize_record(
            dict(
                JESUS, id=f"c{i}", given_names=names[i % 5], birth_date=f"{first_year + i % years}"
            )
        )
        for i in range(count)
    ]


def test_rank_is_fast_for_hundreds_of_candidates() -> None:
    scorer = Scorer.default()
    query = normalize_record(CHUY)
    cands = _namesakes(400, first_year=1960, years=40)
    started = time.perf_counter()
    best = scorer.rank(query, cands, top=10)
    elapsed = time.perf_counter() - started
    assert len(best) == 10
    assert best[0].match_weight >= best[-1].match_weight
    assert elapsed < 0.05, elapsed


def test_given_names_and_surnames_swapped() -> None:
    swapped = dict(JESUS, id="q9", given_names="Pérez", first_surname="Jesús", second_surname="")
    match = Scorer.default().score(normalize_record(swapped), normalize_record(JESUS))
    levels = {f.field: f.level for f in match.explanation}
    assert levels["given_names"] == "swapped_with_surnames"
    assert levels["surnames"] == "swapped_with_given"
    assert match.match_probability > 0.5
    assert blocking_keys(normalize_record(swapped)) & blocking_keys(normalize_record(JESUS))


def test_same_full_date_keeps_family_fields_when_given_names_differ() -> None:
    # Another recorded given name (e.g. a used name) but the same full birth date: the
    # surnames, place and mother count again; a sibling born another day stays "related".
    other_name = dict(JESUS, id="q8", given_names="Manuel")
    scorer = Scorer.default()
    levels = {
        f.field: f.level
        for f in scorer.score(normalize_record(other_name), normalize_record(JESUS)).explanation
    }
    assert levels["surnames"] == "two_shared_frequent"  # Pérez, Gómez: frequent
    sibling = {
        f.field: f.level
        for f in scorer.score(normalize_record(BROTHER), normalize_record(JESUS)).explanation
    }
    assert sibling["surnames"] == "null_or_given_names_differ"


def test_sibling_born_the_same_year_in_another_month_is_not_proposed() -> None:
    # "Guadalupe", born 2016-09-16, sought by her family; the registry holds her sister
    # Rosa Guadalupe, born 2016-05-14: same surnames and mother. One shared given name and
    # the same year do not make them one person when the months differ.
    sought = {
        "id": "q1",
        "given_names": "Guadalupe",
        "first_surname": "Guerrero",
        "second_surname": "López",
        "sex": "F",
        "birth_date": "2016-09-16",
        "nationality": "CO",
        "mother_name": "Alicia María López Silva",
    }
    sister = dict(sought, id="p1", given_names="Rosa Guadalupe", birth_date="2016-05-14")
    scorer = Scorer.default()
    match = scorer.score(normalize_record(sought), normalize_record(sister))
    assert match.match_probability < 0.5
    levels = {f.field: f.level for f in match.explanation}
    assert levels["mother_name"] == levels["surnames"] == "null_or_given_names_differ"
    # Only the month known ("2016-12"): the same.
    month_only = dict(sought, birth_date="2016-12")
    assert (
        scorer.score(normalize_record(month_only), normalize_record(sister)).match_probability < 0.5
    )
    # The same person: day and month swapped, or a slip in the month (same day), or the
    # month unknown: still found.
    for date in ("2016-05-14", "2016-14-05", "2016-06-14", "2016"):
        herself = dict(sought, given_names="Rosa", birth_date=date)
        found = scorer.score(normalize_record(herself), normalize_record(sister))
        assert found.match_probability > 0.9, date


def test_both_surnames_with_a_typo() -> None:
    typo2 = dict(JESUS, id="q6", first_surname="Pérez", second_surname="Gmoez")
    levels2 = {
        f.field: f.level
        for f in Scorer.default()
        .score(normalize_record(typo2), normalize_record(JESUS))
        .explanation
    }
    assert levels2["surnames"] == "two_similar"


def test_model_saved_before_new_levels_still_loads() -> None:
    old = default_model()
    for comp in old["comparisons"]:
        comp["comparison_levels"] = [
            lvl
            for lvl in comp["comparison_levels"]
            if not lvl["label_for_charts"].startswith("swapped")
        ]
    scorer = Scorer.from_json(json.dumps(old))
    assert scorer.score(normalize_record(CHUY), normalize_record(JESUS)).match_probability > 0.9


def test_spark_sql_quotes_identifiers_with_backticks() -> None:
    from enlace.linkage.comparisons import COMPARISONS

    for comp in COMPARISONS:
        for level in comp.splink_dict("spark")["comparison_levels"]:  # type: ignore[attr-defined]
            assert '"' not in level["sql_condition"], level["sql_condition"]


def test_fast_classifiers_agree_with_level_predicates() -> None:
    from enlace.linkage.comparisons import COMPARISONS

    people = [JESUS, CHUY, BROTHER]
    people += [
        dict(JESUS, id="v1", given_names="Pérez", first_surname="Jesús", second_surname=""),
        dict(JESUS, id="v2", given_names="Manuel"),
        dict(JESUS, id="v3", first_surname="Gmoez", second_surname="Pérez", birth_place="Oaxaka"),
        dict(JESUS, id="v4", given_names="Jesus Alberto Perez Gomez", first_surname=""),
        dict(CHUY, id="v5", sex="", mother_name="Guadalupe Ruiz", nationality=""),
        dict(BROTHER, id="v6", mother_name="Lupe", birth_date="1990-03-05", sex="F"),
        {"id": "v7", "given_names": "Ana"},
        dict(JESUS, id="v8", given_names="Jesús Miguel", second_surname="Gómez Ruiz"),
        dict(JESUS, id="d1", document_number="G12345678"),
        dict(BROTHER, id="d2", document_number="G12345679;X9999999"),
        dict(JESUS, id="d3", given_names="Manuel", document_number="G12345687"),
        dict(CHUY, id="d4", document_number="g1234-5678"),
        dict(CHUY, id="d5", document_number="12345"),
        dict(CHUY, id="d6", document_number="12354"),
        dict(JESUS, id="o1", mother_name="Guadalupe Gómez"),
        dict(JESUS, id="o2", mother_name="Guadalupe Ximena Gómez Salas"),
        dict(JESUS, id="o3", mother_name="María Ana"),
        dict(JESUS, id="o4", mother_name="María Ana Ruiz Alves"),
    ]
    recs = [normalize_record(p) for p in people]
    for a in recs:
        for b in recs:
            for comp in COMPARISONS:
                assert comp.level_index(a, b) == comp.level_index_by_tests(a, b), (
                    comp.name,
                    a.id,
                    b.id,
                )


def test_an_estimated_age_reaches_three_years_but_no_further() -> None:
    from enlace.linkage import Scorer, blocking_keys, normalize_record

    chuy = normalize_record(
        {
            "id": "q",
            "given_names": "Chuy",
            "first_surname": "Pérez",
            "age": 25,
            "age_reported_on": "2026-11-27",
        }
    )
    scorer = Scorer.default()
    levels = {}
    for year in (1999, 2001, 1996):
        cand = normalize_record(
            {
                "id": str(year),
                "given_names": "JESUS ALBERTO",
                "first_surname": "PEREZ",
                "second_surname": "GOMEZ",
                "birth_date": str(year),
            }
        )
        levels[year] = {f.field: f.level for f in scorer.score(chuy, cand).explanation}
        assert (blocking_keys(chuy) & blocking_keys(cand)) or year == 1996
    assert levels[1999]["birth_date"] == "within_1_year"  # 2 years from the estimate
    assert levels[2001]["birth_date"] == "same_year_compatible"
    # 5 years: beyond the age's tolerance, so not aligned (two to five years apart).
    assert levels[1996]["birth_date"] == "within_5_years"


def test_exact_years_keep_the_one_year_tolerance() -> None:
    from enlace.linkage import Scorer, normalize_record

    a = normalize_record(
        {"id": "a", "given_names": "Ana", "first_surname": "Ruiz", "birth_date": "1990"}
    )
    b = normalize_record(
        {"id": "b", "given_names": "Ana", "first_surname": "Ruiz", "birth_date": "1993"}
    )
    levels = {f.field: f.level for f in Scorer.default().score(a, b).explanation}
    assert levels["birth_date"] == "within_5_years"  # not "within one year"


def test_shared_document_number_is_strong_evidence_and_not_a_sibling() -> None:
    scorer = Scorer.default()
    registered = normalize_record(dict(JESUS, document_number="G12345678"))
    # Another recorded given name, no date: the shared passport number keeps the surnames,
    # place and mother in play (siblings never share a document number).
    used_name = normalize_record(
        dict(JESUS, id="q7", given_names="Manuel", birth_date="", document_number="g-1234 5678")
    )
    match = scorer.score(used_name, registered)
    levels = {f.field: f.level for f in match.explanation}
    assert levels["document_number"] == "exact"
    assert levels["surnames"] == "two_shared_frequent"  # Pérez, Gómez: frequent
    assert match.match_probability > 0.9
    assert blocking_keys(used_name) & blocking_keys(registered) >= {"x|G12345678"}
    # A brother whose passport was issued next to his: one edit apart, still a sibling.
    brother = normalize_record(dict(BROTHER, document_number="G12345679"))
    levels = {f.field: f.level for f in scorer.score(brother, registered).explanation}
    assert levels["document_number"] == "one_edit"
    assert levels["surnames"] == "null_or_given_names_differ"
    # Two digits swapped on a long number; a short number needs to be exact or one edit.
    swapped = normalize_record(dict(JESUS, id="q8", document_number="G12345687"))
    levels = {f.field: f.level for f in scorer.score(swapped, registered).explanation}
    assert levels["document_number"] == "two_edits"
    short_a = normalize_record(dict(JESUS, id="q9", document_number="12345"))
    short_b = normalize_record(dict(JESUS, id="q10", document_number="12354"))
    levels = {f.field: f.level for f in scorer.score(short_a, short_b).explanation}
    assert levels["document_number"] == "different"
    # Without a number on one side the field is not compared.
    levels = {
        f.field: f.level for f in scorer.score(normalize_record(JESUS), registered).explanation
    }
    assert levels["document_number"] == "null"


def test_model_saved_before_document_numbers_still_loads() -> None:
    old = default_model()
    old["comparisons"] = [
        comp for comp in old["comparisons"] if comp["output_column_name"] != "document_number"
    ]
    scorer = Scorer.from_json(json.dumps(old))
    a = normalize_record(dict(JESUS, document_number="G12345678"))
    b = normalize_record(dict(JESUS, id="q2", document_number="G12345678"))
    levels = {f.field: (f.level, f.weight) for f in scorer.score(a, b).explanation}
    assert levels["document_number"][0] == "exact"
    assert levels["document_number"][1] > 10  # the default m/u
    broken = default_model()
    broken["comparisons"] = broken["comparisons"][1:]  # an Enlace comparison is missing
    with pytest.raises(ValueError, match="given_names"):
        Scorer.from_json(json.dumps(broken))


def test_rank_keeps_the_best_scores_above_the_threshold() -> None:
    # rank() weighs every candidate and explains only the ones it returns: the same result
    # as scoring them all, filtering on probability and keeping the best.
    scorer = Scorer.default()
    query = normalize_record(CHUY)
    cands = _namesakes(30, first_year=1985, years=9)
    for top, floor in ((5, 0.01), (30, 0.5), (3, 0.999)):
        everyone = sorted(
            (scorer.score(query, c) for c in cands), key=lambda m: (-m.match_weight, m.candidate_id)
        )
        expected = [m for m in everyone if m.match_probability >= floor][:top]
        assert scorer.rank(query, cands, top=top, min_probability=floor) == expected
    for c in cands:
        assert scorer.weight(query, c) == scorer.score(query, c).match_weight


def _registry_with_frequencies() -> list[dict[str, str]]:
    """A small registry where María and Silva are common and Raimunda and Quintanilla rare."""
    given = ["María", "María", "María", "José", "José", "Ana", "Raimunda", "Luis", "Pedro"]
    surnames = ["Silva", "Silva", "Silva", "Santos", "Santos", "Costa", "Quintanilla", "Lima"]
    return [
        {
            "id": f"p{i}",
            "given_names": given[i % len(given)],
            "first_surname": surnames[(i // 3) % len(surnames)],
            "second_surname": surnames[(i // 7) % len(surnames)],
            "birth_date": f"{1950 + i % 40}",
            "sex": "F" if i % 2 else "M",
        }
        for i in range(300)
    ]


def _tf_model(people: list[dict[str, str]]) -> dict[str, object]:
    from enlace.linkage.frequencies import TF_KEY, count_frequencies
    from enlace.linkage.model import connect

    con = connect()
    con.register("reg", records_table(people))
    model = default_model()
    model[TF_KEY] = count_frequencies(con, "reg")
    return model


def test_rare_shared_name_scores_higher_than_a_frequent_one() -> None:
    """Per-value term frequencies: the registry's counts are stored in the model and read
    back from its JSON; the same agreement weighs more on a rare value."""
    from enlace.linkage.frequencies import TF_KEY

    model = _tf_model(_registry_with_frequencies())
    saved = json.loads(json.dumps(model))
    counts = saved[TF_KEY]["fields"]["given_names"]["counts"]
    assert counts["maria"] > 2 * counts["ana"]
    scorer, plain = Scorer.from_json(json.dumps(saved)), Scorer(default_model())
    base = {"birth_date": "1970", "sex": "F"}

    def weight(s: Scorer, given: str, **kw: str) -> float:
        a = normalize_record(dict(base, id="a", given_names=given, **kw))
        b = normalize_record(dict(base, id="b", given_names=given, second_surname="Lima", **kw))
        return s.score(a, b).match_weight

    # Ana and María, Costa and Silva are all among the region's most frequent names (the same
    # two-bin level): only the registry's counts tell them apart.
    assert (
        weight(scorer, "Ana", first_surname="Lima")
        > weight(scorer, "María", first_surname="Lima") + 1
    )
    assert weight(plain, "Ana", first_surname="Lima") == pytest.approx(
        weight(plain, "María", first_surname="Lima")
    )
    rare = weight(scorer, "Luis", first_surname="Costa")
    common = weight(scorer, "Luis", first_surname="Silva")
    assert rare > common + 1
    assert weight(plain, "Luis", first_surname="Costa") == pytest.approx(
        weight(plain, "Luis", first_surname="Silva")
    )
    # A value the registry never saw counts as seen once: never more than the cap.
    unseen = weight(scorer, "Luis", first_surname="Zzyzx")
    assert unseen >= rare
    assert unseen - weight(plain, "Luis", first_surname="Zzyzx") <= 2 * 3.0 + 1e-9


def test_scorer_equals_splink_with_term_frequencies() -> None:
    people = _registry_with_frequencies()[:120]
    people += [JESUS, CHUY, BROTHER, dict(JESUS, id="r3", given_names="Jesús Raimunda")]
    people.append(dict(CHUY, id="q2", given_names="Raimunda", first_surname="Silva"))
    people.append(dict(CHUY, id="q3", given_names="María José", first_surname="Quintanilla"))
    model = _tf_model(people)
    pairs = predict(records_table(people), None, model, threshold=0.0)
    assert pairs.num_rows > 100
    scorer = Scorer.from_json(json.dumps(model))
    plain = Scorer(default_model())
    recs = {p["id"]: normalize_record(p) for p in people}
    moved = 0
    for row in pairs.to_pylist():
        a, b = recs[row["unique_id_l"]], recs[row["unique_id_r"]]
        mine = scorer.score(a, b)
        assert abs(mine.match_weight - row["match_weight"]) < 1e-6, row
        moved += abs(mine.match_weight - plain.score(a, b).match_weight) > 0.1
    assert moved > 10


def test_adjust_pairs_equals_predict_with_term_frequencies() -> None:
    """The adjustment applied after another backend's scoring (Spark) gives the same pairs."""
    from enlace.linkage.frequencies import TF_KEY
    from enlace.linkage.model import adjust_pairs

    people = [*_registry_with_frequencies()[:80], JESUS, CHUY, BROTHER]
    model = _tf_model(people)
    table = records_table(people)
    plain = {k: v for k, v in model.items() if k != TF_KEY}
    unadjusted = predict(table, None, plain, threshold=0.0)
    got = adjust_pairs(unadjusted, table, None, model, threshold=0.2)
    want = predict(table, None, model, threshold=0.2)
    key = ("unique_id_l", "unique_id_r")

    def rows(t: object) -> dict[tuple[str, str], float]:
        return {tuple(r[k] for k in key): r["match_weight"] for r in t.to_pylist()}  # type: ignore[attr-defined]

    assert rows(got).keys() == rows(want).keys() and len(rows(want)) > 5
    for pair, w in rows(want).items():
        assert rows(got)[pair] == pytest.approx(w)


def test_name_frequency_reference_counts_records_without_a_frequent_name() -> None:
    """The "other" bin's reference is the mean over every record not all of whose names are
    frequent, those with no frequent name at all included (they were once a separate NULL
    group, and the bin took one group's mean or the other's at random)."""
    from collections import Counter

    from enlace.linkage.comparisons import frequent_surnames
    from enlace.linkage.frequencies import count_frequencies
    from enlace.linkage.model import connect

    surnames = [("Silva", "Santos")] * 6 + [("Silva", "Quintanilla")] * 4
    surnames += [("Quintanilla", "Zubiaurre")] * 3 + [("Zubiaurre", "")] * 2
    people = [
        {"id": f"p{i}", "given_names": "Ana", "first_surname": a, "second_surname": b}
        for i, (a, b) in enumerate(surnames)
    ]
    recs = [normalize_record(p) for p in people]
    counts = Counter(v for r in recs for v in set(r.surnames_ph))
    mins = [
        min(counts[v] for v in r.surnames_ph)
        for r in recs
        if len(set(frequent_surnames(r))) < len(set(r.surnames_ph))
    ]
    assert len(mins) == 9  # mixed (4) and without any frequent surname (5)
    for _ in range(5):  # the same on every run
        con = connect(threads=2)
        con.register("reg", records_table(people))
        ref = count_frequencies(con, "reg")["fields"]["surnames"]["ref"]
        assert ref["other"] == pytest.approx(sum(mins) / len(mins) / len(recs))
