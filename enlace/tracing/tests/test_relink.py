"""The registry relink: people whose index is current are skipped, a changed person is
re-indexed alone and only the requests it touches are re-matched, and the outcome equals a
rebuild from scratch. Runs on SQLite and, with DATABASE_URL, on PostgreSQL (COPY, merge and
table swap)."""

from typing import Any

import pytest
from django.db import transaction

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE
from enlace.core.models import Job
from enlace.people import services as people_services
from enlace.people.models import Person, PersonIndex, PersonKey
from enlace.tracing import services
from enlace.tracing.models import TracingMatch
from enlace.tracing.tasks import registry_relink
from enlace.tracing.tests.test_tracing import AGE

pytestmark = pytest.mark.django_db

PEOPLE = [
    {"given_names": "Pedro", "first_surname": "Ramírez", "birth_date": "1961"},
    {"given_names": "Wei", "first_surname": "Zhang", "sex": "M", "birth_date": "1985-02-01"},
    {"given_names": "Ana", "first_surname": "Okafor", "sex": "F", "birth_date": "2003-07-20"},
    {"given_names": "Rosa", "first_surname": "García", "sex": "F", "birth_date": "1970"},
    {"given_names": "Luis", "first_surname": "García", "sex": "M", "birth_date": "1972"},
]
SOUGHT = {
    "given_names": "Jesús Alberto",
    "first_surname": "Pérez",
    "second_surname": "Gómez",
    "sex": "M",
    "birth_date": "1999-03-14",
    "birth_place": "Tegucigalpa",
    "mother_name": "María Gómez",
}


def _request(**fields: Any) -> dict[str, Any]:
    return {
        "requester_name": "Familiar",
        "requester_relation": "mother",
        "requester_consent": True,
        **fields,
    }


REQUESTS = [
    _request(
        nickname="Chuy",
        first_surname="Perez",
        sex="M",
        approximate_age=AGE,  # born in 1999
        mother_name="Maria Gomez",
        birth_place="Tegucigalpa",
    ),
    _request(given_names="Wei", first_surname="Zhang", sex="M", birth_date="1985"),
    _request(given_names="Rosa", first_surname="Garcia", sex="F", birth_date="1970"),
]


@pytest.fixture
def registry(network):
    owner = actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))
    people = [people_services.person_create(actor=owner, data=p) for p in PEOPLE]
    requester = actor_for(network.user(Role.OFFICER, OWN_OFFICE))
    requests = [services.request_create(actor=requester, data=r) for r in REQUESTS]
    return people, requests


def _relink(full: bool = False) -> dict[str, Any]:
    return registry_relink(Job.objects.create(kind="registry_relink"), full=full)


def _index() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    keys = sorted(PersonKey.objects.values_list("pk", "person_id", "key"))
    rows = sorted(PersonIndex.objects.values_list("person_id", "fingerprint", "updated"))
    return keys, rows


def _content() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    keys = sorted(PersonKey.objects.values_list("person_id", "key"))
    rows = sorted(
        (str(pid), sorted(n.items()), s, f)
        for pid, n, s, f in PersonIndex.objects.values_list(
            "person_id", "normalized", "searchable", "fingerprint"
        )
    )
    return keys, rows


def _matches() -> list[tuple[Any, ...]]:
    return sorted(
        (str(r), str(p), s, round(prob, 9))
        for r, p, s, prob in TracingMatch.objects.values_list(
            "request_id", "person_id", "status", "match_probability"
        )
    )


def test_a_second_relink_rewrites_nothing(registry):
    PersonIndex.objects.update(fingerprint="")  # as after an engine upgrade: all stale
    first = _relink()
    assert first["people_reindexed"] == len(PEOPLE) and first["people_skipped"] == 0
    before = _index()
    second = _relink()
    assert second["people_reindexed"] == 0 and second["people_skipped"] == len(PEOPLE)
    assert second["requests_rematched"] == 0 and not second["model_trained"]
    assert _index() == before  # same rows, same ids, same timestamps


def test_an_edit_outside_the_services_reindexes_that_person_alone(registry):
    people, requests = registry
    pedro = people[0]
    assert not TracingMatch.objects.filter(request=requests[0]).exists()
    # Pedro's record is corrected to the sought young man behind the services' back: only
    # the fingerprint can notice.
    Person.objects.filter(pk=pedro.pk).update(
        **{k: v for k, v in SOUGHT.items() if k != "birth_date"},
        birth_date="1999-03-14",
    )
    result = _relink()
    assert result["people_reindexed"] == 1 and result["people_skipped"] == len(PEOPLE) - 1
    assert result["requests_rematched"] == 1  # the other requests share no key with him
    match = TracingMatch.objects.get(request=requests[0])
    assert match.person_id == pedro.pk
    assert PersonKey.objects.filter(person=pedro, key__contains="peres").exists()
    assert not PersonKey.objects.filter(person=pedro, key__contains="ramires").exists()


def test_refusing_tracing_outside_the_services_takes_the_person_out_of_candidates(registry):
    people, _ = registry
    rosa = people[3]
    Person.objects.filter(pk=rosa.pk).update(refuses_tracing=True)
    result = _relink()
    assert result["people_reindexed"] == 1
    assert PersonIndex.objects.get(person=rosa).searchable is False


class _Undo(Exception):
    pass


def _outcome(full: bool) -> tuple[Any, ...]:
    """Index, matches and report of a relink, then everything rolled back."""
    seen: list[tuple[Any, ...]] = []
    try:
        with transaction.atomic():
            result = _relink(full=full)
            seen.append((_content(), _matches(), result))
            raise _Undo
    except _Undo:
        pass
    return seen[0]


def test_an_incremental_relink_ends_where_a_full_rebuild_does(registry):
    """From the same registry, skipping current people and re-matching only the touched
    requests leaves the same index and the same proposals as rebuilding every index row and
    re-matching every open request."""
    people, _ = registry
    Person.objects.filter(pk=people[0].pk).update(
        given_names="Jesus", first_surname="Perez", mother_name="Maria Gomez"
    )
    Person.objects.filter(pk=people[4].pk).update(given_names="Rosa", birth_date="1970-05-01")
    Person.objects.filter(pk=people[3].pk).update(first_surname="Okafor")
    index, matches, result = _outcome(full=False)
    assert result["people_reindexed"] == 3 and result["requests_rematched"] < len(REQUESTS)
    full_index, full_matches, full = _outcome(full=True)
    assert full["people_reindexed"] == len(PEOPLE)
    assert full["requests_rematched"] == len(REQUESTS)
    assert (index, matches) == (full_index, full_matches)
    assert len(matches) >= 3  # Jesús, Wei and a Rosa García are proposed


def test_a_save_through_the_services_keeps_the_index_current(network, registry):
    people, _ = registry
    owner = actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))
    person = Person.objects.get(pk=people[1].pk)
    people_services.person_update(
        actor=owner, person=person, version=person.version, data={"given_names": "Wei Ming"}
    )
    result = _relink()
    assert result["people_reindexed"] == 0


def test_relink_command_reports_what_it_did(registry, capsys):
    from django.core.management import call_command

    call_command("relink")
    out = capsys.readouterr().out
    assert "'people_reindexed': 0" in out and "'people_skipped': 5" in out


def test_the_process_pool_writes_what_this_process_would(registry, monkeypatch):
    """Large registries hash and normalise in a pool of processes (PostgreSQL only)."""
    from django.db import connection

    from enlace.people import reindex

    if connection.vendor != "postgresql":
        pytest.skip("the pool feeds COPY, which is PostgreSQL's")
    PersonIndex.objects.update(fingerprint="")
    inline_index, _, inline = _outcome(full=False)
    monkeypatch.setattr(reindex, "POOL_FROM", 1)
    pooled_index, _, pooled = _outcome(full=False)
    assert pooled["people_reindexed"] == inline["people_reindexed"] == len(PEOPLE)
    assert pooled_index == inline_index
