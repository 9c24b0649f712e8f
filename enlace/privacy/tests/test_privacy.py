"""Rights requests, anonymisation, the consent ledger, the retention purge and the breach
register (enlace.privacy), through their services and pages."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, SAME_COUNTRY
from enlace.audit.models import ChangeEvent
from enlace.cases import services as case_services
from enlace.cases.models import Case, CaseNote
from enlace.core.errors import TransitionNotAllowed
from enlace.inbox.models import Item
from enlace.inbox.models import Kind as InboxKind
from enlace.people import services as people_services
from enlace.people.models import Person
from enlace.people.selectors import person_list
from enlace.portal.services import request_consent_withdraw, request_submit
from enlace.privacy import services
from enlace.privacy.models import Breach, ConsentEvent, RequestStatus, RightsRequest
from enlace.privacy.selectors import consent_ledger, consent_state

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _person(network, given="Wenceslao", surname="Ixcamparij", **extra) -> Person:
    officer = actor_for(network.user(Role.OFFICER))
    return people_services.person_create(
        actor=officer,
        data={"given_names": given, "first_surname": surname, "second_surname": "Tzoc", **extra},
    )


def _request(network, person, kind="access", received=None, country="MX") -> RightsRequest:
    return services.rights_request_record(
        actor=actor_for(network.user(Role.OFFICER)),
        person=person,
        kind=kind,
        law_country=country,
        received_on=received or timezone.localdate(),
    )


# ------------------------------------------------------------------ rights requests


def test_recording_a_request_computes_its_deadline_and_tells_the_office(network):
    person = _person(network)
    friday = dt.date(2026, 10, 2)
    request = _request(network, person, kind="rectification", received=friday, country="CO")
    assert request.due_on == dt.date(2026, 10, 26)
    assert "Ley 1581" in request.legal_source
    item = Item.objects.get(kind=InboxKind.PRIVACY_REQUEST)
    assert item.office == network.offices["own_office"]
    assert "Ixcamparij" not in json.dumps(item.params)  # no name in the inbox
    assert ChangeEvent.objects.filter(action="rights_request_record").count() == 1


def test_only_the_office_holding_the_person_records_a_request(network):
    person = _person(network)
    other = actor_for(network.user(Role.OFFICER, SAME_COUNTRY))
    with pytest.raises(Exception) as exc:
        services.rights_request_record(actor=other, person=person, kind="access", law_country="MX")
    assert exc.typename == "Http404"
    assert not RightsRequest.objects.exists()


def test_queue_is_sorted_by_due_date_flags_overdue_and_keeps_filters_in_pagination(
    network, settings
):
    person = _person(network)
    today = timezone.localdate()
    late = _request(network, person, received=today - dt.timedelta(days=60))
    soon = _request(network, person, kind="rectification", received=today, country="AR")
    later = _request(network, person, received=today)
    other_person = _person(network, given="Otro")
    _request(network, other_person, kind="deletion")
    client = _client(network.user(Role.OFFICER))
    with translation.override("en"):
        body = client.get(reverse("privacy:request_list"), {"kind": "access"}).content.decode()
        overdue = gettext("Overdue")
    refs = [services.short_reference(r) for r in (late, later)]
    assert body.index(refs[0]) < body.index(refs[1])
    assert services.short_reference(soon) not in body  # filtered out: a rectification
    assert body.count(f"{overdue}</span>") == 1
    assert "overdue" in body.split(refs[0])[0].rsplit("<tr", 1)[1]
    # Filters kept in the page links.
    for i in range(30):
        _request(network, other_person, received=today - dt.timedelta(days=i))
    body = client.get(reverse("privacy:request_list"), {"kind": "access"}).content.decode()
    assert 'rel="next"' in body
    next_link = body.split('rel="next"')[0].rsplit('href="', 1)[1]
    assert "kind=access" in next_link and "page=2" in next_link
    # Another office's officer sees none of them; a national focal point has no queue.
    other = _client(network.user(Role.OFFICER, OTHER_COUNTRY))
    assert refs[0] not in other.get(reverse("privacy:request_list")).content.decode()
    nfp = _client(network.user(Role.NATIONAL_FOCAL_POINT))
    assert nfp.get(reverse("privacy:request_list")).status_code == 404


def test_answering_an_access_request_exports_the_person_without_the_migratory_status(network):
    person = _person(network, migratory_status="irregular", phone="+1 213 555 0100")
    officer = actor_for(network.user(Role.OFFICER))
    consent = people_services.consent_record(
        actor=officer, person=person, purpose="case_management", notice_language="es"
    )
    case_services.case_open(
        actor=officer, person=person, case_type="detention", summary="Detenido en Fresno"
    )
    request = _request(network, person)
    client = _client(network.user(Role.OFFICER))
    response = client.post(reverse("privacy:request_answer", args=[request.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    export = json.loads(response.content)
    assert export["person"]["full_name"] == "Wenceslao Ixcamparij Tzoc"
    assert export["person"]["phone"] == "+12135550100"
    assert "migratory_status" not in export["person"]
    assert "irregular" not in response.content.decode()
    assert export["cases"][0]["summary"] == "Detenido en Fresno"
    assert export["consents"] == [
        {
            "purpose": "case_management",
            "action": "given",
            "on": str(consent.given_on),
            "source": "officer",
        }
    ]
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.closed_by is not None
    # Answered once: a second answer is refused.
    with pytest.raises(TransitionNotAllowed):
        services.rights_request_answer(actor=officer, request=request)


def test_reject_needs_a_reason_and_closes_the_request(network):
    request = _request(network, _person(network))
    client = _client(network.user(Role.OFFICER))
    url = reverse("privacy:request_reject", args=[request.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "No es la persona"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED and request.reason == "No es la persona"


def test_anonymising_removes_the_identity_everywhere_it_is_shown(network):
    person = _person(network, other_names="Wencho", phone="+1 213 555 0199", email="w@example.com")
    officer = actor_for(network.user(Role.OFFICER))
    case = case_services.case_open(
        actor=officer,
        person=person,
        case_type="detention",
        summary="Wenceslao Ixcamparij fue detenido; su madre busca a Wencho.",
    )
    # Names retyped in free text as people do: lower case, upper case, an accent added or lost.
    case_services.note_add(
        actor=officer, case=case, text="Llamó ixcamparij desde Fresno; WENCESLÁO IXCÁMPARIJ"
    )
    people_services.person_update(
        actor=officer, person=person, version=person.version, data={"second_surname": "Tzul"}
    )
    assert person_list(actor=officer, search="Ixcamparij").filter(pk=person.pk).exists()
    request = _request(network, person, kind="deletion")
    # An officer may not anonymise; the office's supervisor does.
    url = reverse("privacy:request_anonymise", args=[request.pk])
    assert _client(network.user(Role.OFFICER)).post(url).status_code == 404
    supervisor = _client(network.user(Role.SUPERVISOR))
    assert supervisor.post(url).status_code == 302
    person.refresh_from_db()
    request.refresh_from_db()
    assert request.status == RequestStatus.ANONYMISED
    assert request.counts["fields"] >= 5 and request.counts["case_texts"] == 2
    assert person.given_names == people_services.ANONYMISED_NAME
    assert (person.first_surname, person.phone, person.email, person.other_names) == ("",) * 4
    # Search no longer finds them, by any of their names.
    for word in ("Ixcamparij", "Wenceslao", "Wencho", "Tzul"):
        assert not person_list(actor=officer, search=word).exists(), word
    # Pages: the person, the case, the people list searched, the change history.
    texts = [
        supervisor.get(reverse("people:detail", args=[person.pk])).content.decode(),
        supervisor.get(reverse("cases:detail", args=[case.pk])).content.decode(),
    ]
    # The list searched by a former name: the person is not in it (the query is echoed).
    found = supervisor.get(reverse("people:list"), {"q": "Ixcamparij"}).content.decode()
    assert str(person.pk) not in found
    history = ChangeEvent.objects.filter(record_id__in=[str(person.pk), str(case.pk)])
    texts.append(json.dumps(list(history.values_list("changes", flat=True))))
    texts.append(Case.objects.get(pk=case.pk).summary + CaseNote.objects.get(case=case).text)
    for text in texts:
        for word in ("ixcamparij", "ixcámparij", "wenceslao", "wencesláo", "wencho", "tzul"):
            assert word not in text.casefold()
        assert "555 0199" not in text
    assert ChangeEvent.objects.filter(action="person_anonymise", record_id=str(person.pk)).exists()


def test_rectification_links_to_the_person_edit_and_closes_with_a_note(network):
    person = _person(network)
    request = _request(network, person, kind="rectification")
    client = _client(network.user(Role.OFFICER))
    page = client.get(reverse("privacy:request_detail", args=[request.pk])).content.decode()
    assert reverse("people:edit", args=[person.pk]) in page
    url = reverse("privacy:request_rectified", args=[request.pk])
    assert client.post(url, {"note": "Apellido corregido"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.RECTIFIED


def test_reminders_are_made_once_a_day_for_requests_due_soon_and_breaches(network):
    person = _person(network)
    today = timezone.localdate()
    due = _request(network, person, received=today - dt.timedelta(days=40))
    _request(network, person, received=today)  # 20 working days away: not yet
    Item.objects.all().delete()
    made = services.requests_remind(today=today)
    assert made == 1
    assert services.requests_remind(today=today) == 0
    item = Item.objects.get(kind=InboxKind.PRIVACY_REQUEST_DUE)
    assert item.params["reference"] == services.short_reference(due)
    call_command("privacy_remind", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Item.objects.filter(kind=InboxKind.PRIVACY_REQUEST_DUE).count() == 1


# ------------------------------------------------------------------ consent ledger


def test_consents_given_and_withdrawn_are_appended_to_the_ledger(network):
    person = _person(network)
    officer = actor_for(network.user(Role.OFFICER))
    consent = people_services.consent_record(
        actor=officer, person=person, purpose="referral", notice_language="es"
    )
    assert consent_state(consent_ledger(person_id=person.pk)) == {"referral": "given"}
    people_services.consent_revoke(actor=officer, consent=consent)
    lines = list(consent_ledger(person_id=person.pk))
    assert [(e.action, e.source, e.by_id) for e in lines] == [
        ("given", "officer", officer.user.pk),
        ("withdrawn", "officer", officer.user.pk),
    ]
    assert consent_state(lines) == {"referral": "withdrawn"}
    # A new consent for the purpose: given again, and the old lines are still there.
    people_services.consent_record(
        actor=officer, person=person, purpose="referral", notice_language="es"
    )
    assert consent_state(consent_ledger(person_id=person.pk)) == {"referral": "given"}
    assert ConsentEvent.objects.filter(person=person).count() == 3
    # Append-only: a line is never changed nor deleted.
    line = lines[0]
    line.action = "withdrawn"
    with pytest.raises(ValueError, match="append-only"):
        line.save()
    with pytest.raises(ValueError, match="append-only"):
        line.delete()
    assert ConsentEvent.objects.get(pk=line.pk).action == "given"


def test_the_portal_requester_consent_and_its_withdrawal_are_in_the_ledger(network):
    from enlace.portal.models import PublicRequest
    from enlace.portal.services import normalise_code

    receipt = request_submit(
        kind="tracing",
        data={
            "given_names": "Ana",
            "relation": "mother",
            "contact_phone": "+1 213 555 0100",
            "consent": True,
        },
    )
    request = PublicRequest.objects.get(reference=normalise_code(receipt.reference))
    subject = f"portal.publicrequest:{request.pk}"
    assert list(ConsentEvent.objects.filter(subject=subject).values_list("action", "source")) == [
        ("given", "portal")
    ]
    request_consent_withdraw(request=request)
    assert consent_state(ConsentEvent.objects.filter(subject=subject)) == {
        "family_tracing": "withdrawn"
    }


# ------------------------------------------------------------------ retention


def test_purge_counts_on_a_dry_run_and_anonymises_only_when_applied(network, settings):
    settings.PRIVACY_RETENTION_DAYS = {"person": 365, "rights_request": 30}
    officer = actor_for(network.user(Role.OFFICER))
    old = _person(network, given="Anciano")
    case = case_services.case_open(
        actor=officer, person=old, case_type="detention", summary="Caso de Anciano"
    )
    recent = _person(network, given="Reciente")
    open_case_person = _person(network, given="Abierto")
    case_services.case_open(
        actor=officer, person=open_case_person, case_type="detention", summary="Sigue abierto"
    )
    closed_request = _request(network, recent)
    services.rights_request_reject(actor=officer, request=closed_request, reason="No procede")
    long_ago = timezone.now() - dt.timedelta(days=400)
    Person.objects.filter(pk__in=[old.pk, open_case_person.pk]).update(modified=long_ago)
    Case.objects.filter(pk=case.pk).update(status="closed", modified=long_ago)
    Case.objects.filter(person=open_case_person).update(modified=long_ago)
    RightsRequest.objects.filter(pk=closed_request.pk).update(
        closed_on=timezone.localdate() - dt.timedelta(days=31)
    )
    assert services.privacy_purge() == {"person": 1, "rights_request": 1}
    old.refresh_from_db()
    assert old.given_names == "Anciano" and RightsRequest.objects.filter(pk=closed_request.pk)
    from io import StringIO

    out = StringIO()
    call_command("privacy_purge", "--apply", stdout=out)
    assert "person: 1" in out.getvalue() and "rights_request: 1" in out.getvalue()
    old.refresh_from_db()
    assert old.given_names == people_services.ANONYMISED_NAME and old.search_text == ""
    assert "Anciano" not in Case.objects.get(pk=case.pk).summary
    assert Person.objects.get(pk=open_case_person.pk).given_names == "Abierto"
    assert Person.objects.get(pk=recent.pk).given_names == "Reciente"
    assert not RightsRequest.objects.filter(pk=closed_request.pk).exists()
    assert ChangeEvent.objects.filter(
        action="person_anonymise", record_id=str(old.pk), actor=None
    ).exists()
    # Nothing left: a second run finds nothing.
    assert services.privacy_purge() == {"person": 0, "rights_request": 0}


# ------------------------------------------------------------------ breaches


def test_breach_clock_overdue_and_notification(network):
    supervisor = actor_for(network.user(Role.SUPERVISOR))
    friday = dt.datetime(2026, 10, 2, 9, 0, tzinfo=dt.UTC)
    breach = services.breach_record(
        actor=supervisor,
        detected_at=friday,
        description="Un portátil perdido",
        records_affected=12,
        persons_affected=7,
    )
    assert breach.notify_by == dt.date(2026, 10, 7)  # Mon, Tue, Wed (Mexico)
    client = _client(network.user(Role.SUPERVISOR))
    with translation.override("en"):
        body = client.get(reverse("privacy:breach_list")).content.decode()
        assert f"{gettext('Overdue')}</span>" in body
    response = client.post(
        reverse("privacy:breach_notified", args=[breach.pk]),
        {"notified_at": "2026-10-05T12:00", "notified_to": "INAI"},
    )
    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.notified_to == "INAI" and breach.notified_at is not None
    with translation.override("en"):
        body = client.get(reverse("privacy:breach_list")).content.decode()
        assert f"{gettext('Overdue')}</span>" not in body
    with pytest.raises(TransitionNotAllowed):
        services.breach_notified(
            actor=supervisor, breach=breach, notified_at=timezone.now(), notified_to="x"
        )


def test_breach_register_scope(network):
    own = services.breach_record(
        actor=actor_for(network.user(Role.SUPERVISOR)),
        detected_at=timezone.now(),
        description="Correo a otra persona",
    )
    other = services.breach_record(
        actor=actor_for(network.user(Role.SUPERVISOR, OTHER_COUNTRY)),
        detected_at=timezone.now(),
        description="Fallo en Guatemala",
    )

    def seen(role, relation="own_office"):
        response = _client(network.user(role, relation)).get(reverse("privacy:breach_list"))
        if response.status_code == 404:
            return None
        body = response.content.decode()
        return {b.description for b in (own, other) if b.description in body}

    assert seen(Role.SUPERVISOR) == {own.description}
    assert seen(Role.SUPERVISOR, SAME_COUNTRY) == set()
    assert seen(Role.NATIONAL_FOCAL_POINT, SAME_COUNTRY) == {own.description}
    assert seen(Role.ADMINISTRATOR, OTHER_COUNTRY) == {own.description, other.description}
    assert seen(Role.ANALYST) == {own.description, other.description}
    assert seen(Role.OFFICER) is None
    assert seen(Role.TRAFFICKING_FOCAL_POINT) is None
    # The analyst reads the register but records nothing.
    analyst = _client(network.user(Role.ANALYST))
    data = {
        "detected_at": "2026-01-05T10:00",
        "description": "x",
        "records_affected": "0",
        "persons_affected": "0",
    }
    assert analyst.post(reverse("privacy:breach_list"), data).status_code == 404
    assert Breach.objects.count() == 2
