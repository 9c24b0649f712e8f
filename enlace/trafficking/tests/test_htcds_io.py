"""HTCDS workbook export and import: the template's layout, identities only where allowed,
round trip, a report per row and field, all-or-nothing, idempotent re-import."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext
from openpyxl import load_workbook

from enlace.trafficking import htcds_io, services
from enlace.trafficking.models import TraffickingCase

from .conftest import ALIAS, PERPETRATOR_NAME, VICTIM_NAME

TEMPLATE = Path(__file__).resolve().parent / "data" / "htcds" / "htcds-spreadsheet-2.0.xlsx"


def _book(raw: bytes) -> Any:
    return load_workbook(io.BytesIO(raw))


def _snapshot(case: TraffickingCase) -> dict[str, Any]:
    data, parts = htcds_io._stored_parts(
        htcds_io._prefetched(TraffickingCase.objects.filter(pk=case.pk))[0]
    )
    return {"kind": case.kind, "summary": case.summary, **data, **parts}


def _full_case(world: Any) -> TraffickingCase:
    """The world's case with every field group filled in."""
    actor = world.actor("tfp_gt")
    case = world.case
    return services.case_update(
        actor=actor,
        case=case,
        version=case.version,
        data={
            "status": "FollowUp",
            "referring_organisation": '=HYPERLINK("http://x")',
            "incoming_referral_date": "2026-02-01",
            "incoming_referral_reason": "AdditionalServicesRequired",
            "outgoing_referral_reason": "Other",
            "closure_reason": "",
        },
        victims=[
            {
                "person": world.person.pk,
                "trafficking_status": "ActualVictimOfTrafficking",
                "status_decided_by": "Police",
                "relationship_to_trafficker": "Acquainted",
                "age_when_trafficked": 21,
                "method_of_recruitment": ["AtWork", "ThroughFriendsOrSocialEvents"],
                "methods_of_control": ["DebtBondage", "WithholdsDocuments"],
                "type_of_exploitation": ["ForcedLabour"],
                "forced_labour_industry": "A_AgricultureForestryAndFishing",
                "recruitment_websites_and_apps": ["WhatsApp"],
                "location_of_recruitment": "Huehuetenango",
                "location_of_exploitation": "Chiapas",
                "consent": True,
            }
        ],
        events=[
            {
                "type": "Recruitment",
                "date": "2026-01-05",
                "country": "GT",
                "city": "Huehuetenango",
                "street": "4a calle",
                "latitude": "15.319000",
                "longitude": "-91.470000",
                "description": "Oferta de trabajo",
            },
            {"type": "Exploitation", "country": "MX", "state": "Chiapas"},
        ],
    )


def test_header_cells_are_the_templates():
    template = load_workbook(TEMPLATE)["Sheet1"]
    ours = _book(htcds_io._workbook_bytes())["Sheet1"]
    for column in range(1, 40):
        for row in (1, 2):
            assert ours.cell(row, column).value == template.cell(row, column).value
    assert ours.row_dimensions[1].hidden


def test_export_identities_for_owner_focal_point(world):
    _full_case(world)
    book = _book(htcds_io.export_bytes(world.actor("tfp_gt")))
    assert book.sheetnames[0] == "Sheet1"
    assert "Licence" in book.sheetnames
    assert "CC BY 4.0" in book.properties.description
    text = _all_text(book)
    assert VICTIM_NAME[0] in text and PERPETRATOR_NAME[0] in text and ALIAS in text
    assert "ActualVictimOfTrafficking" in text  # value names, not labels
    assert "DebtBondage;WithholdsDocuments" in text


def _all_text(book: Any) -> str:
    return "\n".join(
        str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r if c.value
    )


@pytest.mark.parametrize("user", ["nfp_gt", "tfp_mx"])
def test_export_deidentified(world, user):
    _full_case(world)
    book = _book(htcds_io.export_bytes(world.actor(user)))
    text = _all_text(book)
    assert world.case.reference in text
    for secret in (*VICTIM_NAME, *PERPETRATOR_NAME, ALIAS, "5555", "4a calle", "2004-02-03"):
        assert secret not in text
    assert str(world.person.pk) not in text


def test_export_nothing_for_others(world):
    for user in ("tfp_hn", "analyst", "officer_mx"):
        text = _all_text(_book(htcds_io.export_bytes(world.actor(user))))
        assert world.case.reference not in text


def test_formula_is_neutralised(world):
    _full_case(world)
    book = _book(htcds_io.export_bytes(world.actor("tfp_gt")))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@"))
    # and read back as it was written
    raw = htcds_io.export_bytes(world.actor("tfp_gt"))
    report = htcds_io.import_htcds(world.actor("tfp_gt"), raw, dry_run=True)
    assert report["errors"] == [] and report["unchanged"] == 1


def test_round_trip_every_group(world):
    case = _full_case(world)
    actor = world.actor("tfp_gt")
    smuggling = services.case_create(
        actor=actor,
        kind="smuggling",
        summary="Tráfico por Petén",
        route=[{"country": "GT", "place": "Petén"}, {"country": "MX", "place": "Tenosique"}],
        victims=[{"person": world.person.pk, "fee_paid": "1500.50", "fee_currency": "usd"}],
        incidents=[{"kind": "abandonment", "country": "MX", "persons_affected": 12, "deaths": 1}],
    )
    before = {c.reference: _snapshot(c) for c in (case, smuggling)}
    raw = htcds_io.export_bytes(actor)
    TraffickingCase.objects.all().delete()
    report = htcds_io.import_htcds(actor, raw, dry_run=False)
    assert report["errors"] == [], report["errors"]
    assert report["created"] == 2 and report["imported"]
    after = {c.import_key or c.reference: _snapshot(c) for c in TraffickingCase.objects.all()}
    assert after == before
    assert {p["perpetrators"][0]["given_names"] for p in after.values() if p["perpetrators"]} == {
        PERPETRATOR_NAME[0]
    }
    # Importing the same file again changes nothing.
    versions = dict(TraffickingCase.objects.values_list("pk", "version"))
    again = htcds_io.import_htcds(actor, raw, dry_run=False)
    assert again["unchanged"] == 2 and again["created"] == 0 and again["updated"] == 0
    assert dict(TraffickingCase.objects.values_list("pk", "version")) == versions
    assert TraffickingCase.objects.count() == 2


def test_reimport_of_own_export_is_unchanged_then_update(world):
    _full_case(world)
    actor = world.actor("tfp_gt")
    raw = htcds_io.export_bytes(actor)
    report = htcds_io.import_htcds(actor, raw, dry_run=False)
    assert report["unchanged"] == 1 and report["updated"] == 0
    book = _book(raw)
    sheet = book["Sheet1"]
    status = next(c.column for c in sheet[1] if c.value == "cas_Status")
    sheet.cell(3, status, "Closed")
    out = io.BytesIO()
    book.save(out)
    report = htcds_io.import_htcds(actor, out.getvalue(), dry_run=False)
    assert report["updated"] == 1
    world.case.refresh_from_db()
    assert world.case.status == "Closed"
    assert world.case.events.count() == 2  # the other parts kept


def _with_errors(world: Any) -> bytes:
    actor = world.actor("tfp_gt")
    raw = htcds_io.export_bytes(actor)
    book = _book(raw)
    sheet = book["Sheet1"]
    header = {c.value: c.column for c in sheet[1] if c.value}
    # Row 4: a new case, valid (no victim). Row 5: a new case with three bad cells.
    sheet.cell(4, header["enl_Summary"], "Caso nuevo")
    sheet.cell(4, header["enl_CaseReference"], "EXT-1")
    sheet.cell(5, header["enl_CaseReference"], "EXT-2")
    sheet.cell(5, header["vic_TraffickingStatus"], "Victim")
    sheet.cell(5, header["cas_IncomingReferralDate"], "31/02/2026")
    sheet.cell(5, header["prs_Citizenship"], "XX")
    sheet.cell(5, header["enl_PersonId"], "7b0f6a4e-0000-4000-8000-000000000000")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_errors_report_and_nothing_imported(world):
    actor = world.actor("tfp_gt")
    count = TraffickingCase.objects.count()
    report = htcds_io.import_htcds(actor, _with_errors(world), dry_run=False)
    assert not report["imported"]
    assert TraffickingCase.objects.count() == count
    found = {(e["row"], e["field"]) for e in report["errors"]}
    assert {
        (5, "vic_TraffickingStatus"),
        (5, "cas_IncomingReferralDate"),
        (5, "prs_Citizenship"),
        (5, "enl_PersonId"),
    } <= found
    assert all(e["row"] == 5 for e in report["errors"])
    messages = {e["field"]: e["message"] for e in report["errors"]}
    # The report speaks the reader's language (the active one here).
    assert messages["vic_TraffickingStatus"] == gettext("Unknown value name.")
    assert messages["prs_Citizenship"] == gettext(
        "Unknown country: use ISO 3166-1 two-letter codes, e.g. MX."
    )


def test_accept_valid_rows_imports_only_valid(world):
    actor = world.actor("tfp_gt")
    raw = _with_errors(world)
    dry = htcds_io.import_htcds(actor, raw, dry_run=True, accept_valid_rows=True)
    assert dry["created"] == 1 and dry["unchanged"] == 1 and not dry["imported"]
    assert TraffickingCase.objects.count() == 1
    report = htcds_io.import_htcds(actor, raw, dry_run=False, accept_valid_rows=True)
    assert report["imported"] and report["created"] == 1
    assert TraffickingCase.objects.filter(import_key="EXT-1", summary="Caso nuevo").exists()
    assert not TraffickingCase.objects.filter(import_key="EXT-2").exists()
    again = htcds_io.import_htcds(actor, raw, dry_run=False, accept_valid_rows=True)
    assert again["created"] == 0 and again["unchanged"] == 2
    assert TraffickingCase.objects.count() == 2


def test_plain_template_rows_are_idempotent(world):
    """A file from another system, without references: a row's own content is its key."""
    book = load_workbook(io.BytesIO(htcds_io._workbook_bytes()))
    sheet = book["Sheet1"]
    header = {c.value: c.column for c in sheet[1] if c.value}
    sheet.cell(3, header["cas_Status"], "Active")
    sheet.cell(3, header["cas_ReferringOrganisation"], "Casa del Migrante")
    out = io.BytesIO()
    book.save(out)
    actor = world.actor("tfp_gt")
    first = htcds_io.import_htcds(actor, out.getvalue(), dry_run=False)
    second = htcds_io.import_htcds(actor, out.getvalue(), dry_run=False)
    assert first["created"] == 1 and second["unchanged"] == 1
    assert TraffickingCase.objects.filter(referring_organisation="Casa del Migrante").count() == 1


def test_import_formula_cell_is_refused(world):
    book = load_workbook(io.BytesIO(htcds_io._workbook_bytes()))
    sheet = book["Sheet1"]
    header = {c.value: c.column for c in sheet[1] if c.value}
    sheet.cell(3, header["enl_Summary"], "=1+1")
    out = io.BytesIO()
    book.save(out)
    report = htcds_io.import_htcds(world.actor("tfp_gt"), out.getvalue(), dry_run=True)
    assert [e["field"] for e in report["errors"]] == ["enl_Summary"]


def test_other_case_not_changed_by_route_focal_point(world):
    raw = htcds_io.export_bytes(world.actor("tfp_gt"))
    report = htcds_io.import_htcds(world.actor("tfp_mx"), raw, dry_run=False)
    assert not report["imported"]
    assert any(e["field"] == "enl_CaseReference" for e in report["errors"])


@pytest.mark.parametrize("user", ["nfp_gt", "officer_gt", "analyst"])
def test_only_focal_points_import(world, user):
    with pytest.raises(Http404):
        htcds_io.import_htcds(world.actor(user), b"", dry_run=True)


def test_not_a_workbook(world):
    report = htcds_io.import_htcds(world.actor("tfp_gt"), b"not a zip", dry_run=True)
    assert report["refused"] and not report["imported"]


def _many(world: Any, n: int) -> bytes:
    book = load_workbook(io.BytesIO(htcds_io._workbook_bytes()))
    sheet = book["Sheet1"]
    header = {c.value: c.column for c in sheet[1] if c.value}
    route = book["Route"]
    for i in range(n):
        row = 3 + i
        sheet.cell(row, header["enl_CaseReference"], f"EXT-{i}")
        sheet.cell(row, header["cas_Status"], "Active")
        sheet.cell(row, header["enl_PersonId"], str(world.person.pk))
        sheet.cell(row, header["vic_TypeOfExploitation"], "ForcedLabour")
        route.append([f"EXT-{i}", 1, "GT", "Huehuetenango"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_dry_run_queries_do_not_grow_with_rows(world):
    actor = world.actor("tfp_gt")
    counts = []
    for n in (5, 40):
        raw = _many(world, n)
        with CaptureQueriesContext(connection) as queries:
            report = htcds_io.import_htcds(actor, raw, dry_run=True)
        assert report["errors"] == [] and report["created"] == n
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] < 25


def test_import_page_and_api(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    raw = _with_errors(world)
    client.force_login(world.users["tfp_gt"])
    page = client.get("/trafficking/htcds/import/")
    assert page.status_code == 200
    answer = client.post(
        "/trafficking/htcds/import/",
        {"file": SimpleUploadedFile("f.xlsx", raw), "action": "import"},
    )
    assert answer.status_code == 400
    assert b"cas_IncomingReferralDate" in answer.content
    assert TraffickingCase.objects.count() == 1
    api = client.post(
        "/api/v1/trafficking-cases/htcds-imports/",
        {
            "file": SimpleUploadedFile("f.xlsx", raw),
            "dry_run": "false",
            "accept_valid_rows": "true",
        },
    )
    assert api.status_code == 200, api.content
    assert api.json()["created"] == 1 and api.json()["imported"]
    client.force_login(world.users["nfp_gt"])
    assert client.get("/trafficking/htcds/import/").status_code == 404
    assert client.get("/trafficking/ctdc/").status_code == 404


def test_schema_lists_the_endpoints(client, world):
    client.force_login(world.users["admin"])
    schema = client.get("/api/v1/schema/").content.decode()
    for path in ("htcds-imports", "htcds-export", "ctdc-extract"):
        assert f"/api/v1/trafficking-cases/{path}/" in schema


def test_export_job_and_download(world, client, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    from enlace.core.models import Job

    _full_case(world)
    client.force_login(world.users["nfp_gt"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/api/v1/trafficking-cases/htcds-export/?kind=trafficking")
    assert answer.status_code == 202, answer.content
    job = Job.objects.get(pk=answer.json()["id"])
    assert job.status == Job.Status.SUCCEEDED and job.result["rows"] == 1
    download = client.get(f"/trafficking/htcds/export/{job.pk}/download/")
    assert download.status_code == 200
    text = _all_text(_book(b"".join(download.streaming_content)))
    assert world.case.reference in text and VICTIM_NAME[0] not in text
    # Nobody else downloads it.
    client.force_login(world.users["tfp_gt"])
    assert client.get(f"/trafficking/htcds/export/{job.pk}/download/").status_code == 404
    default_storage.delete(job.result["file"])
    # A bad filter is a 400, and who sees no trafficking case cannot export (404).
    assert client.post("/api/v1/trafficking-cases/htcds-export/?kind=nope").status_code == 400
    client.force_login(world.users["analyst"])
    assert client.post("/api/v1/trafficking-cases/htcds-export/").status_code == 404
    with pytest.raises(Http404):
        htcds_io.export_start(world.actor("analyst"), {})


def test_large_file_runs_as_a_job(world, monkeypatch, client, django_capture_on_commit_callbacks):
    from enlace.core.models import Job

    monkeypatch.setattr(htcds_io, "INLINE_BYTES", 10)
    actor = world.actor("tfp_gt")
    raw = _with_errors(world)
    with django_capture_on_commit_callbacks(execute=True):
        job = htcds_io.import_start(actor=actor, raw=raw, dry_run=False, accept_valid_rows=True)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result["created"] == 1 and job.result["report"]["imported"]
    assert job.result["report"]["errors"]
    assert TraffickingCase.objects.filter(import_key="EXT-1").exists()
    client.force_login(world.users["tfp_gt"])
    page = client.get(job.result["page"])
    assert page.status_code == 200 and b"cas_IncomingReferralDate" in page.content
    client.force_login(world.users["tfp_mx"])
    assert client.get(job.result["page"]).status_code == 404


def test_victim_matched_by_name_and_birth_date(world):
    """A file from elsewhere, without person ids: the one person the importer may see with
    those names and date of birth; no one else (an unknown person is an error, not a new one)."""
    book = load_workbook(io.BytesIO(htcds_io._workbook_bytes()))
    sheet = book["Sheet1"]
    header = {c.value: c.column for c in sheet[1] if c.value}
    for row, given in ((3, VICTIM_NAME[0].upper()), (4, "Nadie")):
        sheet.cell(row, header["enl_CaseReference"], f"OTRO-{row}")
        sheet.cell(row, header["prs_FirstName"], given)
        sheet.cell(row, header["prs_SecondName"], VICTIM_NAME[1])
        sheet.cell(row, header["prs_Birthdate"], "2004-02-03")
    out = io.BytesIO()
    book.save(out)
    report = htcds_io.import_htcds(
        world.actor("tfp_gt"), out.getvalue(), dry_run=False, accept_valid_rows=True
    )
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(4, "enl_PersonId")]
    case = TraffickingCase.objects.get(import_key="OTRO-3")
    assert list(case.victims.values_list("person_id", flat=True)) == [world.person.pk]
    # The MX focal point may not see this person: the same file finds no one.
    mx = htcds_io.import_htcds(world.actor("tfp_mx"), out.getvalue(), dry_run=True)
    assert {e["row"] for e in mx["errors"]} == {3, 4}


def test_unchanged_reimport_queries_do_not_grow(world):
    actor = world.actor("tfp_gt")
    counts = []
    for n in (4, 20):
        raw = _many(world, n)
        htcds_io.import_htcds(actor, raw, dry_run=False)
        with CaptureQueriesContext(connection) as queries:
            report = htcds_io.import_htcds(actor, raw, dry_run=False)
        assert report["unchanged"] == n
        counts.append(len(queries))
        TraffickingCase.objects.exclude(pk=world.case.pk).delete()
    assert counts[0] == counts[1]


def test_export_queries_do_not_grow(world):
    actor = world.actor("tfp_gt")
    counts = []
    for n in (3, 12):
        htcds_io.import_htcds(actor, _many(world, n), dry_run=False)
        with CaptureQueriesContext(connection) as queries:
            htcds_io.export_bytes(actor)
        counts.append(len(queries))
        TraffickingCase.objects.exclude(pk=world.case.pk).delete()
    assert counts[0] == counts[1]


def test_update_keeps_the_victims_protection_case(world):
    from enlace.cases import services as case_services
    from enlace.trafficking.models import Victim

    registrar = world.actor("officer_gt_consulate")
    protection = case_services.case_open(
        actor=registrar, person=world.person, case_type="possible_trafficking", summary="Protección"
    )
    Victim.objects.filter(case=world.case).update(protection_case=protection)
    actor = world.actor("tfp_gt")
    book = _book(htcds_io.export_bytes(actor))
    sheet = book["Sheet1"]
    column = next(c.column for c in sheet[1] if c.value == "vic_TraffickingStatus")
    sheet.cell(3, column, "ActualVictimOfTrafficking")
    out = io.BytesIO()
    book.save(out)
    report = htcds_io.import_htcds(actor, out.getvalue(), dry_run=False)
    assert report["updated"] == 1, report["errors"]
    victim = Victim.objects.get(case=world.case)
    assert victim.trafficking_status == "ActualVictimOfTrafficking"
    assert victim.protection_case_id == protection.pk


def test_one_header_row_and_unknown_columns(world):
    """A sheet written by hand: field names in row 1, data from row 2; an unknown column is
    reported (not an error), an unkept HTCDS field too."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["enl_CaseReference", "cas_Status", "prs_Titel", "prs_Salutation"])
    sheet.append(["MANO-1", "Active", "x", "Sra."])
    out = io.BytesIO()
    book.save(out)
    report = htcds_io.import_htcds(world.actor("tfp_gt"), out.getvalue(), dry_run=True)
    assert report["errors"] == [] and report["created"] == 1
    assert {(w["row"], w["field"]) for w in report["warnings"]} == {
        (1, "prs_Titel"),
        (2, "prs_Salutation"),
    }


def test_row_limits_count_cases_on_the_first_sheet_and_more_on_the_others(world, monkeypatch):
    # Two cases whose routes have two stops each: 2 case rows, 4 route rows.
    actor = world.actor("tfp_gt")
    for place in ("Petén", "Izabal"):
        services.case_create(
            actor=actor,
            kind="smuggling",
            summary=place,
            route=[{"country": "GT", "place": place}, {"country": "MX", "place": "Tenosique"}],
            victims=[{"person": world.person.pk}],
        )
    raw = htcds_io.export_bytes(actor)
    # More route stops than cases allowed is fine: the other sheets have their own, larger limit.
    monkeypatch.setattr(htcds_io, "MAX_ROWS", 3)
    monkeypatch.setattr(htcds_io, "MAX_DETAIL_ROWS", 30)
    report = htcds_io.import_htcds(actor, raw, dry_run=True)
    assert not report["refused"] and report["errors"] == []
    # Over either limit: refused, the sheet named, nothing written.
    monkeypatch.setattr(htcds_io, "MAX_DETAIL_ROWS", 3)
    report = htcds_io.import_htcds(actor, raw, dry_run=False)
    assert report["refused"] and "Route" in report["refused"] and not report["imported"]
    monkeypatch.setattr(htcds_io, "MAX_ROWS", 1)
    monkeypatch.setattr(htcds_io, "MAX_DETAIL_ROWS", 30)
    count = TraffickingCase.objects.count()
    report = htcds_io.import_htcds(actor, raw, dry_run=False)
    assert report["refused"] and htcds_io.MAIN_SHEET in report["refused"]
    assert TraffickingCase.objects.count() == count
