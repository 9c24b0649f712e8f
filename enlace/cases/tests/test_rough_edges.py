"""Rough edges of the case pages (issue 10): a stale edit shows what changed and keeps the
input, /cases/new/ without a person, the workflow card and what closing a case does."""

import re

import pytest
from django.utils import translation

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.cases import services
from enlace.cases.models import Case, Referral
from enlace.core.errors import ValidationFailed

from .conftest import REFERRED_IN

pytestmark = pytest.mark.django_db


def _english(client):
    """New messages are checked in English: the catalogues are regenerated after the merge."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _revoked_items(office):
    from enlace.inbox.models import Item, Kind

    return Item.objects.filter(office=office, kind=Kind.REFERRAL_REVOKED).count()


def _officer(world):
    return actor_for(world.network.user(Role.OFFICER))


def _supervisor(world):
    return actor_for(world.network.user(Role.SUPERVISOR))


@pytest.mark.parametrize("htmx", [False, True])
def test_stale_case_edit_keeps_input_and_shows_what_changed(world, client, htmx):
    case = world.case
    old_version = case.version
    # Someone else saves first: the summary and the risk level change.
    services.case_update(
        actor=_supervisor(world),
        case=case,
        version=old_version,
        data={"summary": "Guardado por otra persona", "risk_level": "high"},
    )
    client.force_login(world.network.user(Role.OFFICER))
    _english(client)
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    resp = client.post(
        f"/cases/{case.pk}/edit/",
        {"summary": "Mi texto nuevo", "risk_level": "high", "version": old_version},
        **extra,
    )
    html = resp.content.decode()
    assert resp.status_code == 409
    assert "Mi texto nuevo" in html  # the user's input is kept in the form
    assert "Nothing of yours is saved yet" in html
    row = re.search(r'<tr data-field="summary">(.*?)</tr>', html, re.S)
    assert row and "Mi texto nuevo" in row.group(1) and "Guardado por otra persona" in row.group(1)
    assert 'data-field="risk_level"' not in html  # the same on both sides: not a conflict
    # The form now carries the current version: saving again keeps the user's text.
    current = Case.objects.get(pk=case.pk).version
    assert f'name="version" value="{current}"' in html
    again = client.post(
        f"/cases/{case.pk}/edit/",
        {"summary": "Mi texto nuevo", "risk_level": "high", "version": current},
    )
    assert again.status_code == 302
    assert Case.objects.get(pk=case.pk).summary == "Mi texto nuevo"


def test_htmx_swaps_400_and_409(client, world):
    client.force_login(world.network.user(Role.OFFICER))
    html = client.get(f"/cases/{world.case.pk}/").content.decode()
    config = re.search(r'name="htmx-config" content=\'([^\']+)\'', html).group(1)
    import json

    handling = json.loads(config)["responseHandling"]
    swapped = next(r for r in handling if "409" in r["code"])
    assert swapped["swap"] is True
    # the first rule that matches 409 is the one that swaps
    assert next(r for r in handling if re.fullmatch(r["code"], "409")) is swapped


def test_stale_person_edit_shows_what_changed(world, client):
    from enlace.people import services as people_services

    person = world.person
    old = person.version
    people_services.person_update(
        actor=_supervisor(world),
        person=person,
        version=old,
        data={"birth_place": "Oaxaca"},
        nationalities=None,
    )
    client.force_login(world.network.user(Role.OFFICER))
    resp = client.post(
        f"/people/{person.pk}/edit/",
        {
            "given_names": "Jesús Alberto",
            "first_surname": "Pérez",
            "second_surname": "Gómez",
            "sex": "M",
            "birth_date": "1999",
            "birth_place": "Puebla",
            "nationalities": ["MX"],
            "phone": "+1 213 555 0143",
            "migratory_status": "temporary_protection",
            "version": old,
        },
    )
    html = resp.content.decode()
    assert resp.status_code == 409
    row = re.search(r'<tr data-field="birth_place">(.*?)</tr>', html, re.S)
    assert row and "Puebla" in row.group(1) and "Oaxaca" in row.group(1)
    assert 'value="Puebla"' in html


def test_stale_workflow_step_keeps_the_note(world, client):
    client.force_login(world.network.user(Role.OFFICER))
    _english(client)
    old = world.case.version
    services.case_transition(actor=_supervisor(world), case=world.case, name="start_assessment")
    resp = client.post(
        f"/cases/{world.case.pk}/steps/request_closure/",
        {"note": "Persona liberada", "version": old},
    )
    html = resp.content.decode()
    assert resp.status_code == 409
    assert "Persona liberada</textarea>" in html
    assert "Assessment" in html  # says what the case is now


def test_new_case_without_a_person_sends_to_people_search(world, client):
    client.force_login(world.network.user(Role.OFFICER))
    _english(client)
    resp = client.get("/cases/new/", follow=True)
    assert resp.redirect_chain == [("/people/", 302)]
    assert "find the person" in resp.content.decode()
    assert client.get("/cases/new/?person=not-a-uuid").status_code == 404


def test_workflow_card_puts_each_note_with_its_step(world, client):
    client.force_login(world.network.user(Role.SUPERVISOR))
    html = client.get(f"/cases/{world.case.pk}/").content.decode()
    for name in ("request_closure", "approve_closure"):
        form = re.search(rf"<form[^>]*steps/{name}/[^>]*>(.*?)</form>", html, re.S).group(1)
        assert f'id="note-{name}"' in form and "<legend>" in form
    start = re.search(r"<form[^>]*steps/start_assessment/[^>]*>(.*?)</form>", html, re.S)
    assert "<textarea" not in start.group(1)


def test_closure_request_shows_as_such_in_the_timeline(world, client):
    services.case_transition(
        actor=_officer(world), case=world.case, name="request_closure", note="Resuelto"
    )
    client.force_login(world.network.user(Role.OFFICER))
    _english(client)
    html = client.get(f"/cases/{world.case.pk}/").content.decode()
    timeline = html[html.index('class="timeline"') :]
    assert "<strong>Closure requested</strong>" in timeline
    assert "<strong>Open</strong>" not in timeline
    with translation.override("en"):
        assert world.case.transitions.get(name="request_closure").event_label == (
            "Closure requested"
        )


def test_closing_makes_the_art36_log_read_only_and_ends_referrals(world, client):
    services.detention_log_set(
        actor=_officer(world), case=world.case, data={"arrest_date": "2026-01-02"}
    )
    waiting_office = world.network.offices[REFERRED_IN]  # already accepted; add a waiting one
    other = world.network.offices["referred_revoked"]
    waiting = services.referral_create(
        actor=_supervisor(world), case=world.case, to_office=other, purpose="Otra", consent=True
    )
    revoked_before = _revoked_items(other)
    case = services.case_transition(
        actor=_supervisor(world), case=world.case, name="approve_closure", note="Resuelto"
    )
    world.referral.refresh_from_db()
    waiting.refresh_from_db()
    assert world.referral.to_office == waiting_office
    assert world.referral.status == Referral.Status.DONE
    assert waiting.status == Referral.Status.REVOKED
    # the office that was still to answer is told the referral is withdrawn
    assert _revoked_items(other) == revoked_before + 1
    # the office that had accepted is told the case was closed, by reference only
    from enlace.inbox.models import Item, Kind
    from enlace.inbox.present import title

    closed = Item.objects.get(office=waiting_office, kind=Kind.REFERRAL_CASE_CLOSED)
    with translation.override("en"):
        assert title(closed).endswith(
            f"closed case {case.reference}: your office's work on the referral is finished"
        )
    assert str(case.pk) not in closed.link
    with pytest.raises(ValidationFailed) as exc:
        services.detention_log_set(
            actor=_officer(world), case=case, data={"arrest_date": "2026-01-03"}
        )
    assert "case" in exc.value.errors
    client.force_login(world.network.user(Role.OFFICER))
    _english(client)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/detention/" not in page
    resp = client.post(f"/cases/{case.pk}/detention/", {"arrest_date": "2026-01-04"})
    assert resp.status_code == 400 and "Reopen the case to correct it" in resp.content.decode()
    assert str(case.detention.arrest_date) == "2026-01-02"
    # The receiving office can no longer add to the case.
    receiving = actor_for(world.network.user(Role.OFFICER, REFERRED_IN))
    from django.http import Http404

    with pytest.raises(Http404):
        services.note_add(actor=receiving, case=case, text="tarde")
