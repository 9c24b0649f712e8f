"""The public pattern: anonymous pages and endpoints work with no login, session or actor,
are rate limited per client IP with a translated 429, and can be cached."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from enlace.accounts.models import Role
from enlace.core import public

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_budget():
    cache.clear()  # the rate-limit counters live in the cache
    yield
    cache.clear()


def test_about_page_is_open_to_anyone_and_sets_no_cookie():
    response = Client().get("/about/")
    assert response.status_code == 200
    assert b"/accounts/login/" in response.content
    assert not response.cookies  # no session, no CSRF cookie: the same page for everyone
    assert b"csrfmiddlewaretoken" not in response.content


def test_about_page_is_cacheable_per_language():
    response = Client().get("/about/")
    cache_control = response.headers["Cache-Control"]
    assert "public" in cache_control and "max-age=3600" in cache_control
    vary = {v.strip() for v in response.headers["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


def test_about_page_shows_the_same_bytes_to_a_signed_in_user(network):
    anonymous = Client().get("/about/")
    client = Client()
    client.force_login(network.user(Role.SUPERVISOR))
    signed_in = client.get("/about/")
    assert signed_in.content == anonymous.content  # no name, no office, no token to leak


def test_about_page_in_the_language_chosen_with_its_links():
    client = Client()
    response = client.get("/language/?language=en&next=/about/")
    assert response.status_code == 302 and response["Location"] == "/about/"
    assert client.get("/about/").content.startswith(b'<!DOCTYPE html>\n\n<html lang="en">')


def test_language_link_follows_only_local_addresses():
    response = Client().get("/language/?language=fr&next=https://evil.example/")
    assert response["Location"] == "/about/"
    assert Client().get("/language/?language=xx").cookies.get("django_language") is None


def test_pages_past_the_rate_limit_get_a_translated_429(settings):
    settings.ENLACE_PUBLIC_RATE = "3/m"
    client = Client()
    codes = [client.get("/about/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    blocked = client.get("/about/")
    assert blocked.status_code == 429
    assert blocked.headers["Retry-After"] == "60"
    assert "max-age" not in blocked.headers.get("Cache-Control", "")  # a 429 is never cached
    with translation.override("es"):  # the page speaks the visitor's language (Spanish first)
        assert escape(public.TOO_MANY).encode() in blocked.content
    client.get("/language/?language=en&next=/about/")
    with translation.override("en"):  # not whatever language the last request left active
        assert str(public.TOO_MANY).encode() in client.get("/about/").content


def test_the_limit_is_per_client_ip(settings):
    settings.ENLACE_PUBLIC_RATE = "2/m"
    first = Client(REMOTE_ADDR="198.51.100.7")
    other = Client(REMOTE_ADDR="198.51.100.8")
    assert [first.get("/about/").status_code for _ in range(3)] == [200, 200, 429]
    assert other.get("/about/").status_code == 200


def test_behind_the_proxy_each_client_has_its_own_budget(settings):
    """The proxy's address is the same for everyone: the client's comes from the header the
    proxy writes (ENLACE_CLIENT_IP_HEADER, the same setting as for log-ins)."""
    settings.ENLACE_PUBLIC_RATE = "2/m"
    settings.ENLACE_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    proxy = "10.0.0.1"
    first = Client(REMOTE_ADDR=proxy, HTTP_X_REAL_IP="198.51.100.7")
    other = Client(REMOTE_ADDR=proxy, HTTP_X_REAL_IP="198.51.100.8")
    assert [first.get("/about/").status_code for _ in range(3)] == [200, 200, 429]
    assert other.get("/about/").status_code == 200


def test_public_countries_endpoint_needs_no_login_and_is_cacheable():
    response = Client().get("/api/v1/public/countries/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    countries = {c["code"]: c for c in response.json()["results"]}
    assert len(countries) >= 249
    assert countries["MX"] == {"code": "MX", "alpha3": "MEX", "name": "Mexique"}
    assert "public" in response.headers["Cache-Control"]
    assert "Accept-Language" in response.headers["Vary"]
    assert not response.cookies


def test_public_endpoint_ignores_credentials_it_does_not_need(network):
    """A junk token or a session does not turn a public endpoint into a 401 or a user view."""
    junk = Client(HTTP_AUTHORIZATION="Token not-a-token").get("/api/v1/public/countries/")
    assert junk.status_code == 200
    client = Client()
    client.force_login(network.user(Role.OFFICER))
    assert client.get("/api/v1/public/countries/").json() == junk.json()


def test_public_endpoint_past_the_rate_limit_answers_429_json(settings):
    settings.ENLACE_PUBLIC_RATE = "2/m"
    client = Client()
    codes = [
        client.get("/api/v1/public/countries/", HTTP_ACCEPT_LANGUAGE="en").status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    blocked = client.get("/api/v1/public/countries/", HTTP_ACCEPT_LANGUAGE="en")
    assert blocked.headers["Retry-After"] == "60"
    assert blocked.json() == {"detail": str(public.TOO_MANY)}


def test_public_urls_are_marked_for_the_permission_policy():
    from django.urls import resolve

    assert resolve("/about/").func.public is True
    assert resolve("/api/v1/public/countries/").func.view_class.public is True
    assert not getattr(resolve("/jobs/").func, "public", False)


def test_a_public_view_cannot_use_the_actor_or_the_user(network):
    """Scoping a public page by who is signed in would leak through shared caches."""
    from django.test import RequestFactory

    seen = {}

    @public.public_page()
    def careless(request):
        seen["authenticated"] = request.user.is_authenticated
        return HttpResponse(request.actor.office.name)

    request = RequestFactory().get("/somewhere/")
    request.user = network.user(Role.OFFICER)
    request.actor = "the signed-in actor"
    with pytest.raises(RuntimeError, match="no actor"):
        careless(request)
    assert seen == {"authenticated": False}
