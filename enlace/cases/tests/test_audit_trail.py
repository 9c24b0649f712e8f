"""The audit trail in the reader's words (issue 10): translated actions, record names only as
far as the reader may see them, before → after, filters, pages and a CSV that is logged."""

import csv
import io
import re

import pytest
from django.conf import settings

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import SAME_COUNTRY
from enlace.audit.models import AccessEvent
from enlace.cases import services
from enlace.people import services as people_services

pytestmark = pytest.mark.django_db

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _login(client, world, role, relation=None):
    user = world.network.user(role, relation) if relation else world.network.user(role)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return user


def _visible_text(html):
    body = html[html.index("<main") :]
    return re.sub(r"<[^>]+>", " ", re.sub(r'href="[^"]*"', "", body))


def test_trail_speaks_the_readers_words(world, client):
    services.case_transition(
        actor=actor_for(world.network.user(Role.SUPERVISOR)),
        case=world.case,
        name="start_assessment",
    )
    _login(client, world, Role.SUPERVISOR)
    html = client.get("/audit/").content.decode()
    text = _visible_text(html)
    for action in ("Assessment started", "Case opened", "Person registered"):
        assert f"{action}</td>" in html
    assert f"Case: {world.case.reference}" in text
    assert "Person: Jesús Alberto Pérez Gómez" in text
    assert re.search(
        r"Status:\s*<span class=\"before\">Open</span> → <span class=\"after\">"
        r"Assessment</span>",
        html,
    )
    assert "cases.case" not in text and "case_open" not in text
    assert not UUID.search(text), "no internal ids shown"


def test_a_protected_name_stays_hidden_in_the_trail(world, client):
    officer = actor_for(world.network.user(Role.OFFICER))
    people_services.vulnerability_add(actor=officer, person=world.person, kind="trafficking_victim")
    people_services.person_update(
        actor=officer,
        person=world.person,
        version=None,
        data={"birth_place": "Tapachula"},
        nationalities=None,
    )
    _login(client, world, Role.NATIONAL_FOCAL_POINT, SAME_COUNTRY)
    resp = client.get("/audit/?record_type=people.person")
    html = resp.content.decode()
    assert resp.status_code == 200 and "Person edited" in html
    assert "Pérez" not in html and "Jesús" not in html and "Tapachula" not in html
    assert "Protected identity" in html
    csv_body = client.get("/audit/export.csv?record_type=people.person").content.decode()
    assert "Pérez" not in csv_body and "Tapachula" not in csv_body
    # the owner office's supervisor sees the name and the values
    _login(client, world, Role.SUPERVISOR)
    html = client.get("/audit/?record_type=people.person").content.decode()
    assert "Jesús Alberto Pérez Gómez" in html and "Tapachula" in html


def test_filters_pages_and_bad_filters(world, client):
    officer = actor_for(world.network.user(Role.OFFICER))
    for i in range(30):
        services.note_add(actor=officer, case=world.case, text=f"nota {i}")
    _login(client, world, Role.SUPERVISOR)
    html = client.get("/audit/?action=note_add").content.decode()
    assert html.count('<td data-label="Action">Note added</td>') == 25
    assert "Case opened</td>" not in html
    nxt = re.search(r'href="(\?[^"]*page=2[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "action=note_add" in nxt
    page2 = client.get("/audit/" + nxt).content.decode()
    assert page2.count("Note added</td>") == 5
    oldest_first = client.get("/audit/?action=note_add&sort=at").content.decode()
    assert 'aria-sort="ascending"' in oldest_first
    assert (
        client.get("/audit/?record_type=cases.case&action=case_open")
        .content.decode()
        .count("Case opened</td>")
        == 1
    )
    assert client.get("/audit/?action=nonsense").status_code == 400
    assert client.get("/audit/?since=2026-05-02&until=2026-05-01").status_code == 400
    assert client.get("/audit/?since=yesterday").status_code == 400
    assert client.get("/audit/export.csv?since=yesterday").status_code == 400
    assert client.get("/audit/?who=nobody-at-all").content.decode().count("Note added</td>") == 0


def test_csv_download_is_logged_as_an_export(world, client):
    user = _login(client, world, Role.SUPERVISOR)
    resp = client.get("/audit/export.csv")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(resp.content.decode())))
    assert rows[0][:4] == ["When", "Who", "Office", "Action"]
    names = {r[5] for r in rows[1:]}
    assert "Jesús Alberto Pérez Gómez" in names and world.case.reference in names
    exported = AccessEvent.objects.filter(actor=user, purpose="export")
    assert exported.filter(record_type="people.person", record_id=str(world.person.pk)).exists()


def test_record_history_names_the_record(world, client):
    _login(client, world, Role.SUPERVISOR)
    html = client.get(f"/audit/cases.case/{world.case.pk}/").content.decode()
    assert f"<strong>{world.case.reference}</strong>" in html
    assert "Case opened" in html and "cases.case" not in _visible_text(html)
