"""The API's doors: a password-only session, token lifetime and revocation, failed log-ins."""

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.cases import services as case_services
from enlace.cases.models import CaseNote
from enlace.people import services as people_services

pytestmark = pytest.mark.django_db

PASSWORD = "x-test-password-1"
CANARY = "CANARY-2fa-status-note"


def _case(network):
    officer = actor_for(network.user(Role.OFFICER))
    person = people_services.person_create(
        actor=officer,
        data={
            "given_names": "Jesús Alberto",
            "first_surname": "Pérez",
            "sex": "M",
            "birth_date": "1999",
            "migratory_status": "irregular",
            "migratory_status_notes": CANARY,
        },
        nationalities=["MX"],
    )
    case = case_services.case_open(
        actor=officer, person=person, case_type="detention", summary="Detenido"
    )
    return person, case


def _password_only_session(user) -> Client:
    """A browser that typed the password and stopped at the two-factor page."""
    client = Client()
    resp = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert resp.status_code == 302
    assert client.get("/").url == "/accounts/two-factor/"
    return client


@override_settings(ENLACE_REQUIRE_2FA=True)
def test_password_only_session_reads_nothing_from_the_api(network):
    person, case = _case(network)
    client = _password_only_session(network.user(Role.OFFICER))
    urls = (f"/api/v1/people/{person.pk}/", f"/api/v1/cases/{case.pk}/", "/api/v1/cases/")
    for url in (*urls, "/api/v1/people/", "/api/v1/me/"):
        resp = client.get(url)
        assert resp.status_code in (401, 403), url
        assert CANARY not in resp.content.decode()
        assert "Pérez" not in resp.content.decode()


@override_settings(ENLACE_REQUIRE_2FA=True)
def test_password_only_session_writes_nothing_through_the_api(network):
    _person, case = _case(network)
    client = _password_only_session(network.user(Role.OFFICER))
    resp = client.post(
        f"/api/v1/cases/{case.pk}/notes/",
        {"text": "written without the second factor"},
        content_type="application/json",
    )
    assert resp.status_code in (401, 403)
    assert not CaseNote.objects.filter(text__contains="second factor").exists()


@override_settings(ENLACE_REQUIRE_2FA=True)
def test_session_verified_with_totp_uses_the_api(network):
    person = _case(network)[0]
    user = network.user(Role.OFFICER)
    client = _password_only_session(user)
    client.get("/accounts/two-factor/")  # creates the device to set up
    device = TOTPDevice.objects.get(user=user)
    client.post("/accounts/two-factor/", {"token": f"{totp(device.bin_key):06d}"})
    resp = client.get(f"/api/v1/people/{person.pk}/")
    assert resp.status_code == 200
    assert resp.json()["id"] == str(person.pk)


@override_settings(ENLACE_REQUIRE_2FA=True)
def test_roles_without_2fa_keep_using_the_api_with_their_session(network):
    client = Client()
    user = network.user(Role.ASSOCIATION_REP)
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    resp = client.get("/api/v1/me/")
    assert resp.status_code == 200
    assert resp.json()["username"] == user.username


# Tokens: lifetime, revocation by their owner, on logout and on password change.


def _token(user) -> str:
    resp = APIClient().post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}
    )
    assert resp.status_code == 200
    return resp.json()["token"]


def _api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@override_settings(ENLACE_TOKEN_TTL_HOURS=12)
def test_token_expires_after_its_lifetime(network):
    user = network.user(Role.OFFICER)
    resp = APIClient().post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}
    )
    key = resp.json()["token"]
    expires = dt.datetime.fromisoformat(resp.json()["expires_at"])
    assert abs(expires - (timezone.now() + dt.timedelta(hours=12))) < dt.timedelta(minutes=1)
    assert _api(key).get("/api/v1/me/").status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(hours=12, minutes=1))
    resp = _api(key).get("/api/v1/me/")
    assert resp.status_code == 401
    assert user.username not in resp.content.decode()
    # Asking again gives a new, working token.
    fresh = _token(user)
    assert fresh != key
    assert _api(fresh).get("/api/v1/me/").status_code == 200


@override_settings(ENLACE_TOKEN_TTL_HOURS=1)
def test_token_lifetime_follows_the_setting(network):
    user = network.user(Role.OFFICER)
    key = _token(user)
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(minutes=61))
    assert _api(key).get("/api/v1/me/").status_code == 401


def test_owner_revokes_own_token(network):
    user = network.user(Role.OFFICER)
    other_key = _token(network.user(Role.SUPERVISOR))
    key = _token(user)
    client = _api(key)
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401
    # Someone else's token is untouched.
    assert _api(other_key).get("/api/v1/me/").status_code == 200


def test_revoking_without_a_token_is_refused(network):
    key = _token(network.user(Role.OFFICER))
    assert APIClient().delete("/api/v1/auth/token/").status_code == 401
    assert _api(key).get("/api/v1/me/").status_code == 200


def test_logout_revokes_the_token(network):
    user = network.user(Role.OFFICER)
    key = _token(user)
    browser = Client()
    browser.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    browser.post("/accounts/logout/")
    assert _api(key).get("/api/v1/me/").status_code == 401


def test_token_revocation_is_in_the_schema(network):
    client = APIClient()
    client.force_authenticate(network.user(Role.OFFICER))
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert "delete" in schema["paths"]["/api/v1/auth/token/"]
    assert "204" in schema["paths"]["/api/v1/auth/token/"]["delete"]["responses"]


# Password spraying: many usernames from one address.


@override_settings(ENLACE_LOGIN_IP_FAILURE_LIMIT=3)
def test_token_endpoint_stops_a_spraying_address(network):
    client = APIClient(REMOTE_ADDR="203.0.113.9")
    for role in (Role.OFFICER, Role.SUPERVISOR, Role.ANALYST):
        resp = client.post(
            "/api/v1/auth/token/",
            {"username": network.user(role).username, "password": "Enlace2026"},
        )
        assert resp.status_code == 400
    # Beyond the limit even the right password gets no token, and says why.
    user = network.user(Role.ADMINISTRATOR)
    resp = client.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    assert resp.status_code == 429
    assert "token" not in resp.json()
    assert resp.json()["detail"]
    # Another address is not affected.
    other = APIClient(REMOTE_ADDR="198.51.100.7")
    resp = other.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    assert resp.status_code == 200


def test_locked_account_gets_a_json_429_from_the_token_endpoint(network):
    user = network.user(Role.OFFICER)
    client = APIClient(REMOTE_ADDR="203.0.113.40")
    for _ in range(5):
        client.post("/api/v1/auth/token/", {"username": user.username, "password": "wrong"})
    resp = client.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    assert resp.status_code == 429
    assert resp["Content-Type"] == "application/json"
    assert resp.json()["detail"]
    assert "token" not in resp.json()
