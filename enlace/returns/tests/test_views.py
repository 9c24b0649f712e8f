"""The return pages: the list (scope, filters, search, query budget), opening a return from a
person and a protection case, every step's form through the page, refusals shown, a stale page
(409), withdrawal's confirmation, the documents page, the receiving side, the settings page,
the panels, and 404 for whoever is out of reach."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.translation import gettext

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE
from enlace.cases import services as case_services
from enlace.inbox.models import Item
from enlace.returns import services
from enlace.returns.models import ReturnSettings, Status

from .conftest import ADULT_SKIPS, CANARY_NOTE, days_ago, open_adult, take, walk


def client_for(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def detail(ret) -> str:
    return reverse("returns:detail", kwargs={"return_id": ret.pk})


def step_url(ret, step) -> str:
    return reverse("returns:step", kwargs={"return_id": ret.pk, "step": step})


def post_step(client, ret, step, data, *, version=None, **headers):
    ret.refresh_from_db()
    body = {f"{step}-{k}": v for k, v in data.items()}
    body[f"{step}-version"] = version if version is not None else ret.version
    return client.post(step_url(ret, step), body, **headers)


# --- the whole path through the pages -----------------------------------------------------------


def test_officer_takes_a_return_from_request_to_departure_through_the_forms(rw):
    officer = client_for(rw.officer)
    person = rw.person()
    response = officer.post(
        reverse("returns:create"), {"person": person.pk, "planned_departure_on": ""}
    )
    assert response.status_code == 302
    ret = person.returns.get()
    assert response["Location"] == detail(ret)
    page = officer.get(detail(ret))
    assert page.status_code == 200
    assert "Ana Lucía" in page.content.decode()
    assert CANARY_NOTE not in page.content.decode()

    steps = [
        (
            "counselling",
            {"options": ["return", "stay"], "language": "spa", "counselled_on": days_ago(10)},
        ),
        ("consent", {"signed_on": days_ago(5), "language": "spa"}),
        ("assessment", {"eligible": "true", "assessed_on": days_ago(4)}),
    ]
    for step, data in steps:
        response = post_step(officer, ret, step, data)
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    response = officer.post(
        step_url(ret, "document_request"),
        {
            "document_request-doc_type": "emergency_travel",
            "document_request-version": _v(ret),
            "page": "documents",
        },
    )
    assert response["Location"] == reverse("returns:documents", kwargs={"return_id": ret.pk})
    doc = ret.documents.get()
    response = officer.post(
        step_url(ret, "document_issue"),
        {
            "document_issue-document": str(doc.pk),
            "document_issue-number": "G777",
            "document_issue-issued_on": days_ago(0),
            "document_issue-version": _v(ret),
            "page": "documents",
        },
    )
    assert response.status_code == 302, response.context["step_forms"][0]["form"].errors
    documents = officer.get(reverse("returns:documents", kwargs={"return_id": ret.pk}))
    assert "G777" in documents.content.decode()
    today = timezone.localdate().isoformat()
    response = post_step(
        officer,
        ret,
        "travel_plan",
        {
            "leg0_origin": "Los Angeles",
            "leg0_destination": "Ciudad de México",
            "leg0_date": today,
            "leg0_transport": "air",
            "leg0_carrier": "AM 647",
            "special_needs": "Silla de ruedas en el aeropuerto",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    response = post_step(
        officer,
        ret,
        "hand_over",
        {
            "receiving_office": str(rw.receiving_office.pk),
            "consent_language": "spa",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    response = post_step(officer, ret, "departure", {"departed_on": today})
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == Status.DEPARTED
    assert [leg.carrier for leg in ret.legs.all()] == ["AM 647"]


def _v(ret) -> int:
    ret.refresh_from_db()
    return ret.version


def test_receiving_office_records_arrival_plan_and_follow_up_and_sees_the_trend(rw):
    ret = walk(rw, open_adult(rw), until="departure", skip=ADULT_SKIPS)
    receiver = client_for(rw.receiver)
    page = receiver.get(detail(ret)).content.decode()
    assert gettext("Arrival and reception recorded") in page
    arrived = days_ago(120)
    type(ret).objects.filter(pk=ret.pk).update(departed_on=arrived)
    response = post_step(
        receiver, ret, "arrival", {"arrived_on": arrived, "reception_note": "Recibida"}
    )
    assert response.status_code == 302
    response = post_step(
        receiver,
        ret,
        "reintegration_plan",
        {"economic": "Capital semilla", "social": "Escuela", "psychosocial": "Grupo de apoyo"},
    )
    assert response.status_code == 302
    page = receiver.get(detail(ret)).content.decode()
    assert gettext("due") in page and "Capital semilla" in page
    response = post_step(
        receiver,
        ret,
        "follow_up",
        {
            "months": "3",
            "reached": "true",
            "economic": "0.4",
            "social": "0.5",
            "psychosocial": "0.6",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    ret.refresh_from_db()
    # A second follow-up (backdated data): the trend shows an arrow against the first.
    f6 = ret.follow_ups.get(months=6)
    type(f6).objects.filter(pk=f6.pk).update(due_on=days_ago(1))
    response = post_step(
        receiver,
        ret,
        "follow_up",
        {
            "months": "6",
            "reached": "true",
            "economic": "0.7",
            "social": "0.5",
            "psychosocial": "0.3",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = receiver.get(detail(ret)).content.decode()
    assert "↑" in page and "→" in page and "↓" in page
    # The receiving side never sees the counselling notes (nor any migratory status).
    assert CANARY_NOTE not in page


# --- refusals, stale pages, 404 ------------------------------------------------------------------


def test_a_refused_step_shows_the_services_message_with_400(rw):
    ret = walk(rw, open_adult(rw), until="assessment")
    officer = client_for(rw.officer)
    # A travel plan before any document is issued: refused, the reason shown.
    response = post_step(
        officer,
        ret,
        "travel_plan",
        {
            "leg0_origin": "LA",
            "leg0_destination": "CDMX",
            "leg0_date": timezone.localdate().isoformat(),
            "leg0_transport": "air",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert gettext("No step may be skipped") in body


def test_departure_without_consent_is_refused_with_the_clear_message(rw):
    ret = walk(rw, open_adult(rw), until="hand_over", skip=ADULT_SKIPS)
    type(ret).objects.filter(pk=ret.pk).update(consent_signed_on=None)
    response = post_step(client_for(rw.officer), ret, "departure", {})
    assert response.status_code == 400
    assert escape(str(services.NO_CONSENT)) in response.content.decode()


def test_a_leg_error_is_shown_next_to_the_leg(rw):
    ret = walk(rw, open_adult(rw), until="document_issue", skip=ADULT_SKIPS)
    response = post_step(
        client_for(rw.officer),
        ret,
        "travel_plan",
        {
            "leg0_origin": "LA",
            "leg0_date": timezone.localdate().isoformat(),
            "leg0_transport": "air",
        },
    )
    assert response.status_code == 400
    form = next(f["form"] for f in response.context["step_forms"] if f["step"] == "travel_plan")
    assert form.errors.get("leg0_destination"), form.errors


def test_a_stale_page_is_a_409_that_keeps_the_input(rw):
    ret = open_adult(rw)
    stale = ret.version
    take(rw, ret, "counselling")
    response = post_step(
        client_for(rw.officer),
        ret,
        "assessment",
        {"eligible": "true", "reasons": "Mi texto"},
        version=stale,
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Mi texto" in body
    assert str(gettext("Counselling")) in body
    # The same through htmx: the workflow card alone, with the message.
    response = post_step(
        client_for(rw.officer),
        ret,
        "assessment",
        {"eligible": "true"},
        version=stale,
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert response.content.decode().lstrip().startswith('<section class="card" id="workflow">')


def test_htmx_step_success_redirects_the_page(rw):
    ret = open_adult(rw)
    response = post_step(
        client_for(rw.officer),
        ret,
        "counselling",
        {"options": ["return", "stay"], "language": "spa", "counselled_on": days_ago(5)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200, response.content.decode()
    assert response["HX-Redirect"] == detail(ret)


def test_others_get_404_on_every_page_of_a_return(rw):
    ret = walk(rw, open_adult(rw), until="assessment")
    outsider = client_for(actor_for(rw.network.user(Role.OFFICER, OTHER_COUNTRY)))
    receiver = client_for(rw.receiver)  # no hand-over yet
    for client in (outsider, receiver):
        for name in ("detail", "documents", "withdraw", "pdf"):
            url = reverse(f"returns:{name}", kwargs={"return_id": ret.pk})
            assert client.get(url).status_code == 404, name
        assert post_step(client, ret, "assessment", {"eligible": "true"}).status_code == 404
    # The receiving side may not take the sending side's steps once handed over either.
    ret = walk(
        rw, ret, until="hand_over", skip=(*ADULT_SKIPS, "counselling", "consent", "assessment")
    )
    assert receiver.get(detail(ret)).status_code == 200
    assert post_step(receiver, ret, "departure", {}).status_code == 404
    assert (
        receiver.get(reverse("returns:withdraw", kwargs={"return_id": ret.pk})).status_code == 404
    )
    assert (
        client_for(rw.officer)
        .get(
            reverse("returns:detail", kwargs={"return_id": "00000000-0000-0000-0000-000000000000"})
        )
        .status_code
        == 404
    )


def test_unknown_step_is_404(rw):
    ret = open_adult(rw)
    assert client_for(rw.officer).post(step_url(ret, "teleport"), {}).status_code == 404


# --- withdrawal ----------------------------------------------------------------------------------


def test_withdrawal_asks_for_confirmation_then_ends_the_return(rw):
    ret = walk(rw, open_adult(rw), until="assessment")
    officer = client_for(rw.officer)
    url = reverse("returns:withdraw", kwargs={"return_id": ret.pk})
    page = officer.get(url)
    assert page.status_code == 200
    assert gettext("Withdraw the return") in page.content.decode()
    unconfirmed = officer.post(
        url, {"withdraw-reason": "Decidió quedarse", "withdraw-version": _v(ret)}
    )
    assert unconfirmed.status_code == 400
    ret.refresh_from_db()
    assert ret.status == Status.ASSESSMENT
    done = officer.post(
        url,
        {
            "withdraw-reason": "Decidió quedarse",
            "withdraw-confirm": "on",
            "withdraw-version": _v(ret),
        },
    )
    assert done.status_code == 302
    ret.refresh_from_db()
    assert ret.status == Status.WITHDRAWN
    page = officer.get(detail(ret)).content.decode()
    assert "Decidió quedarse" in page
    assert f'href="{url}"' not in page


def test_withdrawal_after_departure_is_refused(rw):
    ret = walk(rw, open_adult(rw), until="departure", skip=ADULT_SKIPS)
    url = reverse("returns:withdraw", kwargs={"return_id": ret.pk})
    response = client_for(rw.officer).post(
        url, {"withdraw-confirm": "on", "withdraw-version": _v(ret)}
    )
    assert response.status_code == 400
    assert escape(str(services.AFTER_DEPARTURE)) in response.content.decode()


# --- opening, list, settings, panels -------------------------------------------------------------


def test_open_from_a_protection_case_and_the_case_panel(rw):
    person = rw.person()
    case = case_services.case_open(
        actor=rw.officer, person=person, case_type="detention", summary="Detenida"
    )
    officer = client_for(rw.officer)
    case_page = officer.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    assert f"{reverse('returns:create')}?case={case.pk}" in case_page
    response = officer.post(reverse("returns:create"), {"case": case.pk})
    assert response.status_code == 302
    ret = person.returns.get()
    assert ret.protection_case == case and ret.after_detention
    case_page = officer.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    assert ret.reference in case_page
    person_page = officer.get(
        reverse("people:detail", kwargs={"person_id": person.pk})
    ).content.decode()
    assert ret.reference in person_page
    # A second request for the same person is refused on the form.
    again = officer.post(reverse("returns:create"), {"person": person.pk})
    assert again.status_code == 400
    assert gettext("This person already has a return under way.") in again.content.decode()
    # An office the case was referred to reads the person, but does not open a return.
    referral = case_services.referral_create(
        actor=actor_for(rw.network.user(Role.SUPERVISOR)),
        case=case,
        to_office=rw.receiving_office,
        purpose="Acogida",
        consent=True,
    )
    case_services.referral_accept(actor=rw.receiver, referral=referral)
    receiver = client_for(rw.receiver)
    assert (
        receiver.get(reverse("people:detail", kwargs={"person_id": person.pk})).status_code == 200
    )
    assert receiver.get(reverse("returns:create") + f"?person={person.pk}").status_code == 404
    assert receiver.get(reverse("returns:create") + f"?case={case.pk}").status_code == 404
    # Another country's officer cannot open one for this person.
    outsider = client_for(actor_for(rw.network.user(Role.OFFICER, OTHER_COUNTRY)))
    assert outsider.get(reverse("returns:create") + f"?person={person.pk}").status_code == 404


def test_list_filters_search_and_scope(rw):
    first = walk(rw, open_adult(rw), until="counselling")
    second = services.return_open(
        actor=rw.officer,
        person=rw.person(given_names="Bruno", first_surname="Quintero"),
    )
    officer = client_for(rw.officer)
    url = reverse("returns:list")
    page = officer.get(url).content.decode()
    assert first.reference in page and second.reference in page
    page = officer.get(url, {"status": "counselling"}).content.decode()
    assert first.reference in page and second.reference not in page
    page = officer.get(url, {"q": "Quintero"}).content.decode()
    assert second.reference in page and first.reference not in page
    page = officer.get(url, {"q": first.reference[-6:]}).content.decode()
    assert first.reference in page and second.reference not in page
    page = officer.get(url, {"q": "nadie-asi"}).content.decode()
    assert gettext("No return matches these filters.") in page
    assert officer.get(url, {"status": "nonsense"}).status_code == 400
    # Pagination keeps the filters (the page links carry the query).
    outsider = client_for(actor_for(rw.network.user(Role.OFFICER, OTHER_COUNTRY)))
    page = outsider.get(url).content.decode()
    assert first.reference not in page
    assert gettext("There is no return you can see yet.")[:20] in page


def test_name_search_only_where_the_reader_sees_the_identity(rw):
    from enlace.access.rules import Protection
    from enlace.people.models import Person

    ret = walk(rw, open_adult(rw), until="hand_over", skip=ADULT_SKIPS)
    Person.objects.filter(pk=ret.person_id).update(identity_protection=Protection.GBV)
    receiver = client_for(rw.receiver)  # a receiving office's officer: not the GBV focal point
    url = reverse("returns:list")
    assert ret.reference in receiver.get(url).content.decode()
    page = receiver.get(url, {"q": "Ramírez"}).content.decode()
    assert ret.reference not in page
    assert "Ramírez" not in receiver.get(detail(ret)).content.decode()


def test_due_filter_finds_follow_ups_due(rw):
    ret = walk(rw, open_adult(rw), until="departure", skip=ADULT_SKIPS)
    type(ret).objects.filter(pk=ret.pk).update(departed_on=days_ago(100))
    take(rw, ret, "arrival", data={"arrived_on": days_ago(100)})
    other = walk(
        rw,
        services.return_open(actor=rw.officer, person=rw.person(given_names="Otra")),
        until="counselling",
    )
    page = client_for(rw.receiver).get(reverse("returns:list"), {"due": "follow_up"})
    body = page.content.decode()
    assert ret.reference in body and other.reference not in body


@pytest.mark.parametrize(
    ("query", "budget"),
    # 13: the page's navigation counts the office's open data-protection requests (its badge).
    [("", 13), ("?q=Ana", 13), ("?status=requested&sort=reference", 13)],
)
def test_list_queries_do_not_grow_with_rows(rw, query, budget):
    """The list's queries for 2 and 7 rows are the same number, within its budget (plain,
    searched by name, filtered and sorted); htmx's partial too."""
    officer = client_for(rw.officer)
    url = reverse("returns:list") + query
    counts = []
    names = iter(["Uno", "Dos", "Tres", "Cuatro", "Cinco", "Seis", "Siete"])
    for upto in (2, 7):
        while rw.network.offices[OWN_OFFICE].returns.count() < upto:
            services.return_open(actor=rw.officer, person=rw.person(first_surname=next(names)))
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            officer.get(url, **headers)
            with CaptureQueriesContext(connection) as ctx:
                response = officer.get(url, **headers)
            assert response.status_code == 200
            assert response.content.decode().count('href="/returns/') >= upto
            counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[2] <= budget and counts[1] == counts[3] <= budget, counts


def test_home_shows_arrivals_to_the_receiving_office_and_waiting_returns_to_the_owner(rw):
    waiting = walk(rw, open_adult(rw), until="counselling")
    arriving = walk(
        rw,
        services.return_open(actor=rw.officer, person=rw.person(given_names="Luz")),
        until="hand_over",
        skip=ADULT_SKIPS,
    )
    home = client_for(rw.receiver).get(reverse("core:home")).content.decode()
    assert arriving.reference in home and waiting.reference not in home
    assert detail(arriving) in home
    owner_home = client_for(rw.officer).get(reverse("core:home")).content.decode()
    assert waiting.reference in owner_home
    # The inbox item of the hand-over links to the return's page.
    item = Item.objects.filter(office=rw.receiving_office).latest("created")
    assert item.link == detail(arriving)


def test_cooling_off_setting_is_the_supervisors(rw):
    url = reverse("returns:settings")
    assert client_for(rw.officer).get(url).status_code == 404
    supervisor = client_for(actor_for(rw.network.user(Role.SUPERVISOR)))
    assert supervisor.get(url).status_code == 200
    assert supervisor.post(url, {"cooling_off_days": "120"}).status_code == 400
    assert supervisor.post(url, {"cooling_off_days": "0"}).status_code == 302
    office = rw.network.offices[OWN_OFFICE]
    assert ReturnSettings.objects.get(office=office).cooling_off_days == 0
    admin = client_for(actor_for(rw.network.user(Role.ADMINISTRATOR)))
    assert admin.post(url, {"cooling_off_days": "5"}).status_code == 302
    assert ReturnSettings.objects.get(office=office).cooling_off_days == 5


def test_consent_before_the_cooling_off_ends_is_refused_on_the_page(rw):
    ret = open_adult(rw)
    officer = client_for(rw.officer)
    post_step(
        officer,
        ret,
        "counselling",
        {"options": ["return", "stay"], "language": "spa", "counselled_on": days_ago(1)},
    )
    response = post_step(officer, ret, "consent", {"signed_on": days_ago(0), "language": "spa"})
    assert response.status_code == 400
    page = officer.get(detail(ret)).content.decode()
    earliest = days_ago(1) + dt.timedelta(days=3)
    assert formats.date_format(earliest, "SHORT_DATE_FORMAT") in page
    ret.refresh_from_db()
    assert ret.consent_signed_on is None


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("es", "Guía para consejeros de retorno"),
        ("en", "Guide for return counsellors"),
        ("pt", "Guia para conselheiros de retorno"),
        ("fr", "Guide pour les conseillers au retour"),
    ],
)
def test_the_counsellors_guide_is_on_the_help_page_in_four_languages(rw, settings, lang, title):
    client = client_for(rw.officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    assert 'href="/help/returns/"' in client.get("/help/").content.decode()
    page = client.get("/help/returns/").content.decode()
    assert f"<h1>{title}</h1>" in page
    assert '<img src="/help/img/return.png"' in page
    assert client.get("/help/img/return-phone.png").status_code == 200


def test_closing_asks_for_confirmation(rw):
    """Closing is final: without the confirmation box the form comes back with its error and
    the return stays open; with it, the return is closed."""
    ret = open_adult(rw)
    officer = client_for(rw.officer)
    data = {"outcome": "did_not_return", "reason": "Decidió quedarse"}
    response = post_step(officer, ret, "close", data)
    assert response.status_code == 400
    ret.refresh_from_db()
    assert ret.status == Status.REQUESTED
    response = post_step(officer, ret, "close", {**data, "confirm": "on"})
    assert response.status_code in (200, 302)
    ret.refresh_from_db()
    assert ret.status == Status.CLOSED


def test_a_late_plan_is_shown_as_overdue_then_as_agreed_late(rw):
    """No plan 30 days after arrival: "overdue"; a plan agreed later: "agreed after the 30
    days", no longer "overdue" (the flag stays, for the figures)."""
    from enlace.returns.models import Return

    ret = walk(rw, open_adult(rw), until="arrival", skip=ADULT_SKIPS)
    Return.objects.filter(pk=ret.pk).update(arrived_on=days_ago(40))
    receiver = client_for(rw.receiver)
    page = receiver.get(detail(ret)).content.decode()
    reception = page[page.index('id="reception"') :]
    assert gettext("overdue") in reception
    assert gettext("agreed after the 30 days") not in reception
    ret = take(rw, ret, "reintegration_plan")
    assert ret.plan_overdue
    page = receiver.get(detail(ret)).content.decode()
    reception = page[
        page.index('id="reception"') : page.index("</section>", page.index('id="reception"'))
    ]
    assert gettext("agreed after the 30 days") in reception
    assert f'badge overdue">{gettext("overdue")}' not in reception
