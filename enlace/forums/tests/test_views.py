"""The forum pages: the item page and its endorsement grid, answering with and without htmx,
bad input, the public pages, the secretariat's forms and the commitments tracker."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from enlace.core.errors import STALE_EDIT_MESSAGE
from enlace.forums.models import CountryPosition, Endorsement, Forum, RegionalStatus


@pytest.fixture
def as_user(fw):
    def login(username: str) -> Client:
        client = Client()
        client.force_login(fw.user(username))
        return client

    return login


def _item_url(fw) -> str:
    return reverse("forums:item", kwargs={"agenda_item_id": fw.item.pk})


def _endorse_url(fw, country="GT") -> str:
    return reverse("forums:endorse", kwargs={"agenda_item_id": fw.item.pk, "country": country})


def test_the_item_page_shows_the_grid_at_a_glance_in_words_and_symbols(fw, as_user):
    body = as_user("oficial.mx").get(_item_url(fw)).content.decode()
    assert 'data-country="MX" data-decision="endorsed"' in body
    assert 'data-country="GT" data-decision="pending"' in body
    assert "✓ </span>" + _("Endorsed") in body  # not by colour alone
    # Guatemala's draft position is Guatemala's: Mexico's officer does not read it.
    gt = CountryPosition.objects.get(item=fw.item, country_id="GT")
    assert gt.text not in body
    assert CountryPosition.objects.get(item=fw.item, country_id="HN").text in body
    # Only a member country's focal point gets the answer form.
    assert 'id="endorse_decision_0"' not in body


def test_guatemalas_staff_read_its_draft_position_and_its_focal_point_answers(fw, as_user):
    body = as_user("focal.gt").get(_item_url(fw)).content.decode()
    assert CountryPosition.objects.get(item=fw.item, country_id="GT").text in body
    assert 'id="endorse_decision_0"' in body
    assert _endorse_url(fw) in body


def test_endorsing_with_htmx_sends_back_the_grid_with_guatemala_endorsed(fw, as_user):
    version = Endorsement.objects.get(regional=fw.regional, country_id="GT").version
    response = as_user("focal.gt").post(
        _endorse_url(fw),
        {"decision": "endorsed", "version": version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="endorsement-grid">')  # the grid only, swapped in place
    assert 'data-country="GT" data-decision="endorsed"' in body
    assert _("Your country endorsed the regional position.") in body


def test_endorsing_without_javascript_goes_back_to_the_item_page(fw, as_user):
    client = as_user("focal.gt")
    version = Endorsement.objects.get(regional=fw.regional, country_id="GT").version
    response = client.post(_endorse_url(fw), {"decision": "endorsed", "version": version})
    assert response.status_code == 302 and response["Location"] == _item_url(fw)
    body = client.get(_item_url(fw)).content.decode()
    assert 'data-country="GT" data-decision="endorsed"' in body


def test_an_objection_without_a_reason_is_shown_on_the_field(fw, as_user):
    version = Endorsement.objects.get(regional=fw.regional, country_id="GT").version
    response = as_user("focal.gt").post(
        _endorse_url(fw), {"decision": "objected", "version": version}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert _("Say why your country objects.") in response.content.decode()
    assert Endorsement.objects.get(regional=fw.regional, country_id="GT").decision == "pending"


def test_a_stale_answer_is_a_409_with_the_reason(fw, as_user):
    version = Endorsement.objects.get(regional=fw.regional, country_id="GT").version
    response = as_user("focal.gt").post(
        _endorse_url(fw), {"decision": "endorsed", "version": version - 1}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert str(STALE_EDIT_MESSAGE) in response.content.decode()


def test_another_countrys_answer_and_a_bad_country_are_missing(fw, as_user):
    client = as_user("focal.mx")
    assert client.post(_endorse_url(fw, "GT"), {"decision": "endorsed"}).status_code == 404
    assert client.post(_endorse_url(fw, "mx"), {"decision": "endorsed"}).status_code == 404
    assert client.post(_endorse_url(fw, "MEX"), {"decision": "endorsed"}).status_code == 404


def test_a_malformed_id_is_404_and_a_malformed_filter_400(fw, as_user):
    client = as_user("oficial.mx")
    assert client.get("/forums/items/not-a-uuid/").status_code == 404
    response = client.get(reverse("forums:index"), {"forum": "nonsense"})
    assert response.status_code == 400
    assert _("This forum does not exist: choose one from the list.") in response.content.decode()


def test_the_meetings_list_searches_and_filters_by_forum(fw, as_user):
    client = as_user("oficial.mx")
    body = client.get(reverse("forums:index"), {"q": "vallarta"}).content.decode()
    assert "FMMD 2010 Puerto Vallarta" in body and "Bruselas" not in body
    eu = Forum.objects.get(kind="eu_lac")
    body = client.get(reverse("forums:index"), {"forum": str(eu.pk)}).content.decode()
    assert "Bruselas" in body and "FMMD 2010 Puerto Vallarta" not in body
    body = client.get(reverse("forums:index"), {"q": "zzz"}).content.decode()
    assert _("No meeting matches this search.") in body


def test_an_association_representative_reads_only_the_public_pages(fw, as_user):
    client = as_user("asociacion")
    assert client.get(_item_url(fw)).status_code == 404
    assert client.get(reverse("forums:index")).status_code == 404
    public = reverse("forums_public:item", kwargs={"agenda_item_id": fw.item.pk})
    assert client.get(public).status_code == 200


def test_the_public_item_shows_public_positions_and_only_an_adopted_regional_position(fw):
    client = Client()
    url = reverse("forums_public:item", kwargs={"agenda_item_id": fw.item.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    body = response.content.decode()
    assert CountryPosition.objects.get(item=fw.item, country_id="MX").text in body  # public
    assert CountryPosition.objects.get(item=fw.item, country_id="HN").text in body  # public
    assert CountryPosition.objects.get(item=fw.item, country_id="GT").text not in body  # draft
    assert fw.regional.text not in body  # open for endorsement: not public yet
    assert "endorsement-grid" not in body
    type(fw.regional).objects.filter(pk=fw.regional.pk).update(status=RegionalStatus.ADOPTED)
    body = client.get(url + "?again").content.decode()
    assert fw.regional.text in body and "endorsement-grid" not in body


def test_the_public_index_lists_the_meetings_without_login(fw):
    body = Client().get(reverse("forums_public:index")).content.decode()
    assert "FMMD 2010 Puerto Vallarta" in body


def test_a_focal_point_writes_and_submits_their_position_through_the_forms(fw, as_user):
    client = as_user("focal.gt")
    url = reverse("forums:position_edit", kwargs={"agenda_item_id": fw.item.pk, "country": "GT"})
    position = CountryPosition.objects.get(item=fw.item, country_id="GT")
    response = client.post(url, {"text": "", "version": position.version})
    assert response.status_code == 400
    response = client.post(url, {"text": "Posición revisada", "version": position.version})
    assert response.status_code == 302
    stale = client.post(url, {"text": "Otra", "version": position.version})
    assert stale.status_code == 409
    assert str(STALE_EDIT_MESSAGE) in stale.content.decode()
    position.refresh_from_db()
    step = reverse(
        "forums:position_step",
        kwargs={"agenda_item_id": fw.item.pk, "country": "GT", "step": "submit"},
    )
    assert client.post(step, {"version": position.version}).status_code == 302
    position.refresh_from_db()
    assert position.status == "submitted" and position.text == "Posición revisada"
    again = client.post(step, {"version": position.version})  # already submitted
    assert again.status_code == 409


def test_the_secretariat_adds_a_forum_a_meeting_and_an_item(fw, as_user):
    client = as_user("analista")
    response = client.post(
        reverse("forums:forum_create"),
        {"name": "Conferencia Regional sobre Migración", "kind": "rcm", "members": ["MX", "GT"]},
    )
    assert response.status_code == 302
    forum = Forum.objects.get(kind="rcm")
    assert sorted(forum.members.values_list("code", flat=True)) == ["GT", "MX"]
    response = client.post(
        reverse("forums:meeting_create", kwargs={"forum_id": forum.pk}),
        {"title": "CRM 2011", "country": "SV", "starts_on": "2011-06-02", "ends_on": "2011-06-01"},
    )
    assert response.status_code == 400
    assert _("The meeting cannot end before it starts.") in response.content.decode()
    response = client.post(
        reverse("forums:meeting_create", kwargs={"forum_id": forum.pk}),
        {"title": "CRM 2011", "country": "SV", "starts_on": "2011-06-01"},
    )
    assert response.status_code == 302
    meeting = forum.meetings.get()
    response = client.post(
        reverse("forums:item_create", kwargs={"meeting_id": meeting.pk}), {"title": "Retorno"}
    )
    assert response.status_code == 302
    assert meeting.items.get().order == 1


def test_the_commitments_tracker_shows_each_countrys_status_and_the_indicators(fw, as_user):
    body = as_user("focal.gt").get(reverse("forums:commitments")).content.decode()
    assert "facilitación de las remesas" in body
    assert "SDG 10.c.1" in body
    assert 'data-commitment="C04"' in body
    assert _("Achieved") in body
    update = reverse("forums:commitment_status", kwargs={"code": "C01", "country": "GT"})
    assert update in body  # Guatemala's focal point updates Guatemala's column only
    assert reverse("forums:commitment_status", kwargs={"code": "C01", "country": "MX"}) not in body
    response = as_user("focal.gt").post(update, {"status": "achieved", "note": "Ley aprobada"})
    assert response.status_code == 302
