"""Lists read through their scope's branches (enlace.core.querysets) give exactly the pages and
counts of the plain scoped query, for every reader: own office, grants, country scope."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from enlace.access.grants import grant_create
from enlace.accounts.actor import actor_for
from enlace.accounts.models import Membership, Office, Role, User
from enlace.audit.models import Purpose
from enlace.cases.models import Case
from enlace.cases.selectors import case_list, dashboard
from enlace.core.querysets import bounded_count, branches_of, page_of, top_ids
from enlace.people.models import Person, Vulnerability
from enlace.people.selectors import person_list

pytestmark = pytest.mark.django_db

SURNAMES = ["Álvarez", "alvarez", "Zúñiga", "Ñandú", "Pérez", "Perez", "Ortiz", "", "Ávila"]


def _user(name: str, office: Office, role: str) -> User:
    user = User.objects.create_user(username=name, password="sl-test-password-7")
    user.active_membership = Membership.objects.create(user=user, office=office, role=role)
    user.save(update_fields=["active_membership"])
    return user


@pytest.fixture
def world() -> dict[str, User]:
    """Two offices of one country and one of another; each owns people and cases created at
    shuffled times (ties included), and some of each are granted to the other offices."""
    rng = random.Random(7)
    offices = [
        Office.objects.create(
            name=f"SL {c}{i}", kind=Office.Kind.CONSULATE, country_id=c, host_country_id="US"
        )
        for i, c in enumerate(["MX", "MX", "GT"])
    ]
    users = {
        "mx0": _user("sl.mx0", offices[0], Role.OFFICER),
        "mx1": _user("sl.mx1", offices[1], Role.SUPERVISOR),
        "gt": _user("sl.gt", offices[2], Role.OFFICER),
        "focal": _user("sl.focal", offices[1], Role.NATIONAL_FOCAL_POINT),
        "traff": _user("sl.traff", offices[1], Role.TRAFFICKING_FOCAL_POINT),
    }
    base = timezone.now() - dt.timedelta(days=30)
    granter = actor_for(users["mx0"])
    for n in range(36):
        owner = offices[n % 3]
        person = Person.objects.create(
            owner_office=owner,
            given_names=rng.choice(["Ana", "José", "María", "ana"]),
            first_surname=rng.choice(SURNAMES),
            search_text="x",
        )
        # Some trafficking cases, some people flagged as victims (with the protection the
        # people services would set), some both.
        trafficking_case, flagged = n % 5 == 0, n % 7 == 0
        if flagged:
            Vulnerability.objects.create(
                person=person,
                kind="trafficking_victim",
                assessed_on=base.date(),
                assessed_by=users["mx0"],
            )
        if trafficking_case or flagged:
            Person.objects.filter(pk=person.pk).update(identity_protection="trafficking")
        case = Case.objects.create(
            owner_office=owner,
            person=person,
            reference=f"SL-{n:03d}",
            case_type="possible_trafficking" if trafficking_case else "documents",
            summary="s",
            status=rng.choice(["open", "closed", "assessment"]),
        )
        # Shuffled creation times with ties: the page edges must still agree.
        when = base + dt.timedelta(hours=rng.randrange(12))
        Case.objects.filter(pk=case.pk).update(created=when)
        if n % 4 == 1:  # granted to the next office (in the other country for some)
            grant_create(
                actor=granter,
                office=offices[(n + 1) % 3],
                person=person,
                case=case,
                purpose=Purpose.REFERRAL,
                source=case,
                legal_basis="test",
            )
    return users


@pytest.mark.parametrize("reader", ["mx0", "mx1", "gt", "focal", "traff"])
def test_pages_and_counts_through_branches_equal_the_plain_scoped_query(world, reader):
    actor = actor_for(world[reader])
    for qs in (case_list(actor=actor), person_list(actor=actor)):
        if reader != "traff" or qs.model is Case:
            assert branches_of(qs), "lists of unions read through branches"
        plain = qs.with_branches([])
        expected = list(plain)
        assert len({r.pk for r in expected}) == len(expected), "no duplicate rows"
        assert expected, "the reader sees something"
        for size in (1, 4, 7):
            for offset in range(0, len(expected) + size, size):
                assert page_of(qs, offset, size) == expected[offset : offset + size]
        assert top_ids(qs, 5) == [r.pk for r in expected[:5]]
        assert bounded_count(qs) == (len(expected), True)
        assert bounded_count(qs, limit=len(expected) - 1) == (len(expected) - 1, False)
        assert bounded_count(qs, limit=len(expected)) == (len(expected), True)


def test_the_trafficking_focal_point_sees_trafficking_cases_and_flagged_people_of_the_country(
    world,
):
    actor = actor_for(world["traff"])
    cases = list(case_list(actor=actor))
    expected = [
        c
        for c in Case.objects.filter(owner_office__country_id="MX").order_by("-created", "id")
        if c.case_type == "possible_trafficking"
        or c.person.vulnerabilities.filter(kind="trafficking_victim").exists()
    ]
    assert cases == expected and expected
    people = set(person_list(actor=actor))
    assert people == {
        c.person
        for c in Case.objects.filter(owner_office__country_id="MX")
        if c.person.identity_protection == "trafficking"
    }


def test_filters_apply_to_every_branch(world):
    actor = actor_for(world["mx1"])
    qs = case_list(actor=actor, filters={"status": "open"})
    expected = list(qs.with_branches([]))
    assert page_of(qs, 0, 100) == expected
    assert all(c.status == "open" for c in expected)
    assert bounded_count(qs) == (len(expected), True)


def test_the_dashboard_lists_are_the_tops_of_the_plain_lists(world):
    actor = actor_for(world["mx1"])
    board = dashboard(actor=actor)
    open_cases = case_list(actor=actor).exclude(status="closed").with_branches([])
    # What waits for the supervisor's approval: their own office's cases only (a case referred
    # in is approved by its owner); an officer approves nothing.
    mine = open_cases.filter(owner_office=actor.office)
    assessment = list(mine.filter(status="assessment")[:10])
    assert board["assessment_pending"] == assessment and assessment
    referred_in = open_cases.filter(status="assessment").exclude(owner_office=actor.office)
    assert not {c.pk for c in board["assessment_pending"]} & {c.pk for c in referred_in}
    assert dashboard(actor=actor_for(world["mx0"]))["assessment_pending"] == []
    assert board["open_count"] == open_cases.count()
    assert board["open_count_exact"] is True


def test_paginated_api_says_whether_the_count_is_exact(world, monkeypatch, client):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world["mx0"])
    body = api.get("/api/v1/cases/").json()
    assert body["count_exact"] is True
    assert body["count"] == case_list(actor=actor_for(world["mx0"])).count()
    monkeypatch.setattr("enlace.core.querysets.COUNT_LIMIT", 3)
    body = api.get("/api/v1/cases/").json()
    assert (body["count"], body["count_exact"]) == (3, False)
