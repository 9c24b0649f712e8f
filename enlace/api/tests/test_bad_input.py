"""Bad input gets a clear 4xx, never a 500 (each case reproduces what an attacker once sent)."""

import struct
import zlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.cases import services as case_services
from enlace.core.filters import SEARCH_MAX_WORDS
from enlace.people import services as people_services

pytestmark = pytest.mark.django_db

LONG_SEARCH = " ".join(f"palabra{i}" for i in range(500))
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def officer(network):
    return network.user(Role.OFFICER)


@pytest.fixture
def api(officer):
    client = APIClient()
    client.force_authenticate(officer)
    return client


@pytest.fixture
def page(officer):
    client = Client()
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def person(officer):
    return people_services.person_create(
        actor=actor_for(officer),
        data={"given_names": "Rosa Elena", "first_surname": "Quispe", "sex": "F"},
    )


@pytest.fixture
def case(officer, person):
    return case_services.case_open(
        actor=actor_for(officer), person=person, case_type="labour", summary="Salario retenido"
    )


@pytest.mark.parametrize(
    "params",
    [
        {"office": "junk"},
        {"status": "nope"},
        {"risk_level": "extreme"},
        {"overdue": "maybe"},
        {"assigned": "someone-else"},
        {"status": ""},
    ],
)
def test_a_bad_case_filter_is_a_400_naming_the_filter(api, case, params):
    resp = api.get("/api/v1/cases/", params, **EN)
    assert resp.status_code == 400
    assert set(resp.json()) == set(params)


def test_good_case_filters_still_filter(api, case):
    assert api.get("/api/v1/cases/", {"status": "open"}).json()["count"] == 1
    assert api.get("/api/v1/cases/", {"status": "closed"}).json()["count"] == 0
    assert api.get("/api/v1/cases/", {"office": str(case.owner_office_id)}).json()["count"] == 1
    assert api.get("/api/v1/cases/", {"overdue": "true"}).json()["count"] == 0
    assert api.get("/api/v1/cases/", {"q": "quispe rosa"}).json()["count"] == 1


def test_a_bad_filter_on_the_export_is_a_400_not_a_file(api, page, case):
    assert api.post("/api/v1/cases/export/?office=junk").status_code == 400
    assert api.post("/api/v1/cases/export/?format=pdf").status_code == 400
    resp = page.post("/cases/export/", {"office": "junk"})
    assert resp.status_code == 400
    assert b"valid UUID" in resp.content


def test_a_bad_filter_on_the_case_list_page_is_a_400_with_the_error_shown(page, case):
    resp = page.get("/cases/", {"status": "nope"})
    assert resp.status_code == 400
    assert b"Select a valid choice" in resp.content
    assert case.reference.encode() not in resp.content
    # the form's own empty choices ("All") are fine on pages
    assert page.get("/cases/", {"status": "", "overdue": ""}).status_code == 200


@pytest.mark.parametrize(
    "params, status",
    [
        ({"page": "0"}, 400),
        ({"page": "abc"}, 400),
        ({"page": ""}, 400),
        ({"page_size": "0"}, 400),
        ({"page_size": "101"}, 400),
        ({"page_size": "ten"}, 400),
        ({"page": "2"}, 404),
        ({"page_size": "100"}, 200),
    ],
)
def test_pagination_refuses_bad_pages_and_caps_the_size(api, case, params, status):
    resp = api.get("/api/v1/cases/", params)
    assert resp.status_code == status, resp.content


def test_the_list_pages_keep_their_paginator(api, officer):
    actor = actor_for(officer)
    for i in range(3):
        people_services.person_create(actor=actor, data={"given_names": f"Persona {i}"})
    first = api.get("/api/v1/people/", {"page_size": 2}).json()
    assert first["count"] == 3 and len(first["results"]) == 2
    assert "page=2" in first["next"] and "page_size=2" in first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None


def test_a_search_of_hundreds_of_words_is_a_400_on_the_api(api, person):
    for url in ("/api/v1/people/", "/api/v1/cases/"):
        resp = api.get(url, {"q": LONG_SEARCH}, **EN)
        assert resp.status_code == 400
        assert str(SEARCH_MAX_WORDS) in resp.json()["q"][0]
    resp = api.get("/api/v1/offices/", {"search": LONG_SEARCH})
    assert resp.status_code == 400
    assert api.get("/api/v1/people/", {"q": "x" * 201}).status_code == 400
    words = " ".join(["rosa"] * SEARCH_MAX_WORDS)
    assert api.get("/api/v1/people/", {"q": words}).json()["count"] == 1


def test_a_search_of_hundreds_of_words_is_a_400_on_the_pages(page, person):
    for url in ("/people/", "/cases/", "/accounts/offices/"):
        resp = page.get(url, {"q": LONG_SEARCH})
        assert resp.status_code == 400, url
        assert f"at most {SEARCH_MAX_WORDS} words".encode() in resp.content


def test_deeply_nested_json_is_a_400(api):
    deep = "[" * 100_000 + "]" * 100_000
    resp = api.post("/api/v1/people/", deep, content_type="application/json")
    assert resp.status_code == 400
    nested = '{"given_names": "Ana", "other_names": ' + "[" * 40 + "]" * 40 + "}"
    resp = api.post("/api/v1/people/", nested, content_type="application/json")
    assert resp.status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/referrals/{id}/accept/",
        "/api/v1/tracing-matches/{id}/confirm/",
        "/api/v1/cases/{id}/transitions/",
        "/api/v1/cases/",
        "/api/v1/memberships/{id}/deactivate/",
    ],
)
def test_options_on_any_endpoint_answers_without_a_server_error(api, url):
    resp = api.options(url.format(id="e3e70682-c209-1cac-a29f-6fbed82c07cd"))
    assert resp.status_code == 200
    assert "application/json" in resp.json()["renders"]


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims huge dimensions but holds almost no data (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _edit(person):
    return {"given_names": person.given_names, "sex": person.sex, "version": person.version}


@pytest.mark.parametrize("side", [10_000, 60_000])  # a warning above 89 Mpx, an error above 179
def test_a_decompression_bomb_photo_is_a_400(page, person, side):
    bomb = SimpleUploadedFile("bomb.png", _png_header_only(side, side), "image/png")
    resp = page.post(f"/people/{person.pk}/edit/", {**_edit(person), "photo": bomb})
    assert resp.status_code == 400
    assert b"not a JPEG or PNG image" in resp.content
    person.refresh_from_db()
    assert not person.photo


def test_a_real_photo_is_still_accepted(page, person):
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    photo = SimpleUploadedFile("me.png", buffer.getvalue(), "image/png")
    resp = page.post(f"/people/{person.pk}/edit/", {**_edit(person), "photo": photo})
    assert resp.status_code == 302
    person.refresh_from_db()
    assert person.photo


def test_an_unknown_api_url_is_a_json_404_not_an_html_page(api):
    for url in ("/api/v1/offices/0.5/memberships/", "/api/v1/no-such-thing/"):
        resp = api.get(url)
        assert resp.status_code == 404
        assert resp["Content-Type"] == "application/json"
        assert set(resp.json()) == {"detail"}


def test_bodies_are_json_and_a_form_post_is_a_415(api):
    resp = api.post(
        "/api/v1/people/", "given_names=Ana", content_type="application/x-www-form-urlencoded"
    )
    assert resp.status_code == 415
    assert api.post("/api/v1/people/", {"given_names": "Ana"}).status_code == 201


def test_a_number_where_text_is_expected_is_a_400(api, case):
    resp = api.post(f"/api/v1/cases/{case.pk}/notes/", {"text": 0})
    assert resp.status_code == 400 and "text" in resp.json()
