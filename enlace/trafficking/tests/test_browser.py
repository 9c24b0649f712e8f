"""Browser: the trafficking pages as a focal point uses them (the `page` fixture runs axe-core on
every page loaded): the list, a case with its route, the form opening a case by keyboard, and
the same case de-identified for the focal point of a country on its route."""

import pytest

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_focal_points_open_and_read_trafficking_cases(page, live_server, demo):
    from enlace.cases.demo import seed_demo_cases
    from enlace.trafficking.demo import seed_demo_trafficking

    seed_demo_cases()
    seed_demo_trafficking()
    login(page, live_server, "trata.gt")
    page.goto(f"{live_server.url}/trafficking/")
    page.wait_for_selector("table.list")
    assert "HN → GT → MX → US" in page.content()
    page.click("table.list a >> nth=-1")  # the oldest: the trafficking case
    page.wait_for_selector("ol.route")
    assert "Keila Yamileth" in page.content()

    page.goto(f"{live_server.url}/trafficking/new/")
    page.select_option("#id_kind", "smuggling")
    page.fill("#id_summary", "Grupo rescatado en Ayutla")
    page.select_option("#id_route-0-country", "GT")
    page.fill("#id_route-0-place", "Ayutla")
    page.select_option("#id_route-1-country", "MX")
    page.focus("button.primary")
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.route")
    assert "Ayutla" in page.content()

    page.context.clear_cookies()
    login(page, live_server, "trata.hn")
    page.goto(f"{live_server.url}/trafficking/?country=GT")
    page.wait_for_selector("table.list")
    page.click("table.list a >> nth=-1")
    page.wait_for_selector("ol.route")
    assert "Keila Yamileth" not in page.content()
