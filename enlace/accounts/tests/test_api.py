import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from enlace.accounts.models import Membership, Role, User
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, SAME_COUNTRY, assert_matrix

pytestmark = pytest.mark.django_db


def test_token_then_me_with_the_token(network):
    user = network.user(Role.OFFICER)
    client = APIClient()
    resp = client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": "x-test-password-1"}
    )
    assert resp.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {resp.json()['token']}")
    me = client.get("/api/v1/me/").json()
    assert me["username"] == user.username
    assert me["role"] == Role.OFFICER
    assert me["active_office"]["id"] == str(network.offices[OWN_OFFICE].pk)


def test_token_with_wrong_password_is_a_clear_400(network):
    user = network.user(Role.OFFICER)
    resp = APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": "no"})
    assert resp.status_code == 400
    assert "detail" in resp.json()


def test_anonymous_gets_no_data():
    assert APIClient().get("/api/v1/offices/").status_code in (401, 403)


@override_settings(ENLACE_REQUIRE_2FA=True)
def test_token_for_staff_requires_a_totp_code_where_2fa_is_on(network):
    user = network.user(Role.OFFICER)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = APIClient()
    creds = {"username": user.username, "password": "x-test-password-1"}
    assert client.post("/api/v1/auth/token/", creds).status_code == 400
    code = f"{totp(device.bin_key):06d}"
    assert client.post("/api/v1/auth/token/", {**creds, "otp_token": code}).status_code == 200


def test_office_directory_lists_and_filters(network):
    client = APIClient()
    client.force_authenticate(network.user(Role.OFFICER))
    data = client.get("/api/v1/offices/", {"country": "GT"}).json()
    assert {o["country"] for o in data["results"]} == {"GT"}
    assert data["count"] == 1
    data = client.get("/api/v1/offices/", {"search": "Ministry"}).json()
    assert [o["name"] for o in data["results"]] == [network.offices[SAME_COUNTRY].name]


def test_matrix_office_detail_is_visible_to_every_member(network):
    office = network.offices[OWN_OFFICE]
    assert_matrix(
        users=network.users,
        request=lambda c: c.get(f"/api/v1/offices/{office.pk}/"),
        expected=lambda role, relation: 200,
    )


def _members_visible(role: str, relation: str) -> int:
    if relation == OWN_OFFICE or role == Role.ADMINISTRATOR:
        return 200
    if role == Role.NATIONAL_FOCAL_POINT and relation == SAME_COUNTRY:
        return 200
    return 404


def test_matrix_office_memberships_list(network):
    office = network.offices[OWN_OFFICE]
    assert_matrix(
        users=network.users,
        request=lambda c: c.get(f"/api/v1/offices/{office.pk}/memberships/"),
        expected=_members_visible,
    )


def test_matrix_membership_detail(network):
    membership = Membership.objects.get(user=network.user(Role.OFFICER))
    assert_matrix(
        users=network.users,
        request=lambda c: c.get(f"/api/v1/memberships/{membership.pk}/"),
        expected=_members_visible,
    )


def test_matrix_grant_role(network):
    office = network.offices[OWN_OFFICE]
    counter = iter(range(10_000))

    def grant(client):
        target = User.objects.create_user(username=f"new{next(counter)}", password="x")
        return client.post(
            f"/api/v1/offices/{office.pk}/memberships/",
            {"username": target.username, "role": Role.OFFICER},
        )

    def expected(role: str, relation: str) -> int:
        if role == Role.ADMINISTRATOR:
            return 201
        return 201 if (role == Role.SUPERVISOR and relation == OWN_OFFICE) else 404

    assert_matrix(users=network.users, request=grant, expected=expected)


def test_matrix_deactivate_membership(network):
    office = network.offices[OWN_OFFICE]

    def deactivate(client):
        target = User.objects.create_user(username=f"t{User.objects.count()}", password="x")
        membership = Membership.objects.create(user=target, office=office, role=Role.OFFICER)
        return client.post(f"/api/v1/memberships/{membership.pk}/deactivate/")

    def expected(role: str, relation: str) -> int:
        if role == Role.ADMINISTRATOR or (role == Role.SUPERVISOR and relation == OWN_OFFICE):
            return 200
        # Visible but not manageable, or not visible at all: both are 404.
        return 404

    assert_matrix(users=network.users, request=deactivate, expected=expected)


def test_supervisor_cannot_grant_focal_point_role(network):
    client = APIClient()
    client.force_authenticate(network.user(Role.SUPERVISOR))
    target = User.objects.create_user(username="target", password="x")
    resp = client.post(
        f"/api/v1/offices/{network.offices[OWN_OFFICE].pk}/memberships/",
        {"username": target.username, "role": Role.NATIONAL_FOCAL_POINT},
    )
    assert resp.status_code == 400
    assert "role" in resp.json()
    assert not Membership.objects.filter(user=target).exists()


def test_grant_unknown_user_is_a_field_error(network):
    client = APIClient()
    client.force_authenticate(network.user(Role.SUPERVISOR))
    resp = client.post(
        f"/api/v1/offices/{network.offices[OWN_OFFICE].pk}/memberships/",
        {"username": "nobody", "role": Role.OFFICER},
    )
    assert resp.status_code == 400
    assert "username" in resp.json()


def test_other_country_office_members_are_404_not_403(network):
    client = APIClient()
    client.force_authenticate(network.user(Role.SUPERVISOR, OTHER_COUNTRY))
    resp = client.get(f"/api/v1/offices/{network.offices[OWN_OFFICE].pk}/memberships/")
    assert resp.status_code == 404
    missing = client.get("/api/v1/offices/00000000-0000-0000-0000-000000000000/memberships/")
    assert missing.status_code == 404
    assert resp.json() == missing.json()


def test_schema_and_docs_are_served_offline(network, client):
    client.force_login(network.user(Role.OFFICER))
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/offices/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()
