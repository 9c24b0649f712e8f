"""Lists keep their filters from page to page and sort by whitelisted columns (issue 10)."""

import datetime as dt
import html as htmllib
import re

import pytest

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.cases import services
from enlace.core.pagination import PAGE_SIZE

pytestmark = pytest.mark.django_db


def _open_cases(world, n):
    officer = actor_for(world.network.user(Role.OFFICER))
    for i in range(n):
        services.case_open(
            actor=officer,
            person=world.person,
            case_type="hospital",
            summary=f"Caso {i}",
            due_date=dt.date(2030, 1, 1) + dt.timedelta(days=(i * 7) % 31),
        )


def _links(html):
    return [htmllib.unescape(h) for h in re.findall(r'href="(\?[^"]*)"', html)]


def _references(html):
    return re.findall(r'href="/cases/[0-9a-f-]+/">([A-Z]{2}-\d{4}-\d+)</a>', html)


def test_next_page_keeps_filters_and_sort(world, client):
    _open_cases(world, PAGE_SIZE + 3)
    client.force_login(world.network.user(Role.OFFICER))
    html = client.get("/cases/?case_type=hospital&sort=reference").content.decode()
    nxt = [link for link in _links(html) if "page=2" in link]
    assert nxt, "a link to page 2"
    assert "case_type=hospital" in nxt[0] and "sort=reference" in nxt[0]
    page2 = client.get("/cases/" + nxt[0]).content.decode()
    refs = _references(page2)
    assert len(refs) == 3 and refs == sorted(refs)  # the same filter, the same order
    prev = [link for link in _links(page2) if "page=1" in link]
    assert prev and "case_type=hospital" in prev[0]


def test_sortable_headers_toggle_and_keep_filters(world, client):
    _open_cases(world, 5)
    client.force_login(world.network.user(Role.OFFICER))
    html = client.get("/cases/?case_type=hospital&sort=reference&page=1").content.decode()
    th = re.search(r'<th scope="col" aria-sort="ascending"><a[^>]*href="([^"]*)"', html)
    assert th, "the sorted column says so"
    link = htmllib.unescape(th.group(1))
    assert "sort=-reference" in link and "case_type=hospital" in link and "page=" not in link
    assert html.count('aria-sort="none"') == 2  # the other sortable columns
    refs = _references(client.get("/cases/?sort=-reference").content.decode())
    assert refs == sorted(refs, reverse=True) and len(refs) == 6
    from enlace.cases.models import Case

    due = client.get("/cases/?sort=due_date&case_type=hospital").content.decode()
    by_due = list(
        Case.objects.filter(case_type="hospital")
        .order_by("due_date", "id")
        .values_list("reference", flat=True)
    )
    assert _references(due) == by_due


@pytest.mark.parametrize(
    "url",
    [
        "/cases/?sort=summary",
        "/cases/?sort=--reference",
        "/people/?sort=migratory_status",
        "/cases/referrals/?sort=purpose",
        "/tracing/?sort=notes",
        "/jobs/?sort=result",
    ],
)
def test_unknown_sort_is_a_clear_400(world, client, url):
    client.force_login(world.network.user(Role.OFFICER))
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    resp = client.get(url)
    assert resp.status_code == 400, url
    assert "cannot be sorted by" in resp.content.decode()


def test_people_and_referrals_sort(world, client):
    client.force_login(world.network.user(Role.OFFICER))
    html = client.get("/people/?sort=-created").content.decode()
    assert 'aria-sort="descending"' in html
    html = client.get("/cases/referrals/?direction=out&sort=status").content.decode()
    statuses = re.findall(r'<span class="badge">([^<]+)</span>', html)
    assert len(statuses) == 2 and 'aria-sort="ascending"' in html
    back = client.get("/cases/referrals/?direction=out&sort=-status").content.decode()
    assert re.findall(r'<span class="badge">([^<]+)</span>', back) == statuses[::-1]


def test_htmx_error_pages_replace_the_main_content(world, client):
    """An htmx request that ends on the error page (400/409) is shown in place of the page's
    main content, not swapped into the small part it meant to update (or dropped)."""
    client.force_login(world.network.user(Role.OFFICER))
    resp = client.get("/cases/?sort=bogus", HTTP_HX_REQUEST="true")
    assert resp.status_code == 400
    assert resp["HX-Retarget"] == "#main" and resp["HX-Reselect"] == "#main"
    assert 'id="main"' in resp.content.decode()
    plain = client.get("/cases/?sort=bogus")
    assert plain.status_code == 400 and "HX-Retarget" not in plain
