"""/api/v1/forums/…: public reads for everyone, more for staff, the focal points' endorsement."""

from django.urls import reverse
from rest_framework.test import APIClient

from enlace.forums.models import Endorsement


def _client(fw, username=None) -> APIClient:
    client = APIClient()
    if username:
        client.force_authenticate(fw.user(username))
    return client


def _item(fw) -> str:
    return reverse("api:forum-item-detail", kwargs={"pk": fw.item.pk})


def test_anyone_lists_the_forums_and_reads_a_meeting(fw):
    response = _client(fw).get(reverse("api:forum-list"))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    names = [f["name"] for f in response.json()["results"]]
    assert len(names) == 2
    forum = next(f for f in response.json()["results"] if f["kind"] == "gfmd")
    detail = _client(fw).get(reverse("api:forum-detail", kwargs={"pk": forum["id"]})).json()
    assert [m["title"] for m in detail["meetings"]] == ["FMMD 2010 Puerto Vallarta"]
    assert [c["code"] for c in detail["members"]] == ["GT", "HN", "MX", "SV"]
    meeting = _client(fw).get(
        reverse("api:forum-meeting-detail", kwargs={"pk": detail["meetings"][0]["id"]})
    )
    assert [i["order"] for i in meeting.json()["items"]] == [1, 2]


def test_the_public_item_has_public_positions_and_no_open_draft(fw):
    data = _client(fw).get(_item(fw)).json()
    assert sorted(p["country"]["code"] for p in data["positions"]) == ["HN", "MX"]
    assert data["regional"] is None  # open for endorsement: not public


def test_staff_read_the_open_draft_and_its_endorsements(fw):
    data = _client(fw, "oficial.mx").get(_item(fw)).json()
    assert data["regional"]["status"] == "consultation"
    answers = {e["country"]["code"]: e["decision"] for e in data["regional"]["endorsements"]}
    assert answers == {"GT": "pending", "HN": "endorsed", "MX": "endorsed", "SV": "pending"}
    # Guatemala's draft position stays with Guatemala.
    assert "GT" not in [p["country"]["code"] for p in data["positions"]]
    data = _client(fw, "focal.gt").get(_item(fw)).json()
    assert "GT" in [p["country"]["code"] for p in data["positions"]]


def test_a_focal_point_endorses_through_the_api_and_a_stale_version_is_409(fw):
    url = reverse("api:forum-item-endorsement", kwargs={"pk": fw.item.pk})
    version = Endorsement.objects.get(regional=fw.regional, country_id="GT").version
    client = _client(fw, "focal.gt")
    stale = client.post(url, {"decision": "endorsed", "version": version - 1}, format="json")
    assert stale.status_code == 409
    response = client.post(url, {"decision": "endorsed", "version": version}, format="json")
    assert response.status_code == 200
    answers = {
        e["country"]["code"]: e["decision"] for e in response.json()["regional"]["endorsements"]
    }
    assert answers["GT"] == "endorsed"
    bad = client.post(url, {"decision": "maybe", "version": version}, format="json")
    assert bad.status_code == 400
    assert (
        _client(fw, "oficial.mx").post(url, {"decision": "endorsed", "version": 1}).status_code
        == 404
    )
    assert _client(fw).post(url, {"decision": "endorsed", "version": 1}).status_code in (401, 403)


def test_malformed_and_missing_ids_are_404(fw):
    assert _client(fw).get("/api/v1/forum-items/nonsense/").status_code == 404
    assert (
        _client(fw).get("/api/v1/forums/00000000-0000-0000-0000-000000000000/").status_code == 404
    )


def test_the_forums_endpoints_are_in_the_schema(fw):
    import yaml

    response = _client(fw).get(reverse("api:schema"))
    paths = yaml.safe_load(response.content)["paths"]
    assert "/api/v1/forums/" in paths
    assert "/api/v1/forum-items/{id}/" in paths
    endorse = paths["/api/v1/forum-items/{id}/endorsement/"]["post"]
    assert "requestBody" in endorse
