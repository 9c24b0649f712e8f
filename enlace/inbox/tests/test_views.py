"""The inbox page, the navigation's unread count, the home panel, and the API."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from enlace.accounts.models import Role
from enlace.inbox.models import Item, Kind, Preference, Receipt
from enlace.inbox.services import notify

from .conftest import OTHER_COUNTRY, OWN_OFFICE

pytestmark = pytest.mark.django_db


def overdue(world, n: int, office_relation: str = OWN_OFFICE) -> list[Item]:
    office = world.network.offices[office_relation]
    return [
        notify(
            kind=Kind.CASE_OVERDUE,
            office=office,
            roles=(Role.OFFICER, Role.SUPERVISOR),
            params={"reference": f"MX-2026-{i:06d}", "due": "2026-01-05"},
            link=f"/cases/{world.case.pk}/",
        )
        for i in range(n)
    ]


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_navigation_counts_unread_items(world):
    officer = world.user(Role.OFFICER)
    client = web(officer)
    assert 'class="badge count"' not in client.get("/").content.decode()
    overdue(world, 3)
    html = client.get("/").content.decode()
    assert 'class="badge count">3<' in html
    # The home panel lists the unread items, linked through the inbox.
    first = Item.objects.order_by("-created").first()
    assert f'href="/inbox/{first.pk}/"' in html and "MX-2026-000002" in html
    # Another office's analyst sees none of them.
    other = web(world.user(Role.ANALYST, OTHER_COUNTRY)).get("/").content.decode()
    assert 'class="badge count"' not in other and "MX-2026-000002" not in other


def test_opening_an_item_marks_it_read_and_leads_to_its_record(world):
    (item,) = overdue(world, 1)
    officer = world.user(Role.OFFICER)
    client = web(officer)
    response = client.get(f"/inbox/{item.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/cases/{world.case.pk}/"
    assert Receipt.objects.filter(item=item, user=officer).exists()
    assert 'class="badge count"' not in client.get("/").content.decode()
    # Someone else's item is a 404, and is not marked read for them.
    outsider = world.user(Role.OFFICER, OTHER_COUNTRY)
    assert web(outsider).get(f"/inbox/{item.pk}/").status_code == 404
    assert not Receipt.objects.filter(user=outsider).exists()


def test_the_page_lists_filters_paginates_and_marks_all_read(world):
    items = overdue(world, 30)
    officer = world.user(Role.OFFICER)
    client = web(officer)
    client.get(f"/inbox/{items[0].pk}/")  # one read
    page = client.get("/inbox/").content.decode()
    assert page.index("MX-2026-000029") < page.index("MX-2026-000028")  # newest first
    unread = client.get("/inbox/", {"unread": "true"}).content.decode()
    assert "MX-2026-000000" not in unread and "MX-2026-000029" in unread
    # Page 2 keeps the filter.
    assert 'href="?unread=true&amp;page=2"' in unread
    page2 = client.get("/inbox/", {"unread": "true", "page": "2"}).content.decode()
    assert "MX-2026-000001" in page2 and "MX-2026-000000" not in page2
    assert client.get("/inbox/", {"unread": "maybe"}).status_code == 400
    response = client.post("/inbox/read-all/")
    assert response.status_code == 302
    assert Receipt.objects.filter(user=officer).count() == 30
    empty = client.get("/inbox/", {"unread": "true"}).content.decode()
    assert "Nothing unread" in empty or "Nada sin leer" in empty or 'class="empty"' in empty
    # The supervisor's own read state is untouched.
    assert Receipt.objects.filter(user=world.user(Role.SUPERVISOR)).count() == 0


def test_an_empty_inbox_says_so(world):
    html = web(world.user(Role.ANALYST)).get("/inbox/").content.decode()
    assert 'class="empty"' in html and "<table" not in html


def test_the_email_preference_is_saved_from_the_page(world):
    officer = world.user(Role.OFFICER)
    client = web(officer)
    assert client.post("/inbox/preferences/", {"email": "digest"}).status_code == 302
    assert Preference.objects.get(user=officer).email == "digest"
    assert re.search(r'value="digest"[^>]*checked', client.get("/inbox/").content.decode())
    client.post("/inbox/preferences/", {"email": "hourly"})
    assert Preference.objects.get(user=officer).email == "digest"


# ---------------------------------------------------------------- API


def test_api_lists_the_readers_items_newest_first(world):
    items = overdue(world, 3)
    client = api(world.user(Role.OFFICER))
    body = client.get("/api/v1/inbox/").json()
    assert [r["id"] for r in body["results"]] == [str(i.pk) for i in reversed(items)]
    row = body["results"][0]
    assert set(row) == {"id", "kind", "title", "created", "read", "link"}
    assert row["kind"] == "case_overdue" and "MX-2026-000002" in row["title"]
    assert row["read"] is False and row["link"] == f"/cases/{world.case.pk}/"
    assert (
        api(world.user(Role.OFFICER, OTHER_COUNTRY)).get("/api/v1/inbox/").json()["results"] == []
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 2), ("true", 2), ("0", 1), ("false", 1)],
)
def test_api_unread_filter(world, value, expected):
    items = overdue(world, 3)
    client = api(world.user(Role.OFFICER))
    assert client.post(f"/api/v1/inbox/{items[0].pk}/read/").json()["read"] is True
    body = client.get("/api/v1/inbox/", {"unread": value}).json()
    assert len(body["results"]) == expected


@pytest.mark.parametrize("value", ["yes", "", "2", "TRUE "])
def test_api_malformed_unread_is_a_400(world, value):
    response = api(world.user(Role.OFFICER)).get("/api/v1/inbox/", {"unread": value})
    assert response.status_code == 400 and "unread" in response.json()


def test_api_reading_someone_elses_item_is_a_404(world):
    (item,) = overdue(world, 1)
    for outsider in (
        world.user(Role.OFFICER, OTHER_COUNTRY),
        world.user(Role.ANALYST),  # same office, a role the item is not for
    ):
        response = api(outsider).post(f"/api/v1/inbox/{item.pk}/read/")
        assert response.status_code == 404
    assert not Receipt.objects.exists()
    missing = api(world.user(Role.OFFICER)).post(
        "/api/v1/inbox/00000000-0000-0000-0000-000000000000/read/"
    )
    assert missing.status_code == 404
