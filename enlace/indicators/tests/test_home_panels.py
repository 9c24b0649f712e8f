"""The analysts' and focal points' home panels read their figures from the year's stored
release (moved here from cases/tests/test_home_aggregates.py, keeping what it checked: persons,
not cases; no cell below 10; the same figures until the release is computed again; officers get
no such table; the analyst's home never shows a person)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone, translation

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY
from enlace.cases import services
from enlace.cases.models import Case
from enlace.indicators import panels
from enlace.indicators.releases import publish
from enlace.people import services as people_services


@pytest.fixture(autouse=True)
def _spanish():
    with translation.override("es"):
        yield


def _cases(actor, persons, case_type, per_person=1):
    for n in range(persons):
        person = people_services.person_create(
            actor=actor,
            data={"given_names": f"Zuleika{case_type}{n}", "first_surname": "Quetzalpilli"},
            nationalities=["MX"],
        )
        for _ in range(per_person):
            services.case_open(actor=actor, person=person, case_type=case_type, summary="x")


def _guatemala_too(network, persons=10):
    """Ten persons in Guatemala too: were Mexico alone, the region total would equal Mexico's
    and Guatemala's zero (suppressed, like every cell under 10: core.disclosure) would need a
    partner in the line, Mexico itself."""
    _cases(actor_for(network.user(Role.OFFICER, OTHER_COUNTRY)), persons, "detention")


def _publish(year=None):
    """The year's release as the daily job publishes it once the year is over."""
    year = year or timezone.localdate().year
    return publish(year, "suppression", today=dt.date(year + 1, 1, 1))


def _mexico(table):
    row = next(r for r in table["countries"] if r["name"] == "México")
    return [str(c) for c in row["cells"]]


def test_regional_table_counts_persons_and_hides_cells_below_ten(network):
    officer = actor_for(network.user(Role.OFFICER))
    year = timezone.localdate().year
    _guatemala_too(network)
    _cases(officer, 9, "detention")
    _cases(officer, 1, "labour", per_person=12)  # twelve cases, one person: still below 10
    assert panels.regional_table(year)["not_published"]  # nothing until the job publishes
    _publish(year)
    assert set(_mexico(panels.regional_table(year))) == {"<10"}
    _cases(officer, 1, "detention")  # the tenth person, entered once the period is published
    _publish(year)
    assert set(_mexico(panels.regional_table(year))) == {"<10"}  # published figures never change
    table = panels.regional_table(year)
    assert all(c.startswith("<") for c in _mexico(table))
    request = type("R", (), {"actor": officer})()
    assert panels.home_regional(request, None) is None  # officers get no such table


def test_analyst_home_shows_the_region_and_never_a_person(network):
    officer = actor_for(network.user(Role.OFFICER))
    _cases(officer, 10, "detention")
    _guatemala_too(network)
    _publish()
    client = Client()
    client.force_login(network.user(Role.ANALYST))
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    region = html.split('id="regional-cases"', 1)[1].split("</section>", 1)[0]
    assert ">10<" in region  # ten persons with a detention case in Mexico
    assert "Zuleika" not in html and "Quetzalpilli" not in html
    assert 'href="/cases/' not in html and 'href="/people/' not in html
    for case in Case.objects.all():
        assert case.reference not in html


def test_focal_point_home_shows_the_offices_and_the_protected_figures(network):
    officer = actor_for(network.user(Role.OFFICER))
    _cases(officer, 12, "detention")
    _guatemala_too(network)
    _publish()
    client = Client()
    client.force_login(network.user(Role.NATIONAL_FOCAL_POINT))
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="country-offices"' in html
    figures = html.split('id="protection-figures"', 1)[1].split("</section>", 1)[0]
    assert 'data-flag="rounded">10<' in figures  # 12 persons, rounded to 10
    assert "Zuleika" not in figures  # (other panels may list the focal point's cases)
