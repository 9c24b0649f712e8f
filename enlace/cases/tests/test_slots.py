"""The cases app fills the home dashboard and the person page through slots (core and people
do not import cases); what each actor sees there is what the firewall lets them see."""

from django.test import Client

from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE


def _get(world, role, url, relation=OWN_OFFICE):
    client = Client()
    client.force_login(world.network.user(role, relation))
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_home_dashboard_lists_the_officers_cases(world):
    html = _get(world, Role.OFFICER, "/")
    mine = html.split('id="my-cases"', 1)[1].split("</section>", 1)[0]
    assert f'href="/cases/{world.case.pk}/"' in mine  # assigned to the officer who opened it
    assert 'href="/cases/referrals/?direction=in"' not in html  # nothing waits to be accepted


def test_home_dashboard_shows_referrals_received_to_the_receiving_office(world):
    world.referral.status = "requested"
    world.referral.save()
    html = _get(world, Role.OFFICER, "/", relation="referred_in")
    assert 'href="/cases/referrals/?direction=in"' in html
    assert world.case.reference in html


def test_supervisor_sees_what_waits_for_approval_and_the_officer_does_not(world):
    world.case.status = "assessment"
    world.case.save()
    supervisor = _get(world, Role.SUPERVISOR, "/")
    approvals = supervisor.split('id="approvals"', 1)[1].split("</section>", 1)[0]
    assert f'href="/cases/{world.case.pk}/"' in approvals
    assert 'id="approvals"' not in _get(world, Role.OFFICER, "/")


def test_roles_without_cases_get_no_case_cards(world):
    for role in (Role.ANALYST, Role.ADMINISTRATOR, Role.ASSOCIATION_REP):
        html = _get(world, role, "/")
        assert 'id="my-cases"' not in html
        assert "/cases/" not in html


def test_person_page_shows_the_cases_panel_and_the_open_button_to_the_owner(world):
    url = f"/people/{world.person.pk}/"
    owner = _get(world, Role.OFFICER, url)
    assert f'href="/cases/{world.case.pk}/"' in owner
    assert f'href="/cases/new/?person={world.person.pk}"' in owner
    focal_point = _get(world, Role.NATIONAL_FOCAL_POINT, url)
    assert f'href="/cases/{world.case.pk}/"' in focal_point
    assert "/cases/new/" not in focal_point


def test_person_panel_lists_only_cases_the_actor_may_see(world):
    """The receiving office sees the referred case; an unrelated office sees no page at all."""
    html = _get(world, Role.OFFICER, f"/people/{world.person.pk}/", relation="referred_in")
    assert f'href="/cases/{world.case.pk}/"' in html
    assert "/cases/new/" not in html
    client = Client()
    client.force_login(world.network.user(Role.OFFICER, OTHER_COUNTRY))
    assert client.get(f"/people/{world.person.pk}/").status_code == 404
