import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import translation
from rest_framework.test import APIClient

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, SAME_COUNTRY
from enlace.cases import services
from enlace.cases.models import CaseStatus, Referral
from enlace.cases.selectors import case_list
from enlace.cases.testing import export
from enlace.core.errors import TransitionNotAllowed, ValidationFailed
from enlace.people import services as people_services

from .conftest import REFERRED_IN

pytestmark = pytest.mark.django_db


def test_workflow_with_supervisor_approvals(world):
    officer = actor_for(world.network.user(Role.OFFICER))
    supervisor = actor_for(world.network.user(Role.SUPERVISOR))
    case = services.case_transition(actor=officer, case=world.case, name="start_assessment")
    assert case.status == CaseStatus.ASSESSMENT
    with pytest.raises(TransitionNotAllowed):
        services.case_transition(actor=officer, case=case, name="approve_assessment")
    case = services.case_transition(actor=supervisor, case=case, name="approve_assessment")
    assert case.status == CaseStatus.CASE_PLAN
    assert case.assessment_approved_by == supervisor.user
    case = services.case_transition(actor=officer, case=case, name="start_work")
    with pytest.raises(ValidationFailed):
        services.case_transition(actor=officer, case=case, name="request_closure", note=" ")
    case = services.case_transition(
        actor=officer, case=case, name="request_closure", note="Liberado y repatriado"
    )
    assert case.status == CaseStatus.IN_PROGRESS and case.closure_pending
    with pytest.raises(TransitionNotAllowed):
        services.case_transition(actor=officer, case=case, name="approve_closure")
    case = services.case_transition(actor=supervisor, case=case, name="approve_closure")
    assert case.status == CaseStatus.CLOSED and case.closed_at
    with pytest.raises(TransitionNotAllowed):
        services.case_transition(actor=officer, case=case, name="start_work")
    case = services.case_transition(actor=officer, case=case, name="reopen", note="Nueva detención")
    assert case.status == CaseStatus.REOPENED
    names = list(case.transitions.values_list("name", flat=True))
    assert names == [
        "open",
        "start_assessment",
        "approve_assessment",
        "start_work",
        "request_closure",
        "approve_closure",
        "reopen",
    ]


def test_stale_patch_is_409_and_changes_nothing(world):
    api = APIClient()
    api.force_authenticate(world.network.user(Role.OFFICER))
    url = f"/api/v1/cases/{world.case.pk}/"
    version = api.get(url).json()["version"]
    first = api.patch(url, {"version": version, "summary": "primera"}, format="json")
    assert first.status_code == 200 and first.json()["version"] == version + 1
    stale = api.patch(url, {"version": version, "summary": "segunda"}, format="json")
    assert stale.status_code == 409
    assert api.get(url).json()["summary"] == "primera"


def test_overdue_flag_and_filter(world):
    officer = actor_for(world.network.user(Role.OFFICER))
    services.case_update(
        actor=officer, case=world.case, version=None, data={"due_date": dt.date(2020, 1, 1)}
    )
    overdue = case_list(actor=officer, filters={"overdue": "true"})
    assert list(overdue) == [world.case]
    assert overdue[0].is_overdue


def test_accent_insensitive_name_search(world):
    officer = actor_for(world.network.user(Role.OFFICER))
    for query in ("jesus perez", "JESÚS PÉREZ", "Perez Gomez", "gómez"):
        assert list(case_list(actor=officer, filters={"q": query})) == [world.case], query
    assert not case_list(actor=officer, filters={"q": "maria"}).exists()


def test_referral_needs_consent_or_supervisor_override(world):
    officer = actor_for(world.network.user(Role.OFFICER))
    supervisor = actor_for(world.network.user(Role.SUPERVISOR))
    target = world.network.offices[SAME_COUNTRY]
    with pytest.raises(ValidationFailed) as exc:
        services.referral_create(
            actor=officer,
            case=world.case,
            to_office=target,
            purpose="p",
            consent=False,
            override_reason="urgente",
        )
    assert "consent" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        services.referral_create(
            actor=supervisor, case=world.case, to_office=target, purpose="p", consent=False
        )
    assert "override_reason" in exc.value.errors
    referral = services.referral_create(
        actor=supervisor,
        case=world.case,
        to_office=target,
        purpose="p",
        consent=False,
        override_reason="Riesgo para la vida",
    )
    assert referral.consent is None and referral.override_by == supervisor.user


def test_revocation_removes_access_at_once(world):
    receiver = world.network.user(Role.OFFICER, REFERRED_IN)
    api = APIClient()
    api.force_authenticate(receiver)
    assert api.get(f"/api/v1/cases/{world.case.pk}/").status_code == 200
    services.referral_revoke(
        actor=actor_for(world.network.user(Role.SUPERVISOR)), referral=world.referral
    )
    assert api.get(f"/api/v1/cases/{world.case.pk}/").status_code == 404
    assert api.get(f"/api/v1/people/{world.person.pk}/").status_code == 404


def test_revoking_consent_revokes_the_referrals_that_rely_on_it(world):
    owner = actor_for(world.network.user(Role.OFFICER))
    people_services.consent_revoke(actor=owner, consent=world.referral.consent)
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.REVOKED


def test_receiving_office_adds_actions_but_cannot_edit_or_refer(world):
    receiver = actor_for(world.network.user(Role.OFFICER, REFERRED_IN))
    action = services.action_add(
        actor=receiver,
        case=world.case,
        service_type="legal_aid",
        date="2026-01-05",
        provider="Defensoría",
    )
    assert action.office == world.network.offices[REFERRED_IN]
    with pytest.raises(Http404):
        services.case_update(actor=receiver, case=world.case, version=None, data={"summary": "x"})
    with pytest.raises(Http404):
        services.referral_create(
            actor=receiver,
            case=world.case,
            to_office=world.network.offices[OTHER_COUNTRY],
            purpose="p",
            consent=True,
        )


def test_detention_log_dates_are_checked(world):
    officer = actor_for(world.network.user(Role.OFFICER))
    with pytest.raises(ValidationFailed) as exc:
        services.detention_log_set(
            actor=officer,
            case=world.case,
            data={"arrest_date": "2026-03-10", "notified_on": "2026-03-01"},
        )
    assert "notified_on" in exc.value.errors
    log = services.detention_log_set(
        actor=officer,
        case=world.case,
        data={
            "arrest_date": "2026-03-01",
            "notified_on": "2026-03-04",
            "first_visit_on": "2026-03-05",
            "notified_by": "ICE",
            "informed_of_rights": "no",
        },
    )
    assert log.notification_delay_days == 3
    assert log.informed_of_rights is False


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("virus.exe", b"MZ....", "Allowed file types"),
        ("fake.pdf", b"<html>not a pdf</html>", "does not match"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_attachment_validation(world, settings, tmp_path, name, content, error):
    settings.MEDIA_ROOT = tmp_path
    officer = actor_for(world.network.user(Role.OFFICER))
    with translation.override("en"):
        with pytest.raises(ValidationFailed) as exc:
            services.attachment_add(
                actor=officer, case=world.case, upload=SimpleUploadedFile(name, content)
            )
        assert error in str(exc.value.errors["file"][0])
    assert not world.case.attachments.exists()


def test_attachment_too_large(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = actor_for(world.network.user(Role.OFFICER))
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * services.ATTACHMENT_MAX_BYTES)
    with pytest.raises(ValidationFailed):
        services.attachment_add(actor=officer, case=world.case, upload=big)


def test_attachment_is_stored_privately_and_served_with_checks(world, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    officer = world.network.user(Role.OFFICER)
    attachment = services.attachment_add(
        actor=actor_for(officer),
        case=world.case,
        upload=SimpleUploadedFile("../../etc/informe.pdf", b"%PDF-1.7 contenido"),
    )
    assert attachment.original_name == "informe.pdf"
    assert str(tmp_path) in attachment.file.path
    client.force_login(officer)
    resp = client.get(f"/cases/attachments/{attachment.pk}/")
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content) == b"%PDF-1.7 contenido"
    assert "attachment" in resp["Content-Disposition"]


def test_export_escapes_formula_cells(world):
    officer = actor_for(world.network.user(Role.OFFICER))
    services.case_update(
        actor=officer, case=world.case, version=None, data={"summary": '=HYPERLINK("http://evil")'}
    )
    api = APIClient()
    api.force_authenticate(officer.user)
    body = export(api, params={"format": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    from enlace.audit.models import AccessEvent

    exported = AccessEvent.objects.filter(actor=officer.user, purpose="export")
    assert list(exported.values_list("record_type", "record_id")) == [
        ("cases.case", str(world.case.pk))
    ]


def test_closed_case_cannot_be_worked_on(world):
    officer = actor_for(world.network.user(Role.OFFICER))
    supervisor = actor_for(world.network.user(Role.SUPERVISOR))
    case = services.case_transition(
        actor=supervisor, case=world.case, name="approve_closure", note="Resuelto"
    )
    with pytest.raises(Http404):
        services.note_add(actor=officer, case=case, text="tarde")


def test_trafficking_identity_is_masked_for_national_focal_point(world):
    officer = actor_for(world.network.user(Role.OFFICER))
    people_services.vulnerability_add(actor=officer, person=world.person, kind="trafficking_victim")
    api = APIClient()
    api.force_authenticate(world.network.user(Role.NATIONAL_FOCAL_POINT, SAME_COUNTRY))
    data = api.get(f"/api/v1/cases/{world.case.pk}/").json()
    assert "Pérez" not in str(data)
    assert data["person_name"] == "Identidad protegida"
    api.force_authenticate(world.network.user(Role.TRAFFICKING_FOCAL_POINT, SAME_COUNTRY))
    data = api.get(f"/api/v1/cases/{world.case.pk}/").json()
    assert data["person_name"] == "Jesús Alberto Pérez Gómez"
    api.force_authenticate(world.network.user(Role.OFFICER, OWN_OFFICE))
    assert api.get(f"/api/v1/cases/{world.case.pk}/").json()["person_name"].startswith("Jesús")


def test_closed_case_cannot_be_edited_until_reopened(world):
    supervisor = actor_for(world.network.user(Role.SUPERVISOR))
    case = services.case_transition(
        actor=supervisor, case=world.case, name="approve_closure", note="Resuelto"
    )
    with pytest.raises(TransitionNotAllowed):
        services.case_update(actor=supervisor, case=case, version=None, data={"summary": "x"})
    case = services.case_transition(actor=supervisor, case=case, name="reopen", note="Nuevo hecho")
    assert (
        services.case_update(
            actor=supervisor, case=case, version=None, data={"summary": "x"}
        ).summary
        == "x"
    )


def test_inline_edit_returns_the_facts_fragment(world, client):
    client.force_login(world.network.user(Role.OFFICER))
    url = f"/cases/{world.case.pk}/edit/"
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in form and 'name="version"' in form
    resp = client.post(
        url,
        {
            "summary": "Trasladado a otro centro",
            "risk_level": "critical",
            "version": world.case.version,
        },
        HTTP_HX_REQUEST="true",
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and 'id="case-facts"' in html
    assert "Trasladado a otro centro" in html and "Crítico" in html
    stale = client.post(
        url,
        {"summary": "otra", "risk_level": "low", "version": world.case.version},
        HTTP_HX_REQUEST="true",
    )
    assert stale.status_code == 409
