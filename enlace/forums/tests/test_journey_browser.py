"""Browser: `focal.gt` (national focal point of Guatemala) opens the demo's agenda item of FMMD
2010 Puerto Vallarta, endorses the regional position, and the endorsement grid updates in place
(htmx): Guatemala shows as endorsed, in words and symbol, not by colour alone. The `page` fixture
runs axe-core on every page loaded; the swapped grid is checked again.
With ENLACE_SCREENSHOTS=<dir> it saves the item's page at 1280 and 375 px (forum-item.png,
forum-item-phone.png for docs/forums.*.md)."""

import os

import pytest
from django.utils.translation import gettext

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS, assert_axe_clean

pytestmark = BROWSER_TESTS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_focal_point_endorses_the_regional_position_and_the_grid_updates(page, live_server, demo):
    from enlace.forums.demo import ITEM, seed_demo_forums
    from enlace.forums.models import AgendaItem, Decision, Endorsement

    seed_demo_forums()
    item = AgendaItem.objects.get(title=ITEM)
    shots = os.environ.get("ENLACE_SCREENSHOTS")

    login(page, live_server, "focal.gt")
    page.goto(f"{live_server.url}/forums/")
    page.click("text=FMMD 2010 Puerto Vallarta")
    page.click(f"text={ITEM}")
    page.wait_for_selector("#endorsement-grid")
    gt = page.locator('#endorsement-grid tr[data-country="GT"]')
    assert gt.get_attribute("data-decision") == "pending"
    url_before = page.url

    page.check("#endorse_decision_0")  # Endorse
    page.click("#endorsement-grid button[type=submit]")
    page.wait_for_selector('#endorsement-grid tr[data-country="GT"][data-decision="endorsed"]')

    assert page.url == url_before  # updated in place, not a new page
    row = page.locator('#endorsement-grid tr[data-country="GT"]').inner_text()
    assert "✓" in row and gettext("Endorsed") in row
    assert gettext("Your country endorsed the regional position.") in page.inner_text(
        "#endorsement-grid"
    )
    assert (
        Endorsement.objects.get(regional__item=item, country_id="GT").decision == Decision.ENDORSED
    )
    assert_axe_clean(page, "the item page after the grid's swap")
    if shots:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=os.path.join(shots, "forum-item.png"), full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path=os.path.join(shots, "forum-item-phone.png"), full_page=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_commitments_tracker_and_the_public_item_pass_axe(page, live_server, demo):
    """The tracker (commitment × country, wide: it scrolls sideways on a phone) and the public
    item page; axe-core runs on each page load (the `page` fixture)."""
    from enlace.forums.demo import ITEM, seed_demo_forums
    from enlace.forums.models import AgendaItem

    seed_demo_forums()
    item = AgendaItem.objects.get(title=ITEM)
    shots = os.environ.get("ENLACE_SCREENSHOTS")
    login(page, live_server, "focal.gt")
    page.goto(f"{live_server.url}/forums/commitments/")
    cell = page.locator('tr[data-commitment="C04"] td[data-country="GT"]').inner_text()
    assert gettext("Achieved") in cell and "✓" in cell
    if shots:
        for width, name in ((1280, "forum-commitments.png"), (375, "forum-commitments-phone.png")):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=os.path.join(shots, name), full_page=True)
    page.goto(f"{live_server.url}/public/forums/items/{item.pk}/")
    assert "Guatemala pide" not in page.inner_text("main")  # a draft is not public
    if shots:
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path=os.path.join(shots, "forum-public-phone.png"), full_page=True)
