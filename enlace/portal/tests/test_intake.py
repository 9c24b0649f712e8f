"""The intake of the public portal: requests from the public, their follow-up with reference and
secret, triage by the receiving office, the purge — and the "never" list of issue 17, each
tried."""

import datetime as dt
import math
import re
import statistics
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, SAME_COUNTRY
from enlace.cases.models import Case
from enlace.core.errors import TransitionNotAllowed
from enlace.inbox.models import Item
from enlace.inbox.present import title
from enlace.people import services as people_services
from enlace.people.models import Person
from enlace.portal import services
from enlace.portal.models import Outcome, PortalSettings, PublicRequest, RequestEvent, Status
from enlace.tracing.models import TracingMatch, TracingRequest

pytestmark = pytest.mark.django_db

URL = "/api/v1/public/requests/"

REGISTERED = {
    "given_names": "Jesús Alberto",
    "first_surname": "Pérez",
    "second_surname": "Gómez",
    "sex": "M",
    "birth_date": "1999-03-14",
}


def tracing_body(**over):
    body = {
        "kind": "tracing",
        "given_names": "Jesús Alberto",
        "first_surname": "Pérez",
        "second_surname": "Gómez",
        "nickname": "Chuy",
        "birth_year": 1999,
        "sex": "M",
        "last_seen_place": "Tapachula",
        "relation": "mother",
        "requester_name": "María Gómez",
        "contact_phone": "+504 9999 0000",
        "nationality": "MX",
        "country": "US",
        "consent": True,
        "language": "es",
    }
    return body | over


def help_body(**over):
    body = {
        "kind": "help",
        "situation": "detention",
        "description": "Detenida en el centro de Adelanto, sin intérprete.",
        "nationality": "MX",
        "country": "US",
        "contact_phone": "+1 213 555 0100",
        "safe_to_leave_message": False,
        "language": "es",
    }
    return body | over


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()  # the lock-out counts live in the cache
    yield
    cache.clear()


def submit(body):
    return APIClient().post(URL, body, format="json")


def status_of(reference, secret):
    return APIClient().get(f"{URL}{reference}/", HTTP_X_SECRET=secret)


def officer(network, relation=OWN_OFFICE, role=Role.OFFICER):
    return network.user(role, relation)


# ---------------------------------------------------------------- submission


def test_submit_gives_codes_and_lands_in_the_routed_office_inbox(network):
    response = submit(help_body())
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"reference", "secret"}
    for code in body.values():
        raw = code.replace("-", "")
        assert len(raw) == services.CODE_LENGTH
        assert set(raw) <= set(services.REFERENCE_ALPHABET)
    # ≥ 80 bits each
    assert services.CODE_LENGTH * math.log2(len(services.REFERENCE_ALPHABET)) >= 80
    request = PublicRequest.objects.get()
    assert request.office == network.offices[OWN_OFFICE]  # MX national in the US: MX consulate
    assert request.secret_digest != body["secret"].replace("-", "")
    assert body["secret"].replace("-", "") not in str(request.__dict__)
    item = Item.objects.get()
    assert item.office == network.offices[OWN_OFFICE]
    text = title(item) + item.link + str(item.params)
    for word in ("Adelanto", "213", body["reference"], body["reference"].replace("-", "")):
        assert word not in text
    assert response["Cache-Control"].count("no-store")


def test_routing_falls_back_to_the_ministry_then_the_secretariat(network):
    from enlace.accounts.models import Office

    # MX national in Spain: no MX office there → the MX foreign ministry.
    ministry = network.offices[SAME_COUNTRY]
    assert services.route(_country("MX"), _country("ES")) == ministry
    # GT national in Mexico: the GT consulate in Mexico.
    assert services.route(_country("GT"), _country("MX")) == network.offices[OTHER_COUNTRY]
    # A nationality without any office but a migration authority: never routed there, the
    # secretariat gets it.
    Office.objects.create(
        name="Migración HN",
        kind=Office.Kind.MIGRATION_AUTHORITY,
        country_id="HN",
        host_country_id="MX",
        city="Tapachula",
    )
    secretariat = Office.objects.create(
        name="Secretaría",
        kind=Office.Kind.SECRETARIAT,
        country_id="CR",
        host_country_id="CR",
        city="San José",
    )
    assert services.route(_country("HN"), _country("MX")) == secretariat


def _country(code):
    from enlace.core.models import Country

    return Country.objects.get(code=code)


def test_bad_input_is_a_clear_400(network):
    response = submit(help_body(description=""))
    assert response.status_code == 400
    assert "description" in response.json()
    response = submit(tracing_body(consent=False, given_names="", first_surname="", nickname=""))
    assert response.status_code == 400
    assert {"consent", "given_names"} <= set(response.json())
    assert not PublicRequest.objects.exists()


# ---------------------------------------------------------------- the "never" list


def test_registered_and_unregistered_people_give_identical_answers_and_timings(network):
    """Whoever is described — a person registered at an office, or someone invented — the
    answer has the same shape and size, the same queries run (none on people, cases or
    tracing), and the medians of 50 timed submissions each differ within noise."""
    actor = actor_for(officer(network))
    people_services.person_create(actor=actor, data=REGISTERED, nationalities=["MX"])
    registered = tracing_body()
    invented = tracing_body(
        given_names="Xochiquetzal Ameyalli",
        first_surname="Quiñónez",
        second_surname="Ybarra",
        nickname="Xochi",
        birth_year=1987,
        sex="F",
    )
    shapes, sizes, queries = [], [], []
    for body in (registered, invented):
        with CaptureQueriesContext(connection) as ctx:
            response = submit(body)
        assert response.status_code == 201
        shapes.append(sorted(response.json()))
        sizes.append(len(response.content))
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        assert not re.search(r'(FROM|JOIN|INTO|UPDATE)\s+"(people|cases|tracing|linkage)_', sql)
        queries.append(len(ctx.captured_queries))
    assert shapes[0] == shapes[1] and sizes[0] == sizes[1] and queries[0] == queries[1]

    timings: dict[str, list[float]] = {"registered": [], "invented": []}
    client = APIClient()
    for _i in range(50):  # interleaved, so drift in the machine's load hits both alike
        for name, body in (("registered", registered), ("invented", invented)):
            start = time.perf_counter()
            response = client.post(URL, body, format="json")
            timings[name].append(time.perf_counter() - start)
            assert response.status_code == 201
    a, b = (statistics.median(t) for t in timings.values())
    spread = statistics.quantiles(timings["registered"] + timings["invented"], n=4)
    iqr = spread[2] - spread[0]
    print(
        f"median registered {a * 1000:.2f} ms, invented {b * 1000:.2f} ms, IQR {iqr * 1000:.2f} ms"
    )
    # Within noise: the medians differ by less than the spread of all timings (or 1 ms).
    assert abs(a - b) <= max(iqr, 0.001)
    assert not TracingRequest.objects.exists() and not TracingMatch.objects.exists()


def test_wrong_secret_and_unknown_reference_are_byte_identical_404s(network):
    codes = submit(help_body()).json()
    right = status_of(codes["reference"], codes["secret"])
    assert right.status_code == 200
    assert right.json()["status"] == "received"
    assert "no-store" in right["Cache-Control"]
    wrong = status_of(codes["reference"], "ABCD-EFGH-JKMN-PQRS-TUVW")
    missing = status_of(codes["reference"], "")
    unknown = status_of("ABCD-EFGH-JKMN-PQRS-TUVW", codes["secret"])
    junk = status_of("x", "y")
    assert wrong.status_code == missing.status_code == unknown.status_code == 404
    assert wrong.content == missing.content == unknown.content == junk.content
    assert dict(wrong.headers) | {"Content-Length": ""} == dict(unknown.headers) | {
        "Content-Length": ""
    }
    # the pages too
    page = Client()
    answers = [
        page.post(reverse("portal:follow"), {"reference": ref, "secret": sec})
        for ref, sec in (
            (codes["reference"], "ABCD-EFGH-JKMN-PQRS-TUVW"),
            ("ABCD-EFGH-JKMN-PQRS-TUVW", codes["secret"]),
        )
    ]
    assert answers[0].status_code == answers[1].status_code == 404
    assert answers[0].content == answers[1].content


def test_guessing_is_locked_out_per_reference_and_per_address(network, settings):
    settings.ENLACE_PORTAL_FOLLOW_FAILURES_PER_CODE = "5/15m"
    settings.ENLACE_PORTAL_FOLLOW_FAILURES_PER_IP = "20/h"
    codes = submit(help_body()).json()
    for _i in range(5):
        assert (
            status_of(codes["reference"], services.grouped(services.new_code())).status_code == 404
        )
    # Locked: even the right secret is refused now, with 429 and no hint.
    locked = status_of(codes["reference"], codes["secret"])
    assert locked.status_code == 429
    assert "Retry-After" in locked
    # The same for a reference that does not exist: the lock-out tells nothing.
    ghost = services.grouped(services.new_code())
    for _i in range(5):
        assert status_of(ghost, "x").status_code == 404
    assert status_of(ghost, "x").status_code == 429
    # Per address: 20 failures over many references lock the address out.
    cache.clear()
    for _i in range(20):
        status_of(services.grouped(services.new_code()), "x")
    assert status_of(codes["reference"], codes["secret"]).status_code == 429
    # Another address is not locked.
    other = APIClient(REMOTE_ADDR="10.9.9.9").get(
        f"{URL}{codes['reference']}/", HTTP_X_SECRET=codes["secret"]
    )
    assert other.status_code == 200


def test_page_follow_is_locked_out_too(network, settings):
    settings.ENLACE_PORTAL_FOLLOW_FAILURES_PER_CODE = "3/15m"
    codes = submit(help_body()).json()
    client = Client()
    for _i in range(3):
        r = client.post(reverse("portal:follow"), {"reference": codes["reference"], "secret": "x"})
        assert r.status_code == 404
    r = client.post(
        reverse("portal:follow"), {"reference": codes["reference"], "secret": codes["secret"]}
    )
    assert r.status_code == 429


def test_honeypot_gets_the_same_success_page_and_nothing_is_stored(network):
    client = Client()
    form = {
        "situation": "labour",
        "description": "No me pagaron",
        "nationality": "MX",
        "country": "US",
        "contact_phone": "+1 213 555 0100",
    }
    human = client.post(reverse("portal:ask_help"), form)
    assert human.status_code == 200
    assert PublicRequest.objects.count() == 1
    bot = client.post(reverse("portal:ask_help"), form | {"website": "http://spam.example"})
    assert bot.status_code == 200
    assert PublicRequest.objects.count() == 1
    assert Item.objects.count() == 1
    # same page, other codes
    strip = lambda b: re.sub(rb"[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){4}", b"CODE", b)  # noqa: E731
    assert strip(human.content) == strip(bot.content)
    # a bot that fills the tracing form gets the same, too
    bot = client.post(reverse("portal:ask_tracing"), {"website": "x"})
    assert bot.status_code == 200 and PublicRequest.objects.count() == 1


def test_email_goes_to_the_requester_only(network, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    body = tracing_body(contact_email="madre@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        codes = submit(body).json()
    to = [m.to for m in mail.outbox]
    assert to == [["madre@example.org"]]
    assert codes["secret"] in mail.outbox[0].body and codes["reference"] in mail.outbox[0].body
    # no e-mail address: no e-mail at all (the person sought is never written to)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit(tracing_body())
    assert mail.outbox == []


def test_anonymous_input_reaches_no_case_or_match_without_triage(network):
    actor = actor_for(officer(network))
    people_services.person_create(actor=actor, data=REGISTERED, nationalities=["MX"])
    persons = Person.objects.count()
    codes = submit(tracing_body()).json()
    submit(help_body(given_names="Jesús Alberto", first_surname="Pérez"))
    assert Person.objects.count() == persons
    assert not Case.objects.exists()
    assert not TracingRequest.objects.exists() and not TracingMatch.objects.exists()
    # Only the office's triage makes it a tracing request — and matching runs then.
    request = PublicRequest.objects.get(kind="tracing")
    services.triage_to_tracing(actor=actor, request=request)
    tracing = TracingRequest.objects.get()
    assert tracing.office == network.offices[OWN_OFFICE]
    assert TracingMatch.objects.filter(request=tracing).exists()
    assert status_of(codes["reference"], codes["secret"]).json()["status"] == "working"


# ---------------------------------------------------------------- triage


def test_only_the_receiving_office_staff_triage(network):
    submit(help_body())
    request = PublicRequest.objects.get()
    url = reverse("portal:triage_detail", kwargs={"public_request_id": request.pk})
    for (role, relation), user in network.users.items():
        client = Client()
        client.force_login(user)
        want = 200 if relation == OWN_OFFICE and role in (Role.OFFICER, Role.SUPERVISOR) else 404
        assert client.get(url).status_code == want, (role, relation)
        close = client.post(
            reverse("portal:triage_close", kwargs={"public_request_id": request.pk}),
            {"reason": "duplicate"},
        )
        if want == 404:
            assert close.status_code == 404, (role, relation)
    assert Client().get(url).status_code == 302  # to log in


def test_triage_into_a_case_changes_the_status_words(network):
    codes = submit(help_body(given_names="Rosa", first_surname="Méndez")).json()
    request = PublicRequest.objects.get()
    client = Client()
    client.force_login(officer(network))
    page = client.get(reverse("portal:triage_detail", kwargs={"public_request_id": request.pk}))
    assert page.status_code == 200 and b"Adelanto" in page.content
    response = client.post(
        reverse("portal:triage_case", kwargs={"public_request_id": request.pk}),
        {
            "person": "",
            "given_names": "Rosa",
            "first_surname": "Méndez",
            "second_surname": "",
            "case_type": "detention",
            "summary": "Detenida en Adelanto",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    request.refresh_from_db()
    assert request.outcome == Outcome.CASE and request.status == Status.WORKING
    case = Case.objects.get(pk=request.case_id)
    assert case.owner_office == network.offices[OWN_OFFICE]
    assert status_of(codes["reference"], codes["secret"]).json()["status"] == "working"
    assert RequestEvent.objects.filter(request=request, action="accepted_case").exists()
    from enlace.audit.models import ChangeEvent

    assert ChangeEvent.objects.filter(record_id=str(request.pk), action="portal_accepted_case")
    # a second triage is refused
    with pytest.raises(TransitionNotAllowed):
        services.triage_close(
            actor=actor_for(officer(network)), request=request, reason="duplicate"
        )
    # the case closed → "closed" for the requester
    Case.objects.filter(pk=case.pk).update(status="closed")
    assert status_of(codes["reference"], codes["secret"]).json()["status"] == "closed"


def test_triage_suggests_people_of_the_office_only_after_opening(network):
    actor = actor_for(officer(network))
    people_services.person_create(actor=actor, data=REGISTERED, nationalities=["MX"])
    submit(help_body(given_names="Jesús Alberto", first_surname="Pérez", birth_year=1999))
    request = PublicRequest.objects.get()
    client = Client()
    client.force_login(officer(network))
    page = client.get(reverse("portal:triage_detail", kwargs={"public_request_id": request.pk}))
    assert "Pérez" in page.content.decode()
    assert page.context["suggestions"]


def test_triage_close_with_a_reason(network):
    codes = submit(help_body()).json()
    request = PublicRequest.objects.get()
    client = Client()
    client.force_login(officer(network))
    bad = client.post(
        reverse("portal:triage_close", kwargs={"public_request_id": request.pk}), {"reason": "?"}
    )
    assert bad.status_code == 400
    ok = client.post(
        reverse("portal:triage_close", kwargs={"public_request_id": request.pk}),
        {"reason": "resolved"},
    )
    assert ok.status_code == 302
    assert status_of(codes["reference"], codes["secret"]).json()["status"] == "closed"


def test_triage_list_shows_the_office_requests_only(network):
    submit(help_body())  # → own office
    submit(help_body(nationality="GT", country="MX"))  # → other country's office
    client = Client()
    client.force_login(officer(network))
    page = client.get(reverse("portal:triage_list"))
    assert page.status_code == 200
    assert len(page.context["rows"]) == 1


# ---------------------------------------------------------------- follow-up


def test_requester_adds_information_withdraws_consent_and_the_request(network):
    codes = submit(tracing_body()).json()
    client = Client()
    base = {"reference": codes["reference"], "secret": codes["secret"]}
    page = client.post(reverse("portal:follow"), base)
    assert page.status_code == 200 and page.context["status"] == "received"
    assert "no-store" in page["Cache-Control"]
    text = page.content.decode()
    for hidden in ("Pérez", "Tapachula", "Own consulate"):
        assert hidden not in text
    r = client.post(
        reverse("portal:follow_act"), base | {"action": "info", "text": "Tiene un tatuaje"}
    )
    assert r.status_code == 200
    r = client.post(reverse("portal:follow_act"), base | {"action": "consent"})
    assert r.status_code == 200
    request = PublicRequest.objects.get()
    assert request.consent_withdrawn_at is not None
    actions = list(request.events.values_list("action", flat=True))
    assert actions == ["submitted", "info_added", "consent_withdrawn"]
    # consent withdrawn: no tracing request can be made of it
    with pytest.raises(TransitionNotAllowed):
        services.triage_to_tracing(actor=actor_for(officer(network)), request=request)
    r = client.post(reverse("portal:follow_act"), base | {"action": "withdraw"})
    assert r.status_code == 200 and r.context["status"] == "closed"
    request.refresh_from_db()
    assert request.outcome == Outcome.WITHDRAWN


# ---------------------------------------------------------------- purge


def test_purge_deletes_what_was_not_taken_after_the_office_retention(network):
    from django.core.management import call_command

    old = timezone.now() - dt.timedelta(days=40)
    submit(help_body())  # own office: 30 days set below
    submit(help_body(nationality="GT", country="MX"))  # other office: default 90 days
    submit(help_body())  # will be taken into a case
    PortalSettings.objects.create(office=network.offices[OWN_OFFICE], retention_days=30)
    taken = PublicRequest.objects.filter(office=network.offices[OWN_OFFICE]).last()
    services.triage_to_case(
        actor=actor_for(officer(network)),
        request=taken,
        person_fields={"given_names": "Rosa", "first_surname": "Méndez"},
    )
    PublicRequest.objects.update(updated=old)
    call_command("portal_purge")
    left = set(PublicRequest.objects.values_list("office_id", "outcome"))
    assert left == {
        (network.offices[OTHER_COUNTRY].pk, ""),  # 40 days < 90
        (network.offices[OWN_OFFICE].pk, "case"),  # taken: kept, details cleared
    }
    kept = PublicRequest.objects.get(outcome="case")
    assert kept.details == {} and kept.contact_phone == ""
    assert services.requests_purge(now=timezone.now() + dt.timedelta(days=60)) == 1


def test_opening_a_request_is_logged_once_and_a_refusal_too(network):
    from enlace.audit.models import AccessEvent

    submit(help_body())
    request = PublicRequest.objects.get()
    url = reverse("portal:triage_detail", kwargs={"public_request_id": request.pk})
    rows = AccessEvent.objects.filter(record_type="portal.publicrequest", record_id=str(request.pk))
    client = Client()
    client.force_login(officer(network))
    assert client.get(url).status_code == 200
    assert rows.filter(denied=False).count() == 1
    other = Client()
    other.force_login(officer(network, OTHER_COUNTRY))
    assert other.get(url).status_code == 404
    assert rows.filter(denied=True).count() == 1


def test_a_flood_of_requests_from_one_address_is_refused(network, settings):
    settings.ENLACE_PORTAL_SUBMIT_RATE = "3/h"
    for _i in range(3):
        assert submit(help_body()).status_code == 201
    refused = submit(help_body())
    assert refused.status_code == 429 and "Retry-After" in refused
    page = Client().post(reverse("portal:ask_help"), {"situation": "other"})
    assert page.status_code == 429
    assert PublicRequest.objects.count() == 3
    other = APIClient(REMOTE_ADDR="10.9.9.8").post(URL, help_body(), format="json")
    assert other.status_code == 201


# ---------------------------------------------------------------- forwarding


def _secretariat(network):
    """The regional secretariat's office, with a user of every role (routing's last resort)."""
    from enlace.accounts.models import Office
    from enlace.accounts.testing import make_user

    office = Office.objects.create(
        name="Secretaría Técnica",
        kind=Office.Kind.SECRETARIAT,
        country_id="PA",
        host_country_id="PA",
        city="Panamá",
    )
    users = {(role, "secretariat"): make_user(f"{role}.sec", office, role) for role in Role}
    return office, users


def _forward(user, request, office):
    client = Client()
    client.force_login(user)
    return client.post(
        reverse("portal:triage_forward", kwargs={"public_request_id": request.pk}),
        {"office": str(getattr(office, "pk", office))},
    )


def _detail_status(user, request):
    client = Client()
    client.force_login(user)
    url = reverse("portal:triage_detail", kwargs={"public_request_id": request.pk})
    return client.get(url).status_code


def test_the_secretariat_forwards_what_routing_could_not_place(network):
    from enlace.audit.models import ChangeEvent

    secretariat, sec_users = _secretariat(network)
    # An HN national in Mexico: no HN office anywhere → the secretariat.
    codes = submit(help_body(nationality="HN", country="MX")).json()
    request = PublicRequest.objects.get()
    assert request.office == secretariat
    before = status_of(codes["reference"], codes["secret"]).json()
    link = reverse("portal:triage_detail", kwargs={"public_request_id": request.pk})
    assert Item.objects.filter(office=secretariat, link=link).count() == 1
    own = network.offices[OWN_OFFICE]
    # Who may forward it: the secretariat's officers and supervisors; everyone else gets 404
    # (nothing moves).
    staff = (Role.OFFICER, Role.SUPERVISOR)
    everyone = network.users | sec_users
    for (role, relation), user in everyone.items():
        if relation == "secretariat" and role in staff:
            continue
        assert _forward(user, request, own).status_code == 404, (role, relation)
    request.refresh_from_db()
    assert request.office == secretariat
    # The secretariat's officer sees it and the forward form lists the offices, not itself
    page = Client()
    page.force_login(sec_users[(Role.OFFICER, "secretariat")])
    detail = page.get(link)
    choices = dict(detail.context["forward_form"].fields["office"].choices)
    assert str(own.pk) in choices and str(secretariat.pk) not in choices
    response = _forward(sec_users[(Role.OFFICER, "secretariat")], request, own)
    assert response.status_code == 302 and response["Location"] == reverse("portal:triage_list")
    request.refresh_from_db()
    assert request.office == own
    assert request.outcome == Outcome.PENDING and request.status == Status.RECEIVED
    # The requester sees exactly what they saw before.
    assert status_of(codes["reference"], codes["secret"]).json() == before
    # The new office's inbox is told; the former office's item is gone.
    item = Item.objects.get(link=link)
    assert item.office == own and item.kind == "portal_request"
    assert not Item.objects.filter(office=secretariat).exists()
    # The request is in the new office's queue, gone from the secretariat's.
    for role in staff:
        assert _detail_status(sec_users[(role, "secretariat")], request) == 404
        assert _detail_status(network.user(role, OWN_OFFICE), request) == 200
        assert _forward(sec_users[(role, "secretariat")], request, own).status_code == 404
    sec_list = Client()
    sec_list.force_login(sec_users[(Role.SUPERVISOR, "secretariat")])
    assert not sec_list.get(reverse("portal:triage_list")).context["rows"]
    # Logged: the event in the request's history and the change in the audit.
    event = RequestEvent.objects.get(request=request, action="forwarded")
    assert event.user == sec_users[(Role.OFFICER, "secretariat")]
    change = ChangeEvent.objects.get(record_id=str(request.pk), action="portal_forwarded")
    assert change.changes == {"office": [str(secretariat.pk), str(own.pk)]}
    assert change.actor_office == secretariat and change.owner_office == own
    # The new office triages it as its own.
    services.triage_close(actor=actor_for(officer(network)), request=request, reason="resolved")


def test_an_office_forwards_a_request_that_belongs_elsewhere(network):
    codes = submit(help_body()).json()  # → the own office (MX consulate in the US)
    request = PublicRequest.objects.get()
    other = network.offices[OTHER_COUNTRY]
    assert _forward(officer(network, OTHER_COUNTRY), request, other).status_code == 404
    assert _forward(officer(network, SAME_COUNTRY), request, other).status_code == 404
    assert _forward(officer(network, role=Role.SUPERVISOR), request, other).status_code == 302
    request.refresh_from_db()
    assert request.office == other
    assert _detail_status(officer(network), request) == 404
    assert _detail_status(officer(network, OTHER_COUNTRY), request) == 200
    assert status_of(codes["reference"], codes["secret"]).json()["status"] == "received"
    # Once triaged, it is not forwarded any more.
    services.triage_close(
        actor=actor_for(officer(network, OTHER_COUNTRY)), request=request, reason="duplicate"
    )
    with pytest.raises(TransitionNotAllowed):
        services.triage_forward(
            actor=actor_for(officer(network, OTHER_COUNTRY)),
            request=request,
            office=network.offices[OWN_OFFICE].pk,
        )


def test_forward_only_to_an_active_office_that_takes_requests(network):
    from enlace.accounts.models import Office

    submit(help_body())
    request = PublicRequest.objects.get()
    migration = Office.objects.create(
        name="Migración",
        kind=Office.Kind.MIGRATION_AUTHORITY,
        country_id="US",
        host_country_id="US",
        city="Washington",
    )
    closed = Office.objects.create(
        name="Consulado cerrado",
        kind=Office.Kind.CONSULATE,
        country_id="MX",
        host_country_id="US",
        city="Reno",
        is_active=False,
    )
    own = network.offices[OWN_OFFICE]
    for target in (migration, closed, own, "not-an-id", ""):
        response = _forward(officer(network), request, target)
        assert response.status_code == 400, target
    request.refresh_from_db()
    assert request.office == own
    assert not RequestEvent.objects.filter(request=request, action="forwarded").exists()


# ---------------------------------------------------------------- country lists


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_country_lists_sort_by_name_with_accents_folded(network, lang):
    from django.utils import translation

    from enlace.core.names import collation_key
    from enlace.portal.forms import HelpForm, TracingForm

    with translation.override(lang):
        for form in (HelpForm(), TracingForm()):
            labels = [label for code, label in form.fields["country"].choices if code]
            assert labels == sorted(labels, key=collation_key), lang
        labels = [label for code, label in HelpForm().fields["country"].choices if code]
        egypt = _country("EG").name  # "Egipto" / "Égypte"
        zimbabwe = _country("ZW").name
        france = _country("FR").name
    if lang == "fr":
        assert egypt.startswith("É")  # an accented first letter: sorted with E, not after Z
    assert labels.index(egypt) < labels.index(zimbabwe)
    assert labels.index(egypt) < labels.index(france)
