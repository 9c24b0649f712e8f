"""Test support shared by every app: the demo-like network and the permission-matrix helper.

The matrix helper runs one request as a user of every role × relation to the record's owning
office and reports every cell that differs from the expected status, in one failure (in the
spirit of rapidpro's CRUDL test helpers). Apps add relations (referred-in, revoked …) by passing
extra users.
"""

import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from rest_framework.test import APIClient

from enlace.accounts.models import Membership, Office, Role, User

OWN_OFFICE = "own_office"
SAME_COUNTRY = "same_country"
OTHER_COUNTRY = "other_country"
RELATIONS = (OWN_OFFICE, SAME_COUNTRY, OTHER_COUNTRY)
ROLES = tuple(Role)

Cell = tuple[str, str]  # (role, relation)


@dataclass
class Network:
    """Three offices around a record's owner, and one user per role in each."""

    offices: dict[str, Office]
    users: dict[Cell, User] = field(default_factory=dict)

    def user(self, role: str, relation: str = OWN_OFFICE) -> User:
        return self.users[(role, relation)]


def make_user(username: str, office: Office, role: str) -> User:
    user = User.objects.create_user(username=username, password="x-test-password-1")
    membership = Membership.objects.create(user=user, office=office, role=role)
    user.active_membership = membership
    user.save(update_fields=["active_membership"])
    return user


def build_network(own_country: str = "MX", other_country: str = "GT", tag: str = "") -> Network:
    """Own office (a consulate), another office of the same country, an office of another."""
    kind = Office.Kind.CONSULATE
    offices = {
        OWN_OFFICE: Office.objects.create(
            name=f"Own consulate {tag}",
            kind=kind,
            country_id=own_country,
            host_country_id="US",
            city="Los Angeles",
        ),
        SAME_COUNTRY: Office.objects.create(
            name=f"Ministry {tag}",
            kind=Office.Kind.FOREIGN_MINISTRY,
            country_id=own_country,
            host_country_id=own_country,
            city="Capital",
        ),
        OTHER_COUNTRY: Office.objects.create(
            name=f"Other consulate {tag}",
            kind=kind,
            country_id=other_country,
            host_country_id="MX",
            city="Ciudad de México",
        ),
    }
    network = Network(offices=offices)
    for relation, office in offices.items():
        for role in ROLES:
            network.users[(role, relation)] = make_user(f"{role}.{relation}{tag}", office, role)
    return network


def assert_matrix(
    *,
    users: dict[Cell, User],
    request: Callable[[Any], Any],
    expected: Callable[[str, str], int],
    api: bool = True,
    skip: Iterable[Cell] = (),
) -> None:
    """Send `request(client)` as every user; fail listing every (role, relation) that differs."""
    failures = []
    skipped = set(skip)
    for (role, relation), user in users.items():
        if (role, relation) in skipped:
            continue
        client: Any
        if api:
            client = APIClient()
            client.force_authenticate(user)
        else:
            client = Client()
            client.force_login(user)
        response = request(client)
        want = expected(role, relation)
        if response.status_code != want:
            failures.append(f"{role:>24} × {relation:<16} got {response.status_code}, want {want}")
    assert not failures, "permission matrix mismatches:\n" + "\n".join(failures)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def browser_login(page: Any, live_server: Any, username: str) -> None:
    """Log in through the real form as a demo user."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "enlace-demo")
    page.click("button.primary")
    page.wait_for_selector("h1")
