"""Thin requests (issue 11, round 4): a family that knows only a given name, often misspelt,
and one surname is searched wider than a record that says more, through the registry's wide
keys; their namesakes and siblings are still not proposed at 0.5."""

from __future__ import annotations

from typing import Any

import pytest

from enlace.linkage import (
    WIDE_PREFIX,
    Scorer,
    blocking_keys,
    input_record,
    normalize_record,
    registry_keys,
    request_keys,
)
from enlace.linkage.blocking import is_thin
from enlace.linkage.model import default_model, limit_wide_keys, predict, records_table

THRESHOLD = 0.5


def person(**fields: str) -> dict[str, str]:
    base = {
        "id": "reg",
        "given_names": "Francisca",
        "first_surname": "Pereira",
        "second_surname": "Silva",
        "sex": "F",
        "birth_date": "1983-04-09",
        "birth_place": "Recife",
        "nationality": "BR",
        "mother_name": "Ana Maria Pereira",
    }
    return base | fields


def sibling(registered: dict[str, str], given_names: str, sex: str = "F") -> dict[str, str]:
    """Same surnames, mother, place and nationality; another given name, born two years later."""
    year = int(registered["birth_date"][:4]) + 2
    return registered | {
        "id": "sib",
        "given_names": given_names,
        "sex": sex,
        "birth_date": f"{year}-02-03",
    }


def sought_reaches(query: dict[str, Any], registered: dict[str, Any]) -> bool:
    """The request's keys meet the registry person's (as tracing and ``enlace link`` look up)."""
    return bool(request_keys(normalize_record(query)) & registry_keys(normalize_record(registered)))


def probability(query: dict[str, Any], candidate: dict[str, Any]) -> float:
    return (
        Scorer.default()
        .score(normalize_record(query), normalize_record(candidate))
        .match_probability
    )


@pytest.mark.parametrize(
    ("given", "surname", "registered"),
    [
        ("María", "Flores", person(given_names="María", first_surname="Flores",
                                   second_surname="Gómez", nationality="PE")),
        ("Francicsa", "Silva", person()),  # two letters swapped
        ("Norrma", "Lima", person(given_names="Norma", first_surname="Lima",
                                  second_surname="Bautista")),  # a letter doubled
        ("Mara", "Escobar", person(given_names="María Alejandra", first_surname="Escobar",
                                   second_surname="López")),  # a letter dropped
        ("Antoino", "Carvalho", person(given_names="Antônio Guilherme", sex="M",
                                       first_surname="Cavalcanti", second_surname="Carvalho")),
        ("Dolores", "Pérez", person(given_names="Inés Dolores", first_surname="Pérez",
                                    second_surname="Montoya")),  # the second given name
    ],
)  # fmt: skip
def test_a_thin_request_reaches_the_person_but_not_as_a_match_for_the_sibling(
    given: str, surname: str, registered: dict[str, str]
) -> None:
    query = {"id": "req", "given_names": given, "first_surname": surname}
    assert is_thin(normalize_record(query))
    assert sought_reaches(query, registered)
    # The symmetric keys (dedupe, trafficking links) do not: they are not widened.
    assert not blocking_keys(normalize_record(query)) & blocking_keys(normalize_record(registered))
    brother = sibling(registered, "Jorge Luis", sex="M")
    assert probability(query, brother) < THRESHOLD
    assert probability(query, registered) > probability(query, brother)


def test_a_request_that_knows_a_year_the_mother_or_the_place_is_not_widened() -> None:
    thin = {"id": "req", "given_names": "Francicsa", "first_surname": "Silva"}
    assert any(k.startswith(WIDE_PREFIX) for k in request_keys(normalize_record(thin)))
    for more in ({"birth_date": "1983"}, {"mother_name": "Ana"}, {"birth_place": "Recife"}):
        record = normalize_record(thin | more)
        assert not is_thin(record)
        assert not any(k.startswith(WIDE_PREFIX) for k in request_keys(record))
    # Every registry person holds its wide keys (a few: given names x surnames).
    wide = {k for k in registry_keys(normalize_record(person())) if k.startswith(WIDE_PREFIX)}
    assert wide == {"w|fransiska|pereira", "w|fransiska|silba"}
    # The symmetric keys never carry them.
    assert not any(k.startswith(WIDE_PREFIX) for k in blocking_keys(normalize_record(person())))


def test_a_wide_key_is_not_a_one_edit_neighbour_of_the_other_sex_twice_removed() -> None:
    """The misspelt name reaches Francisca, not her brother Francisco (two edits away)."""
    query = {"id": "req", "given_names": "Francicsa", "first_surname": "Silva"}
    assert not sought_reaches(query, sibling(person(), "Francisco", sex="M"))


def _tables(n_namesakes: int) -> tuple[Any, Any]:
    requests = [input_record(id="q1", given_names="Francicsa", first_surname="Silva")]
    registry = [
        input_record(
            id=f"p{i}",
            given_names="Francisca",
            first_surname="Pereira",
            second_surname="Silva",
            birth_date=f"{1950 + i % 50}-01-02",
        )
        for i in range(n_namesakes)
    ]
    return records_table(requests, role="request"), records_table(registry, role="registry")


def test_the_batch_keeps_a_wide_key_only_while_its_block_is_small() -> None:
    left, right = _tables(3)
    kept = limit_wide_keys(left, right, limit=3).column("bk").to_pylist()[0]
    # Of the ~360 keys of the thin request only those the registry holds remain.
    assert kept == ["w|fransiska|silba"]
    assert limit_wide_keys(left, right, limit=2).column("bk").to_pylist()[0] == []
    # A request that is not thin is left as it is.
    rich = records_table(
        [input_record(id="q2", given_names="Ana", first_surname="Lopez", birth_date="1990")],
        role="request",
    )
    assert limit_wide_keys(rich, right, limit=0).column("bk") == rich.column("bk")


def test_the_batch_link_finds_a_thin_request_unless_it_has_too_many_namesakes() -> None:
    model = default_model("link_only")
    left, right = _tables(3)
    pairs = predict(left, right, model, threshold=0.001)
    assert sorted(pairs.column("unique_id_r").to_pylist()) == ["p0", "p1", "p2"]
    left, right = _tables(101)  # more than WIDE_BLOCK_LIMIT (100) namesakes: not looked up
    assert predict(left, right, model, threshold=0.001).num_rows == 0


def test_a_misspelt_surname_without_a_date_reaches_through_the_mother_known_in_full() -> None:
    registered = person(
        given_names="Lucía Francisca",
        first_surname="Hernández",
        second_surname="de la Cruz",
        nationality="EC",
        birth_place="Guayaquil",
        mother_name="Graciela de la Cruz Hernández",
    )
    query = {
        "id": "req",
        "given_names": "Lucía Francisca",
        "first_surname": "Henández",
        "sex": "F",
        "birth_place": "Guayaquil",
        "mother_name": "Graciela de la Cruz Hernández",
    }
    assert not is_thin(normalize_record(query))
    assert blocking_keys(normalize_record(query)) & blocking_keys(normalize_record(registered))
    assert probability(query, registered) >= THRESHOLD
    # Her sister shares the mother and the place: reached, but not proposed.
    sister = sibling(registered, "Rosa Elena")
    assert probability(query, sister) < THRESHOLD
    # The mother cut after two words is not enough for this key.
    short = query | {"mother_name": "Graciela de la Cruz"}
    assert not any(k.startswith("o|") for k in blocking_keys(normalize_record(short)))


def test_the_batch_counts_a_wide_key_across_the_registry_chunks() -> None:
    # records_table builds the registry in batches (one Arrow chunk each); the wide keys are
    # counted chunk by chunk: a block split over two chunks still counts as a whole.
    left, _ = _tables(0)
    registry = [
        input_record(id=f"p{i}", given_names="Francisca", first_surname="Pereira Silva")
        for i in range(3)
    ]
    right = records_table(registry, batch_size=2, role="registry")
    assert right.column("bk").num_chunks == 2
    assert limit_wide_keys(left, right, limit=3).column("bk").to_pylist()[0] == [
        "w|fransiska|silba"
    ]
    assert limit_wide_keys(left, right, limit=2).column("bk").to_pylist()[0] == []
