"""Browser journey with the inbox: Guatemala files a tracing request; Mexico's consulate, which
registered the person, finds the match to review in its inbox (and by e-mail), confirms it;
Guatemala is told, opens the reunification and records a step; Mexico is told, completes the
reunification, and Guatemala is told again. At each hand-over the right user's inbox shows the
item (the navigation counts it), an e-mail went out to that user, and axe-core finds nothing on
the inbox."""

import re

import pytest
from django.core import mail

from enlace.accounts.actor import actor_for
from enlace.accounts.models import User
from enlace.accounts.testing import browser_login as login
from enlace.inbox.models import Item, Kind
from enlace.tests.browser import BROWSER_TESTS, assert_axe_clean
from enlace.tracing.models import Reunification, TracingMatch
from enlace.tracing.tests.test_browser import file_request, register_sought

pytestmark = BROWSER_TESTS

MX, GT = "oficial.mx", "oficial.gt"


def _handed_over(page, live_server, username: str, kind: str) -> Item:
    """The user logs in: the navigation counts unread items, the inbox lists the item of this
    kind, an e-mail about it went to the user; opening it marks it read and leads on."""
    user = User.objects.get(username=username)
    items = [i for i in Item.objects.filter(kind=kind).order_by("-created") if _sees(user, i)]
    assert items, f"{username} has no {kind} item"
    item = items[0]
    sent = [m for m in mail.outbox if m.to == [user.email] and f"/inbox/{item.pk}/" in m.body]
    assert sent, f"no e-mail to {username} about {kind}"
    page.context.clear_cookies()
    login(page, live_server, username)
    badge = page.locator("nav.mainnav .badge.count")
    assert int(re.sub(r"\D", "", badge.inner_text())) >= 1
    page.goto(f"{live_server.url}/inbox/?unread=true")
    link = page.locator(f'a[href="/inbox/{item.pk}/"]')
    link.wait_for()
    assert_axe_clean(page, "/inbox/")
    link.click()
    page.wait_for_selector("h1")
    return item


def _sees(user: User, item: Item) -> bool:
    from enlace.inbox.selectors import item_list

    return item_list(actor=actor_for(user)).filter(pk=item.pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tracing_hand_overs_reach_the_right_inbox_and_mailbox(page, live_server, demo, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for username in (MX, GT):
        User.objects.filter(username=username).update(email=f"{username}@example.org")
    register_sought(MX)

    # 1. Guatemala files the request.
    file_request(page, live_server, GT)
    page.wait_for_url(re.compile(r"/tracing/requests/"))
    match = TracingMatch.objects.get()
    # Guatemala's own inbox says only where: no name, in the page or the e-mail.
    gt_item = Item.objects.get(kind=Kind.MATCH_PROPOSED)
    gt_mail = [m for m in mail.outbox if m.to == [f"{GT}@example.org"]]
    assert gt_mail and all("Alberto" not in m.subject + m.body for m in gt_mail)
    page.goto(f"{live_server.url}/inbox/")
    page.locator(f'a[href="/inbox/{gt_item.pk}/"]').wait_for()
    assert "Alberto" not in page.content()

    # 2. Mexico's consulate finds the match to review, and confirms it with consent.
    _handed_over(page, live_server, MX, Kind.MATCH_TO_REVIEW)
    assert f"/tracing/matches/{match.pk}/" in page.url
    page.wait_for_selector("text=Jesús Alberto Pérez Gómez")
    page.select_option("#id_notice_language", "es")
    page.check("#id_person_consents")
    page.get_by_role("button", name=re.compile("confirm", re.I)).first.click()
    page.wait_for_selector(".messages")
    assert TracingMatch.objects.get().status == TracingMatch.Status.CONFIRMED

    # 3. Guatemala is told; it opens the match, then the reunification, and records a step.
    _handed_over(page, live_server, GT, Kind.MATCH_CONFIRMED)
    assert f"/tracing/matches/{match.pk}/" in page.url
    page.wait_for_selector("text=Jesús Alberto Pérez Gómez")
    reunification = Reunification.objects.get()
    page.goto(f"{live_server.url}/tracing/reunifications/{reunification.pk}/")
    page.check("#id_requester_consent")
    page.locator("form.card button[type=submit]:not([name])").click()
    page.wait_for_selector(".messages")
    assert Reunification.objects.get().requester_consent

    # 4. Mexico is told of the step, and records the reunification.
    _handed_over(page, live_server, MX, Kind.REUNIFICATION_STEP)
    assert f"/tracing/reunifications/{reunification.pk}/" in page.url
    page.check("#id_relationship_verified")
    page.check("#id_person_consent")
    page.fill("#id_reunion_date", "2026-11-30")
    page.fill("#id_reunion_place", "Ciudad de Guatemala")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form.card button[name=complete]").click()
    page.wait_for_selector(".messages")
    assert Reunification.objects.get().status == Reunification.Status.COMPLETED

    # 5. Guatemala is told the reunification is recorded.
    gt = User.objects.get(username=GT)
    steps = [i for i in Item.objects.filter(kind=Kind.REUNIFICATION_STEP) if _sees(gt, i)]
    assert steps, "Guatemala was not told of the completed reunification"
    _handed_over(page, live_server, GT, Kind.REUNIFICATION_STEP)
    assert f"/tracing/reunifications/{reunification.pk}/" in page.url
    # Every item each of them opened is read now; the home panel shows what is still unread.
    page.goto(f"{live_server.url}/")
    page.locator("#inbox-panel").wait_for()
    assert_axe_clean(page, "/")
