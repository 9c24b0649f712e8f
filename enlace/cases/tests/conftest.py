from dataclasses import dataclass

import pytest

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Office, Role
from enlace.accounts.testing import ROLES, Network, make_user
from enlace.cases import services
from enlace.cases.models import Case, Referral
from enlace.people import services as people_services
from enlace.people.models import Person

REFERRED_IN = "referred_in"
REVOKED = "referred_revoked"
CANARY = "CANARY-7f3a9-STATUS-NOTE"
CANARY_STATUS = "temporary_protection"


@dataclass
class CaseWorld:
    network: Network
    person: Person
    case: Case
    referral: Referral
    revoked: Referral


def _office(name: str, country: str) -> Office:
    return Office.objects.create(
        name=name,
        kind=Office.Kind.CONSULATE,
        country_id=country,
        host_country_id="CR",
        city="San José",
    )


@pytest.fixture
def world(network) -> CaseWorld:
    """A person and a detention case owned by the network's own office, referred to one office
    (accepted) and to another (accepted, then revoked); users of every role in both."""
    officer = actor_for(network.user(Role.OFFICER))
    supervisor = actor_for(network.user(Role.SUPERVISOR))
    person = people_services.person_create(
        actor=officer,
        data={
            "given_names": "Jesús Alberto",
            "first_surname": "Pérez",
            "second_surname": "Gómez",
            "sex": "M",
            "birth_date": "1999",
            "migratory_status": CANARY_STATUS,
            "migratory_status_notes": CANARY,
            "phone": "+1 213 555 0143",
        },
        nationalities=["MX"],
    )
    case = services.case_open(
        actor=officer, person=person, case_type="detention", summary="Detenido en Los Ángeles"
    )
    referred_office = _office("Referred consulate", "CO")
    revoked_office = _office("Revoked consulate", "HN")
    for relation, office in ((REFERRED_IN, referred_office), (REVOKED, revoked_office)):
        network.offices[relation] = office
        for role in ROLES:
            network.users[(role, relation)] = make_user(f"{role}.{relation}", office, role)
    referral = services.referral_create(
        actor=supervisor, case=case, to_office=referred_office, purpose="Asistencia", consent=True
    )
    services.referral_accept(
        actor=actor_for(network.user(Role.OFFICER, REFERRED_IN)), referral=referral
    )
    revoked = services.referral_create(
        actor=supervisor, case=case, to_office=revoked_office, purpose="Asistencia", consent=True
    )
    services.referral_accept(actor=actor_for(network.user(Role.OFFICER, REVOKED)), referral=revoked)
    services.referral_revoke(actor=supervisor, referral=revoked)
    return CaseWorld(network=network, person=person, case=case, referral=referral, revoked=revoked)
