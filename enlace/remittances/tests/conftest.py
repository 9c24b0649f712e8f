"""A remittance world: the network (a Mexican consulate, the Mexican ministry, a Guatemalan
consulate, one user per role in each) plus the regional secretariat with an analyst."""

from dataclasses import dataclass

import pytest

from enlace.accounts.actor import Actor, actor_for
from enlace.accounts.models import Office, Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, SAME_COUNTRY, Network, make_user


@dataclass
class RemitWorld:
    network: Network
    secretariat: Office

    def actor(self, role: str, relation: str = OWN_OFFICE) -> Actor:
        if relation == "secretariat":
            return actor_for(self.secretariat_user(role))
        return actor_for(self.network.user(role, relation))

    def secretariat_user(self, role: str):
        from enlace.accounts.models import User

        name = f"{role}.secretariat"
        user = User.objects.filter(username=name).first()
        return user or make_user(name, self.secretariat, role)


@pytest.fixture
def world(network) -> RemitWorld:
    secretariat = Office.objects.create(
        name="Secretaría Técnica Regional (prueba)",
        kind=Office.Kind.SECRETARIAT,
        country_id="MX",
        host_country_id="MX",
        city="Ciudad de México",
    )
    return RemitWorld(network=network, secretariat=secretariat)


@pytest.fixture
def focal_mx(world) -> Actor:
    """The Mexican ministry's national focal point (corridors from or to Mexico)."""
    return world.actor(Role.NATIONAL_FOCAL_POINT, SAME_COUNTRY)


@pytest.fixture
def focal_gt(world) -> Actor:
    return world.actor(Role.NATIONAL_FOCAL_POINT, OTHER_COUNTRY)


@pytest.fixture
def analyst(world) -> Actor:
    """An analyst of the regional secretariat (every corridor)."""
    return world.actor(Role.ANALYST, "secretariat")
