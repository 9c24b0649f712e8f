"""A family that knows only a given name (misspelt) and one surname still finds the person,
whichever of the two was filed first; a name shared by too many people is not looked up
(issue 11, round 4: blocking.request_keys / registry_keys, WIDE_BLOCK_LIMIT)."""

import pytest

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE
from enlace.linkage import blocking
from enlace.people import services as people_services
from enlace.tracing import services
from enlace.tracing.models import RequestKey

pytestmark = pytest.mark.django_db

PERSON = {
    "given_names": "Ximena",
    "first_surname": "Bustamante",
    "second_surname": "Quiroga",
    "sex": "F",
    "birth_date": "1983-04-09",
    "birth_place": "Cochabamba",
    "mother_name": "Ana Quiroga",
}
SISTER = PERSON | {"given_names": "Lucía", "birth_date": "1985-02-03"}
# No date, no mother, no place: a given name written by ear and one surname.
THIN = {
    "requester_name": "Rosa Quiroga",
    "requester_relation": "other_relative",
    "requester_contact": "+591 700 00000",
    "requester_consent": True,
    "given_names": "Ximna",
    "first_surname": "Bustamante",
    "sex": "F",
}


def _register(network, data):
    owner = actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))
    return people_services.person_create(actor=owner, data=data)


def _file(network, data):
    return services.request_create(
        actor=actor_for(network.user(Role.OFFICER, OWN_OFFICE)), data=data
    )


def test_a_thin_request_finds_the_person_and_not_her_sister(network):
    person = _register(network, PERSON)
    _register(network, SISTER)
    request = _file(network, THIN)
    assert [m.person_id for m in request.matches.all()] == [person.pk]
    # The same request with a year that is off by ten is not thin: no wide key, no proposal.
    other = _file(network, THIN | {"birth_date": "1993"})
    assert not RequestKey.objects.filter(request=other, key__startswith="w|").exists()
    assert not other.matches.exists()


def test_a_person_registered_after_a_thin_request_is_proposed(
    network, django_capture_on_commit_callbacks
):
    request = _file(network, THIN)
    assert not request.matches.exists()
    with django_capture_on_commit_callbacks(execute=True):
        person = _register(network, PERSON)
    assert [m.person_id for m in request.matches.all()] == [person.pk]


def test_a_name_shared_by_too_many_people_is_not_looked_up(
    network, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(blocking, "WIDE_BLOCK_LIMIT", 1)
    _register(network, PERSON)
    _register(network, PERSON | {"birth_date": "1960-01-05", "mother_name": "Eva Soto"})
    assert not _file(network, THIN).matches.exists()
    # Nor the other way round: a third namesake registered later does not reach the request.
    request = _file(network, THIN | {"requester_name": "Eva Soto"})
    with django_capture_on_commit_callbacks(execute=True):
        _register(network, PERSON | {"birth_date": "1970-01-05", "mother_name": "Iris Paz"})
    assert not request.matches.exists()
