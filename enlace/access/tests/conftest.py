"""A small network for the access layer's tests: a person and a case of the own office (MX),
referred to and accepted by a consulate of another country (CO); and a tracing request of the
own office matched with a person registered by an office of a third country (GT)."""

from dataclasses import dataclass

import pytest

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Office, Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, ROLES, Network, make_user
from enlace.cases import services as case_services
from enlace.cases.models import Case, Referral
from enlace.people import services as people_services
from enlace.people.models import Person
from enlace.tracing import services as tracing_services
from enlace.tracing.models import TracingMatch, TracingRequest
from enlace.tracing.tests.test_tracing import SOUGHT

REFERRED_IN = "referred_in"


@dataclass
class World:
    network: Network
    person: Person
    case: Case
    referral: Referral

    def user(self, role: str = Role.OFFICER, relation: str = OWN_OFFICE):
        return self.network.user(role, relation)

    def actor(self, role: str = Role.OFFICER, relation: str = OWN_OFFICE):
        return actor_for(self.user(role, relation))


def add_office(network: Network, relation: str, country: str) -> Office:
    office = Office.objects.create(
        name=f"Office {relation}",
        kind=Office.Kind.CONSULATE,
        country_id=country,
        host_country_id="CR",
        city="San José",
    )
    network.offices[relation] = office
    for role in ROLES:
        network.users[(role, relation)] = make_user(f"{role}.{relation}", office, role)
    return office


@pytest.fixture
def world(network) -> World:
    officer = actor_for(network.user(Role.OFFICER))
    person = people_services.person_create(
        actor=officer,
        data={
            "given_names": "Rosa Elvira",
            "first_surname": "Cux",
            "sex": "F",
            "birth_date": "1990",
            "migratory_status": "irregular",
        },
        nationalities=["MX"],
    )
    case = case_services.case_open(
        actor=officer, person=person, case_type="labour", summary="Salarios no pagados"
    )
    office = add_office(network, REFERRED_IN, "CO")
    referral = case_services.referral_create(
        actor=officer, case=case, to_office=office, purpose="Asistencia", consent=True
    )
    case_services.referral_accept(
        actor=actor_for(network.user(Role.OFFICER, REFERRED_IN)), referral=referral
    )
    return World(network=network, person=person, case=case, referral=referral)


REQUEST = {
    "requester_name": "María Gómez Reyes",
    "requester_relation": "mother",
    "requester_contact": "+504 9999 0000",
    "requester_consent": True,
    "given_names": "Jesús",
    "first_surname": "Pérez",
    "sex": "M",
    "birth_date": "1999-03-14",
    "mother_name": "Maria Gomez",
    "birth_place": "Tegucigalpa",
}


@dataclass
class Tracing:
    network: Network
    person: Person
    request: TracingRequest
    match: TracingMatch


@pytest.fixture
def tracing(network) -> Tracing:
    """The person is registered by the OTHER_COUNTRY office, sought by the OWN_OFFICE."""
    person = people_services.person_create(
        actor=actor_for(network.user(Role.OFFICER, OTHER_COUNTRY)), data=SOUGHT
    )
    request = tracing_services.request_create(
        actor=actor_for(network.user(Role.OFFICER, OWN_OFFICE)), data=REQUEST
    )
    return Tracing(network=network, person=person, request=request, match=request.matches.get())


def confirm(t: Tracing) -> TracingMatch:
    return tracing_services.match_confirm(
        actor=actor_for(t.network.user(Role.OFFICER, OTHER_COUNTRY)),
        match=t.match,
        notice_language="es",
    )
