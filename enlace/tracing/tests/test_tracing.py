"""Family tracing: matching across the network, the firewall before confirmation, review,
and reunification."""

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, assert_matrix
from enlace.core.errors import ValidationFailed
from enlace.people import services as people_services
from enlace.tracing import services
from enlace.tracing.models import Reunification, TracingMatch, TracingRequest

pytestmark = pytest.mark.django_db

SOUGHT = {
    "given_names": "Jesús Alberto",
    "first_surname": "Pérez",
    "second_surname": "Gómez",
    "sex": "M",
    "birth_date": "1999-03-14",
    "birth_place": "Tegucigalpa",
    "mother_name": "María Gómez",
}
# The sought person was born in 1999: the family gives the age they would have today.
AGE = timezone.localdate().year - 1999
REQUEST = {
    "requester_name": "María Gómez Reyes",
    "requester_relation": "mother",
    "requester_contact": "+504 9999 0000",
    "requester_consent": True,
    "nickname": "Chuy",
    "first_surname": "Perez",
    "sex": "M",
    "approximate_age": AGE,
    "mother_name": "Maria Gomez",
    "birth_place": "Tegucigalpa",
}
# What only the registering office knows: none of it is in the request itself.
SECRETS = [
    "Jesús Alberto",
    "Alberto",
    "1999-03-14",
    "Pérez Gómez",
    "registered-office@example.org",
    "+1 555 0100",
]


@pytest.fixture
def registered(network):
    """The person is registered by the OTHER_COUNTRY office (a shelter in Mexico, say)."""
    office = network.offices[OTHER_COUNTRY]
    office.email, office.phone = "registered-office@example.org", "+1 555 0100"
    office.save()
    owner = actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))
    return people_services.person_create(actor=owner, data=SOUGHT)


@pytest.fixture
def filed(network, registered):
    requester = actor_for(network.user(Role.OFFICER, OWN_OFFICE))
    return services.request_create(actor=requester, data=REQUEST)


def test_request_finds_the_person_across_countries_with_an_explanation(filed, registered):
    match = filed.matches.get()
    assert match.person == registered
    assert match.match_probability >= services.PROPOSE_THRESHOLD
    fields = {row[0]: row[1] for row in match.explanation}
    assert set(fields) >= {"given_names", "surnames", "birth_date", "mother_name"}


def test_requester_learns_nothing_before_confirmation(network, filed):
    api = APIClient()
    api.force_authenticate(network.user(Role.OFFICER, OWN_OFFICE))
    web = Client()
    web.force_login(network.user(Role.OFFICER, OWN_OFFICE))
    match = filed.matches.get()
    bodies = [
        api.get(f"/api/v1/tracing-requests/{filed.pk}/").content,
        api.get("/api/v1/tracing-requests/").content,
        api.get("/api/v1/tracing-matches/?side=requester").content,
        api.get(f"/api/v1/tracing-matches/{match.pk}/").content,
        web.get(f"/tracing/requests/{filed.pk}/").content,
        web.get(f"/tracing/matches/{match.pk}/").content,
        web.get("/tracing/export/").content,
        web.get("/tracing/").content,
    ]
    for body in bodies:
        text = body.decode()
        for secret in SECRETS:
            assert secret not in text, secret
    data = api.get(f"/api/v1/tracing-matches/{match.pk}/").json()
    assert data["office"] == network.offices[OTHER_COUNTRY].name
    assert data["strength"] in ("strong", "possible")
    assert "explanation" not in data and "match_probability" not in data
    assert "person" not in data and "person_name" not in data
    assert api.get(f"/api/v1/people/{match.person_id}/").status_code == 404


def test_owner_does_not_see_the_requester_before_confirmation(network, filed):
    api = APIClient()
    api.force_authenticate(network.user(Role.OFFICER, OTHER_COUNTRY))
    data = api.get("/api/v1/tracing-matches/").json()["results"][0]
    assert data["person_name"] == "Jesús Alberto Pérez Gómez"
    assert data["requester_relation"] == "mother"
    assert "María Gómez Reyes" not in str(data) and "+504" not in str(data)
    assert data["request"] is None


def test_confirmation_with_consent_opens_reunification_for_both(network, filed):
    match = filed.matches.get()
    owner = network.user(Role.OFFICER, OTHER_COUNTRY)
    api = APIClient()
    api.force_authenticate(network.user(Role.OFFICER, OWN_OFFICE))
    assert (
        api.post(
            f"/api/v1/tracing-matches/{match.pk}/confirm/", {"notice_language": "es"}
        ).status_code
        == 404
    )  # not the owner
    owner_api = APIClient()
    owner_api.force_authenticate(owner)
    resp = owner_api.post(f"/api/v1/tracing-matches/{match.pk}/confirm/", {})
    assert resp.status_code == 400 and "notice_language" in resp.json()
    resp = owner_api.post(f"/api/v1/tracing-matches/{match.pk}/confirm/", {"notice_language": "es"})
    assert resp.status_code == 200
    assert resp.json()["requester_name"] == "María Gómez Reyes"
    data = api.get(f"/api/v1/tracing-matches/{match.pk}/").json()
    assert data["person_name"] == "Jesús Alberto Pérez Gómez"
    assert data["office_email"] == "registered-office@example.org"
    reunification = Reunification.objects.get(match=match)
    for client in (api, owner_api):
        assert client.get(f"/api/v1/reunifications/{reunification.pk}/").status_code == 200
    match.refresh_from_db()
    assert match.consent.purpose == "family_tracing"
    filed.refresh_from_db()
    assert filed.status == TracingRequest.Status.MATCH_CONFIRMED


def test_rejected_pair_comes_back_only_when_a_record_changes(network, filed, registered):
    match = filed.matches.get()
    owner = actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))
    services.match_reject(actor=owner, match=match, note="Otra persona")
    assert services.request_match(request=filed) == []
    match.refresh_from_db()
    assert match.status == TracingMatch.Status.REJECTED
    people_services.person_update(
        actor=owner, person=registered, version=None, data={"birth_place": "San Pedro Sula"}
    )
    services.person_match_requests(person_id=registered.pk)
    match.refresh_from_db()
    assert match.status == TracingMatch.Status.PROPOSED


def test_person_registered_later_is_matched_against_open_requests(network):
    requester = actor_for(network.user(Role.OFFICER, OWN_OFFICE))
    tr = services.request_create(actor=requester, data=REQUEST)
    assert not tr.matches.exists()
    owner = actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))
    person = people_services.person_create(actor=owner, data=SOUGHT)
    services.person_match_requests(person_id=person.pk)
    assert tr.matches.get().person == person


def test_person_who_refuses_tracing_is_never_searched(network):
    owner = actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))
    people_services.person_create(actor=owner, data={**SOUGHT, "refuses_tracing": True})
    requester = actor_for(network.user(Role.OFFICER, OWN_OFFICE))
    tr = services.request_create(actor=requester, data=REQUEST)
    assert not tr.matches.exists()


def test_sibling_is_not_proposed(network):
    owner = actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))
    people_services.person_create(
        actor=owner, data={**SOUGHT, "given_names": "Luis Fernando", "birth_date": "2001-06-02"}
    )
    requester = actor_for(network.user(Role.OFFICER, OWN_OFFICE))
    tr = services.request_create(actor=requester, data=REQUEST)
    assert not tr.matches.exists()


def test_request_needs_consent_and_a_name(network):
    requester = actor_for(network.user(Role.OFFICER, OWN_OFFICE))
    with pytest.raises(ValidationFailed) as exc:
        services.request_create(
            actor=requester,
            data={**REQUEST, "requester_consent": False, "nickname": "", "first_surname": ""},
        )
    assert {"requester_consent", "given_names"} <= set(exc.value.errors)


def test_child_reunification_needs_best_interests_determination(network):
    owner = actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))
    child = people_services.person_create(actor=owner, data={**SOUGHT, "birth_date": "2014-03-14"})
    requester = actor_for(network.user(Role.OFFICER, OWN_OFFICE))
    tr = services.request_create(actor=requester, data={**REQUEST, "approximate_age": 12})
    match = tr.matches.get(person=child)
    services.match_confirm(actor=owner, match=match, notice_language="es")
    item = Reunification.objects.get(match=match)
    assert item.involves_child
    base = {
        "relationship_verified": True,
        "requester_consent": True,
        "person_consent": True,
        "reunion_date": "2026-12-01",
    }
    with pytest.raises(ValidationFailed):
        services.reunification_update(
            actor=requester, reunification=item, version=None, data=base, complete=True
        )
    import datetime as dt

    item = services.reunification_update(
        actor=owner,
        reunification=item,
        version=None,
        complete=True,
        data={
            **base,
            "reunion_date": dt.date(2026, 12, 1),
            "best_interests_on": dt.date(2026, 11, 25),
            "best_interests_by": "DIF",
            "best_interests_outcome": "Reunificación con la madre",
        },
    )
    assert item.status == Reunification.Status.COMPLETED
    tr.refresh_from_db()
    assert tr.status == TracingRequest.Status.REUNIFIED


def test_matrix_match_page(network, filed):
    match = filed.matches.get()

    def expected(role: str, relation: str) -> int:
        staff = role in (Role.OFFICER, Role.SUPERVISOR)
        return 200 if staff and relation in (OWN_OFFICE, OTHER_COUNTRY) else 404

    assert_matrix(
        users=network.users,
        expected=expected,
        request=lambda c: c.get(f"/api/v1/tracing-matches/{match.pk}/"),
    )
    assert_matrix(
        users=network.users,
        expected=expected,
        api=False,
        request=lambda c: c.get(f"/tracing/matches/{match.pk}/"),
    )


def test_matrix_request_page(network, filed):
    def expected(role: str, relation: str) -> int:
        return 200 if role in (Role.OFFICER, Role.SUPERVISOR) and relation == OWN_OFFICE else 404

    assert_matrix(
        users=network.users,
        expected=expected,
        request=lambda c: c.get(f"/api/v1/tracing-requests/{filed.pk}/"),
    )


def test_relink_job_reindexes_and_rematches(network, filed, django_capture_on_commit_callbacks):
    from enlace.core.models import Job
    from enlace.people.models import PersonIndex, PersonKey

    # An index row whose fingerprint is unknown is rebuilt (a relink skips current ones).
    PersonKey.objects.all().delete()
    PersonIndex.objects.update(fingerprint="")
    TracingMatch.objects.all().delete()
    client = Client()
    client.force_login(network.user(Role.ADMINISTRATOR))
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post("/tracing/relink/")
    job = Job.objects.get(kind="registry_relink")
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.result["people"] == 1 and job.result["proposals"] == 1
    assert job.result["people_reindexed"] == 1 and job.result["requests_rematched"] == 1
    assert PersonKey.objects.exists()
    assert resp.status_code == 302


def test_the_issue_example_chuy_perez_about_25(network):
    """A mother asks for "Chuy Pérez, about 25"; a shelter registered JESUS ALBERTO PEREZ
    GOMEZ, born 1999. The pair is put in front of the shelter for review."""
    shelter = actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))
    person = people_services.person_create(
        actor=shelter,
        data={
            "given_names": "JESUS ALBERTO",
            "first_surname": "PEREZ",
            "second_surname": "GOMEZ",
            "birth_date": "1999",
        },
    )
    for i in range(30):  # other people in the registry, some with the same surname
        people_services.person_create(
            actor=shelter,
            data={
                "given_names": ["María", "José", "Rosa", "Luis", "Carmen"][i % 5],
                "first_surname": ["Pérez", "López", "García"][i % 3],
                "birth_date": str(1960 + i),
            },
        )
    consulate = actor_for(network.user(Role.OFFICER, OWN_OFFICE))
    tr = services.request_create(
        actor=consulate,
        data={
            "requester_name": "Doña Marta",
            "requester_relation": "mother",
            "requester_consent": True,
            "nickname": "Chuy",
            "first_surname": "Pérez",
            "approximate_age": 25,
        },
    )
    matches = list(tr.matches.all())
    assert [m.person for m in matches][:1] == [person]


def test_a_document_number_finds_the_person_under_other_names(network):
    # The family knows the passport number; the registry has the person under other names
    # and without a date: only the number links them, and the requester still sees no identity.
    owner = actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))
    person = people_services.person_create(
        actor=owner,
        data={"given_names": "Kelvin Josué", "first_surname": "Rhodas", "sex": "M"},
    )
    people_services.document_add(
        actor=owner, person=person, doc_type="passport", number="G0458812", issuing_country="HN"
    )
    requester = actor_for(network.user(Role.OFFICER, OWN_OFFICE))
    data = {
        **REQUEST,
        "nickname": "",
        "given_names": "Kevin",
        "first_surname": "Rodas Pineda",
        "approximate_age": None,
        "birth_place": "",
        "mother_name": "",
        "document_number": "g-045 8812",
    }
    tr = services.request_create(actor=requester, data=data)
    match = tr.matches.get()
    assert match.person == person
    levels = {field: level for field, level, _weight in match.explanation}
    assert levels["document_number"] == "exact"
    api = APIClient()
    api.force_authenticate(network.user(Role.OFFICER, OWN_OFFICE))
    body = api.get(f"/api/v1/tracing-matches/{match.pk}/").content.decode()
    assert "Kelvin" not in body and "Rhodas" not in body
    # Without the number the same request finds nobody.
    other = services.request_create(actor=requester, data={**data, "document_number": ""})
    assert not other.matches.exists()


def test_adding_a_document_reindexes_the_person(network):
    owner = actor_for(network.user(Role.OFFICER, OTHER_COUNTRY))
    person = people_services.person_create(actor=owner, data=SOUGHT)
    people_services.document_add(
        actor=owner,
        person=person,
        doc_type="national_id",
        number="0801-1999-01234",
        issuing_country="HN",
    )
    from enlace.people.models import PersonKey

    assert PersonKey.objects.filter(person=person, key="x|0801199901234").exists()


def test_confirmed_match_consent_is_in_the_persons_history(network, filed):
    """Consent is recorded by people's one consent service, so it shows in the person's
    change history like a consent recorded on the person page (and can be revoked there)."""
    from enlace.audit.models import ChangeEvent

    match = filed.matches.get()
    owner_api = APIClient()
    owner_api.force_authenticate(network.user(Role.OFFICER, OTHER_COUNTRY))
    owner_api.post(f"/api/v1/tracing-matches/{match.pk}/confirm/", {"notice_language": "ht"})
    match.refresh_from_db()
    assert match.consent.notice_language == "ht"
    assert ChangeEvent.objects.filter(
        record_id=str(match.person_id), action="consent_record"
    ).exists()


def test_case_page_shows_the_persons_matches_to_their_office_only(network, filed, registered):
    """Tracing fills the case page's slot; the case page does not import tracing."""
    from enlace.cases import services as case_services

    owner = network.user(Role.OFFICER, OTHER_COUNTRY)
    case = case_services.case_open(
        actor=actor_for(owner), person=registered, case_type="missing_person", summary="Busca"
    )
    match = filed.matches.get()
    client = Client()
    client.force_login(owner)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    panel = html.split('id="tracing-matches"', 1)[1].split("</section>", 1)[0]
    assert f'href="/tracing/matches/{match.pk}/"' in panel
    assert filed.office.name in panel
    focal_point = Client()
    focal_point.force_login(network.user(Role.NATIONAL_FOCAL_POINT, OTHER_COUNTRY))
    response = focal_point.get(f"/cases/{case.pk}/")
    assert response.status_code == 200  # sees the case, not the tracing work on it
    assert 'id="tracing-matches"' not in response.content.decode()
    match.status = TracingMatch.Status.REJECTED
    match.save()
    assert 'id="tracing-matches"' not in client.get(f"/cases/{case.pk}/").content.decode()


def test_stale_reunification_edit_keeps_input_and_shows_what_changed(network, filed):
    """Issue 10: the reunification form, like every form with a version, answers a stale save
    with the user's input kept and the fields saved meanwhile."""
    import re

    match = filed.matches.get()
    owner = network.user(Role.OFFICER, OTHER_COUNTRY)
    services.match_confirm(actor=actor_for(owner), match=match, notice_language="es")
    item = Reunification.objects.get(match=match)
    old = item.version
    services.reunification_update(
        actor=actor_for(owner),
        reunification=item,
        version=old,
        data={"verification_method": "Acta de nacimiento"},
    )
    client = Client()
    client.force_login(owner)
    client.cookies["django_language"] = "en"
    resp = client.post(
        f"/tracing/reunifications/{item.pk}/",
        {
            "verification_method": "Llamada con la madre",
            "reunion_place": "Tapachula",
            "version": old,
        },
    )
    html = resp.content.decode()
    assert resp.status_code == 409
    row = re.search(r'<tr data-field="verification_method">(.*?)</tr>', html, re.S)
    assert row and "Llamada con la madre" in row.group(1) and "Acta de nacimiento" in row.group(1)
    assert 'value="Tapachula"' in html
    assert f'name="version" value="{item.version + 1}"' in html
