"""The access rules: one definition of each role group and each rule, used by pages, templates
and the audit history alike (no drift), and Q scopes that agree with the per-record predicates."""

import re
from pathlib import Path

import pytest
from django.test import Client

from enlace.access import rules
from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.audit.models import ChangeEvent
from enlace.people import services as people_services
from enlace.people.models import Person

pytestmark = pytest.mark.django_db

ENLACE = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("page", "record_type"), [("cases", "cases.case"), ("people", "people.person")]
)
def test_history_link_shows_exactly_to_those_who_may_read_the_history(world, page, record_type):
    """The record page's "who viewed this" link and the history page itself follow one rule:
    supervisors of the owning office, national focal points of its country, administrators."""
    record = world.case if page == "cases" else world.person
    shown_to, readers = set(), set()
    for cell, user in world.network.users.items():
        client = Client()
        client.force_login(user)
        with_page = client.get(f"/{page}/{record.pk}/")
        link = f"/audit/{record_type}/{record.pk}/"
        history = client.get(link)
        if history.status_code == 200:
            readers.add(cell)
        if with_page.status_code == 200 and link in with_page.content.decode():
            shown_to.add(cell)
            assert history.status_code == 200, f"{cell} sees a link to a page they cannot open"
        elif with_page.status_code == 200:
            assert history.status_code == 404, f"{cell} may read the history but has no link"
    assert ("national_focal_point", "own_office") in shown_to
    assert ("supervisor", "own_office") in shown_to
    assert ("officer", "own_office") not in readers
    assert ("supervisor", "referred_in") not in readers  # the receiver does not oversee it
    assert ("administrator", "other_country") in readers


def test_can_see_history_agrees_with_the_history_scope(world):
    office = world.case.owner_office
    for user in world.network.users.values():
        actor = actor_for(user)
        scoped = ChangeEvent.objects.filter(rules.history_scope(actor), owner_office=office)
        assert rules.can_see_history(actor, office) == scoped.exists(), user.username
        assert rules.can_see_history(actor, office.pk) == scoped.exists(), user.username


def test_identity_visible_scope_agrees_with_sees_identity(world):
    officer = world.actor()
    people = {"none": world.person}
    for kind in ("gbv_survivor", "trafficking_victim"):
        person = people_services.person_create(actor=officer, data={"given_names": kind})
        people_services.vulnerability_add(actor=officer, person=person, kind=kind)
        people[kind] = person
    for user in world.network.users.values():
        actor = actor_for(user)
        for person in people.values():
            person = Person.objects.get(pk=person.pk)
            visible = Person.objects.filter(rules.identity_visible(actor), pk=person.pk).exists()
            assert visible == rules.sees_identity(actor, person), (user.username, person)


def test_role_groups():
    from enlace.access import roles

    assert {Role.OFFICER, Role.SUPERVISOR} == roles.OFFICE_STAFF
    assert roles.OFFICE_STAFF <= roles.CASE_ROLES
    assert Role.ANALYST not in roles.CASE_ROLES and Role.ANALYST not in roles.OVERSIGHT_ROLES
    assert {Role.SUPERVISOR, Role.NATIONAL_FOCAL_POINT, Role.ADMINISTRATOR} == roles.OVERSIGHT_ROLES


# Where a role name may not be compared: the domain apps' code and every template.
CHECKED = [
    *ENLACE.glob("cases/*.py"),
    *ENLACE.glob("people/*.py"),
    *ENLACE.glob("tracing/*.py"),
    *ENLACE.glob("audit/*.py"),
    ENLACE / "core" / "views.py",
    *ENLACE.glob("**/templates/**/*.html"),
]
# \bhas_role: not PostgreSQL's pg_has_role() (database roles, not Enlace's)
ROLE_USE = re.compile(r"\bRole\.[A-Z_]+|\.role\s*(==|!=|in\b|not in\b)|\bhas_role\(|OFFICE_ROLES")
ALLOWED = {"demo.py"}  # seeds memberships, compares nothing


def test_no_role_name_is_compared_outside_the_access_layer():
    offenders = []
    for path in CHECKED:
        if path.name in ALLOWED:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ROLE_USE.search(line):
                offenders.append(f"{path.relative_to(ENLACE)}:{n}: {line.strip()}")
    assert not offenders, "role names compared outside enlace/access:\n" + "\n".join(offenders)


def test_navigation_offers_each_role_only_its_doors(world):
    def nav(role: str) -> str:
        client = Client()
        client.force_login(world.user(role))
        return client.get("/").content.decode()

    assert "/tracing/" in nav(Role.OFFICER) and "/audit/" not in nav(Role.OFFICER)
    assert "/audit/" in nav(Role.SUPERVISOR)
    focal = nav(Role.NATIONAL_FOCAL_POINT)
    assert "/cases/" in focal and "/tracing/" not in focal and "/audit/" in focal
    analyst = nav(Role.ANALYST)
    assert "/cases/" not in analyst and "/people/" not in analyst


def test_only_the_owner_and_a_referred_in_office_work_on_a_case(world):
    """Actions, notes and files: the owner's staff, and another office's staff only while a
    referral of the case to it is accepted (scopes hide the case from the rest anyway; the rule
    must hold on its own, policy mutant "any office's staff works on a case not referred")."""
    case = world.case
    assert rules.can_work_on_case(world.actor(), case, referred_in=False)
    other = world.actor(Role.OFFICER, "other_country")
    assert not rules.can_work_on_case(other, case, referred_in=False)
    assert rules.can_work_on_case(other, case, referred_in=True)
    focal = world.actor(Role.NATIONAL_FOCAL_POINT)
    assert not rules.can_work_on_case(focal, case, referred_in=True)


def test_only_the_receiving_offices_staff_triage_a_request_from_the_public(world):
    """The rule on its own (the triage pages' scope hides other offices' requests anyway;
    policy mutant "any staff triages a request routed to another office")."""
    office = world.network.offices["own_office"]
    assert rules.can_triage_public_request(world.actor(), office.pk)
    assert rules.can_triage_public_request(world.actor(Role.SUPERVISOR), office.pk)
    assert not rules.can_triage_public_request(
        world.actor(Role.OFFICER, "other_country"), office.pk
    )
    assert not rules.can_triage_public_request(world.actor(Role.NATIONAL_FOCAL_POINT), office.pk)
