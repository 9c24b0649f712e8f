"""The CTDC-layout extract: CTDC's columns, k-anonymity (k = 11) over the quasi-identifiers,
nothing that names anyone, and only for the secretariat's analysts and the focal points."""

import csv
import io
import random
from collections import Counter
from pathlib import Path

import pytest
from django.http import Http404

from enlace.accounts.actor import actor_for
from enlace.people import services as people_services
from enlace.trafficking import ctdc, services

from .conftest import PERPETRATOR_NAME, VICTIM_NAME

SAMPLE = Path(__file__).resolve().parent / "data" / "ctdc" / "columns.csv"


def test_columns_are_ctdcs():
    header = SAMPLE.read_text(encoding="utf-8").splitlines()[0].split(";")
    assert tuple(header[1:]) == ctdc.COLUMNS


def _records(sizes: dict[tuple[str, ...], int]) -> list[dict[str, str]]:
    out = []
    for (year, gender, age, citizenship, country), n in sizes.items():
        for _i in range(n):
            row = dict.fromkeys(ctdc.COLUMNS, "")
            row |= {
                "yearOfRegistration": year,
                "gender": gender,
                "ageBroad": age,
                "majorityStatus": "Minor" if age == "9--17" else "Adult",
                "citizenship": citizenship,
                "CountryOfExploitation": country,
            }
            out.append(row)
    random.Random(7).shuffle(out)
    return out


def test_anonymise_every_combination_at_least_k():
    sizes = {
        ("2025", "Female", "18--20", "HN", "MX"): 25,  # released as is
        ("2025", "Female", "21--23", "HN", "MX"): 6,  # small: age generalised
        ("2025", "Female", "24--26", "HN", "MX"): 7,
        ("2024", "Male", "9--17", "GT", "US"): 4,  # small everywhere
        ("2026", "Male", "30--38", "SV", "GT"): 3,
        ("2026", "Female", "48+", "NI", "CR"): 1,
    }
    released = ctdc.anonymise(_records(sizes))
    groups = Counter(tuple(r[c] for c in ctdc.QUASI_IDENTIFIERS) for r in released)
    assert groups and min(groups.values()) >= ctdc.K
    # The large group is released unchanged; the two small adult groups merge once their age
    # range is dropped (13 ≥ 11) rather than being suppressed.
    assert groups[("2025", "Female", "18--20", "Adult", "", "HN", "MX")] == 25
    assert groups[("2025", "Female", "", "Adult", "", "HN", "MX")] == 13
    assert len(released) <= sum(sizes.values())


def _victim_people(world, n: int, sex: str = "F") -> list:
    registrar = actor_for(world.users["officer_gt_consulate"])
    people = []
    for i in range(n):
        person = people_services.person_create(
            actor=registrar,
            data={
                "given_names": f"Zenaida{i}",
                "first_surname": "Quispecahuana",
                "sex": sex,
                "birth_date": f"2000-0{1 + i % 9}-1{i % 9}",
            },
            nationalities=["HN"],
        )
        people_services.vulnerability_add(actor=registrar, person=person, kind="trafficking_victim")
        people.append(person)
    return people


def _extract(actor) -> list[dict[str, str]]:
    text = ctdc.extract_csv(actor).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = rows[0]
    assert header[0] == ctdc.NOTICE and tuple(header[1:]) == ctdc.COLUMNS
    assert all(r[0] == "" for r in rows[1:])
    return [dict(zip(header[1:], r[1:], strict=True)) for r in rows[1:]], text


def test_extract_k_anonymous_and_without_identities(world):
    tfp = world.actor("tfp_gt")
    people = _victim_people(world, 12) + _victim_people(world, 3, sex="M")
    case = services.case_create(
        actor=tfp,
        kind="trafficking",
        summary="Red de reclutamiento en Copán: texto libre secreto",
        victims=[
            {
                "person": p.pk,
                "type_of_exploitation": ["ForcedLabour"],
                "forced_labour_industry": "A_AgricultureForestryAndFishing",
                "methods_of_control": ["DebtBondage"],
                "location_of_recruitment": "Aldea Lejana",
            }
            for p in people
        ],
        events=[{"type": "Exploitation", "country": "MX", "description": "Finca"}],
    )
    rows, text = _extract(actor_for(world.users["analyst"]))
    groups = Counter(tuple(r[c] for c in ctdc.QUASI_IDENTIFIERS) for r in rows)
    assert min(groups.values()) >= ctdc.K
    assert len(rows) == 12  # the 12 women released (age generalised), 3 men and 1 suppressed
    assert {r["CountryOfExploitation"] for r in rows} == {"MX"}
    assert {r["typeOfLabourAgriculture"] for r in rows} == {"1"}
    assert {r["meansOfControlConcatenated"] for r in rows} == {"Debt bondage"}
    for secret in (
        *VICTIM_NAME,
        *PERPETRATOR_NAME,
        "Zenaida",
        "Quispecahuana",
        case.reference,
        world.case.reference,
        "2000-0",
        "Copán",
        "Aldea Lejana",
        "Finca",
        "Huehuetenango",
        str(people[0].pk),
    ):
        assert secret not in text


@pytest.mark.parametrize("user", ["officer_gt", "nfp_gt", "admin"])
def test_extract_refused_to_others(world, user):
    with pytest.raises(Http404):
        ctdc.extract_csv(world.actor(user))


def test_extract_queries_do_not_grow_with_cases(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tfp = world.actor("tfp_gt")
    analyst = actor_for(world.users["analyst"])
    counts = []
    for n in (2, 6):
        people = _victim_people(world, n)
        for person in people:
            services.case_create(
                actor=tfp,
                kind="trafficking",
                summary="Caso",
                victims=[{"person": person.pk, "type_of_exploitation": ["SexualExploitation"]}],
                events=[{"type": "Exploitation", "country": "GT"}],
            )
        with CaptureQueriesContext(connection) as queries:
            ctdc.extract_csv(analyst)
        counts.append(len(queries))
    assert counts[0] == counts[1]
