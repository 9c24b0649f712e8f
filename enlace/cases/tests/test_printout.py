"""The printable case summary (PDF): what the page shows its reader, logged as an export."""

import pytest
from django.test import Client

from enlace.access.reads import Purpose
from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY
from enlace.audit.models import AccessEvent
from enlace.cases import services
from enlace.cases.printout import latin1
from enlace.people import services as people_services

from .conftest import CANARY_STATUS, REFERRED_IN, REVOKED

pytestmark = pytest.mark.django_db

STATUS_WORDS = b"protecci"  # "Protección temporal" (CANARY_STATUS), in any case


@pytest.fixture
def readable(settings):
    """Uncompressed, in the built-in font: the PDF's text can be searched as bytes."""
    settings.ENLACE_PDF_COMPRESS = False
    settings.ENLACE_PDF_FONT_DIRS = []


def _pdf(world, role, relation="own_office", **extra):
    client = Client()
    client.force_login(world.network.user(role, relation))
    return client.get(f"/cases/{world.case.pk}/summary.pdf", **extra)


def test_the_owning_office_gets_the_summary_with_the_migratory_status(world, readable):
    services.action_add(
        actor=actor_for(world.network.user(Role.OFFICER)),
        case=world.case,
        service_type="consular_visit",
        date="2026-01-05",
        outcome="Visita hecha",
    )
    resp = _pdf(world, Role.OFFICER)
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/pdf"
    assert f'filename="{world.case.reference}.pdf"' in resp["Content-Disposition"]
    body = resp.content
    assert body.startswith(b"%PDF")
    assert world.case.reference.encode() in body
    assert "Jesús Alberto Pérez Gómez".encode("latin-1") in body
    assert b"Visita hecha" in body  # the timeline
    assert STATUS_WORDS in body.lower()
    event = AccessEvent.objects.get(
        actor=world.network.user(Role.OFFICER), record_id=str(world.case.pk)
    )
    assert (event.purpose, event.denied) == (Purpose.EXPORT, False)


def test_a_referred_in_office_gets_no_migratory_status_nor_other_referrals(world, readable):
    body = _pdf(world, Role.OFFICER, REFERRED_IN).content
    assert body.startswith(b"%PDF") and world.case.reference.encode() in body
    assert STATUS_WORDS not in body.lower()
    assert CANARY_STATUS.encode() not in body
    assert b"Revoked consulate" not in body  # another office's referral
    assert AccessEvent.objects.filter(
        actor=world.network.user(Role.OFFICER, REFERRED_IN),
        record_id=str(world.case.pk),
        purpose=Purpose.EXPORT,
        denied=False,
    ).exists()


@pytest.mark.parametrize(
    ("role", "relation"),
    [
        (Role.OFFICER, OTHER_COUNTRY),
        (Role.OFFICER, REVOKED),
        (Role.ANALYST, "own_office"),
        (Role.ASSOCIATION_REP, "own_office"),
    ],
)
def test_whoever_may_not_export_the_case_gets_404_and_the_attempt_is_logged(world, role, relation):
    resp = _pdf(world, role, relation)
    assert resp.status_code == 404
    assert not resp.content.startswith(b"%PDF")
    assert AccessEvent.objects.filter(
        actor=world.network.user(role, relation),
        record_id=str(world.case.pk),
        purpose=Purpose.EXPORT,
        denied=True,
    ).exists()


def test_a_trafficking_victims_name_is_hidden_from_whoever_may_not_see_it(network, readable):
    officer = actor_for(network.user(Role.OFFICER))
    person = people_services.person_create(
        actor=officer, data={"given_names": "Marisol", "first_surname": "Secreta", "sex": "F"}
    )
    case = services.case_open(
        actor=officer, person=person, case_type="possible_trafficking", summary="Ruta"
    )
    focal = Client()
    focal.force_login(network.user(Role.NATIONAL_FOCAL_POINT, "same_country"))
    body = focal.get(f"/cases/{case.pk}/summary.pdf").content
    assert body.startswith(b"%PDF") and case.reference.encode() in body
    assert b"Secreta" not in body
    trafficking = Client()
    trafficking.force_login(network.user(Role.TRAFFICKING_FOCAL_POINT, "same_country"))
    assert b"Marisol Secreta" in trafficking.get(f"/cases/{case.pk}/summary.pdf").content


def test_names_outside_latin1_print_without_error(network, settings):
    """With DejaVu (where the machine has it) as written; without, with the accents Latin-1
    has."""
    officer = actor_for(network.user(Role.OFFICER))
    person = people_services.person_create(
        actor=officer, data={"given_names": "Nguyễn Thị Ánh", "first_surname": "Ōtsuka"}
    )
    case = services.case_open(actor=officer, person=person, case_type="labour", summary="雇用")
    client = Client()
    client.force_login(network.user(Role.OFFICER))
    settings.ENLACE_PDF_COMPRESS = False
    settings.ENLACE_PDF_FONT_DIRS = []
    body = client.get(f"/cases/{case.pk}/summary.pdf").content
    assert body.startswith(b"%PDF")
    assert "Nguyên Thi Ánh Otsuka".encode("latin-1") in body
    settings.ENLACE_PDF_FONT_DIRS = ["/usr/share/fonts/truetype/dejavu"]
    from enlace.cases.printout import _font_dir

    if _font_dir() is None:
        pytest.skip("DejaVu Sans is not installed here")
    body = client.get(f"/cases/{case.pk}/summary.pdf").content
    assert body.startswith(b"%PDF") and b"DejaVuSans" in body


def test_latin1_keeps_what_it_can():
    assert latin1("Nguyễn Thị Ánh") == "Nguyên Thi Ánh"
    assert latin1("Ōtsuka Łukasz Ñandú") == "Otsuka ?ukasz Ñandú"
    assert latin1("雇用") == "??"


def test_the_case_page_links_the_summary(world):
    client = Client()
    client.force_login(world.network.user(Role.OFFICER))
    page = client.get(f"/cases/{world.case.pk}/").content.decode()
    assert f'href="/cases/{world.case.pk}/summary.pdf"' in page
