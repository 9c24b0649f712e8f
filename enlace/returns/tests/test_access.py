"""Who sees and who works a return: the permission matrix over three countries, through the API,
with the hand-over grant active and revoked; and what the receiving side is never shown."""

import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from enlace.access.grants import grant_revoke
from enlace.access.models import Grant
from enlace.accounts.actor import actor_for
from enlace.accounts.models import Office, Role
from enlace.accounts.testing import (
    OTHER_COUNTRY,
    OWN_OFFICE,
    ROLES,
    SAME_COUNTRY,
    assert_matrix,
    make_user,
)
from enlace.people import services as people_services
from enlace.returns import present, rules, services

from .conftest import ADULT_SKIPS, CANARY_NOTE, CANARY_STATUS, open_adult, take, walk

STAFF = {Role.OFFICER, Role.SUPERVISOR}
NFP = Role.NATIONAL_FOCAL_POINT
REVOKED = "receiving_revoked"


def _detail(ret):
    return lambda client: client.get(f"/api/v1/returns/{ret.pk}/")


def _handed_over(rw):
    return walk(rw, open_adult(rw), until="hand_over", skip=ADULT_SKIPS)


# --- the brief's matrix: a Mexican consulate in Los Angeles (owner), the ministry in Mexico
# (receiving), a Guatemalan consulate (no tie) ---------------------------------------------------


def sees_mx_return(role, relation, *, granted=True):
    if role in STAFF:
        return relation == OWN_OFFICE or (relation == SAME_COUNTRY and granted)
    if role == NFP:  # Mexico's focal points: the owner country (and the receiving country)
        return relation in (OWN_OFFICE, SAME_COUNTRY)
    return False


def test_matrix_owner_receiving_and_other_country(rw):
    ret = _handed_over(rw)
    assert_matrix(
        users=rw.network.users,
        request=_detail(ret),
        expected=lambda role, rel: 200 if sees_mx_return(role, rel) else 404,
    )
    # The list agrees with the detail: listed exactly where the detail answers 200.
    for (role, relation), user in rw.network.users.items():
        client = APIClient()
        client.force_authenticate(user)
        response = client.get("/api/v1/returns/")
        assert response.status_code == 200
        ids = [r["id"] for r in response.json()["results"]]
        assert (str(ret.pk) in ids) is sees_mx_return(role, relation), (role, relation)


def test_before_hand_over_the_receiving_office_sees_nothing(rw):
    ret = walk(rw, open_adult(rw), until="travel_plan", skip=ADULT_SKIPS)
    assert_matrix(
        users=rw.network.users,
        request=_detail(ret),
        expected=lambda role, rel: 200 if sees_mx_return(role, rel, granted=False) else 404,
    )


def test_revoked_grant_closes_the_receiving_side(rw):
    ret = _handed_over(rw)
    grant = Grant.objects.get(source_type="returns.return", source_id=str(ret.pk))
    grant_revoke(actor=rw.officer, grant=grant)
    assert_matrix(
        users=rw.network.users,
        request=_detail(ret),
        expected=lambda role, rel: 200 if sees_mx_return(role, rel, granted=False) else 404,
    )
    ret.refresh_from_db()
    assert not rules.works_receiving(rw.receiver, ret)


def test_steps_by_side(rw):
    """Sending steps: the owner's side; receiving steps: the receiving side; others 404."""
    ret = _handed_over(rw)
    users = rw.network.users

    def withdraw(client):
        ret.refresh_from_db()
        return client.post(
            f"/api/v1/returns/{ret.pk}/steps/",
            {"step": "withdraw", "version": ret.version + 1000},  # stale: 409 proves it got in
            format="json",
        )

    def works_sending(role, rel):
        return (role in STAFF and rel == OWN_OFFICE) or (
            role == NFP and rel in (OWN_OFFICE, SAME_COUNTRY)
        )

    assert_matrix(
        users=users,
        request=withdraw,
        expected=lambda role, rel: 409 if works_sending(role, rel) else 404,
    )
    ret = take(rw, ret, "departure")

    def arrive(client):
        ret.refresh_from_db()
        return client.post(
            f"/api/v1/returns/{ret.pk}/steps/",
            {"step": "arrival", "version": ret.version + 1000},
            format="json",
        )

    def works_receiving(role, rel):
        return (role in STAFF and rel == SAME_COUNTRY) or (
            role == NFP and rel in (OWN_OFFICE, SAME_COUNTRY)
        )

    assert_matrix(
        users=users,
        request=arrive,
        expected=lambda role, rel: 409 if works_receiving(role, rel) else 404,
    )


# --- across borders: a Mexican migration authority returns a Guatemalan to Guatemala's
# ministry; the Guatemalan consulate (another office of the country of origin) has no tie ---------


@pytest.fixture
def cross_border(rw):
    authority = Office.objects.create(
        name="Instituto Nacional de Migración (Tapachula)",
        kind=Office.Kind.MIGRATION_AUTHORITY,
        country_id="MX",
        host_country_id="MX",
        city="Tapachula",
    )
    minex = Office.objects.create(
        name="Ministerio de Relaciones Exteriores de Guatemala",
        kind=Office.Kind.FOREIGN_MINISTRY,
        country_id="GT",
        host_country_id="GT",
        city="Ciudad de Guatemala",
    )
    users = dict(rw.network.users)
    for role in ROLES:
        users[(role, "mx_authority")] = make_user(f"{role}.inm", authority, role)
        users[(role, "gt_receiving")] = make_user(f"{role}.minex", minex, role)
    officer = actor_for(users[(Role.OFFICER, "mx_authority")])
    person = people_services.person_create(
        actor=officer,
        data={
            "given_names": "Ixchel",
            "first_surname": "Cux",
            "sex": "F",
            "birth_date": "1995-01-20",
            "migratory_status": CANARY_STATUS,
            "migratory_status_notes": CANARY_NOTE,
        },
        nationalities=["GT"],
    )
    ret = services.return_open(actor=officer, person=person)
    for step, data in (
        (
            "counselling",
            {"options": ["return", "stay"], "language": "spa", "counselled_on": "2020-01-01"},
        ),
        ("consent", {"signed_on": "2020-01-10", "language": "spa"}),
        ("assessment", {"eligible": True}),
        ("document_request", {"doc_type": "safe_conduct"}),
    ):
        ret.refresh_from_db()
        services.return_step(actor=officer, ret=ret, step=step, version=ret.version, data=data)
    ret.refresh_from_db()
    for step, data in (
        ("document_issue", {"document": ret.documents.get().pk, "number": "SC-991"}),
        (
            "travel_plan",
            {
                "legs": [
                    {
                        "origin": "Tapachula",
                        "destination": "Tecún Umán",
                        "date": timezone.localdate(),
                        "transport": "bus",
                    }
                ]
            },
        ),
        ("hand_over", {"receiving_office": minex.pk, "consent_language": "spa"}),
    ):
        ret.refresh_from_db()
        services.return_step(actor=officer, ret=ret, step=step, version=ret.version, data=data)
    ret.refresh_from_db()
    return users, ret


def test_matrix_across_three_countries(cross_border):
    users, ret = cross_border

    def expected(role, rel):
        if role in STAFF:
            return 200 if rel in ("mx_authority", "gt_receiving") else 404
        if role == NFP:  # Mexico's (owner) and Guatemala's (origin) focal points
            return (
                200
                if rel in (OWN_OFFICE, SAME_COUNTRY, "mx_authority", OTHER_COUNTRY, "gt_receiving")
                else 404
            )
        return 404

    assert_matrix(users=users, request=_detail(ret), expected=expected)
    # Sides: Mexico's focal point the sending side, Guatemala's the receiving side.
    mx_nfp = actor_for(users[(NFP, OWN_OFFICE)])
    gt_nfp = actor_for(users[(NFP, OTHER_COUNTRY)])
    assert rules.side(mx_nfp, ret) == rules.SENDING
    assert rules.side(gt_nfp, ret) == rules.RECEIVING
    assert not rules.works_receiving(mx_nfp, ret)
    assert rules.works_receiving(gt_nfp, ret)
    # The person is opened to Guatemala's side by the hand-over grant (its national focal
    # points through enlace.access.rules), without the migratory status; revoked, closed again.
    client = APIClient()
    client.force_authenticate(users[(NFP, OTHER_COUNTRY)])
    response = client.get(f"/api/v1/people/{ret.person_id}/")
    assert response.status_code == 200
    assert CANARY_NOTE not in response.content.decode()
    assert "migratory_status" not in response.json()
    grant = Grant.objects.get(source_type="returns.return", source_id=str(ret.pk))
    grant_revoke(actor=actor_for(users[(Role.OFFICER, "mx_authority")]), grant=grant)
    assert client.get(f"/api/v1/people/{ret.person_id}/").status_code == 404
    assert client.get(f"/api/v1/returns/{ret.pk}/").status_code == 404


# --- what the receiving side is never shown ---------------------------------------------------


def test_receiving_side_never_sees_the_migratory_status(rw):
    ret = _handed_over(rw)
    owner = APIClient()
    owner.force_authenticate(rw.officer.user)
    for user in (rw.receiver.user, rw.focal.user, rw.officer.user):
        client = APIClient()
        client.force_authenticate(user)
        for url in (f"/api/v1/returns/{ret.pk}/", "/api/v1/returns/"):
            body = client.get(url).content.decode()
            assert CANARY_STATUS not in body and CANARY_NOTE not in body
            assert "migratory" not in body
    # The person, opened to the receiving office by the grant, without the status either…
    receiving = APIClient()
    receiving.force_authenticate(rw.receiver.user)
    response = receiving.get(f"/api/v1/people/{ret.person_id}/")
    assert response.status_code == 200
    assert CANARY_STATUS not in response.content.decode()
    assert CANARY_NOTE not in response.content.decode()
    # …while its own office sees it there (the canary is real).
    assert CANARY_NOTE in owner.get(f"/api/v1/people/{ret.person_id}/").content.decode()
    # The present data for templates: no status under any key.
    data = json.dumps(present.return_data(rw.receiver, ret), default=str)
    assert CANARY_STATUS not in data and CANARY_NOTE not in data


def test_receiving_side_sees_what_reception_needs_only(rw):
    ret = _handed_over(rw)
    ret = take(rw, ret, "departure")
    receiving = present.return_data(rw.receiver, ret)
    sending = present.return_data(rw.officer, ret)
    assert receiving["side"] == "receiving" and sending["side"] == "sending"
    for key in (
        "counselling_note",
        "eligibility_reasons",
        "bid",
        "medical_note",
        "protection_case",
        "counselling_options",
    ):
        assert key in sending
        assert key not in receiving
    assert receiving["consent_given"] is True
    assert receiving["legs"] and receiving["person"]["name"] == ret.person.full_name
    # The timeline names the sending side's steps but not what they recorded.
    counselling = next(s for s in receiving["timeline"] if s["step"] == "counselling")
    assert "data" not in counselling and "note" not in counselling
    assert "steps_available" in receiving and receiving["steps_available"] == ["arrival", "close"]


def test_document_number_only_with_the_identity(rw):
    """A trafficking victim's identity is for the owner office and trafficking focal points:
    the receiving office sees the return, not the name nor the travel document's number."""
    person = rw.person()
    people_services.vulnerability_add(actor=rw.officer, person=person, kind="trafficking_victim")
    person.refresh_from_db()
    ret = services.return_open(actor=rw.officer, person=person)
    ret = walk(rw, ret, until="hand_over", skip=ADULT_SKIPS)
    receiving = present.return_data(rw.receiver, ret)
    assert receiving["person"]["identity_protected"] is True
    assert person.given_names not in json.dumps(receiving, default=str)
    assert all("number" not in d for d in receiving["documents"])
    owner = present.return_data(rw.officer, ret)
    assert owner["documents"][0]["number"] == "G12345678"
