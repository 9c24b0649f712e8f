"""The migratory-status firewall: a canary status planted by the owning office appears in no
response, export, log line, audit row or search result anywhere outside that office."""

import io
import logging

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from enlace.accounts.models import Role
from enlace.accounts.testing import OWN_OFFICE
from enlace.audit.models import AccessEvent, ChangeEvent
from enlace.cases.testing import export
from enlace.tests.doors import bodies, door_urls, leaks_in

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


# Doors that list every choice of the status field (the API's description, the blank form to
# register a person): there only the person's own note would be a leak.
CHOICE_LISTS = {"api:schema", "api:docs", "people:create"}
CANARY_PIECE = CANARY.split("-")[1]


def _portal_request(office):
    from django.utils import timezone

    from enlace.portal.models import PublicRequest
    from enlace.portal.services import new_code, secret_digest

    return PublicRequest.objects.create(
        kind="help",
        reference=new_code(),
        secret_digest=secret_digest(new_code()),
        office=office,
        updated=timezone.now(),
        details={"situation": "detention", "description": "Detenido"},
    )


def _rights_request(person):
    """An access request of the canary person, recorded by the office that holds them: its
    page names the person and must not show the status."""
    from django.utils import timezone

    from enlace.privacy.models import RightsRequest

    today = timezone.localdate()
    return RightsRequest.objects.create(
        office=person.owner_office,
        person=person,
        kind="access",
        law_country="MX",
        received_on=today,
        due_on=today,
        legal_source="test",
    )


@pytest.fixture
def doors(world, settings, tmp_path):
    """Every GET pattern of the URL conf, with the canary's records (and the records around
    them) in its arguments, and search / export / direction variants for the lists."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    # PDFs (the case summary) uncompressed, in the built-in Latin-1 font: their text searchable.
    settings.ENLACE_PDF_COMPRESS = False
    settings.ENLACE_PDF_FONT_DIRS = []

    from enlace.accounts.actor import actor_for
    from enlace.cases import services
    from enlace.core.models import Job
    from enlace.tracing import services as tracing_services
    from enlace.tracing.models import TracingMatch

    settings.MEDIA_ROOT = tmp_path
    network = world.network
    officer = actor_for(network.user(Role.OFFICER, OWN_OFFICE))
    attachment = services.attachment_add(
        actor=officer,
        case=world.case,
        upload=SimpleUploadedFile("informe.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
    )
    tracing = tracing_services.request_create(
        actor=actor_for(network.user(Role.OFFICER, "other_country")),
        data={
            "requester_name": "Rosa Gómez",
            "requester_relation": "mother",
            "requester_consent": True,
            "given_names": "Jesús Alberto",
            "first_surname": "Pérez",
            "second_surname": "Gómez",
            "sex": "M",
            "birth_date": "1999",
        },
    )
    match = tracing.matches.filter(person=world.person).first() or TracingMatch.objects.create(
        request=tracing,
        person=world.person,
        match_probability=0.9,
        match_weight=9.0,
        explanation=[["given_names", "exact", 5.0]],
        request_fingerprint="r",
        person_fingerprint="p",
    )
    match = tracing_services.match_confirm(actor=officer, match=match, notice_language="es")
    admin = network.user(Role.ADMINISTRATOR, OWN_OFFICE)
    job = Job.objects.create(
        kind="reference_refresh", office=world.case.owner_office, created_by=admin
    )
    people_import = Job.objects.create(  # a dry run that found the person as a duplicate
        kind="people_import_check",
        status=Job.Status.SUCCEEDED,
        office=world.case.owner_office,
        created_by=network.user(Role.OFFICER, OWN_OFFICE),
        result={
            "rows": 1,
            "valid": 1,
            "invalid": 0,
            "duplicates": 1,
            "report": {
                "errors": [],
                "duplicates": [{"row": 2, "people": [str(world.person.pk)], "rows": []}],
            },
        },
    )
    from enlace.inbox.models import Kind
    from enlace.inbox.services import notify

    item = notify(  # what the owning office is told of the canary's case
        kind=Kind.CASE_OVERDUE,
        office=world.case.owner_office,
        params={"reference": world.case.reference, "due": "2026-01-01"},
        link=reverse("cases:detail", kwargs={"case_id": world.case.pk}),
    )
    from enlace.returns import services as return_services

    # The canary person's return, opened by the owning office: its pages, file and API must not
    # carry the status either (the receiving side is checked in enlace/returns/tests).
    return_ = return_services.return_open(actor=officer, person=world.person)
    by_param = {
        "item_id": item.pk,
        "return_id": return_.pk,
        # No practice holds the canary (a practice is no person record): the case's id stands
        # in, and the practice's doors answer 404 without it.
        "practice_id": world.case.pk,
        "person_id": world.person.pk,
        "case_id": world.case.pk,
        "referral_id": world.referral.pk,
        "attachment_id": attachment.pk,
        "consent_id": world.referral.consent_id,
        "office_id": world.case.owner_office_id,
        "membership_id": network.user(Role.OFFICER, OWN_OFFICE).active_membership_id,
        "request_id": tracing.pk,
        "match_id": match.pk,
        "reunification_id": match.reunification.pk,
        # No trafficking alert in this world: the canary's case id stands in (a 404, or 405).
        "alert_id": world.case.pk,
        "job_id": job.pk,
        "record_type": "people.person",
        "record_id": world.person.pk,
        "step": "accept",
        "name": "start_assessment",
        "kind": "disability",
        "fmt": "csv",
        "slug": "cases",
        # Forums hold no person: their doors are opened with a case's id (404) and a country.
        "forum_id": world.case.pk,
        "meeting_id": world.case.pk,
        "agenda_item_id": world.case.pk,
        "country": world.case.owner_office.country_id,
        "code": "C01",
        # Remittances hold no person: their doors are opened with a corridor and, for a quote or
        # a provider, the canary's case id (a 404) and must answer without the status.
        "sending": "US",
        "receiving": "MX",
        "quote_id": world.case.pk,
        "provider_id": world.case.pk,
        # Diaspora: no association holds the canary (associations hold no person); the doors
        # are opened with the case's id and a municipality, and must answer without it.
        "association_id": world.case.pk,
        "project_id": world.case.pk,
        "municipality_id": "SV-1407",
        # The portal (enlace.portal): a request from the public to the owning office, which
        # holds no migratory status (the public is never asked), and a follow-up reference.
        "public_request_id": _portal_request(world.case.owner_office).pk,
        "reference": "ABCD-EFGH-JKMN-PQRS-TUVW",
        # Data protection: the canary person's access request; no breach holds a person (the
        # case's id stands in, a 404).
        "rights_request_id": _rights_request(world.person).pk,
        "breach_id": world.case.pk,
        # Indicators: a chart's CSV (official sources; the page beside it shows the protected
        # figures of Enlace's records, which must not hold the status either).
        "chart": "remittances",
    }
    by_resource = {  # the API's `pk`, by the router's prefix
        "people": world.person.pk,
        "cases": world.case.pk,
        "referrals": world.referral.pk,
        "offices": world.case.owner_office_id,
        "memberships": by_param["membership_id"],
        "tracing-requests": tracing.pk,
        "tracing-matches": match.pk,
        "reunifications": match.reunification.pk,
        "people-imports": people_import.pk,
        "inbox": item.pk,
        # No trafficking case holds the canary (it has no migratory status): the door is
        # still opened, with the case's id, and must answer without it (404).
        "trafficking-cases": world.case.pk,
        "trafficking-access-requests": world.case.pk,
        "returns": return_.pk,
        "forums": world.case.pk,
        "forum-meetings": world.case.pk,
        "forum-items": world.case.pk,
        # No remittance quote holds a person: the canary case's id stands in (404).
        "remittance-quotes": world.case.pk,
        "associations": world.case.pk,
        # Data protection: the canary person's access request; no breach holds a person.
        "rights-requests": by_param["rights_request_id"],
        "data-breaches": world.case.pk,
    }

    def queries(name, kwargs):
        found: list[dict[str, str]] = [{}]
        if not kwargs:  # a list or a search: search for a piece of the canary as well (pages
            found.append({"q": CANARY_PIECE})  # echo the search term: not the whole of it)
        if name == "cases:create":  # the form to open a case for the person
            found.append({"person": str(world.person.pk)})
        if name.endswith("export"):  # CSV is the default
            found.append({"format": "xlsx"})
        if "referral" in name and not kwargs:
            found.append({"direction": "out"})
        return found

    return door_urls(
        by_param=by_param,
        by_resource=by_resource,
        needles=lambda name: [CANARY] if name in CHOICE_LISTS else STATUS_TEXTS,
        queries=queries,
    )


def _pages(doors, user, errors: list[str]):
    """The body of every door for this user: an export is a job, and what is checked is the
    file it writes for this user."""
    exports = (reverse("cases:export"), reverse("api:case-export"))
    return bodies(doors, user, errors, special=dict.fromkeys(exports, export))


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


def test_canary_leaks_nowhere_outside_the_owning_office(world, doors, caplog):
    caplog.set_level(logging.DEBUG)
    checked = 0
    errors: list[str] = []
    leaks: list[str] = []
    for (role, relation), user in world.network.users.items():
        if relation == OWN_OFFICE and role in (Role.OFFICER, Role.SUPERVISOR):
            continue
        found = _pages(doors, user, errors)
        leaks += leaks_in(found, f"{role} × {relation}")
        checked += len(found)
    assert not leaks, "\n".join(leaks)
    assert checked > 30 * len(doors) > 1500
    for needle in STATUS_TEXTS[:2]:
        assert needle not in caplog.text
    assert not errors, "doors that break (not checked):\n" + "\n".join(sorted(set(errors)))


def test_owning_office_exports_and_searches_never_carry_the_status(world):
    owner = world.network.user(Role.SUPERVISOR, OWN_OFFICE)
    api = APIClient()
    api.force_authenticate(owner)
    csv_body = export(api, params={"format": "csv"}).content.decode("utf-8")
    assert world.case.reference in csv_body
    xlsx = export(api, params={"format": "xlsx"}).content
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
