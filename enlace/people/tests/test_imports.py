"""Bulk import of people from CSV / XLSX: a dry run job with a per-row, per-field report in the
user's language, then an all-or-nothing import through the person services."""

import codecs
import csv
import datetime as dt
import io
import uuid

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, SAME_COUNTRY
from enlace.audit.models import ChangeEvent
from enlace.core.models import Job
from enlace.people import imports, services
from enlace.people.models import DatePrecision, Person

pytestmark = pytest.mark.django_db

HEADER_ES = ["Nombres", "Primer apellido", "Segundo apellido", "Sexo", "Fecha de nacimiento",
             "Nacionalidad", "Teléfono"]  # fmt: skip


def _csv(rows: list[list[str]], *, delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue()


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _client(user, language: str = "es") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _upload(client: Client, capture, name: str, body: bytes) -> Job:
    with capture(execute=True):
        resp = client.post("/people/import/", {"file": SimpleUploadedFile(name, body)})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    job_id = resp.url.rstrip("/").split("/")[-1]
    return Job.objects.get(pk=job_id)


def _run(client: Client, capture, job: Job, **data: str):
    with capture(execute=True):
        return client.post(f"/people/import/{job.pk}/run/", data)


def _last_run(job: Job) -> Job:
    job.refresh_from_db()
    return Job.objects.get(pk=job.result["import_job"])


@pytest.fixture
def officer(network):
    return network.user(Role.OFFICER)


GOOD = [
    HEADER_ES,
    ["María José", "López", "Quispe", "F", "1990-07-14", "GT", "(213) 555-0143"],
    ["Juan", "Pérez", "", "hombre", "14/02/1985", "MX, GT", ""],
]


def test_csv_utf8_dry_run_then_import_creates_people_audited(
    network, officer, django_capture_on_commit_callbacks
):
    client = _client(officer)
    job = _upload(client, django_capture_on_commit_callbacks, "registro.csv", _csv(GOOD).encode())
    assert job.status == Job.Status.SUCCEEDED
    assert (job.result["rows"], job.result["valid"], job.result["invalid"]) == (2, 2, 0)
    assert Person.objects.count() == 0  # a dry run saves nothing
    page = client.get(f"/people/import/{job.pk}/")
    assert f'action="/people/import/{job.pk}/run/"' in page.content.decode()

    resp = _run(client, django_capture_on_commit_callbacks, job)
    assert resp.status_code == 302
    run = _last_run(job)
    assert run.result["imported"] == 2
    assert (run.percent, run.message) == (100, "")
    maria = Person.objects.get(given_names="María José")
    assert maria.owner_office == network.offices[OWN_OFFICE]
    assert maria.phone == "+12135550143"  # the person services' phone rule
    juan = Person.objects.get(given_names="Juan")
    assert juan.sex == "M"
    assert juan.birth_date == dt.date(1985, 2, 14)
    assert sorted(c.code for c in juan.nationalities.all()) == ["GT", "MX"]
    assert ChangeEvent.objects.filter(action="person_create").count() == 2
    assert ChangeEvent.objects.filter(action="people_import", record_id=str(run.pk)).exists()
    body = client.get(f"/people/import/{run.pk}/").content.decode()
    assert f"/people/{maria.pk}/" in body and f"/people/{juan.pk}/" in body
    # the file is gone once imported, and the same check cannot be imported twice
    job.refresh_from_db()
    assert "file" not in job.result
    assert not default_storage.exists(f"imports/{job.pk}.csv")
    again = _run(client, django_capture_on_commit_callbacks, job)
    assert again.status_code == 400
    assert Person.objects.count() == 2


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ","), ("utf-8", ";"), ("cp1252", ";"), ("latin-1", ","), ("utf-16", "\t")],
)
def test_csv_encodings_and_separators(
    officer, django_capture_on_commit_callbacks, encoding, delimiter
):
    rows = [HEADER_ES, ["Ñusta Begoña", "Muñoz", "Peña", "F", "1999", "PE", ""]]
    body = _csv(rows, delimiter=delimiter).encode(encoding)
    if encoding == "utf-8-sig":
        assert body.startswith(codecs.BOM_UTF8)
    job = _upload(_client(officer), django_capture_on_commit_callbacks, "r.csv", body)
    assert job.result["valid"] == 1, job.result
    raw = default_storage.open(job.result["file"]).read()
    parsed, _ignored = imports.read_rows(raw, "csv")
    assert parsed[0][1]["given_names"] == "Ñusta Begoña"
    assert parsed[0][1]["first_surname"] == "Muñoz"


def test_xlsx_with_english_headers_and_date_cells(officer, django_capture_on_commit_callbacks):
    rows = [
        ["Given names", "Surname", "Sex", "Date of birth", "Nationality", "Estimated age"],
        ["Ana", "Gómez", "female", dt.datetime(1992, 3, 5), "SV", None],  # noqa: DTZ001 - an Excel date cell is naive
        ["Luis", "Mejía", "M", None, "HN", 34],
    ]
    client = _client(officer)
    job = _upload(client, django_capture_on_commit_callbacks, "people.xlsx", _xlsx(rows))
    assert job.result["valid"] == 2, job.result
    _run(client, django_capture_on_commit_callbacks, job)
    ana = Person.objects.get(given_names="Ana")
    assert (ana.sex, ana.birth_date) == ("F", dt.date(1992, 3, 5))
    luis = Person.objects.get(given_names="Luis")
    assert luis.estimated_age == 34
    assert luis.birth_date_precision == DatePrecision.ESTIMATED


BAD = [
    HEADER_ES,
    ["Rosa", "Díaz", "", "F", "1990-13-01", "GT", ""],  # row 2: a date that does not exist
    ["Pedro", "Ruiz", "", "Q", "1988", "ZZ", ""],  # row 3: bad sex and country
    ["Lucía", "Torres", "", "F", "1995", "MX", ""],  # row 4: valid
    ["", "Sin nombre", "", "", "", "", ""],  # row 5: no given names
]


def test_report_per_row_and_field_in_spanish(officer, django_capture_on_commit_callbacks):
    client = _client(officer)
    job = _upload(client, django_capture_on_commit_callbacks, "malo.csv", _csv(BAD).encode())
    assert (job.result["rows"], job.result["valid"], job.result["invalid"]) == (4, 1, 3)
    errors = job.result["report"]["errors"]
    by_row = {(row, column) for row, column, _m in errors}
    assert (2, "Fecha de nacimiento") in by_row
    assert (3, "Sexo") in by_row
    assert (3, "Nacionalidades") in by_row
    assert (5, "Nombres") in by_row
    messages = {(row, column): message for row, column, message in errors}
    assert messages[(2, "Fecha de nacimiento")] == "Esta fecha no existe."
    assert "ISO 3166-1" in messages[(3, "Nacionalidades")]
    assert "códigos de país" in messages[(3, "Nacionalidades")]
    body = client.get(f"/people/import/{job.pk}/").content.decode()
    assert "Esta fecha no existe." in body
    assert 'name="valid_only"' in body  # the explicit choice is offered


def test_report_in_english(officer, django_capture_on_commit_callbacks):
    job = _upload(
        _client(officer, "en"), django_capture_on_commit_callbacks, "bad.csv", _csv(BAD).encode()
    )
    messages = {(r, c): m for r, c, m in job.result["report"]["errors"]}
    assert messages[(2, "Date of birth")] == "This date does not exist."
    assert messages[(3, "Nationalities")] == "Use ISO 3166-1 two-letter country codes, e.g. MX."
    assert (3, "Sex") in messages
    assert messages[(5, "Given names")] == "This field is required."


def test_nothing_imported_when_a_row_is_invalid_unless_valid_rows_only(
    officer, django_capture_on_commit_callbacks
):
    client = _client(officer)
    job = _upload(client, django_capture_on_commit_callbacks, "malo.csv", _csv(BAD).encode())
    refused = _run(client, django_capture_on_commit_callbacks, job)
    assert refused.status_code == 400
    assert Person.objects.count() == 0
    job.refresh_from_db()
    assert "import_job" not in job.result and job.result["file"]
    # the explicit choice: the valid rows only
    resp = _run(client, django_capture_on_commit_callbacks, job, valid_only="on")
    assert resp.status_code == 302
    run = _last_run(job)
    assert run.result["imported"] == 1 and run.result["skipped_invalid"] == 3
    assert list(Person.objects.values_list("given_names", flat=True)) == ["Lucía"]


def test_import_is_atomic_all_rows_or_none(
    officer, django_capture_on_commit_callbacks, monkeypatch
):
    client = _client(officer)
    job = _upload(client, django_capture_on_commit_callbacks, "r.csv", _csv(GOOD).encode())
    real = services.person_create
    calls = []

    def fail_on_second(**kw):
        calls.append(1)
        if len(calls) == 2:
            raise services.ValidationFailed({"given_names": ["changed meanwhile"]})
        return real(**kw)

    monkeypatch.setattr(services, "person_create", fail_on_second)
    _run(client, django_capture_on_commit_callbacks, job)
    run = _last_run(job)
    assert run.result["imported"] == 0 and run.result["refused"]
    assert (run.progress_done, run.message) == (0, "")
    assert Person.objects.count() == 0  # the first row was rolled back with the second
    assert not ChangeEvent.objects.filter(action="person_create").exists()


def test_duplicates_own_office_linked_other_office_never_revealed(
    network, officer, django_capture_on_commit_callbacks
):
    own = services.person_create(
        actor=actor_for(officer),
        data={"given_names": "Esperanza", "first_surname": "Cabrera", "birth_date": "1980-05-02"},
    )
    elsewhere = services.person_create(
        actor=actor_for(network.user(Role.OFFICER, OTHER_COUNTRY)),
        data={"given_names": "Wilfredo", "first_surname": "Argueta", "birth_date": "1977-11-30"},
    )
    services.person_create(
        actor=actor_for(network.user(Role.OFFICER, SAME_COUNTRY)),
        data={"given_names": "Wilfredo", "first_surname": "Argueta", "birth_date": "1977-11-30"},
    )
    rows = [
        ["Nombres", "Primer apellido", "Fecha de nacimiento"],
        ["Esperanza", "Cabrera", "1980-05-02"],  # row 2: own office's person
        ["Wilfredo", "Argueta", "1977-11-30"],  # row 3: registered by other offices only
        ["Teodoro", "Villalobos", "1966-01-09"],  # rows 4 and 5: the same person twice
        ["Teodoro", "Villalobos", "1966-01-09"],
    ]
    client = _client(officer)
    job = _upload(client, django_capture_on_commit_callbacks, "d.csv", _csv(rows).encode())
    dups = {d["row"]: d for d in job.result["report"]["duplicates"]}
    assert dups[2]["people"] == [str(own.pk)]
    assert 3 not in dups  # another office's person: not flagged, not named, not counted
    assert dups[4]["rows"] == [5] and dups[5]["rows"] == [4]
    assert job.result["duplicates"] == 3
    body = client.get(f"/people/import/{job.pk}/").content.decode()
    assert f"/people/{own.pk}/" in body
    assert str(elsewhere.pk) not in body and "elsewhere" not in body
    # duplicates are left out unless the user asks for them
    _run(client, django_capture_on_commit_callbacks, job)
    run = _last_run(job)
    assert run.result["imported"] == 1 and run.result["skipped_duplicates"] == 3
    assert Person.objects.filter(
        given_names="Wilfredo", owner_office=network.offices[OWN_OFFICE]
    ).exists()


def test_duplicates_can_be_imported_when_chosen(officer, django_capture_on_commit_callbacks):
    rows = [
        ["Nombres", "Primer apellido", "Fecha de nacimiento"],
        ["Teodoro", "Villalobos", "1966-01-09"],
        ["Teodoro", "Villalobos", "09/01/1966"],
    ]
    client = _client(officer)
    job = _upload(client, django_capture_on_commit_callbacks, "d.csv", _csv(rows).encode())
    assert job.result["duplicates"] == 2
    _run(client, django_capture_on_commit_callbacks, job, with_duplicates="on")
    assert Person.objects.filter(given_names="Teodoro").count() == 2


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("viejo.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, ".csv"),
        ("vacio.csv", b"", "vac"),
    ],
)
def test_refused_kinds_get_a_clear_message(officer, name, body, message):
    client = _client(officer)
    resp = client.post("/people/import/", {"file": SimpleUploadedFile(name, body)})
    assert resp.status_code == 400
    assert message in resp.content.decode()
    assert not Job.objects.exists()


def test_size_and_row_limits(officer, settings, django_capture_on_commit_callbacks):
    client = _client(officer, "en")
    settings.ENLACE_IMPORT_MAX_BYTES = 100
    resp = client.post("/people/import/", {"file": SimpleUploadedFile("big.csv", b"a" * 101)})
    assert resp.status_code == 400
    assert "larger than" in resp.content.decode()
    settings.ENLACE_IMPORT_MAX_BYTES = 5 * 1024 * 1024
    settings.ENLACE_IMPORT_MAX_ROWS = 3
    rows = [["Nombres"], *[[f"Persona {i}"] for i in range(4)]]
    job = _upload(client, django_capture_on_commit_callbacks, "many.csv", _csv(rows).encode())
    assert "more than 3 rows" in job.result["refused"]
    assert "file" not in job.result  # a refused file is not kept
    body = client.get(f"/people/import/{job.pk}/").content.decode()
    assert "more than 3 rows" in body


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("roto.xlsx", b"PK\x03\x04" + b"\x00" * 200),
        ("texto.xlsx", b"Nombres\nAna\n"),
        ("nul.csv", b"Nombres\x00\nAna\x00\n"),
        ("sin-cabecera.csv", b"1,2,3\n4,5,6\n"),
        ("binario.csv", bytes(range(256)) * 4),
        ("zip.xlsx", _xlsx([])[:300]),
    ],
)
def test_a_malformed_file_never_500s(officer, django_capture_on_commit_callbacks, name, body):
    client = _client(officer)
    job = _upload(client, django_capture_on_commit_callbacks, name, body)
    assert job.status == Job.Status.SUCCEEDED
    assert job.result["refused"]
    page = client.get(f"/people/import/{job.pk}/")
    assert page.status_code == 200
    assert job.result["refused"] in page.content.decode()


def test_template_headers_in_the_users_language_read_back(officer):
    for language, first in (
        ("es", "Nombres"),
        ("en", "Given names"),
        ("pt", "Prenomes"),
        ("fr", "Prénoms"),
    ):
        client = _client(officer, language)
        resp = client.get("/people/import/template.xlsx")
        assert resp.status_code == 200
        sheet = load_workbook(io.BytesIO(resp.content)).active
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
        assert header[0] == first
        csv_resp = client.get("/people/import/template.csv")
        text = csv_resp.content.decode("utf-8-sig").splitlines()[0]
        assert text.split(",")[0] == first
        # every header of the template is read back as its column
        assert [imports.header_aliases()[imports._header_key(h)] for h in header] == list(
            imports.COLUMNS
        )
    assert client.get("/people/import/template.xls").status_code == 404


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Prénom", "given_names"),
        ("Sobrenome", "first_surname"),
        ("APELLIDO MATERNO", "second_surname"),
        ("Data de nascimento", "birth_date"),
        ("Date de naissance", "birth_date"),
        ("Nationalité", "nationalities"),
        ("Nome da mãe", "mother_name"),
        ("E-mail", "email"),
        ("Teléfono", "phone"),
    ],
)
def test_header_aliases_in_four_languages(header, column):
    assert imports.header_aliases()[imports._header_key(header)] == column


def test_only_office_staff_and_only_the_uploader(
    network, officer, django_capture_on_commit_callbacks
):
    job = _upload(
        _client(officer), django_capture_on_commit_callbacks, "r.csv", _csv(GOOD).encode()
    )
    supervisor = _client(network.user(Role.SUPERVISOR))
    assert supervisor.get(f"/people/import/{job.pk}/").status_code == 404
    assert supervisor.post(f"/people/import/{job.pk}/run/").status_code == 404
    analyst = _client(network.user(Role.ANALYST))
    assert analyst.get("/people/import/").status_code == 404
    assert _client(officer).get(f"/people/import/{uuid.uuid4()}/").status_code == 404
    assert Person.objects.count() == 0


def test_unimported_files_expire(officer, django_capture_on_commit_callbacks, settings):
    job = _upload(
        _client(officer), django_capture_on_commit_callbacks, "r.csv", _csv(GOOD).encode()
    )
    name = job.result["file"]
    assert default_storage.exists(name)
    settings.ENLACE_EXPORT_TTL_HOURS = -1
    assert imports.imports_expire() == 1
    assert not default_storage.exists(name)
    job.refresh_from_db()
    assert job.result["expired"] and not imports.can_import(job)


def test_report_page_queries_do_not_grow_with_rows(officer, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(officer)
    counts = []
    for n in (2, 40):
        rows = [
            HEADER_ES,
            *[[f"Persona{i}", "Prueba", "", "Q", "1990-13-01", "ZZ", ""] for i in range(n)],
        ]
        job = _upload(client, django_capture_on_commit_callbacks, "r.csv", _csv(rows).encode())
        assert job.result["invalid"] == n
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/people/import/{job.pk}/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 12, counts


def test_export_cleanup_command_deletes_expired_registers(
    officer, django_capture_on_commit_callbacks, settings
):
    from django.core.management import call_command

    job = _upload(
        _client(officer), django_capture_on_commit_callbacks, "r.csv", _csv(GOOD).encode()
    )
    settings.ENLACE_EXPORT_TTL_HOURS = -1
    out = io.StringIO()
    call_command("export_cleanup", stdout=out)
    assert "imports_deleted=1" in out.getvalue()
    assert not default_storage.exists(job.result["file"])


_CELL = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029"),
    max_size=12,
).map(str.strip)


@given(raw=st.binary(max_size=600), fmt=st.sampled_from(["csv", "xlsx"]))
@hyp_settings(max_examples=150, deadline=None)
def test_any_bytes_read_as_rows_or_refused_never_crash(raw, fmt):
    try:
        rows, _ignored = imports.read_rows(raw, fmt)
    except imports.ImportRefused as exc:
        assert str(exc)
    else:
        assert all(isinstance(n, int) and isinstance(v, dict) for n, v in rows)


@given(
    names=st.lists(_CELL.filter(bool), min_size=1, max_size=5),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    delimiter=st.sampled_from([",", ";"]),
)
@hyp_settings(max_examples=80, deadline=None)
def test_csv_cells_read_back_as_written(names, encoding, delimiter):
    try:
        body = _csv(
            [["Nombres", "Primer apellido"], *[[n, "X"] for n in names]], delimiter=delimiter
        )
        raw = body.encode(encoding)
    except UnicodeEncodeError:
        return  # a character cp1252 cannot hold: Excel would not write it either
    if encoding == "cp1252" and raw != body.encode("utf-8"):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:  # cp1252 bytes that also spell valid UTF-8 ("Ã©"): read as UTF-8, as Excel would
            return
    rows, _ignored = imports.read_rows(raw, "csv")
    assert [v["given_names"] for _n, v in rows] == names


def test_a_long_report_shows_the_first_errors_and_says_how_many_more(
    officer, django_capture_on_commit_callbacks, monkeypatch
):
    from enlace.people import views

    monkeypatch.setattr(views, "REPORT_ERRORS_SHOWN", 2)
    client = _client(officer, "en")
    job = _upload(client, django_capture_on_commit_callbacks, "bad.csv", _csv(BAD).encode())
    total = len(job.result["report"]["errors"])
    assert total > 2
    body = client.get(f"/people/import/{job.pk}/").content.decode()
    assert body.count("<tr><td>") == 2
    assert f"And {total - 2} more errors" in body


def test_api_dry_run_report_then_import(network, officer, django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(officer)
    with django_capture_on_commit_callbacks(execute=True):
        resp = api.post(
            "/api/v1/people-imports/",
            {"file": SimpleUploadedFile("malo.csv", _csv(BAD).encode())},
            format="multipart",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert resp.status_code == 202, resp.content
    check = api.get(resp["Location"]).json()
    assert (check["kind"], check["status"], check["valid"], check["invalid"]) == (
        "check",
        "succeeded",
        1,
        3,
    )
    assert {"row": 2, "column": "Date of birth", "message": "This date does not exist."} in check[
        "row_errors"
    ]
    refused = api.post(f"/api/v1/people-imports/{check['id']}/run/", {}, format="json")
    assert refused.status_code == 400
    assert Person.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        started = api.post(
            f"/api/v1/people-imports/{check['id']}/run/", {"valid_only": True}, format="json"
        )
    assert started.status_code == 202
    done = api.get(started["Location"]).json()
    assert done["kind"] == "import" and done["imported"] == 1
    lucia = Person.objects.get(given_names="Lucía")
    assert done["people"] == [{"row": 4, "id": str(lucia.pk)}]
    other = APIClient()
    other.force_authenticate(network.user(Role.SUPERVISOR))
    assert other.get(f"/api/v1/people-imports/{check['id']}/").status_code == 404
    assert api.get("/api/v1/people-imports/not-a-job/").status_code == 404


def test_api_refuses_old_excel_with_a_clear_400(officer):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(officer)
    resp = api.post(
        "/api/v1/people-imports/",
        {"file": SimpleUploadedFile("a.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 50)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert resp.status_code == 400
    assert ".xls" in str(resp.json())
