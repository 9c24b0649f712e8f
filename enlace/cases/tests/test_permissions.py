"""Permission matrix: every role × own office / same country / other country / referred-in /
referred-then-revoked, over every case, person, referral and export endpoint."""

import pytest

from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, SAME_COUNTRY, assert_matrix
from enlace.cases.testing import export

from .conftest import REFERRED_IN

pytestmark = pytest.mark.django_db

STAFF = (Role.OFFICER, Role.SUPERVISOR)


def sees_case(role: str, relation: str) -> int:
    """Who may read the case and its person."""
    if role in STAFF and relation in (OWN_OFFICE, REFERRED_IN):
        return 200
    if role == Role.NATIONAL_FOCAL_POINT and relation in (OWN_OFFICE, SAME_COUNTRY, REFERRED_IN):
        return 200
    return 404


def owner_staff(role: str, relation: str, ok: int = 200) -> int:
    return ok if role in STAFF and relation == OWN_OFFICE else 404


def works_on_case(role: str, relation: str) -> int:
    return 201 if role in STAFF and relation in (OWN_OFFICE, REFERRED_IN) else 404


def fresh_referral(world, target):
    """A new referral of the world's case to `target`, sent by the owning office's supervisor."""
    from enlace.accounts.actor import actor_for
    from enlace.cases import services

    world.case.referrals.filter(to_office=target).delete()
    return services.referral_create(
        actor=actor_for(world.network.user(Role.SUPERVISOR)),
        case=world.case,
        to_office=target,
        purpose="p",
        consent=True,
    )


def test_case_detail(world):
    assert_matrix(
        users=world.network.users,
        expected=sees_case,
        request=lambda c: c.get(f"/api/v1/cases/{world.case.pk}/"),
    )


def test_case_list_contains_the_case_only_for_those_who_see_it(world):
    def request(c):
        resp = c.get("/api/v1/cases/")
        ids = [r["id"] for r in resp.json()["results"]]
        # Translate "in the list" into a status code so the matrix can compare it.
        resp.status_code = 200 if str(world.case.pk) in ids else 404
        return resp

    assert_matrix(users=world.network.users, expected=sees_case, request=request)


def test_person_detail(world):
    assert_matrix(
        users=world.network.users,
        expected=sees_case,
        request=lambda c: c.get(f"/api/v1/people/{world.person.pk}/"),
    )


def test_case_patch(world):
    def request(c):
        version = world.case.__class__.objects.get(pk=world.case.pk).version
        return c.patch(
            f"/api/v1/cases/{world.case.pk}/",
            {"version": version, "summary": "editado"},
            format="json",
        )

    assert_matrix(users=world.network.users, expected=owner_staff, request=request)


def test_person_patch(world):
    def request(c):
        version = world.person.__class__.objects.get(pk=world.person.pk).version
        return c.patch(
            f"/api/v1/people/{world.person.pk}/",
            {"version": version, "other_names": "Chuy"},
            format="json",
        )

    assert_matrix(users=world.network.users, expected=owner_staff, request=request)


def test_add_action(world):
    assert_matrix(
        users=world.network.users,
        expected=works_on_case,
        request=lambda c: c.post(
            f"/api/v1/cases/{world.case.pk}/actions/",
            {"service_type": "consular_visit"},
            format="json",
        ),
    )


def test_add_note(world):
    assert_matrix(
        users=world.network.users,
        expected=works_on_case,
        request=lambda c: c.post(
            f"/api/v1/cases/{world.case.pk}/notes/", {"text": "nota"}, format="json"
        ),
    )


def test_create_referral(world):
    target = world.network.offices[OTHER_COUNTRY]

    def request(c):
        world.case.referrals.filter(to_office=target).delete()
        return c.post(
            f"/api/v1/cases/{world.case.pk}/referrals/",
            {"to_office": str(target.pk), "purpose": "p", "consent": True},
            format="json",
        )

    assert_matrix(
        users=world.network.users, request=request, expected=lambda r, rel: owner_staff(r, rel, 201)
    )


def test_referral_detail(world):
    def expected(role: str, relation: str) -> int:
        return 200 if role in STAFF and relation in (OWN_OFFICE, REFERRED_IN) else 404

    assert_matrix(
        users=world.network.users,
        expected=expected,
        request=lambda c: c.get(f"/api/v1/referrals/{world.referral.pk}/"),
    )


def test_referral_accept_only_by_the_receiving_office(world):
    target = world.network.offices[SAME_COUNTRY]

    def request(c):
        referral = fresh_referral(world, target)
        return c.post(f"/api/v1/referrals/{referral.pk}/accept/")

    assert_matrix(
        users=world.network.users,
        request=request,
        expected=lambda r, rel: 200 if r in STAFF and rel == SAME_COUNTRY else 404,
    )


def test_referral_revoke_only_by_the_sending_office(world):
    target = world.network.offices[SAME_COUNTRY]

    def request(c):
        referral = fresh_referral(world, target)
        return c.post(f"/api/v1/referrals/{referral.pk}/revoke/")

    assert_matrix(users=world.network.users, expected=owner_staff, request=request)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_contains_the_case_only_for_those_who_see_it(world, fmt):
    def request(c):
        resp = export(c, params={"format": fmt})
        if resp.status_code == 200:
            body = resp.content
            if fmt == "xlsx":
                import io

                from openpyxl import load_workbook

                rows = load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(
                    values_only=True
                )
                body = repr(list(rows)).encode()
            resp.status_code = 200 if world.case.reference.encode() in body else 404
        return resp

    assert_matrix(users=world.network.users, expected=sees_case, request=request)


def test_html_case_page(world):
    assert_matrix(
        users=world.network.users,
        expected=sees_case,
        api=False,
        request=lambda c: c.get(f"/cases/{world.case.pk}/"),
    )


def test_html_person_page(world):
    assert_matrix(
        users=world.network.users,
        expected=sees_case,
        api=False,
        request=lambda c: c.get(f"/people/{world.person.pk}/"),
    )


def test_html_export(world):
    def request(c):
        resp = export(c, "/cases/export/", {"format": "csv"})
        if resp.status_code == 200:
            resp.status_code = 200 if world.case.reference.encode() in resp.content else 404
        return resp

    assert_matrix(users=world.network.users, expected=sees_case, api=False, request=request)


def test_attachment_download(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from enlace.accounts.actor import actor_for
    from enlace.cases import services

    settings.MEDIA_ROOT = tmp_path
    attachment = services.attachment_add(
        actor=actor_for(world.network.user(Role.OFFICER)),
        case=world.case,
        upload=SimpleUploadedFile("informe.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    assert_matrix(
        users=world.network.users,
        expected=sees_case,
        api=False,
        request=lambda c: c.get(f"/cases/attachments/{attachment.pk}/"),
    )


def test_person_list_contains_the_person_only_for_those_who_see_it(world):
    def request(c):
        resp = c.get("/api/v1/people/")
        ids = [r["id"] for r in resp.json()["results"]]
        resp.status_code = 200 if str(world.person.pk) in ids else 404
        return resp

    assert_matrix(users=world.network.users, expected=sees_case, request=request)


def test_transition(world):
    def request(c):
        world.case.__class__.objects.filter(pk=world.case.pk).update(status="open")
        return c.post(
            f"/api/v1/cases/{world.case.pk}/transitions/",
            {"name": "start_assessment"},
            format="json",
        )

    assert_matrix(users=world.network.users, expected=owner_staff, request=request)


def test_detention_log(world):
    assert_matrix(
        users=world.network.users,
        expected=owner_staff,
        request=lambda c: c.put(
            f"/api/v1/cases/{world.case.pk}/detention/",
            {"arrest_date": "2026-01-02"},
            format="json",
        ),
    )


@pytest.mark.parametrize("step", ["reject", "done"])
def test_referral_steps_by_the_receiving_office(world, step):

    target = world.network.offices[SAME_COUNTRY]

    def request(c):
        referral = fresh_referral(world, target)
        if step == "done":
            referral.status = "accepted"
            referral.save()
        return c.post(f"/api/v1/referrals/{referral.pk}/{step}/")

    assert_matrix(
        users=world.network.users,
        request=request,
        expected=lambda r, rel: 200 if r in STAFF and rel == SAME_COUNTRY else 404,
    )


def test_referral_list_shows_each_office_its_own(world):
    def request(c):
        received = c.get("/api/v1/referrals/?direction=in").json()["results"]
        sent = c.get("/api/v1/referrals/?direction=out").json()["results"]
        resp = c.get("/api/v1/referrals/")
        ids = {r["id"] for r in received + sent}
        resp.status_code = 200 if str(world.referral.pk) in ids else 404
        return resp

    assert_matrix(
        users=world.network.users,
        request=request,
        expected=lambda r, rel: 200 if r in STAFF and rel in (OWN_OFFICE, REFERRED_IN) else 404,
    )


def test_attachment_upload(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path

    def request(c):
        upload = SimpleUploadedFile("nota.txt", b"texto", content_type="text/plain")
        return c.post(
            f"/api/v1/cases/{world.case.pk}/attachments/", {"file": upload}, format="multipart"
        )

    assert_matrix(users=world.network.users, expected=works_on_case, request=request)
