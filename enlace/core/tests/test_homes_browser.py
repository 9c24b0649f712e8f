"""Each role's home shows its own work (browser, demo data): the officer's cases, the
supervisor's team and approvals, the focal points' country, the analyst's regional table (no
person), the association's and the administrator's tasks. With ENLACE_SCREENSHOTS=<dir> each
home is also saved as home-<role>.png (docs/img)."""

import os

import pytest
from django.utils.translation import gettext, override

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS

pytestmark = [*BROWSER_TESTS, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo_cases(demo):
    from enlace.cases.demo import seed_demo_cases

    seed_demo_cases()


def _home(page, live_server, username, shot):
    """Log in, check the home fits a phone (375 px) without sideways scrolling, and (with
    ENLACE_SCREENSHOTS) save it at 1280 px in English; leave it at desktop width, in Spanish."""
    login(page, live_server, username)
    assert page.url.rstrip("/") == live_server.url
    folder = os.environ.get("ENLACE_SCREENSHOTS")
    cookie = {"name": "django_language", "url": live_server.url}
    if folder:
        page.context.add_cookies([{**cookie, "value": "en"}])
    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{username}'s home scrolls sideways on a phone: {width}px"
    if folder:
        page.screenshot(path=f"{folder}/{shot[:-4]}-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    if folder:
        page.reload()
        page.screenshot(path=f"{folder}/{shot}", full_page=True)
        page.context.add_cookies([{**cookie, "value": "es"}])
    page.reload()
    return page


def _card(page, card_id):
    return page.inner_text(f"#{card_id}")


def test_officer_home_shows_my_cases_and_overdue(page, live_server, demo_cases):
    from enlace.cases.models import Case

    _home(page, live_server, "oficial.mx", "home-officer.png")
    mine = _card(page, "my-cases")
    for case in Case.objects.filter(assigned_to__username="oficial.mx"):
        assert case.reference in mine
    overdue = Case.objects.get(reference__endswith="000002")  # the demo's overdue labour case
    assert overdue.reference in _card(page, "overdue")
    page.click(f"#overdue a:text('{overdue.reference}')")
    page.wait_for_selector("h1")
    assert page.url.endswith(f"/cases/{overdue.pk}/")


def test_supervisor_home_shows_approvals_and_team_workload(page, live_server, demo_cases):
    from enlace.accounts.actor import actor_for
    from enlace.accounts.models import User
    from enlace.cases import services
    from enlace.cases.models import Case

    officer = actor_for(User.objects.get(username="oficial.mx"))
    case = Case.objects.get(reference__endswith="000003")
    services.case_transition(
        actor=officer, case=case, name="request_closure", note="Reunido con su familia."
    )
    _home(page, live_server, "supervisor.mx", "home-supervisor.png")
    assert case.reference in _card(page, "approvals")
    team = page.inner_text("#team-workload tbody")
    assert "Lucía Hernández Ruiz\t3\t1" in team  # three open cases, one overdue
    page.click(f"#approvals a:text('{case.reference}')")
    page.wait_for_selector("h1")
    assert page.url.endswith(f"/cases/{case.pk}/")


def test_national_focal_point_home_shows_the_country_at_a_glance(page, live_server, demo_cases):
    from enlace.accounts.actor import actor_for
    from enlace.accounts.models import User
    from enlace.tracing import services as tracing_services

    shelter = actor_for(User.objects.get(username="albergue.mx"))
    for surname in ("Pérez", "Lara"):
        tracing_services.request_create(
            actor=shelter,
            data={
                "requester_name": "María Gómez Reyes",
                "requester_relation": "mother",
                "requester_consent": True,
                "first_surname": surname,
                "sex": "M",
                "approximate_age": 27,
            },
        )
    _home(page, live_server, "focal.mx", "home-focal-point.png")
    offices = page.inner_text("#country-offices tbody")
    assert "Consulado General de México en Los Ángeles" in offices
    row = page.inner_text("#country-offices tbody tr:has-text('Los Ángeles')")
    assert row.split("\t")[-2:] == ["3", "1"]  # open, overdue
    art36 = page.inner_text("#art36-delays tbody")
    assert "Los Ángeles\t1\t2\t0\t0" in art36  # one detention, notified after 2 days
    assert "Solicitada" in page.inner_text("#country-referrals")
    assert "En búsqueda\t2" in page.inner_text("#country-tracing")  # the shelter's two requests


def test_trafficking_focal_point_home_shows_only_trafficking_cases(page, live_server, demo_cases):
    from enlace.accounts.actor import actor_for
    from enlace.accounts.models import User
    from enlace.cases import services
    from enlace.cases.models import Case
    from enlace.people import services as people_services

    officer = actor_for(User.objects.get(username="oficial.mx"))
    person = people_services.person_create(
        actor=officer,
        data={"given_names": "Karla", "first_surname": "Reyes", "sex": "F"},
        nationalities=["MX"],
    )
    trafficking = services.case_open(
        actor=officer, person=person, case_type="possible_trafficking", summary="Captada en línea."
    )
    _home(page, live_server, "trata.mx", "home-trafficking.png")
    latest = _card(page, "my-cases")
    assert trafficking.reference in latest and "Karla Reyes" in latest
    for other in Case.objects.exclude(pk=trafficking.pk):
        assert other.reference not in page.inner_text("main")
    assert page.query_selector("#country-offices") is None  # no national overview


def test_analyst_home_shows_regional_aggregates_and_no_person(page, live_server, demo_cases):
    from enlace.indicators.slots import publish_demo
    from enlace.people.models import Person

    publish_demo()  # as `make run` does (seed_demo): the demo's quarter, published
    _home(page, live_server, "analista", "home-analyst.png")
    table = page.inner_text("#regional-cases")
    # Every demo cell counts fewer than ten persons (no cell of the demo's table reaches ten,
    # measured: not a suppression choice): the published release shows none of them, nor a
    # column of them, and says so (the table with publishable volumes is tested in
    # enlace/indicators/tests/test_home_panels.py).
    with override("es"):
        assert gettext("No figure of the region can be shown yet.") in table
        assert (  # published (the demo's quarter), not "nothing published yet"
            gettext(
                "No figures from Enlace's records are published yet: a quarter's figures are "
                "published once it is over."
            )
            not in table
        )
    assert "México" not in table and "Guatemala" not in table
    main = page.inner_text("main")
    for person in Person.objects.all():
        assert person.first_surname not in main
    links = page.eval_on_selector_all("main a", "els => els.map(a => a.getAttribute('href'))")
    assert not [h for h in links if h.startswith(("/cases/", "/people/"))]


def test_association_home_shows_its_association_and_tasks(page, live_server, demo_cases):
    _home(page, live_server, "asociacion", "home-association.png")
    card = _card(page, "association-tasks")
    assert "Federación de Clubes Zacatecanos del Sur de California" in card
    assert card.count("1") >= 1
    page.click("#association-tasks a[href$='/members/']")
    page.wait_for_selector("h1")
    assert "/members/" in page.url
    assert "Rosa" in page.inner_text("main")


def test_administrator_home_links_their_tasks(page, live_server, demo_cases):
    from enlace.accounts.models import Office

    _home(page, live_server, "admin", "home-admin.png")
    card = _card(page, "admin-tasks")
    active = Office.objects.filter(is_active=True)
    assert str(active.count()) in card
    unstaffed = active.exclude(memberships__is_active=True).count()
    assert unstaffed > 0 and f": {unstaffed}" in card  # the demo has offices with no one in them
    for href in ("/accounts/offices/", "/audit/", "/jobs/"):
        assert page.query_selector(f"#admin-tasks a[href='{href}']") is not None, href
    page.click("#admin-tasks a[href='/audit/']")
    page.wait_for_selector("h1")
    assert page.url.endswith("/audit/")
    page.go_back()
    page.wait_for_selector("#admin-tasks")
    with page.expect_navigation():
        page.click("#admin-tasks button")
    assert "/jobs/" in page.url
