"""The diaspora lists read a constant number of queries whatever their rows (no query per row)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from enlace.accounts.models import Office
from enlace.diaspora import services
from enlace.diaspora.models import Association

from .conftest import INTIPUCA, project_data

pytestmark = pytest.mark.django_db


def _add_associations(n: int, start: int) -> None:
    for i in range(start, start + n):
        office = Office.objects.create(
            name=f"Club {i}", kind="association", country_id="SV", host_country_id="US"
        )
        Association.objects.create(
            office=office,
            name=f"Club {i}",
            residence_country_id="US",
            residence_city="Houston",
            origin_country_id="SV",
            origin_municipality_id=INTIPUCA,
            focus_areas=["health"],
        )


def _count(client: Client, url: str) -> int:
    client.get(url)  # warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url", "budget", "who"),
    [
        ("/diaspora/", 12, None),
        ("/diaspora/?origin_country=SV&q=club", 12, None),
        ("/api/v1/associations/?origin_country=SV", 6, None),
        ("/diaspora/manage/", 14, "admin"),
    ],
)
def test_association_lists_do_not_grow_with_rows(dw, url, budget, who):
    client = Client()
    if who:
        client.force_login(getattr(dw, who).user)
    _add_associations(2, 100)  # every list shows rows (an empty one skips its page query)
    few = _count(client, url)
    _add_associations(5, 0)
    more = _count(client, url)
    assert few == more <= budget, (few, more)


def test_the_municipality_page_does_not_grow_with_projects(dw):
    client = Client()
    url = f"/diaspora/municipalities/{INTIPUCA}/"
    for i in range(2):
        services.project_create(actor=dw.rep, association=dw.own, data=project_data(title=f"P{i}"))
    few = _count(client, url)
    for i in range(5):
        services.project_create(
            actor=dw.other_rep,
            association=dw.other,
            data=project_data(title=f"Q{i}"),
            co_funding=[{"partner": "Municipio", "programme": "", "amount": "10"}],
        )
    more = _count(client, url)
    assert few == more <= 12, (few, more)


@pytest.mark.parametrize(
    ("page", "budget", "who"),
    [
        ("/diaspora/associations/{}/", 3, None),
        ("/api/v1/associations/{}/", 3, None),
        ("/api/v1/associations/{}/projects/", 4, None),
        ("/diaspora/manage/{}/", 11, "rep"),
    ],
)
def test_an_associations_projects_do_not_grow_with_rows(dw, page, budget, who):
    """An association's page, its API record and its projects, and its representative's edit
    page list its projects: the same queries for 2 projects as for 7 (the load test's
    journeys, issue 18)."""
    client = Client()
    if who:
        client.force_login(getattr(dw, who).user)
    url = page.format(dw.own.pk)
    for i in range(2):
        services.project_create(actor=dw.rep, association=dw.own, data=project_data(title=f"P{i}"))
    few = _count(client, url)
    for i in range(5):
        services.project_create(
            actor=dw.rep,
            association=dw.own,
            data=project_data(title=f"Q{i}"),
            co_funding=[{"partner": "Municipio", "programme": "", "amount": "10"}],
        )
    more = _count(client, url)
    assert few == more <= budget, (few, more)
