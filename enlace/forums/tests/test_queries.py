"""The forum pages' queries do not grow with what they show (meetings, positions, member
countries and their answers, commitment statuses): each page is read twice, before and after
more rows are added, and must make the same number of queries, within a budget."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from enlace.accounts.models import Office
from enlace.forums.models import (
    AgendaItem,
    Commitment,
    CommitmentStatus,
    CountryPosition,
    Endorsement,
    Meeting,
    PositionStatus,
)

MORE = ["CO", "CR", "PA", "DO", "EC", "PE"]


def _count(client, url, **headers) -> int:
    client.get(url, **headers)  # warm: session, caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow(fw) -> None:
    forum = fw.item.meeting.forum
    for i, code in enumerate(MORE):
        forum.members.add(code)
        Endorsement.objects.create(
            regional=fw.regional, country_id=code, draft_number=1, decision="endorsed"
        )
        CountryPosition.objects.create(
            item=fw.item, country_id=code, text=f"Posición {code}", status=PositionStatus.SUBMITTED
        )
        Meeting.objects.create(
            forum=forum,
            title=f"Reunión {i}",
            country_id=code,
            starts_on=dt.date(2012, 1, 1 + i),
            ends_on=dt.date(2012, 1, 1 + i),
        )
        AgendaItem.objects.create(meeting=fw.item.meeting, title=f"Punto {code}", order=10 + i)
        Office.objects.create(
            name=f"Cancillería {code}",
            kind=Office.Kind.FOREIGN_MINISTRY,
            country_id=code,
            host_country_id=code,
            city="Capital",
        )
        for commitment in Commitment.objects.all():
            CommitmentStatus.objects.create(
                commitment=commitment, country_id=code, status="achieved"
            )


PAGES = [
    ("forums:index", None, False, 10),
    # A forum's meetings and a meeting's agenda items (the load test's journeys, issue 18).
    ("forums:forum", "forum", False, 9),
    ("forums:meeting", "meeting", False, 8),
    ("forums_public:meeting", "meeting", False, 2),
    ("api:forum-detail", "forum-pk", True, 4),
    ("api:forum-meeting-detail", "meeting-pk", True, 3),
    ("forums:item", "item", False, 14),
    ("forums:commitments", None, False, 10),
    ("forums_public:index", None, False, 3),
    ("forums_public:item", "item", False, 4),
    ("api:forum-list", None, True, 4),
    ("api:forum-item-detail", "pk", True, 7),
]


@pytest.mark.parametrize(("name", "arg", "api", "budget"), PAGES, ids=[p[0] for p in PAGES])
def test_page_queries_do_not_grow_with_rows(fw, name, arg, api, budget):
    if api:
        client = APIClient()
        client.force_authenticate(fw.user("focal.gt"))
    else:
        client = Client()
        client.force_login(fw.user("focal.gt"))
    meeting = fw.item.meeting
    kwargs = {
        None: {},
        "item": {"agenda_item_id": fw.item.pk},
        "pk": {"pk": fw.item.pk},
        "forum": {"forum_id": meeting.forum_id},
        "meeting": {"meeting_id": meeting.pk},
        "forum-pk": {"pk": meeting.forum_id},
        "meeting-pk": {"pk": meeting.pk},
    }[arg]
    url = reverse(name, kwargs=kwargs or None)
    before = _count(client, url)
    _grow(fw)
    after = _count(client, url)
    assert before == after, f"{name}: {before} queries, then {after} with more rows"
    assert after <= budget, f"{name}: {after} queries (budget {budget})"


def test_the_endorse_partial_stays_within_its_budget(fw):
    client = Client()
    client.force_login(fw.user("focal.gt"))
    _grow(fw)
    url = reverse("forums:endorse", kwargs={"agenda_item_id": fw.item.pk, "country": "GT"})
    client.get(reverse("forums:item", kwargs={"agenda_item_id": fw.item.pk}))
    version = Endorsement.objects.get(regional=fw.regional, country_id="GT").version
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            url, {"decision": "endorsed", "version": version}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= 30, len(ctx.captured_queries)
