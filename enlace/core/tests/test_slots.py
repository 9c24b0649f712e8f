"""Slots: the navigation is built from what the apps register, each item with its own
visibility rule, and a module adds a panel to a page without the page knowing it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from enlace.accounts.models import Role
from enlace.core import slots

NAV = re.compile(r'<nav aria-label="[^"]*" class="mainnav">(.*?)</nav>', re.S)

# Good practices (enlace.practices): every member of an office shares its practices; the
# indicators (enlace.indicators, "Migration in figures") are public figures for everyone.
EVERYONE = [
    "/",
    "/inbox/",
    "/practices/mine/",
    "/accounts/offices/",
    "/indicators/",
    "/jobs/",
    "/help/",
]
# The links each role had in the hand-written navigation: the registry keeps them.
EXPECTED = {
    # Returns (enlace.returns): office staff and national focal points.
    Role.OFFICER: [
        "/",
        "/cases/",
        "/people/",
        "/cases/referrals/",
        "/tracing/",
        "/trafficking/",
        "/returns/",
        "/forums/",
        "/portal/triage/",  # requests from the public portal, to triage
        "/privacy/requests/",  # data-protection rights requests of the office
    ],
    Role.SUPERVISOR: [
        "/",
        "/cases/",
        "/people/",
        "/cases/referrals/",
        "/tracing/",
        "/trafficking/",
        "/returns/",
        "/forums/",
        "/portal/triage/",
        "/audit/",
        "/privacy/requests/",
        "/privacy/breaches/",
    ],
    # Trafficking alerts: national focal points see their country's escalated ones.
    Role.NATIONAL_FOCAL_POINT: [
        "/",
        "/cases/",
        "/people/",
        "/trafficking/",
        "/trafficking/alerts/",
        "/returns/",
        "/forums/",
        "/audit/",
        "/remittances/quotes/",
        "/privacy/breaches/",
    ],
    Role.TRAFFICKING_FOCAL_POINT: [
        "/",
        "/cases/",
        "/people/",
        "/trafficking/",
        "/trafficking/alerts/",
        "/forums/",
    ],
    # Forums (enlace.forums): every staff role reads them; association representatives do not.
    # Data protection (enlace.privacy): office staff work rights requests; approvers, national
    # focal points, administrators and analysts read the breach register.
    Role.ANALYST: ["/", "/forums/", "/privacy/breaches/"],
    # Diaspora (enlace.diaspora): representatives manage their association, administrators
    # moderate every association.
    Role.ASSOCIATION_REP: ["/", "/diaspora/manage/"],
    # Remittances (enlace.remittances): national focal points correct their country's quotes,
    # the secretariat's analysts and administrators every quote (this network's analyst works in
    # a consulate, not the secretariat).
    Role.ADMINISTRATOR: [
        "/",
        "/forums/",
        "/audit/",
        "/diaspora/manage/",
        "/remittances/quotes/",
        "/privacy/breaches/",
    ],
}


def _nav_links(client: Client) -> list[str]:
    html = client.get("/").content.decode()
    match = NAV.search(html)
    assert match, "the page has no main navigation"
    return re.findall(r'href="([^"]+)"', match.group(1))


@pytest.mark.parametrize("role", list(Role))
def test_navigation_shows_each_role_what_the_apps_allow_it(network, role):
    client = Client()
    client.force_login(network.user(role))
    links = _nav_links(client)
    want = EXPECTED[role] + [u for u in EVERYONE if u != "/"]
    assert sorted(links) == sorted(set(want))
    assert links[0] == "/"  # home first, in the registered order
    assert links[-1] == "/help/"


def test_anonymous_pages_have_no_navigation(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert not NAV.search(html)


@pytest.fixture
def guest_template(settings, tmp_path):
    """A template directory of a module that core and cases know nothing about."""
    folder = tmp_path / "guest"
    folder.mkdir()
    (folder / "_panel.html").write_text('<section id="guest-panel">{{ note }}</section>')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    return "guest/_panel.html"


@pytest.fixture
def guest_panel(guest_template):
    seen = []

    def context(request, obj):
        seen.append(obj)
        if request.actor.role != Role.SUPERVISOR:
            return None  # the panel decides who sees it
        return {"note": f"guest for {request.actor.user.username}"}

    slots.register_panel(slots.HOME, slots.Panel("guest", guest_template, context))
    yield seen
    del slots._PANELS[slots.HOME]["guest"]


def test_a_module_adds_a_home_panel_for_the_actors_it_chooses(network, guest_panel):
    client = Client()
    client.force_login(network.user(Role.SUPERVISOR))
    html = client.get("/").content.decode()
    assert '<section id="guest-panel">guest for supervisor.own_office</section>' in html
    client.force_login(network.user(Role.OFFICER))
    assert "guest-panel" not in client.get("/").content.decode()
    assert guest_panel == [None, None]  # the home page has no record


def test_an_unknown_slot_is_refused():
    with pytest.raises(ValueError, match="unknown slot"):
        slots.register_panel("sidebar", slots.Panel("x", "x.html", lambda r, o: {}))
