"""Test support shared by every app: the demo-like network and the permission-matrix helper.

The matrix helper runs one request as a user of every role × relation to the record's owning
office and reports every cell that differs from the expected status, in one failure (in the
spirit of rapidpro's CRUDL test helpers). Apps add relations (referred-in, revoked …) by passing
extra users.
"""

import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
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


# --- Every URL pattern of the project, read from the URL conf itself (not from a list) -------
SAFE = frozenset({"head", "options"})


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name", or the route when the pattern has no name
    route: str
    callback: object
    params: tuple[str, ...] = ()  # the URL's keyword arguments, in order

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def drf_methods(self) -> frozenset[str] | None:
        """The HTTP methods a DRF view answers (upper case), or None for a plain Django view."""
        actions = getattr(self.callback, "actions", None)
        if actions:  # a viewset route: {"get": "list", ...}
            return frozenset(m.upper() for m in actions if m not in SAFE)
        cls = getattr(self.callback, "cls", None)
        if cls is None:
            return None
        return frozenset(
            m.upper() for m in cls.http_method_names if m not in SAFE and hasattr(cls, m)
        )


def _params(item: URLPattern | URLResolver) -> tuple[str, ...]:
    return tuple(item.pattern.regex.groupindex)


def _walk(
    resolver: URLResolver, prefix: str, namespace: str, params: tuple[str, ...] = ()
) -> Iterator[Pattern]:
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            ns = namespace
            if item.namespace:
                ns = f"{namespace}:{item.namespace}" if namespace else item.namespace
            yield from _walk(item, prefix + str(item.pattern), ns, params + _params(item))
        elif isinstance(item, URLPattern):
            route = prefix + str(item.pattern)
            name = route  # an unnamed pattern is known by its route
            if item.name:
                name = f"{namespace}:{item.name}" if namespace else item.name
            yield Pattern(name, route, item.callback, params + _params(item))


def url_patterns() -> list[Pattern]:
    """Every pattern of the root URL conf, recursively, in resolution order."""
    return list(_walk(get_resolver(), "", ""))


def get_patterns() -> list[Pattern]:
    """One pattern per name that answers GET (DRF format-suffix twins left out): plain Django
    views are all included, since nothing tells from outside which methods they accept."""
    found = []
    for patterns in pattern_names().values():
        first = patterns[0]
        methods = first.drf_methods
        if methods is None or "GET" in methods:
            found.append(first)
    return found


def pattern_names() -> dict[str, list[Pattern]]:
    """Patterns grouped by name (a DRF route and its format-suffix twin share one name)."""
    grouped: dict[str, list[Pattern]] = {}
    for pattern in url_patterns():
        grouped.setdefault(pattern.name, []).append(pattern)
    return grouped


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def browser_login(page: Any, live_server: Any, username: str) -> None:
    """Log in through the real form as a demo user."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "enlace-demo")
    page.click("button.primary")
    page.wait_for_selector("h1")
