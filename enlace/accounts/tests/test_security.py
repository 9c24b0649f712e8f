"""Account pages behind the second factor, failed log-ins per address, password change, headers."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import get_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory, override_settings
from django_zxcvbn_password_validator import ZxcvbnPasswordValidator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from enlace.accounts.models import Role, User
from enlace.accounts.security import client_ip
from enlace.accounts.testing import OWN_OFFICE
from enlace.accounts.validators import PlatformNameValidator

pytestmark = pytest.mark.django_db

PASSWORD = "x-test-password-1"


def _login(user, client=None) -> Client:
    client = client or Client()
    resp = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert resp.status_code == 302
    return client


# 1. Account pages need the second factor too.


@override_settings(ENLACE_REQUIRE_2FA=True)
def test_account_pages_ask_for_the_second_factor_first(network):
    client = _login(network.user(Role.OFFICER))
    office = network.offices[OWN_OFFICE]
    for url in (
        "/accounts/offices/",
        f"/accounts/offices/{office.pk}/members/",
        "/accounts/password/",
    ):
        resp = client.get(url)
        assert resp.status_code == 302, url
        assert resp.url == "/accounts/two-factor/", url
    resp = client.get("/accounts/offices/", {"q": "Own"}, HTTP_HX_REQUEST="true")
    assert office.name not in resp.content.decode()


@override_settings(ENLACE_REQUIRE_2FA=True)
def test_two_factor_page_and_logout_stay_reachable(network):
    client = _login(network.user(Role.OFFICER))
    assert client.get("/accounts/two-factor/").status_code == 200
    resp = client.post("/accounts/logout/")
    assert resp.status_code == 302
    assert "_auth_user_id" not in client.session


@override_settings(ENLACE_REQUIRE_2FA=True)
def test_public_pages_are_not_held_behind_the_second_factor(network):
    # They hold no personal data and are open to anyone; a staff user half-way through
    # log-in must not be sent away from them.
    client = _login(network.user(Role.OFFICER))
    assert client.get("/about/").status_code == 200
    assert client.get("/api/v1/public/countries/").status_code == 200
    assert client.get("/cases/").url == "/accounts/two-factor/"


# 3. Password spraying through the log-in form.


@override_settings(ENLACE_LOGIN_IP_FAILURE_LIMIT=3)
def test_login_form_stops_an_address_spraying_usernames(network):
    attacker = Client(REMOTE_ADDR="203.0.113.5")
    for role in (Role.OFFICER, Role.SUPERVISOR, Role.ANALYST):
        resp = attacker.post(
            "/accounts/login/", {"username": network.user(role).username, "password": "Enlace2026"}
        )
        assert resp.status_code == 200  # the form again, with its error
    victim = network.user(Role.ADMINISTRATOR)
    resp = attacker.post("/accounts/login/", {"username": victim.username, "password": PASSWORD})
    assert resp.status_code == 429
    assert "_auth_user_id" not in attacker.session
    assert 'href="/accounts/login/"' in resp.content.decode()
    # Someone at another address logs in as usual.
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert _login(victim, other).get("/").status_code == 200


@override_settings(ENLACE_LOGIN_IP_FAILURE_LIMIT=3)
def test_the_limit_message_is_translated(network):
    client = Client(REMOTE_ADDR="203.0.113.6")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(3):
        client.post("/accounts/login/", {"username": "nobody", "password": "x"})
    resp = client.post("/accounts/login/", {"username": "nobody", "password": "x"})
    assert resp.status_code == 429
    html = resp.content.decode()
    assert '<html lang="en">' in html
    assert "Too many failed log-ins from your network" in html


def _spray(client: Client, n: int) -> None:
    for i in range(n):
        client.post("/accounts/login/", {"username": f"nobody{i}", "password": "Enlace2026"})


@override_settings(ENLACE_LOGIN_IP_FAILURE_LIMIT=3)
def test_forged_forwarded_header_does_not_escape_the_limit(network):
    """Without a configured proxy header, X-Forwarded-For is the client's word: ignored."""
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for i in range(3):
        attacker.post(
            "/accounts/login/",
            {"username": f"nobody{i}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{i}",
        )
    resp = attacker.post(
        "/accounts/login/",
        {"username": "nobody9", "password": "x"},
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert resp.status_code == 429


@override_settings(ENLACE_LOGIN_IP_FAILURE_LIMIT=3, ENLACE_CLIENT_IP_HEADER="HTTP_X_REAL_IP")
def test_behind_the_proxy_each_client_address_has_its_own_limit(network):
    proxy = "10.0.0.2"
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_REAL_IP="203.0.113.8")
    _spray(attacker, 3)
    assert attacker.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 429
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_REAL_IP="198.51.100.30")
    user = network.user(Role.OFFICER)
    assert _login(user, colleague).get("/").status_code == 200


@override_settings(ENLACE_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR")
def test_client_ip_takes_the_address_the_proxy_added():
    rf = RequestFactory()
    forged_then_real = rf.get(
        "/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.10", REMOTE_ADDR="10.0.0.2"
    )
    assert client_ip(forged_then_real) == "203.0.113.10"
    garbage = rf.get("/", HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="10.0.0.2")
    assert client_ip(garbage) == "10.0.0.2"


# 4. Content-Security-Policy, no inline script, no-store for signed-in users.


def test_pages_carry_a_content_security_policy(network):
    resp = Client().get("/accounts/login/")
    csp = resp.headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["default-src"] == ["'self'"]
    script_src = directives.get("script-src", directives["default-src"])
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert directives["frame-ancestors"] == ["'none'"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*?[\s}\"']on[a-z]+\s*=", re.IGNORECASE)


def test_templates_have_no_inline_script_or_event_handler():
    offenders = []
    for template in (Path(settings.BASE_DIR) / "enlace").rglob("templates/**/*.html"):
        text = template.read_text()
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text):
            offenders.append(str(template))
    assert not offenders, offenders


def test_signed_in_pages_and_api_are_not_stored_by_caches(network):
    user = network.user(Role.OFFICER)
    client = _login(user)
    for url in ("/", "/accounts/offices/", "/api/v1/me/"):
        assert "no-store" in client.get(url).headers.get("Cache-Control", ""), url
    api = APIClient()
    key = api.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    api.credentials(HTTP_AUTHORIZATION=f"Token {key.json()['token']}")
    assert "no-store" in api.get("/api/v1/me/").headers.get("Cache-Control", "")


# 5. Password change.


def test_user_menu_links_to_password_change(network):
    client = _login(network.user(Role.OFFICER))
    assert 'href="/accounts/password/"' in client.get("/").content.decode()


def test_password_change_works_and_revokes_the_api_token(network):
    user = network.user(Role.OFFICER)
    Token.objects.create(user=user)
    client = _login(user)
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    assert 'name="new_password1"' in page.content.decode()
    new = "pradera-violeta-rumbo-47"
    resp = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert resp.status_code == 302
    assert resp.url == "/accounts/password/done/"
    assert client.get(resp.url).status_code == 200
    assert not Token.objects.filter(user=user).exists()
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.get("/").status_code == 200  # this session stays signed in


@pytest.mark.parametrize("guess", ["Enlace2026", "enlace-2026!", "ENLACE20262026"])
def test_password_change_refuses_the_platform_name_plus_a_year(network, guess):
    user = network.user(Role.OFFICER)
    client = _login(user)
    resp = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": guess, "new_password2": guess},
    )
    assert resp.status_code == 200
    assert 'class="error"' in resp.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_strength_advice_is_given_in_the_interface_language(network):
    user = network.user(Role.OFFICER)
    client = _login(user)
    weak = "Football1990"
    resp = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
    )
    assert "demasiado fácil de adivinar" in resp.content.decode()


def test_validators_refuse_names_of_the_user_and_office_plus_digits(network):
    user = network.user(Role.OFFICER)  # works at "Own consulate"
    for guess in (
        "Enlace2026",
        f"{user.username}1234567",
        "OwnConsulate2026",
        "consulate-own-1999",
        "3nl4c3-2026",
    ):
        with pytest.raises(ValidationError):
            validate_password(guess, user)
    validate_password("pradera-violeta-rumbo-47", user)


def test_zxcvbn_refuses_a_guessable_password_the_other_rules_let_through(network):
    user = network.user(Role.OFFICER)
    validators = get_password_validators(settings.AUTH_PASSWORD_VALIDATORS)
    others = [v for v in validators if not isinstance(v, ZxcvbnPasswordValidator)]
    assert len(others) == len(validators) - 1
    validate_password("Football1990", user, password_validators=others)
    with pytest.raises(ValidationError):
        validate_password("Football1990", user)


def test_platform_name_validator_on_its_own():
    validator = PlatformNameValidator()
    with pytest.raises(ValidationError) as exc:
        validator.validate("Enlace2026")
    assert exc.value.error_list[0].code == "password_from_names"
    new_user = User(username="maria.lopez", first_name="María", last_name="López")
    with pytest.raises(ValidationError):
        validator.validate("MariaLopez2026", new_user)
    validator.validate("enlace-del-rio-cruzado-2026", new_user)  # words beyond the names


@pytest.mark.parametrize("how", ["set_password", "unusable", "changepassword"])
def test_a_password_set_any_other_way_ends_the_api_token_too(network, how):
    # An administrator resetting a password (admin, shell, `manage.py changepassword`): the
    # token issued under the old one must stop working, as the sessions do.
    from unittest import mock

    from django.core.management import call_command

    user = network.user(Role.OFFICER)
    other = network.user(Role.SUPERVISOR)
    Token.objects.create(user=user)
    Token.objects.create(user=other)
    if how == "set_password":
        user.set_password("pradera-violeta-rumbo-47")
        user.save()
    elif how == "unusable":
        user.set_unusable_password()
        user.save()
    else:
        with mock.patch("getpass.getpass", return_value="pradera-violeta-rumbo-47"):
            call_command("changepassword", user.username, stdout=io.StringIO())
    assert not Token.objects.filter(user=user).exists()
    assert Token.objects.filter(user=other).exists()  # nobody else's
    user.first_name = "Otra"  # a save without a new password keeps a new token
    token = Token.objects.create(user=user)
    user.save()
    assert Token.objects.filter(pk=token.pk).exists()
