"""The tracing loop for the people who work it: the owning office reviews side by side in
plain words, the requesting office sees nothing of the person until confirmation, both keep
their links and each other's contact afterwards, and a request can be edited or withdrawn."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE
from enlace.audit.models import ChangeEvent
from enlace.core.errors import TransitionNotAllowed
from enlace.people import services as people_services
from enlace.tracing import services
from enlace.tracing.models import TracingMatch, TracingRequest
from enlace.tracing.present import EFFECTS, FINDINGS, comparison

from .test_tracing import AGE, SOUGHT
from .test_tracing import REQUEST as BASE_REQUEST

# The requester's own name shares nothing with the person's record.
REQUEST = {**BASE_REQUEST, "requester_name": "Rosa Reyes"}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_back():
    yield
    translation.deactivate()


CONTACT = {
    "phone": "+52 55 5555 0101",
    "email": "albergue@example.org",
    "address": "Calle 5 de Mayo 12, Tapachula",
    "opening_hours": "Lunes a viernes, 9:00 a 15:00",
}
REQUESTER_CONTACT = {
    "phone": "+1 213 555 0199",
    "email": "consulado@example.org",
    "address": "2401 W 6th St, Los Angeles",
    "opening_hours": "Monday to Friday 8:00-14:00",
}
# What only the registered person's record holds (the request says Perez, Maria Gomez, 27).
PERSON_VALUES = ["Jesús", "Alberto", "1999", "Gómez", "María", "Pérez", "03-14"]


@pytest.fixture
def registered(network):
    for relation, contact in ((OTHER_COUNTRY, CONTACT), (OWN_OFFICE, REQUESTER_CONTACT)):
        office = network.offices[relation]
        for key, value in contact.items():
            setattr(office, key, value)
        office.save()
    owner = actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))
    return people_services.person_create(actor=owner, data=SOUGHT)


@pytest.fixture
def filed(network, registered):
    return services.request_create(
        actor=actor_for(network.user(Role.OFFICER, OWN_OFFICE)), data=REQUEST
    )


def _web(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _owner(network) -> Client:
    return _web(network.user(Role.OFFICER, OTHER_COUNTRY))


def _requester(network) -> Client:
    return _web(network.user(Role.OFFICER, OWN_OFFICE))


def _scrub(body: str) -> str:
    """Without the per-response CSRF token and the record ids (random digits)."""
    body = re.sub(r"[A-Za-z0-9]{64}", "", body)
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "", body)


# 1. Side by side, in plain words ------------------------------------------------------------


def test_owner_reviews_side_by_side_in_plain_words(network, filed):
    match = filed.matches.get()
    body = _owner(network).get(f"/tracing/matches/{match.pk}/").content.decode()
    assert 'id="comparison"' in body
    translation.activate("en")  # as the page was read
    rows = {r["field"]: r for r in comparison(match)["rows"]}
    # What the family said next to what the office registered.
    assert rows["given_names"]["described"] == "«Chuy»"
    assert rows["given_names"]["registered"] == "Jesús Alberto"
    assert rows["surnames"] == rows["surnames"] | {
        "described": "Perez",
        "registered": "Pérez Gómez",
    }
    assert rows["mother_name"]["described"] == "Maria Gomez"
    assert rows["mother_name"]["registered"] == "María Gómez"
    # The findings in words, not weights: the mother's name agrees, the age fits the year.
    assert rows["mother_name"]["sentence"] == f"Mother's name: {FINDINGS['exact']}"
    assert rows["mother_name"]["effect_label"] == str(EFFECTS["for"])
    assert rows["birth_date"]["sentence"] == (
        f"Age fits: described about {AGE}, registered born 1999"
    )
    for row in rows.values():
        assert row["sentence"] in body.replace("&#x27;", "'")
        assert row["registered"] in body
    assert "Score " in comparison(match)["summary"]


def test_age_that_does_not_fit_says_so(filed):
    match = filed.matches.get()
    match.request.approximate_age = 45  # as if the family had said 45 (born about 1981)
    translation.activate("en")
    rows = {r["field"]: r for r in comparison(match)["rows"]}
    assert rows["birth_date"]["sentence"] == (
        "Age does not fit: described about 45, registered born 1999"
    )


def test_requester_explanation_leaks_no_registered_person_value(network, filed):
    """Every page and answer the requesting office reads about the match holds its own words,
    the office and a strength: none of the registered person's values, no finding."""
    match = filed.matches.get()
    web = _requester(network)
    api = APIClient()
    api.force_authenticate(network.user(Role.OFFICER, OWN_OFFICE))
    bodies = {
        "match page": web.get(f"/tracing/matches/{match.pk}/").content.decode(),
        "request page": web.get(f"/tracing/requests/{filed.pk}/").content.decode(),
        "edit page": web.get(f"/tracing/requests/{filed.pk}/edit/").content.decode(),
        "api match": api.get(f"/api/v1/tracing-matches/{match.pk}/").content.decode(),
    }
    translation.activate("en")  # the language the pages were read in
    findings = [str(f) for f in FINDINGS.values()] + ["Age fits", "Age does not fit"]
    for name, body in bodies.items():
        body = _scrub(body)
        assert 'id="comparison"' not in body, name
        for value in PERSON_VALUES + findings:
            assert value not in body, (name, value)
        # Nor the owning office's contact, before confirmation.
        for value in CONTACT.values():
            assert value not in body, (name, value)


# 2. After confirmation: links and contacts on both sides -------------------------------------


def _confirm(network, match) -> TracingMatch:
    return services.match_confirm(
        actor=actor_for(network.user(Role.OFFICER, OTHER_COUNTRY)),
        match=match,
        notice_language="es",
    )


def test_both_offices_keep_links_and_each_others_contact(network, filed, registered):
    match = _confirm(network, filed.matches.get())
    reunification = match.reunification
    owner, requester = _owner(network), _requester(network)
    links = (f"/tracing/matches/{match.pk}/", f"/tracing/reunifications/{reunification.pk}/")

    # The person's page, on both sides: the match, the reunification, the other's contact.
    for client, other in ((owner, REQUESTER_CONTACT), (requester, CONTACT)):
        page = client.get(f"/people/{registered.pk}/")
        assert page.status_code == 200
        body = page.content.decode()
        assert 'id="person-tracing"' in body
        assert filed.reference in body
        for link in links:
            assert link in body
        for value in other.values():
            assert value in body
    # The request page and the match page of the requesting office.
    body = requester.get(f"/tracing/requests/{filed.pk}/").content.decode()
    assert links[0] in body and links[1] in body
    for value in CONTACT.values():
        assert value in body
    for client, other in ((owner, REQUESTER_CONTACT), (requester, CONTACT)):
        for url in links:
            body = client.get(url).content.decode()
            assert 'id="office-contact"' in body, url
            for value in other.values():
                assert value in body, (url, value)


def test_person_panel_shows_no_pending_match_to_the_requester(network, filed, registered):
    # Before confirmation the requesting office cannot even open the person.
    assert _requester(network).get(f"/people/{registered.pk}/").status_code == 404
    body = _owner(network).get(f"/people/{registered.pk}/").content.decode()
    assert f"/tracing/matches/{filed.matches.get().pk}/" in body  # the owner reviews from here


def test_withdrawn_consent_takes_the_contact_away(network, filed):
    match = _confirm(network, filed.matches.get())
    services.matches_withdraw(
        actor=actor_for(network.user(Role.OFFICER, OTHER_COUNTRY)), person=match.person
    )
    body = _requester(network).get(f"/tracing/requests/{filed.pk}/").content.decode()
    for value in CONTACT.values():
        assert value not in body


# 3. Edit and withdraw -------------------------------------------------------------------------


def _form(tr: TracingRequest, **changes) -> dict:
    data = {k: v for k, v in REQUEST.items() if v is not None}
    data["requester_consent"] = "on"
    data["version"] = TracingRequest.objects.get(pk=tr.pk).version
    return data | changes


def test_adding_the_mothers_name_matches_again(network, registered):
    requester = actor_for(network.user(Role.OFFICER, OWN_OFFICE))
    tr = services.request_create(actor=requester, data={**REQUEST, "mother_name": ""})
    match = tr.matches.get()
    services.match_reject(actor=actor_for(network.user(Role.OFFICER, OTHER_COUNTRY)), match=match)
    response = _requester(network).post(
        f"/tracing/requests/{tr.pk}/edit/", _form(tr, mother_name="Maria Gomez")
    )
    assert response.status_code == 302
    tr.refresh_from_db()
    assert tr.mother_name == "Maria Gomez" and tr.version == 2
    match.refresh_from_db()
    # The request changed: the pair rejected before is proposed again, with the new field.
    assert match.status == TracingMatch.Status.PROPOSED
    assert {f: lvl for f, lvl, _w in match.explanation}["mother_name"] == "exact"
    event = ChangeEvent.objects.get(record_id=str(tr.pk), action="tracing_request_update")
    assert event.changes["mother_name"] == ["", "Maria Gomez"]


def test_stale_edit_answers_409_and_keeps_the_input(network, filed):
    client = _requester(network)
    stale = _form(filed, mother_name="Mi versión")
    stale["version"] = filed.version
    services.request_update(
        actor=actor_for(network.user(Role.SUPERVISOR, OWN_OFFICE)),
        request=filed,
        version=filed.version,
        data={**REQUEST, "notes": "Otra persona guardó antes"},
    )
    response = client.post(f"/tracing/requests/{filed.pk}/edit/", stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert 'value="Mi versión"' in body  # the user's input is still in the form
    filed.refresh_from_db()
    assert filed.mother_name == "Maria Gomez"


def test_bad_input_on_edit_is_a_400_with_the_message(network, filed):
    response = _requester(network).post(
        f"/tracing/requests/{filed.pk}/edit/", _form(filed, birth_date="14/03/1999")
    )
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


def test_only_the_requesting_office_edits(network, filed):
    for role, relation in ((Role.OFFICER, OTHER_COUNTRY), (Role.NATIONAL_FOCAL_POINT, OWN_OFFICE)):
        client = _web(network.user(role, relation))
        assert client.get(f"/tracing/requests/{filed.pk}/edit/").status_code == 404
        assert client.post(f"/tracing/requests/{filed.pk}/edit/", _form(filed)).status_code == 404


def test_withdrawn_request_stops_matching_and_closes_pending_matches(network, filed):
    match = filed.matches.get()
    client = _requester(network)
    response = client.post(
        f"/tracing/requests/{filed.pk}/withdraw/",
        {"reason": "La familia lo encontró", "version": filed.version},
    )
    assert response.status_code == 302
    filed.refresh_from_db()
    match.refresh_from_db()
    assert filed.status == TracingRequest.Status.WITHDRAWN
    assert match.status == TracingMatch.Status.CLOSED
    event = ChangeEvent.objects.get(record_id=str(filed.pk), action="tracing_request_withdraw")
    assert event.changes["reason"] == ["", "La familia lo encontró"]
    assert str(match.pk) in event.changes["closed_matches"][1]
    # Nothing left for the owning office to review, and no new match is made.
    assert str(match.pk) not in _owner(network).get("/tracing/").content.decode()
    twin = people_services.person_create(
        actor=actor_for(network.user(Role.OFFICER, OTHER_COUNTRY)),
        data={**SOUGHT, "given_names": "Jesús"},
    )
    assert not services.person_match_requests(person_id=twin.pk)
    assert services.request_match(request=filed) == []
    assert filed.matches.count() == 1
    # It can be neither withdrawn again nor edited.
    again = client.post(
        f"/tracing/requests/{filed.pk}/withdraw/", {"reason": "", "version": filed.version}
    )
    assert again.status_code == 409
    assert client.get(f"/tracing/requests/{filed.pk}/edit/").status_code == 409
    with pytest.raises(TransitionNotAllowed):
        services.request_update(
            actor=actor_for(network.user(Role.OFFICER, OWN_OFFICE)),
            request=filed,
            version=filed.version,
            data=REQUEST,
        )


def test_stale_withdrawal_is_a_409(network, filed):
    response = _requester(network).post(
        f"/tracing/requests/{filed.pk}/withdraw/", {"reason": "", "version": filed.version + 5}
    )
    assert response.status_code == 409
    filed.refresh_from_db()
    assert filed.status == TracingRequest.Status.OPEN


# The relink job's button (docs/tracing.md § 6: Home → the registry relink) -------------------


def test_relink_button_on_home_for_administrators_only(network, django_capture_on_commit_callbacks):
    admin = _web(network.user(Role.ADMINISTRATOR))
    assert 'id="registry-relink"' in admin.get("/").content.decode()
    for role in (Role.OFFICER, Role.SUPERVISOR, Role.NATIONAL_FOCAL_POINT, Role.ANALYST):
        assert 'id="registry-relink"' not in _web(network.user(role)).get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post("/tracing/relink/")
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    job_page = admin.get(response["Location"])
    assert job_page.status_code == 200
