import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from enlace.accounts.models import Office
from enlace.diaspora import services
from enlace.diaspora.models import Association, Project

from .conftest import INTIPUCA, association_data, project_data

pytestmark = pytest.mark.django_db


def _client(actor=None) -> Client:
    client = Client()
    if actor is not None:
        client.force_login(actor.user)
    return client


# Public pages ---------------------------------------------------------------------------------


def test_the_directory_filters_by_origin_and_residence_and_search(dw):
    url = reverse("diaspora:directory")
    body = _client().get(url, {"origin_country": "SV"}).content.decode()
    assert dw.own.name in body and dw.other.name not in body
    body = _client().get(url, {"q": "zacatecana"}).content.decode()
    assert dw.other.name in body and dw.own.name not in body
    body = _client().get(url, {"department": "SV-UN"}).content.decode()
    assert dw.own.name in body and dw.other.name not in body
    assert dw.own.name not in _client().get(url, {"residence_country": "ES"}).content.decode()


def test_a_malformed_filter_is_a_400_with_its_message(dw):
    response = _client().get(reverse("diaspora:directory"), {"origin_country": "SLV"})
    assert response.status_code == 400
    assert str(_("Enter a two-letter ISO 3166-1 country code.")) in response.content.decode()


def test_the_directory_pages_keep_the_filters(dw):
    for i in range(27):
        office = Office.objects.create(
            name=f"Club {i:02d}", kind="association", country_id="SV", host_country_id="US"
        )
        Association.objects.create(
            office=office,
            name=f"Club {i:02d}",
            residence_country_id="US",
            residence_city="Houston",
            origin_country_id="SV",
        )
    body = _client().get(reverse("diaspora:directory"), {"origin_country": "SV"}).content.decode()
    assert "origin_country=SV&amp;page=2" in body or "page=2&amp;origin_country=SV" in body


def test_the_association_page_shows_only_the_contact_data_marked_public(dw):
    services.association_update(
        actor=dw.rep,
        association=dw.own,
        version=1,
        data=association_data(phone_public=True),
    )
    body = _client().get(reverse("diaspora:association", args=[dw.own.pk])).content.decode()
    assert "+1 213 555 0100" in body
    assert "privado@example.org" not in body  # not marked public
    assert "Marta Villatoro" not in body


def test_an_unlisted_association_is_missing_to_the_public(dw):
    services.association_update(
        actor=dw.admin, association=dw.own, version=1, data=association_data(listed=False)
    )
    assert _client().get(reverse("diaspora:association", args=[dw.own.pk])).status_code == 404
    assert dw.own.name not in _client().get(reverse("diaspora:directory")).content.decode()


def test_the_municipality_page_lists_projects_and_adds_them_up(dw):
    services.project_create(actor=dw.rep, association=dw.own, data=project_data())
    services.project_create(
        actor=dw.other_rep,
        association=dw.other,
        data=project_data(
            title="Becas",
            budget="1000",
            beneficiaries_women=5,
            beneficiaries_men=5,
            beneficiaries_other=0,
        ),
    )
    services.project_create(
        actor=dw.rep,
        association=dw.own,
        data=project_data(title="Cancelado", status="cancelled", budget="999999"),
    )
    response = _client().get(reverse("diaspora:municipality", args=[INTIPUCA]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Clínica comunitaria" in body and "Becas" in body
    assert dw.own.name in body  # from Intipucá
    totals = body.split('id="totals"')[1].split("</dl>")[0]
    assert re.search(r"86\D000\D00 USD", totals)  # 85 000 + 1 000, the cancelled left out
    assert "61" in totals  # 35 women, 25 men, 1 other


def test_an_unknown_municipality_is_a_404(dw):
    for bad in ("SV-0000", "xx", "SV-1407'--"):
        assert _client().get(f"/diaspora/municipalities/{bad}/").status_code == 404


# Staff pages ----------------------------------------------------------------------------------


def test_a_representative_edits_their_association_and_not_another(dw):
    client = _client(dw.rep)
    url = reverse("diaspora:association_edit", args=[dw.own.pk])
    assert client.get(url).status_code == 200
    data = {**association_data(name="Asociación renovada"), "version": "1"}
    data["focus_areas"] = ["health", "education"]
    response = client.post(url, data)
    assert response.status_code == 302
    dw.own.refresh_from_db()
    assert (dw.own.name, dw.own.focus_areas) == ("Asociación renovada", ["education", "health"])
    other = reverse("diaspora:association_edit", args=[dw.other.pk])
    assert client.get(other).status_code == 404
    assert client.post(other, data).status_code == 404


def test_a_stale_edit_page_is_a_409_keeping_the_input(dw):
    services.association_update(
        actor=dw.admin, association=dw.own, version=1, data=association_data(name="Por otro")
    )
    response = _client(dw.rep).post(
        reverse("diaspora:association_edit", args=[dw.own.pk]),
        {**association_data(name="Mío"), "version": "1"},
    )
    assert response.status_code == 409
    assert 'value="Mío"' in response.content.decode()


@pytest.mark.parametrize("who", ["focal", "officer"])
def test_focal_points_and_officers_have_no_association_pages(dw, who):
    client = _client(getattr(dw, who))
    assert client.get(reverse("diaspora:manage")).status_code == 404
    assert client.get(reverse("diaspora:association_edit", args=[dw.own.pk])).status_code == 404


def test_a_representative_adds_a_project_from_the_page(dw):
    response = _client(dw.rep).post(
        reverse("diaspora:project_create", args=[dw.own.pk]),
        {
            **project_data(start_date="2025-01-01", end_date=""),
            "cf-TOTAL_FORMS": "2",
            "cf-INITIAL_FORMS": "0",
            "cf-0-partner": "FISDL",
            "cf-0-programme": "Unidos por la Solidaridad",
            "cf-0-amount": "40000",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(association=dw.own)
    assert [c.programme for c in project.co_funding.all()] == ["Unidos por la Solidaridad"]


def test_deleting_a_project_asks_for_confirmation(dw):
    project = services.project_create(actor=dw.rep, association=dw.own, data=project_data())
    client = _client(dw.rep)
    url = reverse("diaspora:project_delete", args=[project.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"version": "1"}).status_code == 400
    assert Project.objects.filter(pk=project.pk).exists()
    assert client.post(url, {"version": "1", "confirm": "on"}).status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()
    assert _client(dw.other_rep).get(url).status_code == 404


def test_an_administrator_lists_every_association(dw):
    body = _client(dw.admin).get(reverse("diaspora:manage")).content.decode()
    assert dw.own.name in body and dw.other.name in body
    body = _client(dw.rep).get(reverse("diaspora:manage")).content.decode()
    assert dw.own.name in body and dw.other.name not in body


def test_the_directory_finds_an_association_by_its_districts_new_municipality(dw):
    body = _client().get(reverse("diaspora:directory"), {"q": "Unión Sur"}).content.decode()
    assert dw.own.name in body and dw.other.name not in body  # Intipucá is in La Unión Sur
    page = _client().get(reverse("diaspora:municipality", args=[INTIPUCA])).content.decode()
    assert "La Unión Sur" in page
