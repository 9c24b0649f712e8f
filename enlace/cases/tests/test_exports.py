"""Case exports as background jobs: the file holds what the job's user may see when it runs,
chunk by chunk at a constant number of queries, with progress; only that user downloads it
(logged), until it expires; the API answers 202 and a status to poll."""

import csv
import datetime as dt
import io
import re
import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from enlace.access.reads import Purpose
from enlace.accounts.actor import Actor, actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY
from enlace.audit.models import AccessEvent
from enlace.cases import exports, services
from enlace.cases.exports import COLUMNS, KIND, NOT_READY_MESSAGE
from enlace.cases.models import Case
from enlace.cases.present import case_fields
from enlace.cases.selectors import case_list
from enlace.cases.testing import export, start_export
from enlace.core.jobs import run_job
from enlace.core.models import Job
from enlace.core.text import spreadsheet_safe
from enlace.people import services as people_services

from .conftest import REFERRED_IN, REVOKED

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _open_cases(actor: Actor, n: int, summary: str = "Caso") -> list[Case]:
    cases = []
    for i in range(n):
        person = people_services.person_create(
            actor=actor,
            data={"given_names": f"Persona {i}", "first_surname": "Export", "sex": "F"},
            nationalities=["MX"],
        )
        cases.append(
            services.case_open(
                actor=actor, person=person, case_type="labour", summary=f"{summary} {i}"
            )
        )
    return cases


def _job(actor: Actor) -> Job:
    return Job.objects.create(kind=KIND, office=actor.office, created_by=actor.user)


def _run(actor: Actor, fmt: str = "csv", language: str = "es", **filters: str) -> Job:
    """Run an export job straight through the task's body, as the worker would."""
    job = _job(actor)
    params = {"format": [fmt], **{k: [v] for k, v in filters.items()}}
    run_job.call(str(job.pk), {"params": params, "language": language})
    job.refresh_from_db()
    return job


def _csv_rows(job: Job) -> list[list[str]]:
    with default_storage.open(job.result["file"], "rb") as f:
        return list(csv.reader(io.StringIO(f.read().decode("utf-8-sig"), newline="")))


def _expected(actor: Actor, codes: bool = False) -> list[list[str]]:
    """The rows the synchronous export wrote: the scoped list, newest first, formula-safe."""
    cases = case_list(actor=actor).order_by("-created", "-pk")
    present = case_fields if codes else exports.labelled_fields
    rows = [[spreadsheet_safe(present(actor, c)[k]) for k, _h in COLUMNS] for c in cases]
    return [["" if v is None else str(v) for v in row] for row in rows]


def test_job_writes_the_scoped_rows_and_logs_each_case_as_exported(world):
    officer = actor_for(world.network.user(Role.OFFICER))
    _open_cases(officer, 3, summary="=1+1")  # a formula, written harmless
    other = actor_for(world.network.user(Role.OFFICER, OTHER_COUNTRY))
    outside = _open_cases(other, 2, summary="Fuera")
    job = _run(officer, language="fr")
    assert job.status == Job.Status.SUCCEEDED, job.message
    rows = _csv_rows(job)
    with translation.override("fr"):  # the language of the request that started it
        assert rows[0] == exports._headers()
        assert rows[1:] == _expected(officer)
    assert rows[0][0] != "Reference"
    assert len(rows) == 1 + 4 and job.result["rows"] == 4
    assert all(r[8].startswith("'=1+1") for r in rows[1:4])
    refs = {r[0] for r in rows[1:]}
    assert not refs & {c.reference for c in outside}
    logged = AccessEvent.objects.filter(actor=officer.user, purpose=Purpose.EXPORT)
    assert sorted(logged.values_list("record_id", flat=True)) == sorted(
        str(c.pk) for c in case_list(actor=officer)
    )


def test_xlsx_has_the_same_rows(world):
    officer = actor_for(world.network.user(Role.OFFICER))
    _open_cases(officer, 2)
    job = _run(officer, "xlsx")
    with default_storage.open(job.result["file"], "rb") as f:
        sheet = load_workbook(io.BytesIO(f.read()), read_only=True).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)][1:]
    with translation.override("es"):
        expected = _expected(officer)
    assert [[str(v) if v is not None else "" for v in r] for r in rows] == expected


def test_values_are_words_in_the_readers_language_or_codes_on_request(world):
    officer = actor_for(world.network.user(Role.OFFICER))
    _open_cases(officer, 1)
    row = next(r for r in _csv_rows(_run(officer, language="fr")) if r[1] == "Persona 0 Export")
    assert row[2:5] == ["Droits du travail et salaires impayés", "Ouvert", "Moyen"]
    assert row[6] == "Non"
    coded = _csv_rows(_run(officer, language="fr", values="codes"))
    row = next(r for r in coded if r[1] == "Persona 0 Export")
    assert row[2:5] == ["labour", "open", "medium"]
    assert row[6] == "False"
    with translation.override("fr"):
        assert coded[1:] == _expected(officer, codes=True)


def test_the_scope_is_the_users_when_the_job_runs(world):
    """Started while the referral stood, run after it was revoked: the case is not in it; and
    a user whose membership ended meanwhile gets no file at all."""
    referred = actor_for(world.network.user(Role.OFFICER, REFERRED_IN))
    job = _job(referred)
    services.referral_revoke(
        actor=actor_for(world.network.user(Role.SUPERVISOR)), referral=world.referral
    )
    run_job.call(str(job.pk), {"params": {"format": ["csv"]}})
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert _csv_rows(job)[1:] == []

    officer = actor_for(world.network.user(Role.OFFICER))
    job = _job(officer)
    officer.membership.is_active = False
    officer.membership.save()
    with pytest.raises(exports.ExportRefused):
        run_job.call(str(job.pk), {"params": {"format": ["csv"]}})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "file" not in job.result
    assert not AccessEvent.objects.filter(actor=officer.user, purpose=Purpose.EXPORT).exists()


def test_out_of_scope_cases_never_appear(world):
    revoked = actor_for(world.network.user(Role.OFFICER, REVOKED))
    foreign = actor_for(world.network.user(Role.OFFICER, OTHER_COUNTRY))
    for actor in (revoked, foreign):
        job = _run(actor)
        assert world.case.reference not in {r[0] for r in _csv_rows(job)}
    referred = actor_for(world.network.user(Role.OFFICER, REFERRED_IN))
    assert [r[0] for r in _csv_rows(_run(referred))[1:]] == [world.case.reference]


def test_filters_are_kept_in_the_job(world):
    officer = actor_for(world.network.user(Role.OFFICER))
    _open_cases(officer, 2)
    api = APIClient()
    api.force_authenticate(officer.user)
    start_export(api, "/api/v1/cases/export/", {"case_type": "detention", "page": "3"})
    body = export(api, params={"case_type": "detention"}).content.decode("utf-8-sig")
    assert [r[0] for r in csv.reader(io.StringIO(body))][1:] == [world.case.reference]
    job = Job.objects.filter(kind=KIND).order_by("created").first()
    assert job.result["rows"] == 1


def _queries(actor: Actor) -> int:
    job = _job(actor)
    with CaptureQueriesContext(connection) as ctx:
        run_job.call(str(job.pk), {"params": {"format": ["csv"]}})
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    return len(ctx.captured_queries)


def test_queries_per_chunk_do_not_grow_with_cases(network, settings, monkeypatch):
    """3, 20 and 30 cases at 10 a chunk: 1, 2 and 3 chunks; each chunk costs the same few
    queries (fetch, the list's prefetches if any, the access log, progress), whatever it
    holds."""
    settings.ENLACE_EXPORT_CHUNK_SIZE = 10
    officer = actor_for(network.user(Role.OFFICER))
    progress: list[tuple[int, int]] = []
    record = exports.job_progress

    def spy(job: Job, done: int, total: int, message: str = "") -> None:
        progress.append((done, total))
        record(job, done, total, message)

    monkeypatch.setattr(exports, "job_progress", spy)
    _open_cases(officer, 3)
    three = _queries(officer)
    _open_cases(officer, 17)
    twenty = _queries(officer)
    _open_cases(officer, 10)
    progress.clear()
    thirty = _queries(officer)
    per_chunk = twenty - three
    assert thirty - twenty == per_chunk, (three, twenty, thirty)
    assert 1 <= per_chunk <= 6, per_chunk
    assert three <= 20, three
    assert progress == [(0, 30), (10, 30), (20, 30), (30, 30)]
    job = Job.objects.filter(kind=KIND).order_by("-created").first()
    assert (job.progress_done, job.progress_total, job.percent) == (30, 30, 100)


def test_api_answers_202_then_the_status_gives_the_download(
    world, django_capture_on_commit_callbacks
):
    officer = world.network.user(Role.OFFICER)
    api = APIClient()
    api.force_authenticate(officer)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        resp = api.post("/api/v1/cases/export/?format=xlsx")
    assert resp.status_code == 202
    started = resp.json()
    assert started["status"] == "queued"
    assert resp["Location"] == started["status_url"]
    status = api.get(started["status_url"]).json()
    assert status["id"] == started["id"] and status["status"] == "queued"
    assert "download_url" not in status
    for callback in queued:  # the worker picks the job up
        callback()
    status = api.get(started["status_url"]).json()
    assert status["status"] == "succeeded"
    assert (status["progress_done"], status["progress_total"], status["percent"]) == (1, 1, 100)
    assert status["rows"] == 1 and status["format"] == "xlsx"
    download = api.get(status["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    assert download["Content-Disposition"].startswith("attachment;")
    assert 'filename="enlace-cases.xlsx"' in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert world.case.reference in repr(rows)
    # The API's file keeps the codes its schema documents, for scripts that read it back.
    row = next(r for r in rows if r[0] == world.case.reference)
    assert (row[2], row[3]) == (world.case.case_type, world.case.status)


def test_page_redirects_to_the_job_page_which_links_the_file(world):
    web = Client()
    web.force_login(world.network.user(Role.OFFICER))
    resp = start_export(web, "/cases/export/", {"format": "csv", "status": ""})
    job = Job.objects.get(kind=KIND)
    assert resp.status_code == 302 and resp["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.SUCCEEDED
    html = web.get(resp["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert f'href="/cases/export/{job.pk}/download/"' in html
    assert "hx-trigger" not in html  # finished: no more polling
    assert "/private/" not in html and "exports/" not in html  # no storage path shown
    download = web.get(f"/cases/export/{job.pk}/download/")
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="enlace-cases.csv"'
    assert world.case.reference.encode() in b"".join(download.streaming_content)


def test_a_running_export_polls_and_shows_no_link_yet(world):
    officer = world.network.user(Role.OFFICER)
    job = Job.objects.create(
        kind=KIND,
        office=world.case.owner_office,
        created_by=officer,
        status=Job.Status.RUNNING,
        progress_done=500,
        progress_total=2000,
    )
    web = Client()
    web.force_login(officer)
    html = web.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in html and "25 %" in html
    assert "download" not in html
    # The link is not offered yet; followed anyway, the page shows the progress, the API a 409
    # with a message (the job exists and is the user's: not a 404).
    page = web.get(f"/cases/export/{job.pk}/download/")
    assert page.status_code == 302 and page["Location"] == f"/jobs/{job.pk}/"
    api = APIClient()
    api.force_authenticate(officer)
    response = api.get(f"/api/v1/cases/export/{job.pk}/download/")
    assert response.status_code == 409
    assert response.json()["detail"] == str(NOT_READY_MESSAGE)
    on_job = AccessEvent.objects.filter(record_type="core.job", record_id=str(job.pk))
    assert not on_job.exists()  # nothing was read
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)
    assert api.get(f"/api/v1/cases/export/{job.pk}/download/").status_code == 404


def test_only_the_user_who_started_it_downloads_it(world):
    officer = world.network.user(Role.OFFICER)
    job = _run(actor_for(officer))
    supervisor = world.network.user(Role.SUPERVISOR)  # same office, more rights: still 404
    for user in (supervisor, world.network.user(Role.ADMINISTRATOR)):
        web = Client()
        web.force_login(user)
        assert web.get(f"/cases/export/{job.pk}/download/").status_code == 404
        api = APIClient()
        api.force_authenticate(user)
        assert api.get(f"/api/v1/cases/export/{job.pk}/").status_code == 404
        assert api.get(f"/api/v1/cases/export/{job.pk}/download/").status_code == 404
    on_job = AccessEvent.objects.filter(record_type="core.job", record_id=str(job.pk))
    # The refused downloads are logged (page and API); the status shows no record and is not.
    assert on_job.filter(actor=supervisor, denied=True, purpose="download").count() == 2
    assert not on_job.filter(denied=False).exists()
    web = Client()
    web.force_login(officer)
    assert web.get(f"/cases/export/{job.pk}/download/").status_code == 200
    assert on_job.get(denied=False).actor == officer  # the download, logged once


def test_missing_or_malformed_ids_are_404(world):
    officer = world.network.user(Role.OFFICER)
    api = APIClient()
    api.force_authenticate(officer)
    web = Client()
    web.force_login(officer)
    other_kind = Job.objects.create(kind="reference_refresh", created_by=officer)
    for job_id in (uuid.uuid4(), other_kind.pk):
        assert web.get(f"/cases/export/{job_id}/download/").status_code == 404
        assert api.get(f"/api/v1/cases/export/{job_id}/").status_code == 404
        assert api.get(f"/api/v1/cases/export/{job_id}/download/").status_code == 404
    for junk in ("junk", "1", "0000"):
        assert web.get(f"/cases/export/{junk}/download/").status_code == 404
        assert api.get(f"/api/v1/cases/export/{junk}/").status_code == 404
        assert api.get(f"/api/v1/cases/export/{junk}/download/").status_code == 404


def test_a_bad_filter_is_a_400_and_starts_nothing(world):
    api = APIClient()
    api.force_authenticate(world.network.user(Role.OFFICER))
    assert api.post("/api/v1/cases/export/?format=pdf").status_code == 400
    assert api.post("/api/v1/cases/export/?status=").status_code == 400  # API: no blanks
    web = Client()
    web.force_login(world.network.user(Role.OFFICER))
    resp = web.post("/cases/export/", {"office": "junk"})
    assert resp.status_code == 400
    assert "errorlist" in resp.content.decode()  # the message, not a 500
    assert not Job.objects.filter(kind=KIND).exists()


def test_a_get_starts_no_export_and_logs_nothing(world):
    """Starting an export is a POST: a GET (an <img src> on another site, a prefetch) is 405 on
    the page and the API, and leaves no job and no access-log row."""
    officer = world.network.user(Role.OFFICER)
    web = Client()
    web.force_login(officer)
    api = APIClient()
    api.force_authenticate(officer)
    logged = AccessEvent.objects.count()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert web.get("/cases/export/", {"format": "csv"}).status_code == 405
        assert web.get("/cases/export/", HTTP_REFERER="https://evil.example/").status_code == 405
        assert api.get("/api/v1/cases/export/", {"format": "csv"}).status_code == 405
    assert not Job.objects.filter(kind=KIND).exists()
    assert AccessEvent.objects.count() == logged


def test_the_page_refuses_a_post_without_its_csrf_token(world):
    """A form on another site that posts to the export (the user's cookies, no token) is refused
    and starts nothing; the list's own form carries the token and starts the export."""
    officer = world.network.user(Role.OFFICER)
    web = Client(enforce_csrf_checks=True)
    web.force_login(officer)
    logged = AccessEvent.objects.count()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert web.post("/cases/export/", {"format": "csv"}).status_code == 403
    assert not Job.objects.filter(kind=KIND).exists()
    assert AccessEvent.objects.count() == logged
    page = web.get("/cases/", {"case_type": "detention"}).content.decode()
    form = re.search(r'<form method="post" action="/cases/export/".*?</form>', page, re.S)
    assert form, "the list has no export form"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[0]))
    assert fields["case_type"] == "detention" and fields["csrfmiddlewaretoken"]
    assert re.search(r'<button type="submit"[^>]*name="format" value="xlsx"', form[0])
    with TestCase.captureOnCommitCallbacks(execute=True):
        resp = web.post("/cases/export/", {**fields, "format": "csv"})
    assert resp.status_code == 302
    job = Job.objects.get(kind=KIND)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.result["rows"] == 1 and job.result["format"] == "csv"


def test_files_expire(world, settings, media):
    settings.ENLACE_EXPORT_TTL_HOURS = 24
    officer = world.network.user(Role.OFFICER)
    old, fresh = _run(actor_for(officer)), _run(actor_for(officer))
    Job.objects.filter(pk=old.pk).update(finished=timezone.now() - dt.timedelta(hours=25))
    web = Client()
    web.force_login(officer)
    assert web.get(f"/cases/export/{old.pk}/download/").status_code == 404  # expired already
    assert web.get(f"/cases/export/{fresh.pk}/download/").status_code == 200
    out = io.StringIO()
    call_command("export_cleanup", stdout=out)
    assert out.getvalue().strip() == "deleted=1"
    old.refresh_from_db()
    assert not default_storage.exists(f"exports/{old.pk}.csv")
    assert default_storage.exists(fresh.result["file"])
    assert old.result["expired"] is True and "download" not in old.result
    assert "href" not in web.get(f"/jobs/{old.pk}/", HTTP_HX_REQUEST="true").content.decode()
