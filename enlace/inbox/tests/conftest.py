from dataclasses import dataclass

import pytest

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Office, Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, ROLES, Network, make_user
from enlace.cases import services as case_services
from enlace.cases.models import Case
from enlace.people import services as people_services
from enlace.people.models import Person

NAME = "Wenceslao Ixcamparij"
SURNAME = "Tzoc"
RECEIVER = "receiver"


@dataclass
class InboxWorld:
    network: Network
    person: Person
    case: Case

    def user(self, role: str, relation: str = OWN_OFFICE):  # type: ignore[no-untyped-def]
        return self.network.user(role, relation)

    def actor(self, role: str, relation: str = OWN_OFFICE):  # type: ignore[no-untyped-def]
        return actor_for(self.network.user(role, relation))


@pytest.fixture
def world(network) -> InboxWorld:
    """The network, plus a receiving office (CO) with a user of every role, and a person with an
    open case at the own office. Every user has an e-mail address."""
    office = Office.objects.create(
        name="Consulado de Colombia",
        kind=Office.Kind.CONSULATE,
        country_id="CO",
        host_country_id="US",
        city="Los Ángeles",
    )
    network.offices[RECEIVER] = office
    for role in ROLES:
        network.users[(role, RECEIVER)] = make_user(f"{role}.{RECEIVER}", office, role)
    for (role, relation), user in network.users.items():
        user.email = f"{role}.{relation}@example.org"
        user.save(update_fields=["email"])
    officer = actor_for(network.user(Role.OFFICER))
    person = people_services.person_create(
        actor=officer,
        data={"given_names": NAME, "first_surname": SURNAME, "sex": "M", "birth_date": "1990"},
        nationalities=["MX"],
    )
    case = case_services.case_open(
        actor=officer, person=person, case_type="detention", summary="Detenido"
    )
    return InboxWorld(network=network, person=person, case=case)


__all__ = ["NAME", "OTHER_COUNTRY", "OWN_OFFICE", "RECEIVER", "InboxWorld"]
