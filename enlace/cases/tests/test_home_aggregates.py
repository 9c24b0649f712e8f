"""The home page's aggregates: team workload and the country at a glance (the analysts'
regional table reads enlace.indicators' releases: indicators/tests/test_home_panels.py)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone, translation

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OWN_OFFICE, make_user
from enlace.cases import selectors, services
from enlace.cases.models import Case, DetentionLog
from enlace.core.disclosure import DISCLOSURE_THRESHOLD, disclosed
from enlace.people import services as people_services


@pytest.fixture(autouse=True)
def _spanish():
    """Country names as a Spanish reader reads them, whatever an earlier test left active."""
    with translation.override("es"):
        yield


def _person(actor, n):
    return people_services.person_create(
        actor=actor,
        data={"given_names": f"Zuleika{n}", "first_surname": "Quetzalpilli", "sex": "F"},
        nationalities=["MX"],
    )


def _cases(actor, persons, case_type, per_person=1):
    for n in range(persons):
        person = _person(actor, f"{case_type}{n}")
        for _ in range(per_person):
            services.case_open(actor=actor, person=person, case_type=case_type, summary="x")


def test_a_cell_is_shown_from_the_threshold_up():
    assert DISCLOSURE_THRESHOLD == 10
    assert str(disclosed(9)) == "<10" and disclosed(9).suppressed
    assert str(disclosed(10)) == "10" and not disclosed(10).suppressed
    assert str(disclosed(0)) == "<10"


def test_team_workload_counts_open_and_overdue_per_officer(network):
    officer = actor_for(network.user(Role.OFFICER))
    supervisor = actor_for(network.user(Role.SUPERVISOR))
    second = actor_for(make_user("second.officer", network.offices[OWN_OFFICE], Role.OFFICER))
    _cases(officer, 3, "detention")
    _cases(second, 1, "labour")
    Case.objects.filter(assigned_to=officer.user).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    rows = {
        r["officer"]: (r["open"], r["overdue"]) for r in selectors.team_workload(actor=supervisor)
    }
    assert rows[officer.user.username] == (3, 3)  # test users have no name
    assert rows["second.officer"] == (1, 0)
    assert selectors.team_workload(actor=officer) == []
    client = Client()
    client.force_login(supervisor.user)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    team = html.split('id="team-workload"', 1)[1].split("</section>", 1)[0]
    assert "second.officer" in team


def test_country_overview_counts_offices_types_and_art36_delays(network):
    officer = actor_for(network.user(Role.OFFICER))
    focal = actor_for(network.user(Role.NATIONAL_FOCAL_POINT, OWN_OFFICE))
    _cases(officer, 4, "detention")
    _cases(officer, 2, "labour")
    arrest = datetime.date(2026, 11, 1)
    for case, days in zip(Case.objects.filter(case_type="detention"), (1, 2, 5, None), strict=True):
        notified = None if days is None else arrest + datetime.timedelta(days=days)
        DetentionLog.objects.create(case=case, arrest_date=arrest, notified_on=notified)
    overview = selectors.country_overview(actor=focal)
    office = overview["offices"][0]
    assert office["open"] == 6
    assert sorted(office["cells"]) == [2, 4]
    (art36,) = overview["art36"]
    assert (art36["logs"], art36["late"], art36["pending"], art36["median"]) == (4, 1, 1, 2)
    assert selectors.country_overview(actor=officer) is None
