"""The library's lists read a constant number of queries whatever the number of practices
shown (no query per row): the public library (with and without a search), the public API, my
office's practices and the review queue, with 2 and then 7 practices."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

FEW, MORE = 2, 7


def _add(pw, upto, status):
    from enlace.practices.models import Practice

    have = Practice.objects.filter(status=status).count()
    for n in range(have, upto):
        title = f"Reunificación familiar {status} {n}"
        if status == "published":
            pw.published(title=title)
        else:
            pw.submitted(title=title)


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(
    ("who", "url", "params", "status"),
    [
        (None, "/practices/", {}, "published"),
        (None, "/practices/", {"q": "reunificacion familiares", "country": "MX"}, "published"),
        ("api", "/api/v1/practices/", {"q": "family reunification"}, "published"),
        ("author", "/practices/mine/", {}, "submitted"),
        ("analyst", "/practices/review/", {}, "submitted"),
    ],
)
def test_list_queries_do_not_grow_with_rows(pw, who, url, params, status):
    if who == "api":
        client = APIClient()
    else:
        client = Client()
        if who:
            client.force_login(getattr(pw, who).user)
    _add(pw, FEW, status)
    client.get(url, params)  # the session's first request refreshes it: not counted
    few, first = _count(client, url, params)
    _add(pw, MORE, status)
    more, second = _count(client, url, params)
    assert second.content.count(b"Reunificaci") > first.content.count(b"Reunificaci")
    assert few == more, f"{few} queries with {FEW} practices, {more} with {MORE}"
    assert more <= 15
