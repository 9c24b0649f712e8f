"""Who is told what: each hand-over puts an item in the right inbox, with no more than its
reader could open, and e-mails it by preference, in the reader's language."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import timezone, translation

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Membership, Role
from enlace.cases import services as case_services
from enlace.cases.models import Case
from enlace.core.jobs import job_enqueue
from enlace.core.models import Job
from enlace.inbox import selectors, services
from enlace.inbox.models import Item, Kind, Receipt
from enlace.inbox.present import title
from enlace.people import services as people_services
from enlace.tracing import services as tracing_services
from enlace.tracing.tests.test_tracing import REQUEST, SOUGHT

from .conftest import NAME, OTHER_COUNTRY, OWN_OFFICE, RECEIVER, SURNAME

pytestmark = pytest.mark.django_db

committing = TestCase.captureOnCommitCallbacks


def seen(user, kind=None):
    """(kind, title) of the items the user sees in their active office, newest first."""
    items = selectors.item_list(actor=actor_for(user))
    if kind:
        items = items.filter(kind=kind)
    return [(i.kind, title(i)) for i in items]


def refer(world):
    return case_services.referral_create(
        actor=world.actor(Role.SUPERVISOR),
        case=world.case,
        to_office=world.network.offices[RECEIVER],
        purpose="Asistencia",
        consent=True,
    )


def test_a_referral_is_announced_to_the_receiving_staff_with_the_reference_only(world):
    with committing(execute=True):
        refer(world)
    ref = world.case.reference
    for role in (Role.OFFICER, Role.SUPERVISOR):
        items = seen(world.user(role, RECEIVER))
        assert [k for k, _t in items] == [Kind.REFERRAL_RECEIVED]
        assert ref in items[0][1] and "Own consulate" in items[0][1]
        assert NAME not in items[0][1] and SURNAME not in items[0][1]
    # Roles that do not work referrals, and other offices, are not told.
    for role in (Role.ANALYST, Role.NATIONAL_FOCAL_POINT, Role.ASSOCIATION_REP):
        assert seen(world.user(role, RECEIVER)) == []
    assert seen(world.user(Role.OFFICER, OTHER_COUNTRY)) == []
    # One e-mail per receiving staff member, the case's reference only.
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["officer.receiver@example.org", "supervisor.receiver@example.org"]
    for m in mail.outbox:
        assert ref in m.subject and NAME not in m.body and SURNAME not in m.body
        assert "/inbox/" in m.body


def test_the_answer_goes_back_to_the_sending_office(world):
    referral = refer(world)
    receiver = world.actor(Role.OFFICER, RECEIVER)
    case_services.referral_accept(actor=receiver, referral=referral)
    assert [k for k, _ in seen(world.user(Role.OFFICER))] == [Kind.REFERRAL_ACCEPTED]
    case_services.referral_done(actor=receiver, referral=referral)
    assert seen(world.user(Role.SUPERVISOR))[0][0] == Kind.REFERRAL_DONE
    second = case_services.referral_create(
        actor=world.actor(Role.SUPERVISOR),
        case=world.case,
        to_office=world.network.offices[OTHER_COUNTRY],
        purpose="Otra",
        consent=True,
    )
    case_services.referral_reject(
        actor=world.actor(Role.OFFICER, OTHER_COUNTRY), referral=second, note="No"
    )
    kind, text = seen(world.user(Role.OFFICER))[0]
    assert kind == Kind.REFERRAL_REJECTED and "Other consulate" in text


def test_a_revoked_office_keeps_no_more_than_the_404_page_would_show(world):
    """The firewall: after the referral is revoked, the receiving office's items name no one,
    and their links open nothing of the case."""
    referral = refer(world)
    officer = world.user(Role.OFFICER, RECEIVER)
    case_services.referral_accept(actor=actor_for(officer), referral=referral)
    case_services.referral_revoke(actor=world.actor(Role.SUPERVISOR), referral=referral)
    items = list(selectors.item_list(actor=actor_for(officer)))
    assert {i.kind for i in items} == {Kind.REFERRAL_RECEIVED, Kind.REFERRAL_REVOKED}
    client = Client()
    client.force_login(officer)
    case_page = client.get(f"/cases/{world.case.pk}/")
    assert case_page.status_code == 404
    for item in items:
        assert NAME not in title(item) and SURNAME not in title(item)
        assert str(world.case.pk) not in item.link  # the link is the office's own referrals list
        response = client.get(f"/inbox/{item.pk}/", follow=True)
        assert response.status_code in (200, 404)
        assert NAME not in response.content.decode()
    inbox = client.get("/inbox/").content.decode()
    assert world.case.reference in inbox and NAME not in inbox and SURNAME not in inbox


def test_approvals_wait_in_the_supervisors_inbox(world):
    case_services.case_transition(
        actor=world.actor(Role.OFFICER), case=world.case, name="start_assessment"
    )
    kind, text = seen(world.user(Role.SUPERVISOR))[0]
    assert kind == Kind.APPROVAL_WAITING and world.case.reference in text
    assert seen(world.user(Role.OFFICER)) == []
    case = Case.objects.get(pk=world.case.pk)
    case_services.case_transition(
        actor=world.actor(Role.OFFICER), case=case, name="request_closure", note="Resuelto"
    )
    assert len(seen(world.user(Role.SUPERVISOR), Kind.APPROVAL_WAITING)) == 2


@pytest.fixture
def matched(world):
    """A person registered by the other country's office, sought by the own office."""
    owner = world.actor(Role.OFFICER, OTHER_COUNTRY)
    person = people_services.person_create(actor=owner, data=SOUGHT)
    request = tracing_services.request_create(actor=world.actor(Role.OFFICER), data=REQUEST)
    return request.matches.get(person=person)


def test_a_possible_match_asks_the_owner_to_review_and_tells_the_requester_only_where(
    world, matched
):
    kind, text = seen(world.user(Role.OFFICER, OTHER_COUNTRY))[0]
    assert kind == Kind.MATCH_TO_REVIEW and matched.request.reference in text
    kind, text = seen(world.user(Role.OFFICER))[0]
    assert kind == Kind.MATCH_PROPOSED
    assert "Other consulate" in text and matched.request.reference in text
    assert "Jesús" not in text and "Alberto" not in text
    # Neither side's title names the person; the requester's link shows no name either.
    client = Client()
    client.force_login(world.user(Role.OFFICER))
    item = selectors.item_list(actor=world.actor(Role.OFFICER)).get(kind=Kind.MATCH_PROPOSED)
    page = client.get(f"/inbox/{item.pk}/", follow=True)
    assert page.status_code == 200 and "Alberto" not in page.content.decode()


def test_the_decision_goes_back_to_the_requesting_office(world, matched):
    owner = world.actor(Role.OFFICER, OTHER_COUNTRY)
    tracing_services.match_confirm(actor=owner, match=matched, notice_language="es")
    kind, text = seen(world.user(Role.SUPERVISOR))[0]
    assert kind == Kind.MATCH_CONFIRMED and matched.request.reference in text
    assert "Alberto" not in text
    # A reunification step recorded by the requesting office is told to the owner, and back.
    reunification = matched.reunification
    tracing_services.reunification_update(
        actor=world.actor(Role.OFFICER),
        reunification=reunification,
        version=reunification.version,
        data={"requester_consent": True},
    )
    kind, text = seen(world.user(Role.OFFICER, OTHER_COUNTRY))[0]
    assert kind == Kind.REUNIFICATION_STEP and "Own consulate" in text
    reunification.refresh_from_db()
    tracing_services.reunification_update(
        actor=owner,
        reunification=reunification,
        version=reunification.version,
        data={"person_consent": True},
    )
    assert seen(world.user(Role.OFFICER))[0][0] == Kind.REUNIFICATION_STEP


def test_a_rejected_match_is_told_to_the_requester(world, matched):
    tracing_services.match_reject(actor=world.actor(Role.OFFICER, OTHER_COUNTRY), match=matched)
    assert seen(world.user(Role.OFFICER))[0][0] == Kind.MATCH_REJECTED


def test_a_withdrawn_request_tells_the_reviewing_office_there_is_nothing_to_decide(world, matched):
    request = matched.request
    tracing_services.request_withdraw(
        actor=world.actor(Role.OFFICER), request=request, version=request.version
    )
    kind, text = seen(world.user(Role.OFFICER, OTHER_COUNTRY))[0]
    assert kind == Kind.REQUEST_WITHDRAWN and request.reference in text
    assert "Own consulate" in text


def test_a_withdrawn_match_is_told_to_the_requester_without_a_name(world, matched):
    owner = world.actor(Role.OFFICER, OTHER_COUNTRY)
    tracing_services.match_confirm(actor=owner, match=matched, notice_language="es")
    tracing_services.matches_withdraw(actor=owner, person=matched.person)
    kind, text = seen(world.user(Role.OFFICER))[0]
    assert kind == Kind.MATCH_WITHDRAWN
    assert matched.request.reference in text and "Other consulate" in text
    assert "Jesús" not in text and "Alberto" not in text


def test_a_member_who_leaves_the_office_no_longer_sees_its_items(world):
    refer(world)
    officer = world.user(Role.OFFICER, RECEIVER)
    assert seen(officer)
    Membership.objects.filter(user=officer).update(is_active=False)
    assert seen(officer) == []
    assert selectors.unread_count(actor=actor_for(officer)) == 0


def test_read_state_is_per_user(world):
    refer(world)
    officer = world.user(Role.OFFICER, RECEIVER)
    supervisor = world.user(Role.SUPERVISOR, RECEIVER)
    item = selectors.item_get(actor=actor_for(officer), item_id=Item.objects.get().pk)
    services.item_mark_read(actor=actor_for(officer), item=item)
    assert selectors.unread_count(actor=actor_for(officer)) == 0
    assert selectors.unread_count(actor=actor_for(supervisor)) == 1
    assert services.items_mark_all_read(actor=actor_for(supervisor)) == 1
    assert selectors.unread_count(actor=actor_for(supervisor)) == 0


def test_withdrawn_items_leave_that_office_only(world):
    own, receiver = world.network.offices[OWN_OFFICE], world.network.offices[RECEIVER]
    link = "/portal/triage/x/"
    for office in (own, receiver):
        services.notify(
            kind=Kind.PORTAL_REQUEST, office=office, params={"date": "2026-01-02"}, link=link
        )
    services.notify(kind=Kind.PORTAL_REQUEST, office=own, link="/portal/triage/y/")
    officer = world.user(Role.OFFICER, OWN_OFFICE)
    item = Item.objects.get(office=own, link=link)
    services.item_mark_read(actor=actor_for(officer), item=item)
    assert services.items_withdraw(office=own, kind=Kind.PORTAL_REQUEST, link=link) == 1
    assert not Item.objects.filter(office=own, link=link).exists()
    assert not Receipt.objects.filter(item_id=item.pk).exists()
    assert Item.objects.filter(office=receiver, link=link).exists()  # another office's stays
    assert Item.objects.filter(office=own, link="/portal/triage/y/").exists()  # another link
    assert services.items_withdraw(office=own, kind=Kind.REFERRAL_RECEIVED, link=link) == 0


# ---------------------------------------------------------------- e-mail


def test_the_email_is_in_the_recipients_language(world):
    admin = world.user(Role.ADMINISTRATOR)
    admin.preferred_language = "fr"
    admin.save(update_fields=["preferred_language"])
    with committing(execute=True):
        job = job_enqueue(actor=actor_for(admin), kind="reference_refresh")
    assert Job.objects.get(pk=job.pk).status == Job.Status.SUCCEEDED
    (message,) = mail.outbox
    assert message.to == [admin.email]
    assert "Terminé" in message.subject  # the job's status, in French
    admin.preferred_language = "pt"
    admin.save(update_fields=["preferred_language"])
    mail.outbox.clear()
    services.item_email_send(item_id=Item.objects.get(kind=Kind.JOB_FINISHED).pk)
    assert "Concluído" in mail.outbox[0].subject
    # The item itself is in the user's inbox, titled in the reader's language at read time.
    with translation.override("fr"):
        assert "Terminé" in seen(admin)[0][1]


def test_preferences_are_honoured(world):
    receivers = {
        "officer": world.user(Role.OFFICER, RECEIVER),
        "supervisor": world.user(Role.SUPERVISOR, RECEIVER),
    }
    services.preference_set(actor=actor_for(receivers["officer"]), email="none")
    services.preference_set(actor=actor_for(receivers["supervisor"]), email="digest")
    with committing(execute=True):
        refer(world)
    assert mail.outbox == []
    # The digest: one e-mail to the supervisor with the day's unread items, none to others.
    sent = services.digest_send()
    assert sent == 1
    (digest,) = mail.outbox
    assert digest.to == [receivers["supervisor"].email]
    assert world.case.reference in digest.body and NAME not in digest.body
    # Read items and items older than a day are left out: nothing to send, no e-mail.
    mail.outbox.clear()
    services.items_mark_all_read(actor=actor_for(receivers["supervisor"]))
    assert services.digest_send() == 0
    Receipt.objects.all().delete()
    assert services.digest_send() == 1
    mail.outbox.clear()
    Item.objects.update(created=timezone.now() - dt.timedelta(days=2))
    call_command("send_inbox_digest")
    assert mail.outbox == []


def test_a_bad_preference_is_refused(world):
    from enlace.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.preference_set(actor=world.actor(Role.OFFICER), email="hourly")


# ---------------------------------------------------------------- overdue and jobs


def test_overdue_cases_are_told_once_a_day(world):
    Case.objects.filter(pk=world.case.pk).update(due_date=dt.date(2026, 1, 5))
    today = dt.date(2026, 2, 1)
    assert case_services.cases_overdue_notify(today=today) == 1
    assert case_services.cases_overdue_notify(today=today) == 0
    items = seen(world.user(Role.OFFICER), Kind.CASE_OVERDUE)
    assert len(items) == 1 and world.case.reference in items[0][1]
    with translation.override("en"):
        assert "01/05/2026" in seen(world.user(Role.OFFICER))[0][1]
    with translation.override("fr"):
        assert "05/01/2026" in seen(world.user(Role.OFFICER))[0][1]
    assert case_services.cases_overdue_notify(today=today + dt.timedelta(days=1)) == 1
    # A closed case is not overdue; the command runs the same service.
    Case.objects.filter(pk=world.case.pk).update(status="closed")
    call_command("notify_overdue")
    assert len(seen(world.user(Role.OFFICER), Kind.CASE_OVERDUE)) == 2


def test_a_finished_job_is_told_to_whoever_started_it(world):
    admin = world.user(Role.ADMINISTRATOR)
    with committing(execute=True):
        job = job_enqueue(actor=actor_for(admin), kind="reference_refresh")
    (item,) = Item.objects.filter(kind=Kind.JOB_FINISHED)
    assert item.user == admin and item.link == f"/jobs/{job.pk}/"
    assert seen(world.user(Role.ADMINISTRATOR, OTHER_COUNTRY)) == []


def test_notify_keeps_only_safe_parameters(world):
    item = services.notify(
        kind=Kind.CASE_OVERDUE,
        office=world.network.offices[OWN_OFFICE],
        params={"reference": "MX-1", "name": NAME, "due": "2026-01-01"},
    )
    assert item is not None and "name" not in item.params
    with pytest.raises(ValueError):
        services.notify(kind="gossip", office=world.network.offices[OWN_OFFICE])
    with pytest.raises(ValueError):
        services.notify(kind=Kind.CASE_OVERDUE)


def test_a_failed_job_is_told_too(world):
    from enlace.core.jobs import job_function

    @job_function("inbox_test_failure")
    def failing(job):
        raise RuntimeError("boom")

    admin = world.user(Role.ADMINISTRATOR)
    with committing(execute=True):
        job = job_enqueue(actor=actor_for(admin), kind="inbox_test_failure")
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED
    (item,) = Item.objects.filter(kind=Kind.JOB_FINISHED, user=admin)
    with translation.override("en"):
        assert "Failed" in title(item) and "inbox_test_failure" in title(item)


def test_a_withheld_proposal_tells_the_requester_nothing(world, matched):
    """Past MAX_REQUESTS_PER_PERSON requests for one person, further requests are not proposed:
    the inbox must not tell of them either (the side door of the date-of-birth walk)."""
    requester = world.actor(Role.OFFICER)
    for birth in ("1999-03-14", "1999-03-15", "1998-03-14"):
        tracing_services.request_create(
            actor=requester, data={**REQUEST, "birth_date": birth, "approximate_age": None}
        )
    limit = tracing_services.MAX_REQUESTS_PER_PERSON
    assert matched.person.tracing_matches.count() == limit + 1
    assert len(seen(world.user(Role.OFFICER), Kind.MATCH_PROPOSED)) == limit


def test_an_office_name_with_a_line_break_still_makes_a_valid_email(world):
    office = world.network.offices[OWN_OFFICE]
    office.name = "Consulado\r\nBcc: someone@example.org"
    office.save(update_fields=["name"])
    with committing(execute=True):
        refer(world)
    assert mail.outbox
    for m in mail.outbox:
        assert "\n" not in m.subject and "\r" not in m.subject
        assert m.message()["Bcc"] is None
