"""Requests to see a case's identities: who may ask, who decides, what a grant opens (and to
whom not), and that a refused, revoked or expired grant shows nothing."""

import datetime as dt

import pytest
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from enlace.access.models import Grant
from enlace.accounts.actor import actor_for
from enlace.accounts.models import Office, Role
from enlace.accounts.testing import make_user
from enlace.audit.models import AccessEvent
from enlace.core.errors import ValidationFailed
from enlace.inbox.models import Item, Kind
from enlace.people.selectors import person_list
from enlace.trafficking import access_requests
from enlace.trafficking.models import IdentityRequest

from .conftest import PERPETRATOR_NAME, PHONE, VICTIM_NAME

pytestmark = pytest.mark.django_db
committing = TestCase.captureOnCommitCallbacks

ASK = {
    "purpose": "Investigación conjunta de la red en Chiapas",
    "basis": "legal_basis",
    "legal_basis": "Convenio bilateral de cooperación contra la trata, art. 4",
    "days": "30",
}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _detail(world, who):
    return _client(world.users[who]).get(
        reverse("trafficking:detail", kwargs={"case_id": world.case.pk})
    )


def _names(response) -> bool:
    return VICTIM_NAME[1].encode() in response.content


def _ask(world, who="tfp_mx", **data):
    return access_requests.request_create(
        actor=world.actor(who), case=world.case, **{**ASK, **data}
    )


def _grant(world, request=None):
    request = request or _ask(world)
    return access_requests.request_decide(actor=world.actor("tfp_gt"), request=request, grant=True)


# Who may request ------------------------------------------------------------------------------


def test_a_route_countrys_focal_point_asks_through_the_page(world):
    url = reverse("trafficking:access_request_create", kwargs={"case_id": world.case.pk})
    client = _client(world.users["tfp_mx"])
    page = _detail(world, "tfp_mx")
    assert url.encode() in page.content  # the case page offers it
    assert client.get(url).status_code == 200
    bad = client.post(url, {**ASK, "legal_basis": "", "days": "400"})
    assert bad.status_code == 400
    assert not IdentityRequest.objects.exists()
    response = client.post(url, ASK)
    made = IdentityRequest.objects.get()
    assert response.status_code == 302
    assert made.office == world.offices["mx"] and made.status == IdentityRequest.Status.REQUESTED
    # The owning country's focal points are told, with no identity and no free text.
    item = Item.objects.get(kind=Kind.TRAFFICKING_ACCESS_REQUESTED)
    assert item.office == world.offices["gt"]
    assert item.params == {"reference": world.case.reference, "office": "SRE MX"}
    # One open request per office and case.
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "who",
    [
        "tfp_gt",  # the owner: sees the identities already
        "tfp_hn",  # not on the route: does not see the case at all
        "nfp_mx",  # not a trafficking focal point
        "nfp_gt",
        "officer_gt",
        "officer_mx",
        "analyst",
    ],
)
def test_nobody_else_may_request(world, who):
    url = reverse("trafficking:access_request_create", kwargs={"case_id": world.case.pk})
    client = _client(world.users[who])
    assert client.get(url).status_code == 404
    assert client.post(url, ASK).status_code == 404
    assert not IdentityRequest.objects.exists()


def test_the_request_states_its_grounds_and_duration(world):
    with pytest.raises(ValidationFailed) as exc:
        _ask(world, legal_basis="", days="0", purpose="")
    assert {"legal_basis", "days", "purpose"} <= set(exc.value.errors)
    made = _ask(world, basis="consent", legal_basis="ignored")
    assert made.legal_basis == ""


# Who decides ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["tfp_mx", "tfp_hn", "nfp_gt", "officer_gt", "admin"])
def test_only_the_owner_countrys_focal_points_decide(world, who):
    made = _ask(world)
    url = reverse("trafficking:access_request", kwargs={"request_id": made.pk})
    response = _client(world.users[who]).post(url, {"decision": "grant", "version": "1"})
    assert response.status_code == 404
    made.refresh_from_db()
    assert made.status == IdentityRequest.Status.REQUESTED
    assert not Grant.objects.exists()


def test_another_office_of_the_owner_country_decides_too(world):
    other = Office.objects.create(
        name="Fiscalía GT",
        kind=Office.Kind.MIGRATION_AUTHORITY,
        country_id="GT",
        host_country_id="GT",
    )
    user = make_user("tfp_gt2", other, Role.TRAFFICKING_FOCAL_POINT)
    made = _ask(world)
    url = reverse("trafficking:access_request", kwargs={"request_id": made.pk})
    response = _client(user).post(url, {"decision": "refuse", "reason": "Sin base", "version": 1})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == IdentityRequest.Status.REFUSED


def test_granting_makes_one_grant_per_victim_and_the_requester_sees_the_names(world):
    assert not _names(_detail(world, "tfp_mx"))
    made = _ask(world)
    url = reverse("trafficking:access_request", kwargs={"request_id": made.pk})
    client = _client(world.users["tfp_gt"])
    assert client.get(url).status_code == 200
    with committing(execute=True):
        response = client.post(url, {"decision": "grant", "version": made.version})
    assert response.status_code == 302
    made.refresh_from_db()
    grant = Grant.objects.get()
    assert grant.person == world.person
    assert grant.office == world.offices["mx"]
    assert grant.source_type == "trafficking.identityrequest"
    assert grant.source_id == str(world.case.pk)
    assert grant.purpose == "trafficking"
    assert grant.legal_basis == ASK["legal_basis"]
    assert grant.valid_until == made.valid_until
    assert made.valid_until - timezone.now() > dt.timedelta(days=29)
    told = Item.objects.get(kind=Kind.TRAFFICKING_ACCESS_GRANTED)
    assert told.user == world.users["tfp_mx"]
    assert told.params == {"reference": world.case.reference, "office": "Minex GT"}
    # Now MX's trafficking focal point sees the identities, and each shown is logged.
    before = AccessEvent.objects.filter(
        actor=world.users["tfp_mx"], record_id=str(world.person.pk), denied=False
    ).count()
    page = _detail(world, "tfp_mx")
    assert _names(page)
    assert PERPETRATOR_NAME[1].encode() in page.content
    assert PHONE.encode() in page.content
    after = AccessEvent.objects.filter(
        actor=world.users["tfp_mx"], record_id=str(world.person.pk), denied=False
    )
    assert after.count() == before + 1
    assert after.latest("pk").purpose == "trafficking"
    # A stale second decision is refused.
    assert client.post(url, {"decision": "refuse", "reason": "x", "version": 1}).status_code == 409


def test_the_grant_opens_nothing_to_the_requesting_offices_staff(world):
    """A trafficking identity grant is read by the trafficking rules only: the officers of the
    office it names do not get the person through the access layer."""
    _grant(world)
    assert not person_list(actor=world.actor("officer_mx")).filter(pk=world.person.pk).exists()
    assert not _names(_detail(world, "nfp_mx"))
    assert _detail(world, "tfp_hn").status_code == 404  # a country off the route: no case


def test_refusing_needs_a_reason_and_shows_nothing(world):
    made = _ask(world)
    with pytest.raises(ValidationFailed):
        access_requests.request_decide(actor=world.actor("tfp_gt"), request=made, grant=False)
    refused = access_requests.request_decide(
        actor=world.actor("tfp_gt"), request=made, grant=False, reason="Falta base legal"
    )
    assert refused.status == IdentityRequest.Status.REFUSED
    assert not Grant.objects.exists()
    assert not _names(_detail(world, "tfp_mx"))
    assert Item.objects.filter(kind=Kind.TRAFFICKING_ACCESS_REFUSED, user=world.users["tfp_mx"])
    page = _client(world.users["tfp_mx"]).get(
        reverse("trafficking:access_request", kwargs={"request_id": made.pk})
    )
    assert b"Falta base legal" in page.content


def test_revoking_ends_every_grant_and_shows_nothing(world):
    made = _grant(world)
    assert _names(_detail(world, "tfp_mx"))
    url = reverse("trafficking:access_request_revoke", kwargs={"request_id": made.pk})
    assert _client(world.users["tfp_mx"]).post(url).status_code == 404  # not the requester
    assert _client(world.users["tfp_gt"]).post(url).status_code == 302
    made.refresh_from_db()
    assert made.status == IdentityRequest.Status.REVOKED
    assert not Grant.objects.filter(revoked_at__isnull=True).exists()
    assert not _names(_detail(world, "tfp_mx"))
    assert Item.objects.filter(kind=Kind.TRAFFICKING_ACCESS_REVOKED, user=world.users["tfp_mx"])
    # The office may ask again.
    assert access_requests.can_request(world.actor("tfp_mx"), world.case)


def test_an_expired_grant_shows_nothing_and_a_new_request_may_be_made(world):
    made = _grant(world)
    past = timezone.now() - dt.timedelta(minutes=1)
    Grant.objects.update(valid_until=past)
    IdentityRequest.objects.filter(pk=made.pk).update(valid_until=past)
    assert not _names(_detail(world, "tfp_mx"))
    page = _client(world.users["tfp_gt"]).get(
        reverse("trafficking:access_request", kwargs={"request_id": made.pk})
    )
    assert b"Revoke the access" not in page.content
    again = _ask(world)
    made.refresh_from_db()
    assert made.status == IdentityRequest.Status.EXPIRED
    assert again.status == IdentityRequest.Status.REQUESTED


def test_a_grant_on_consent_needs_every_victims_consent(world):
    made = _ask(world, basis="consent")
    with pytest.raises(ValidationFailed):
        _grant(world, made)
    from enlace.people import services as people_services

    people_services.consent_record(
        actor=actor_for(world.users["officer_gt_consulate"]),
        person=world.person,
        purpose="referral",
        notice_language="es",
    )
    granted = _grant(world, made)
    assert Grant.objects.get().consent is not None
    assert granted.status == IdentityRequest.Status.GRANTED


def test_the_request_pages_are_for_its_two_sides_only(world):
    made = _ask(world)
    url = reverse("trafficking:access_request", kwargs={"request_id": made.pk})
    for who in ("tfp_mx", "tfp_gt"):
        assert _client(world.users[who]).get(url).status_code == 200
    for who in ("tfp_hn", "nfp_gt", "officer_gt", "analyst"):
        assert _client(world.users[who]).get(url).status_code == 404
    listing = reverse("trafficking:access_requests")
    assert world.case.reference.encode() in _client(world.users["tfp_gt"]).get(listing).content
    assert world.case.reference.encode() not in _client(world.users["tfp_hn"]).get(listing).content
    assert _client(world.users["officer_gt"]).get(listing).status_code == 404
    bad = reverse("trafficking:access_request", kwargs={"request_id": made.pk}).replace(
        str(made.pk), "00000000-0000-0000-0000-000000000000"
    )
    assert _client(world.users["tfp_gt"]).get(bad).status_code == 404


# The API ------------------------------------------------------------------------------------


def _api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_asks_and_decides(world):
    url = reverse("api:trafficking-access-request-list")
    body = {**ASK, "days": 20, "case": str(world.case.pk)}
    assert _api(world.users["tfp_hn"]).post(url, body, format="json").status_code == 404
    bad = _api(world.users["tfp_mx"]).post(url, {**body, "days": 0}, format="json")
    assert bad.status_code == 400
    made = _api(world.users["tfp_mx"]).post(url, body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "requested"
    decide = reverse("api:trafficking-access-request-decide", kwargs={"pk": made.json()["id"]})
    refused = _api(world.users["tfp_mx"]).post(decide, {"decision": "grant"}, format="json")
    assert refused.status_code == 404  # the requester does not decide
    granted = _api(world.users["tfp_gt"]).post(decide, {"decision": "grant"}, format="json")
    assert granted.status_code == 200
    assert granted.json()["status"] == "granted"
    assert Grant.objects.filter(revoked_at__isnull=True).count() == 1
    again = _api(world.users["tfp_gt"]).post(decide, {"decision": "refuse"}, format="json")
    assert again.status_code == 400


def test_the_api_endpoints_are_in_the_schema(world):
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert "post" in paths["/api/v1/trafficking-access-requests/"]
    assert "post" in paths["/api/v1/trafficking-access-requests/{id}/decide/"]
