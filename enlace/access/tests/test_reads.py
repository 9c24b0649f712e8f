"""Logged reads by construction: every page, htmx partial, edit form, API endpoint (detail and
list) and export that shows a case, a person, a file or a tracing record writes exactly one
access row per record shown, with a fixed purpose; a refused read writes a denied row."""

import uuid
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, SAME_COUNTRY
from enlace.audit.models import AccessEvent
from enlace.cases import services as case_services
from enlace.cases.testing import export
from enlace.core.models import Job
from enlace.people import services as people_services
from enlace.tracing.models import Reunification

from .conftest import REFERRED_IN, confirm

pytestmark = pytest.mark.django_db

CASE, PERSON, MATCH = "cases.case", "people.person", "tracing.tracingmatch"
REQUEST, REUNIFICATION = "tracing.tracingrequest", "tracing.reunification"


def _client(user, api: bool):
    client: APIClient | Client = APIClient() if api else Client()
    if api:
        client.force_authenticate(user)  # type: ignore[union-attr]
    else:
        client.force_login(user)
    return client


def reads_of(user, url: str, *, api: bool = False, status: int = 200) -> Counter:
    """GET `url` as `user`; the access rows it wrote, counted by (type, id, purpose, denied)."""
    last = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = _client(user, api).get(url)
    assert response.status_code == status, (url, response.status_code)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    rows = AccessEvent.objects.filter(pk__gt=last)
    assert all(r.actor_id == user.pk for r in rows)
    return Counter((r.record_type, r.record_id, r.purpose, r.denied) for r in rows)


def one(record_type: str, obj, purpose: str = "view", denied: bool = False) -> Counter:
    return Counter({(record_type, str(obj.pk), purpose, denied): 1})


@pytest.mark.parametrize(
    ("url", "api", "purpose"),
    [
        ("/cases/{case}/", False, "view"),
        ("/cases/{case}/facts/", False, "view"),
        ("/cases/{case}/edit/", False, "edit"),
        ("/cases/{case}/refer/", False, "referral"),
        ("/api/v1/cases/{case}/", True, "view"),
    ],
)
def test_each_case_read_writes_exactly_one_row(world, url, api, purpose):
    got = reads_of(world.user(), url.format(case=world.case.pk), api=api)
    assert got == one(CASE, world.case, purpose)


def test_the_person_edit_form_showing_the_status_is_logged(world):
    got = reads_of(world.user(), f"/people/{world.person.pk}/edit/")
    assert got == one(PERSON, world.person, "edit")


def test_the_open_case_form_is_logged(world):
    got = reads_of(world.user(), f"/cases/new/?person={world.person.pk}")
    assert got == one(PERSON, world.person, "edit")


def test_person_page_logs_the_person_and_each_case_listed(world):
    got = reads_of(world.user(), f"/people/{world.person.pk}/")
    assert got == one(PERSON, world.person) + one(CASE, world.case, "list")
    assert reads_of(world.user(), f"/api/v1/people/{world.person.pk}/", api=True) == one(
        PERSON, world.person
    )


def test_why_parameter_is_gone_purpose_is_fixed(world):
    got = reads_of(world.user(), f"/cases/{world.case.pk}/?why=curiosity")
    assert got == one(CASE, world.case, "view")


def test_attachment_download_is_logged(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = case_services.attachment_add(
        actor=world.actor(),
        case=world.case,
        upload=SimpleUploadedFile("informe.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    got = reads_of(world.user(), f"/cases/attachments/{attachment.pk}/")
    assert got == one("cases.attachment", attachment, "download")


def _more_people(world, n: int) -> list:
    officer = world.actor()
    made = []
    for i in range(n):
        person = people_services.person_create(
            actor=officer, data={"given_names": f"Persona {i}", "first_surname": "Lista"}
        )
        case_services.case_open(actor=officer, person=person, case_type="labour", summary="s")
        made.append(person)
    return made


@pytest.mark.parametrize(
    ("url", "api", "record_type", "purpose"),
    [
        ("/cases/", False, CASE, "list"),
        ("/api/v1/cases/", True, CASE, "list"),
        ("/cases/?q=lista", False, CASE, "search"),
        ("/api/v1/cases/?q=lista", True, CASE, "search"),
        ("/people/", False, PERSON, "list"),
        ("/api/v1/people/", True, PERSON, "list"),
        ("/people/?q=lista", False, PERSON, "search"),
        ("/api/v1/people/?q=lista", True, PERSON, "search"),
    ],
)
def test_every_list_logs_one_row_per_record_shown(world, url, api, record_type, purpose):
    _more_people(world, 3)
    got = reads_of(world.user(), url, api=api)
    client = _client(world.user(), api)
    if api:
        shown = {r["id"] for r in client.get(url).json()["results"]}
    else:
        html = client.get(url).content.decode()
        prefix = "/cases/" if record_type == CASE else "/people/"
        model = world.case.__class__ if record_type == CASE else world.person.__class__
        shown = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        shown = {pk for pk in shown if f"{prefix}{pk}/" in html}
    assert shown, "the list shows something"
    assert got == Counter({(record_type, pk, purpose, False): 1 for pk in shown})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_logs_one_row_per_case_exported_and_one_for_the_download(world, fmt):
    people = _more_people(world, 2)
    user = world.user()
    last = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert export(_client(user, False), "/cases/export/", {"format": fmt}).status_code == 200
    rows = AccessEvent.objects.filter(pk__gt=last)
    assert all(r.actor_id == user.pk for r in rows)
    got = Counter((r.record_type, r.record_id, r.purpose, r.denied) for r in rows)
    cases = [world.case, *(p.cases.get() for p in people)]
    job = Job.objects.get(created_by=user, kind="case_export")
    assert got == Counter({(CASE, str(c.pk), "export", False): 1 for c in cases}) + one(
        "core.job", job, "download"
    )


def test_home_dashboard_logs_each_case_shown_once(world):
    got = reads_of(world.user(), "/")
    assert got == one(CASE, world.case, "list")  # in "my cases" and "overdue"… logged once


def test_a_refused_read_is_logged_as_denied_with_the_owner(world):
    stranger = world.user(Role.OFFICER, OTHER_COUNTRY)
    got = reads_of(stranger, f"/cases/{world.case.pk}/", status=404)
    assert got == one(CASE, world.case, "view", denied=True)
    row = AccessEvent.objects.get(actor=stranger, denied=True)
    assert row.owner_office == world.case.owner_office  # the owner's overseers see the probe
    overseer = _client(world.user(Role.SUPERVISOR), api=False)
    assert stranger.username in overseer.get(f"/audit/cases.case/{world.case.pk}/").content.decode()
    got = reads_of(stranger, f"/api/v1/people/{world.person.pk}/", api=True, status=404)
    assert got == one(PERSON, world.person, "view", denied=True)
    got = reads_of(stranger, f"/cases/{world.case.pk}/facts/", status=404)
    assert got == one(CASE, world.case, "view", denied=True)


def test_a_read_of_a_missing_record_is_logged_as_denied_without_owner(world):
    missing = uuid.uuid4()
    got = reads_of(world.user(), f"/api/v1/cases/{missing}/", api=True, status=404)
    assert got == Counter({(CASE, str(missing), "view", True): 1})
    assert AccessEvent.objects.get(record_id=str(missing)).owner_office is None


def test_receiving_office_reads_are_logged_to_the_owners_history(world):
    reader = world.user(Role.OFFICER, REFERRED_IN)
    assert reads_of(reader, f"/cases/{world.case.pk}/") == one(CASE, world.case)
    supervisor = _client(world.user(Role.SUPERVISOR), api=False)
    html = supervisor.get(f"/audit/cases.case/{world.case.pk}/").content.decode()
    assert reader.username in html


# Tracing -------------------------------------------------------------------------------


def test_match_reads_are_logged_on_both_sides(tracing):
    requester = tracing.network.user(Role.OFFICER, OWN_OFFICE)
    owner = tracing.network.user(Role.OFFICER, OTHER_COUNTRY)
    m = tracing.match
    for user in (requester, owner):
        assert reads_of(user, f"/api/v1/tracing-matches/{m.pk}/", api=True) == one(
            MATCH, m, "tracing"
        )
        assert reads_of(user, f"/tracing/matches/{m.pk}/") == one(MATCH, m, "tracing")
    side = "?side=requester"
    got = reads_of(requester, f"/api/v1/tracing-matches/{side}", api=True)
    assert got == one(MATCH, m, "list")
    assert reads_of(owner, "/api/v1/tracing-matches/", api=True) == one(MATCH, m, "list")


def test_request_pages_and_the_csv_export_are_logged(tracing):
    requester = tracing.network.user(Role.OFFICER, OWN_OFFICE)
    req, m = tracing.request, tracing.match
    confirm(tracing)  # the request page now shows the person found
    assert reads_of(requester, f"/tracing/requests/{req.pk}/") == one(
        REQUEST, req, "tracing"
    ) + one(MATCH, m, "list")
    assert reads_of(requester, f"/api/v1/tracing-requests/{req.pk}/", api=True) == one(
        REQUEST, req, "tracing"
    ) + one(MATCH, m, "list")
    assert reads_of(requester, "/tracing/export/") == one(REQUEST, req, "export") + one(
        MATCH, m, "export"
    )
    assert reads_of(requester, "/tracing/") == one(REQUEST, req, "list")


def test_reunification_pages_are_logged(tracing):
    confirm(tracing)
    item = Reunification.objects.get(match=tracing.match)
    for relation in (OWN_OFFICE, OTHER_COUNTRY):
        user = tracing.network.user(Role.OFFICER, relation)
        assert reads_of(user, f"/tracing/reunifications/{item.pk}/") == one(
            REUNIFICATION, item, "reunification"
        )
        assert reads_of(user, f"/api/v1/reunifications/{item.pk}/", api=True) == one(
            REUNIFICATION, item, "reunification"
        )
    stranger = tracing.network.user(Role.OFFICER, SAME_COUNTRY)
    got = reads_of(stranger, f"/tracing/reunifications/{item.pk}/", status=404)
    assert got == one(REUNIFICATION, item, "reunification", denied=True)


@pytest.mark.parametrize(
    ("url", "record_type", "purpose"),
    [
        ("/cases/{case}/edit/", CASE, "edit"),
        ("/people/{person}/edit/", PERSON, "edit"),
        ("/cases/new/?person={person}", PERSON, "edit"),
    ],
)
def test_an_edit_form_refused_to_who_may_only_view_is_logged_as_denied(
    world, url, record_type, purpose
):
    focal = world.user(Role.NATIONAL_FOCAL_POINT)  # sees the records, may not edit them
    record = world.case if record_type == CASE else world.person
    got = reads_of(focal, url.format(case=world.case.pk, person=world.person.pk), status=404)
    assert got == one(record_type, record, purpose, denied=True)


def test_tracing_pages_refused_to_other_roles_are_logged(tracing):
    analyst = tracing.network.user(Role.ANALYST, OWN_OFFICE)
    got = reads_of(analyst, f"/tracing/matches/{tracing.match.pk}/", status=404)
    assert got == one(MATCH, tracing.match, "tracing", denied=True)


def test_the_audit_export_neutralises_formulas_in_every_cell(world):
    """A user or office name typed as a formula (CSV injection) is written as text."""
    import csv
    import io

    reader = world.user()
    reader.first_name, reader.last_name = '=HYPERLINK("http://x")', "@SUM(1)"
    reader.save()
    office = reader.active_membership.office
    office.name = "+cmd|' /C calc'!A0"
    office.save()
    reads_of(reader, f"/cases/{world.case.pk}/")
    overseer = _client(world.user(Role.SUPERVISOR), api=False)
    response = overseer.get("/audit/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert any("HYPERLINK" in cell for cell in cells)
    assert any("cmd|" in cell for cell in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
