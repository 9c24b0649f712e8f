import pytest
from rest_framework.test import APIClient

from enlace.diaspora import services

from .conftest import project_data

pytestmark = pytest.mark.django_db


def test_the_directory_endpoint_filters_by_origin_country(dw):
    response = APIClient().get("/api/v1/associations/", {"origin_country": "SV"})
    assert response.status_code == 200
    names = [a["name"] for a in response.json()["results"]]
    assert names == [dw.own.name]
    assert response.json()["results"][0]["origin_municipality"] == "SV-1407"
    assert response.json()["results"][0]["email"] == ""  # not made public


@pytest.mark.parametrize(
    "params",
    [{"origin_country": "SLV"}, {"municipality": "Intipucá"}, {"residence_country": ""}],
)
def test_a_malformed_filter_is_a_400(dw, params):
    response = APIClient().get("/api/v1/associations/", params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_the_municipality_filter_finds_associations_with_projects_there(dw):
    services.project_create(actor=dw.other_rep, association=dw.other, data=project_data())
    response = APIClient().get("/api/v1/associations/", {"municipality": "sv-1407"})
    assert {a["name"] for a in response.json()["results"]} == {dw.own.name, dw.other.name}


def test_detail_and_projects(dw):
    services.project_create(actor=dw.rep, association=dw.own, data=project_data())
    detail = APIClient().get(f"/api/v1/associations/{dw.own.pk}/").json()
    assert [p["title"] for p in detail["projects"]] == ["Clínica comunitaria"]
    projects = APIClient().get(f"/api/v1/associations/{dw.own.pk}/projects/").json()
    assert projects["results"][0]["beneficiaries_total"] == 51
    assert APIClient().get("/api/v1/associations/not-a-uuid/").status_code == 404


def test_the_endpoints_are_in_the_schema(dw):
    schema = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    params = {p["name"] for p in schema["paths"]["/api/v1/associations/"]["get"]["parameters"]}
    assert {"origin_country", "residence_country", "municipality"} <= params
    assert "/api/v1/associations/{id}/projects/" in schema["paths"]
