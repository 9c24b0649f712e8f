"""The search oracle: a searcher who sees a person as "protected identity" must not be able to
rebuild the hidden name letter by letter with ?q=. Search matches names only where the
searcher may see them."""

import importlib

import pytest
from django.apps import apps
from django.test import Client
from rest_framework.test import APIClient

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, SAME_COUNTRY
from enlace.cases import services as case_services
from enlace.people import services as people_services
from enlace.people.models import Person

from .conftest import REFERRED_IN, add_office

pytestmark = pytest.mark.django_db

HIDDEN = "Yolanda"  # no letter of a case reference (MX-2026-…), which anyone may search
SURNAME = "Quispe"
NOTHING = "zzqzz"  # matches nobody: the baseline count


def _protected_person(network, kind: str) -> Person:
    """A person of the own office with a case, marked `kind`, referred to REFERRED_IN."""
    officer = actor_for(network.user(Role.OFFICER, OWN_OFFICE))
    person = people_services.person_create(
        actor=officer, data={"given_names": HIDDEN, "first_surname": SURNAME, "sex": "F"}
    )
    people_services.vulnerability_add(actor=officer, person=person, kind=kind)
    case = case_services.case_open(
        actor=officer, person=person, case_type="labour", summary="Explotación laboral"
    )
    office = add_office(network, REFERRED_IN, "CO")
    referral = case_services.referral_create(
        actor=officer, case=case, to_office=office, purpose="Asistencia", consent=True
    )
    case_services.referral_accept(
        actor=actor_for(network.user(Role.OFFICER, REFERRED_IN)), referral=referral
    )
    return person


def _counts(user, q: str) -> dict[str, int]:
    """Results for ?q= on the four search doors."""
    api = APIClient()
    api.force_authenticate(user)
    web = Client()
    web.force_login(user)
    counts = {
        "/api/v1/people/": api.get("/api/v1/people/", {"q": q}).json()["count"],
        "/api/v1/cases/": api.get("/api/v1/cases/", {"q": q}).json()["count"],
    }
    people_html = web.get("/people/", {"q": q}).content.decode()
    cases_html = web.get("/cases/", {"q": q}).content.decode()
    counts["/people/"] = sum(f"/people/{p.pk}/" in people_html for p in Person.objects.all())
    counts["/cases/"] = sum(
        f"/cases/{c.pk}/" in cases_html for p in Person.objects.all() for c in p.cases.all()
    )
    return counts


def _prefixes(word: str) -> list[str]:
    return [word[:i] for i in range(1, len(word) + 1)] + [word.lower(), f"{word} {SURNAME}"]


def _assert_no_oracle(user) -> None:
    baseline = _counts(user, NOTHING)
    leaks = {q: c for q in _prefixes(HIDDEN) if (c := _counts(user, q)) != baseline}
    assert not leaks, f"search reveals the hidden name: baseline {baseline}, got {leaks}"


def _assert_finds(user) -> None:
    assert set(_counts(user, HIDDEN).values()) == {1}, "this searcher may see the name"


@pytest.mark.parametrize(
    ("who", "relation"),
    [(Role.NATIONAL_FOCAL_POINT, OWN_OFFICE), (Role.OFFICER, REFERRED_IN)],
)
def test_trafficking_victims_name_is_no_search_oracle(network, who, relation):
    person = _protected_person(network, "trafficking_victim")
    user = network.user(who, relation)
    api = APIClient()
    api.force_authenticate(user)
    assert api.get(f"/api/v1/people/{person.pk}/").json()["identity_protected"] is True
    _assert_no_oracle(user)
    _assert_finds(network.user(Role.OFFICER, OWN_OFFICE))  # the owner office still finds her


def test_trafficking_focal_points_find_trafficking_victims_of_their_country(network):
    _protected_person(network, "trafficking_victim")
    user = network.user(Role.TRAFFICKING_FOCAL_POINT, SAME_COUNTRY)
    api = APIClient()
    api.force_authenticate(user)
    assert api.get("/api/v1/people/", {"q": HIDDEN}).json()["count"] == 1
    assert api.get("/api/v1/cases/", {"q": HIDDEN}).json()["count"] == 1


def test_gbv_survivors_name_only_for_owner_and_focal_points(network):
    _protected_person(network, "gbv_survivor")
    _assert_no_oracle(network.user(Role.OFFICER, REFERRED_IN))
    _assert_finds(network.user(Role.NATIONAL_FOCAL_POINT, SAME_COUNTRY))
    _assert_finds(network.user(Role.SUPERVISOR, OWN_OFFICE))


def test_a_trafficking_case_protects_the_name_in_search_at_once(network):
    officer = actor_for(network.user(Role.OFFICER, OWN_OFFICE))
    person = people_services.person_create(
        actor=officer, data={"given_names": HIDDEN, "first_surname": SURNAME}
    )
    focal = network.user(Role.NATIONAL_FOCAL_POINT, SAME_COUNTRY)
    assert _counts(focal, HIDDEN)["/api/v1/people/"] == 1
    case_services.case_open(
        actor=officer, person=person, case_type="possible_trafficking", summary="Indicios"
    )
    person.refresh_from_db()
    assert person.identity_protection == "trafficking"
    _assert_no_oracle(focal)


def test_removing_the_vulnerability_lifts_the_protection(network):
    officer = actor_for(network.user(Role.OFFICER, OWN_OFFICE))
    person = people_services.person_create(actor=officer, data={"given_names": HIDDEN})
    people_services.vulnerability_add(actor=officer, person=person, kind="gbv_survivor")
    person.refresh_from_db()
    assert person.identity_protection == "gbv"
    people_services.vulnerability_remove(actor=officer, person=person, kind="gbv_survivor")
    person.refresh_from_db()
    assert person.identity_protection == ""


def test_backfill_sets_the_protection_of_existing_people(network):
    person = _protected_person(network, "trafficking_victim")
    Person.objects.update(identity_protection="")  # as before the field existed
    focal = network.user(Role.NATIONAL_FOCAL_POINT, OWN_OFFICE)
    assert _counts(focal, HIDDEN)["/api/v1/people/"] == 1  # the oracle is back
    importlib.import_module("enlace.access.migrations.0002_backfill").backfill_protection(
        apps, None
    )
    person.refresh_from_db()
    assert person.identity_protection == "trafficking"
    _assert_no_oracle(focal)


def test_other_countries_see_nothing_either_way(network):
    _protected_person(network, "trafficking_victim")
    user = network.user(Role.NATIONAL_FOCAL_POINT, OTHER_COUNTRY)
    assert (
        _counts(user, HIDDEN)
        == _counts(user, NOTHING)
        == dict.fromkeys(("/api/v1/people/", "/api/v1/cases/", "/people/", "/cases/"), 0)
    )
