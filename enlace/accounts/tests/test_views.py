import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from enlace.accounts.backends import DEMO_PASSWORD
from enlace.accounts.models import Membership, Role, User
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, SAME_COUNTRY, assert_matrix

pytestmark = pytest.mark.django_db


def test_root_redirects_to_a_spanish_login_page(client):
    resp = client.get("/", follow=True)
    assert resp.redirect_chain[-1][0].startswith("/accounts/login/")
    html = resp.content.decode()
    assert '<html lang="es">' in html
    assert "Iniciar sesión" in html
    assert "Log in" not in html


def test_demo_user_logs_in_and_sees_office(demo, client):
    resp = client.post(
        "/accounts/login/", {"username": "oficial.mx", "password": DEMO_PASSWORD}, follow=True
    )
    html = resp.content.decode()
    assert "Consulado General de México en Los Ángeles" in html
    assert "Oficial consular" in html


@override_settings(ENLACE_ALLOW_DEMO_PASSWORD=False)
def test_demo_password_is_refused_where_settings_forbid_it(demo, client):
    resp = client.post("/accounts/login/", {"username": "oficial.mx", "password": DEMO_PASSWORD})
    assert resp.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session


def test_lockout_after_repeated_failures(demo, client):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "oficial.mx", "password": "wrong"})
    resp = client.post("/accounts/login/", {"username": "oficial.mx", "password": DEMO_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "bloqueada" in resp.content.decode()


def test_idle_session_expires_and_activity_extends_it(demo, client):
    client.post("/accounts/login/", {"username": "oficial.mx", "password": DEMO_PASSWORD})
    session = Session.objects.get()
    first_expiry = session.expire_date
    client.get("/")
    assert Session.objects.get().expire_date >= first_expiry
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    resp = client.get("/")
    assert resp.status_code == 302
    assert resp.url.startswith("/accounts/login/")


def test_activity_rewrites_the_session_at_most_once_a_minute(demo, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enlace.accounts.middleware import SessionRefreshMiddleware

    client.post("/accounts/login/", {"username": "oficial.mx", "password": DEMO_PASSWORD})
    client.get("/")  # stamps the session
    stamped = Session.objects.get().expire_date
    with CaptureQueriesContext(connection) as ctx:
        client.get("/api/v1/me/")
        client.get("/")
    writes = [q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"]]
    assert writes and all(sql.startswith("SELECT") for sql in writes)
    assert Session.objects.get().expire_date == stamped
    # A minute later the next request extends the session again.
    session = client.session
    session[SessionRefreshMiddleware.STAMP] -= 61
    session.save()
    before = Session.objects.get().expire_date
    client.get("/api/v1/me/")
    assert Session.objects.get().expire_date > before


def test_argon2_is_the_password_hasher_outside_tests():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@override_settings(ENLACE_REQUIRE_2FA=True)
def test_staff_must_verify_totp_before_using_the_ui(network, client):
    user = network.user(Role.OFFICER)
    client.force_login(user)
    resp = client.get("/")
    assert resp.status_code == 302 and resp.url == "/accounts/two-factor/"
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user)
    assert client.post("/accounts/two-factor/", {"token": "000000"}).status_code == 200
    resp = client.post("/accounts/two-factor/", {"token": f"{totp(device.bin_key):06d}"})
    assert resp.status_code == 302
    assert client.get("/").status_code == 200


@override_settings(ENLACE_REQUIRE_2FA=True)
def test_association_representative_is_not_asked_for_totp(network, client):
    client.force_login(network.user(Role.ASSOCIATION_REP))
    assert client.get("/").status_code == 200


def test_user_switches_active_office(network, client):
    user = network.user(Role.OFFICER)
    second = Membership.objects.create(
        user=user, office=network.offices[SAME_COUNTRY], role=Role.SUPERVISOR
    )
    client.force_login(user)
    home = client.get("/").content.decode()
    assert network.offices[OWN_OFFICE].name in home
    client.post("/accounts/office/", {"membership": second.pk, "next": "/"})
    user.refresh_from_db()
    assert user.active_membership == second
    assert "Supervisor de protección" in client.get("/").content.decode()


def test_user_cannot_switch_to_someone_elses_membership(network, client):
    client.force_login(network.user(Role.OFFICER))
    other = Membership.objects.get(user=network.user(Role.SUPERVISOR, OTHER_COUNTRY))
    assert client.post("/accounts/office/", {"membership": other.pk}).status_code == 404


def test_matrix_office_members_page(network):
    office = network.offices[OWN_OFFICE]

    def expected(role: str, relation: str) -> int:
        if relation == OWN_OFFICE or role == Role.ADMINISTRATOR:
            return 200
        return 200 if (role == Role.NATIONAL_FOCAL_POINT and relation == SAME_COUNTRY) else 404

    assert_matrix(
        users=network.users,
        request=lambda c: c.get(f"/accounts/offices/{office.pk}/members/"),
        expected=expected,
        api=False,
    )


def test_supervisor_grants_role_in_the_page_with_clear_errors(network, client):
    office = network.offices[OWN_OFFICE]
    client.force_login(network.user(Role.SUPERVISOR))
    url = f"/accounts/offices/{office.pk}/members/"
    resp = client.post(url, {"username": "nobody", "role": Role.OFFICER})
    assert "No hay ningún usuario activo con este nombre de usuario." in resp.content.decode()
    User.objects.create_user(username="nuevo", password="x")
    resp = client.post(url, {"username": "nuevo", "role": Role.OFFICER})
    assert resp.status_code == 302
    assert Membership.objects.filter(user__username="nuevo", office=office).exists()


def test_office_search_partial_for_htmx(network, client):
    client.force_login(network.user(Role.OFFICER))
    resp = client.get("/accounts/offices/", {"q": "Other"}, HTTP_HX_REQUEST="true")
    html = resp.content.decode()
    assert "<html" not in html
    assert network.offices[OTHER_COUNTRY].name in html
    assert network.offices[SAME_COUNTRY].name not in html
    empty = client.get("/accounts/offices/", {"q": "zzzz"}, HTTP_HX_REQUEST="true")
    assert "Ninguna oficina coincide" in empty.content.decode()
