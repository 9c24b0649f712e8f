"""The permission matrix of a trafficking case across three countries (owner GT, MX on the
route, HN elsewhere): who gets 404, who sees it de-identified, who sees the identities; an
identity grant opening HN; search matching names only where the searcher sees them."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from enlace.access.grants import grant_create, grant_revoke
from enlace.access.models import Grant
from enlace.audit.models import AccessEvent

from .conftest import ALIAS, PERPETRATOR_NAME, PHONE, VICTIM_NAME

IDENTITIES = {"tfp_gt"}
DEIDENTIFIED = {"tfp_mx", "nfp_gt", "officer_gt"}
HIDDEN = {"tfp_hn", "nfp_mx", "officer_gt_consulate", "officer_mx", "analyst", "admin"}
SECRETS = (VICTIM_NAME[0], PERPETRATOR_NAME[1], ALIAS, "5555 1234", "+50255551234", "C987XYZ")


def _page(world, key):
    client = Client()
    client.force_login(world.users[key])
    return client.get(f"/trafficking/{world.case.pk}/")


def _api(world, key):
    client = APIClient()
    client.force_authenticate(world.users[key])
    return client.get(f"/api/v1/trafficking-cases/{world.case.pk}/")


@pytest.mark.parametrize("key", sorted(IDENTITIES | DEIDENTIFIED | HIDDEN))
def test_matrix_page_and_api(world, key):
    page, api = _page(world, key), _api(world, key)
    if key in HIDDEN:
        assert (page.status_code, api.status_code) == (404, 404)
        return
    assert (page.status_code, api.status_code) == (200, 200)
    body = page.content.decode() + api.content.decode()
    shown = [s for s in SECRETS if s in body]
    if key in IDENTITIES:
        assert VICTIM_NAME[0] in body and ALIAS in body and PHONE in body
        assert api.json()["identities"] is True
    else:
        assert shown == [], shown
        victim = api.json()["victims"][0]
        assert victim["identity_protected"] is True
        assert set(victim) == {"label", "sex", "age_band", "identity_protected"}
        assert victim["age_band"] in ("18–24", "12–17")
        assert api.json()["perpetrators"][0]["role_in_process"] == ["RecruiterOrIntermediary"]
        assert all(x["value"] is None for x in api.json()["identifiers"])


def test_a_grant_on_a_victim_opens_the_identities_to_its_country_until_revoked(world):
    assert _page(world, "tfp_hn").status_code == 404
    grant = grant_create(
        actor=world.actor("tfp_gt"),
        office=world.offices["hn"],
        person=world.person,
        purpose="trafficking",
        source=world.case,
        source_id=str(world.case.pk),
        legal_basis="Investigación conjunta",
    )
    Grant.objects.filter(pk=grant.pk).update(source_type="trafficking.identityrequest")
    page = _page(world, "tfp_hn")
    assert page.status_code == 200
    assert VICTIM_NAME[0] in page.content.decode()
    # National focal points of HN gain nothing from it.
    assert _page(world, "nfp_mx").status_code == 404
    # Expired or revoked: gone.
    Grant.objects.filter(pk=grant.pk).update(valid_until=timezone.now() - dt.timedelta(days=1))
    assert _page(world, "tfp_hn").status_code == 404
    Grant.objects.filter(pk=grant.pk).update(valid_until=None)
    assert _page(world, "tfp_hn").status_code == 200
    grant_revoke(actor=world.actor("tfp_gt"), grant=grant)
    assert _page(world, "tfp_hn").status_code == 404


def test_a_grant_of_another_source_or_person_opens_nothing(world):
    grant_create(
        actor=world.actor("tfp_gt"),
        office=world.offices["hn"],
        person=world.person,
        purpose="trafficking",
        source=world.case,
        source_id=str(world.case.pk),
        legal_basis="x",
    )  # source_type trafficking.traffickingcase: not an identity request
    assert _page(world, "tfp_hn").status_code == 404


def test_identity_reads_are_logged(world):
    before = AccessEvent.objects.filter(record_id=str(world.person.pk)).count()
    _page(world, "tfp_gt")
    assert (
        AccessEvent.objects.filter(record_id=str(world.person.pk), purpose="trafficking").count()
        == before + 1
    )
    _page(world, "tfp_mx")  # de-identified: no read of the person
    assert AccessEvent.objects.filter(record_id=str(world.person.pk)).count() == before + 1
    assert (
        AccessEvent.objects.filter(
            record_type="trafficking.traffickingcase", record_id=str(world.case.pk), denied=False
        ).count()
        == 2
    )


def _search(world, key, q):
    client = Client()
    client.force_login(world.users[key])
    response = client.get("/trafficking/", {"q": q})
    assert response.status_code == 200
    return response.content.decode().count(world.case.reference)


@pytest.mark.parametrize("q", [VICTIM_NAME[1], PERPETRATOR_NAME[0], "zopilote"])
def test_names_are_found_only_by_those_who_see_them(world, q):
    assert _search(world, "tfp_gt", q) == 1
    # The route's focal point sees the case, but a hidden name is no target: the same answer
    # as for a name nobody has.
    assert _search(world, "tfp_mx", q) == _search(world, "tfp_mx", "Zzyzxqwv") == 0
    assert _search(world, "nfp_gt", q) == 0


def test_search_by_place_and_reference_for_everyone_who_sees_the_case(world):
    for key in ("tfp_gt", "tfp_mx", "nfp_gt"):
        assert _search(world, key, "comitan") == 1
        assert _search(world, key, world.case.reference[-6:]) == 1


def test_list_filters_and_bad_filter(world):
    client = Client()
    client.force_login(world.users["tfp_mx"])
    assert world.case.reference in client.get("/trafficking/", {"country": "MX"}).content.decode()
    assert (
        world.case.reference not in client.get("/trafficking/", {"country": "HN"}).content.decode()
    )
    assert (
        world.case.reference
        not in client.get("/trafficking/", {"kind": "smuggling"}).content.decode()
    )
    assert client.get("/trafficking/", {"kind": "piracy"}).status_code == 400
    assert client.get("/trafficking/", {"sort": "summary"}).status_code == 400
    client.force_login(world.users["analyst"])
    assert client.get("/trafficking/").status_code == 404


def test_malformed_and_missing_ids_are_404(world):
    client = Client()
    client.force_login(world.users["tfp_gt"])
    assert client.get("/trafficking/00000000-0000-0000-0000-000000000000/").status_code == 404
    api = APIClient()
    api.force_authenticate(world.users["tfp_gt"])
    assert api.get("/api/v1/trafficking-cases/not-a-uuid/").status_code == 404
