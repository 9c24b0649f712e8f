"""The migratory-status firewall: a canary status planted by the owning office appears in no
response, export, log line, audit row or search result anywhere outside that office."""

import io
import logging

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from enlace.accounts.models import Role
from enlace.accounts.testing import OWN_OFFICE
from enlace.audit.models import AccessEvent, ChangeEvent

from .conftest import CANARY, CANARY_STATUS

pytestmark = pytest.mark.django_db

# The choice's code and its label in every language must not leak either.
STATUS_TEXTS = [
    CANARY,
    CANARY_STATUS,
    "Protección temporal",
    "Temporary protection",
    "Proteção temporária",
    "Protection temporaire",
]


def _pages(world, user) -> list[bytes]:
    api = APIClient()
    api.force_authenticate(user)
    web = Client()
    web.force_login(user)
    case, person = world.case, world.person
    bodies = []
    for url in [
        "/api/v1/cases/",
        f"/api/v1/cases/{case.pk}/",
        "/api/v1/people/",
        f"/api/v1/people/{person.pk}/",
        "/api/v1/referrals/",
        "/api/v1/referrals/?direction=out",
        f"/api/v1/referrals/{world.referral.pk}/",
        "/api/v1/cases/export/?format=csv",
        f"/api/v1/people/?q={CANARY}",
        f"/api/v1/cases/?q={CANARY}",
    ]:
        bodies.append(api.get(url).content)
    for url in [
        "/",
        "/cases/",
        f"/cases/{case.pk}/",
        "/people/",
        f"/people/{person.pk}/",
        "/cases/referrals/",
        "/cases/export/?format=csv",
        f"/cases/{case.pk}/facts/",
    ]:
        bodies.append(web.get(url).content)
    xlsx = api.get("/api/v1/cases/export/?format=xlsx")
    if xlsx.status_code == 200:
        rows = load_workbook(io.BytesIO(xlsx.content), read_only=True).active.iter_rows(
            values_only=True
        )
        bodies.append(repr(list(rows)).encode())
    return bodies


def test_owning_office_sees_the_status(world):
    owner = world.network.user(Role.OFFICER, OWN_OFFICE)
    api = APIClient()
    api.force_authenticate(owner)
    data = api.get(f"/api/v1/people/{world.person.pk}/").json()
    assert data["migratory_status"] == CANARY_STATUS
    assert data["migratory_status_notes"] == CANARY
    web = Client()
    web.force_login(owner)
    assert CANARY.encode() in web.get(f"/people/{world.person.pk}/").content


def test_canary_leaks_nowhere_outside_the_owning_office(world, caplog):
    caplog.set_level(logging.DEBUG)
    checked = 0
    for (role, relation), user in world.network.users.items():
        if relation == OWN_OFFICE and role in (Role.OFFICER, Role.SUPERVISOR):
            continue
        for body in _pages(world, user):
            text = body.decode("utf-8", "replace")
            for needle in STATUS_TEXTS:
                assert needle not in text, f"{needle!r} leaked to {role} × {relation}"
            checked += 1
    assert checked > 500
    for needle in STATUS_TEXTS[:2]:
        assert needle not in caplog.text


def test_owning_office_exports_and_searches_never_carry_the_status(world):
    owner = world.network.user(Role.SUPERVISOR, OWN_OFFICE)
    api = APIClient()
    api.force_authenticate(owner)
    csv_body = api.get("/api/v1/cases/export/?format=csv").content.decode("utf-8")
    assert world.case.reference in csv_body
    xlsx = api.get("/api/v1/cases/export/?format=xlsx").content
    rows = repr(
        list(load_workbook(io.BytesIO(xlsx), read_only=True).active.iter_rows(values_only=True))
    )
    for needle in STATUS_TEXTS:
        assert needle not in csv_body
        assert needle not in rows
    assert api.get(f"/api/v1/people/?q={CANARY}").json()["count"] == 0
    web = Client()
    web.force_login(owner)
    html = web.get("/people/", {"q": CANARY}, HTTP_HX_REQUEST="true").content.decode()
    assert "Nadie coincide con su búsqueda." in html
    assert api.get("/api/v1/cases/", {"q": CANARY_STATUS}).json()["count"] == 0


def test_referral_and_audit_rows_do_not_carry_the_status(world):
    for event in ChangeEvent.objects.all():
        assert CANARY not in repr(event.changes)
        assert CANARY_STATUS not in repr(event.changes)
    for event in AccessEvent.objects.all():
        assert CANARY not in event.purpose
    assert CANARY not in repr(list(world.case.referrals.values()))


def test_receiving_office_sees_the_case_but_not_the_status(world):
    from .conftest import REFERRED_IN

    api = APIClient()
    api.force_authenticate(world.network.user(Role.OFFICER, REFERRED_IN))
    case = api.get(f"/api/v1/cases/{world.case.pk}/").json()
    assert case["person_name"] == "Jesús Alberto Pérez Gómez"
    person = api.get(f"/api/v1/people/{world.person.pk}/").json()
    assert "migratory_status" not in person
    assert "migratory_status_notes" not in person
