"""The printable return file (PDF): what the escort needs, the name only with the identity, never
the migratory status; each download logged as an export; 404 for whoever does not see it."""

import pytest
from django.test import Client
from django.urls import reverse

from enlace.access.rules import Protection
from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY
from enlace.audit.models import AccessEvent
from enlace.people.models import Person

from .conftest import ADULT_SKIPS, CANARY_NOTE, open_adult, walk


@pytest.fixture(autouse=True)
def _plain_pdf(settings):
    settings.ENLACE_PDF_COMPRESS = False  # the text can be searched in the bytes
    settings.ENLACE_PDF_FONT_DIRS = []  # Helvetica: Latin-1 text as written


def _get(actor, ret):
    client = Client()
    client.force_login(actor.user)
    return client.get(reverse("returns:pdf", kwargs={"return_id": ret.pk}))


def test_the_file_holds_the_journey_and_never_the_migratory_status(rw):
    ret = walk(rw, open_adult(rw), until="hand_over", skip=ADULT_SKIPS)
    for actor in (rw.officer, rw.receiver):
        response = _get(actor, ret)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        body = response.content
        assert body.startswith(b"%PDF")
        assert ret.reference.encode() in body
        assert "Ciudad de México".encode("latin-1") in body  # the itinerary
        assert rw.receiving_office.name.encode("latin-1") in body
        assert "Ana Lucía".encode("latin-1") in body  # a plain person: named to both sides
        for secret in ("temporary_protection", CANARY_NOTE, "Protección temporal"):
            assert secret.encode("latin-1") not in body, (actor, secret)
        assert b"G12345678" in body  # the document's number: the identity is visible
    logged = AccessEvent.objects.filter(
        record_type="returns.return", record_id=str(ret.pk), purpose="export"
    )
    assert logged.count() == 2


def test_the_name_stays_out_for_a_reader_who_may_not_see_the_identity(rw):
    ret = walk(rw, open_adult(rw), until="hand_over", skip=ADULT_SKIPS)
    Person.objects.filter(pk=ret.person_id).update(identity_protection=Protection.GBV)
    body = _get(rw.receiver, ret).content
    assert "Ana Lucía".encode("latin-1") not in body
    assert b"G12345678" not in body  # a document's number is identity data
    assert "Ana Lucía".encode("latin-1") in _get(rw.officer, ret).content


def test_no_file_without_the_right(rw):
    ret = walk(rw, open_adult(rw), until="assessment")
    outsider = actor_for(rw.network.user(Role.OFFICER, OTHER_COUNTRY))
    assert _get(outsider, ret).status_code == 404
    assert _get(rw.receiver, ret).status_code == 404  # not handed over yet
    refused = AccessEvent.objects.filter(
        record_type="returns.return", record_id=str(ret.pk), purpose="export", denied=True
    )
    assert refused.count() == 2
