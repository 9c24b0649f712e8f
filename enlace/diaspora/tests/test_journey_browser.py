"""Browser (issue 15): `asociacion` switches to the Salvadoran association she also represents,
registers a project for a municipality of El Salvador (Chirilagua, San Miguel) with a
co-funding partner, and the municipality's public page shows it with its totals. The `page`
fixture runs axe-core on every page loaded. With ENLACE_SCREENSHOTS=<dir> it saves the
municipality page, the project form and the directory at 1280 and 375 px (for the guide)."""

import os

import pytest
from django.utils.translation import gettext

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS

CHIRILAGUA = "SV-1206"


def _shots(page, name: str) -> None:
    shots = os.environ.get("ENLACE_SCREENSHOTS")
    if not shots:
        return
    for width, suffix in ((1280, ""), (375, "-phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(shots, f"{name}{suffix}.png"), full_page=True)
    page.set_viewport_size({"width": 1100, "height": 800})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_association_registers_a_project_for_a_salvadoran_municipality(page, live_server, demo):
    from enlace.diaspora.demo import seed_demo_associations
    from enlace.diaspora.models import Project

    seed_demo_associations()
    login(page, live_server, "asociacion")
    # She acts for the Zacatecan federation first: the header's office switcher takes her to
    # the Salvadoran association.
    switcher = page.locator("#office-select")
    option = switcher.locator("option", has_text="Asociación de Salvadoreños de Los Ángeles")
    with page.expect_navigation():
        switcher.select_option(option.get_attribute("value"))
    page.goto(f"{live_server.url}/diaspora/manage/")
    page.locator("main a", has_text="Asociación de Salvadoreños de Los Ángeles").click()
    page.wait_for_selector("form.card")
    page.locator("main a", has_text=gettext("Add a project")).click()
    page.wait_for_selector("#id_title")
    page.fill("#id_title", "Casa de la cultura de Chirilagua")
    page.select_option("#id_municipality", CHIRILAGUA)
    page.select_option("#id_project_type", "cultural")
    page.select_option("#id_status", "fundraising")
    page.fill("#id_budget", "20000")
    page.select_option("#id_currency", "USD")
    page.fill("#id_beneficiaries_women", "120")
    page.fill("#id_beneficiaries_men", "100")
    page.fill("#id_cf-0-partner", "Alcaldía de Chirilagua")
    page.fill("#id_cf-0-amount", "5000")
    _shots(page, "diaspora-project")
    with page.expect_navigation():
        page.click(f"text={gettext('Save the project')}")
    assert not page.locator(".errors, p.error").all_inner_texts()
    project = Project.objects.get(title="Casa de la cultura de Chirilagua")
    assert project.association.origin_country_id == "SV"
    assert project.municipality_id == CHIRILAGUA

    page.goto(f"{live_server.url}/diaspora/municipalities/{CHIRILAGUA}/")
    page.wait_for_selector("#totals")
    body = page.locator("main").inner_text()
    assert "Casa de la cultura de Chirilagua" in body
    assert "Alcaldía de Chirilagua" in body
    totals = page.locator("#totals").inner_text()
    assert "220" in totals  # 120 women and girls + 100 men and boys
    assert "USD" in totals
    _shots(page, "diaspora-municipality")
    # The association's public page lists it too, without the contact data kept private.
    page.locator("main a", has_text="Asociación de Salvadoreños de Los Ángeles").click()
    page.wait_for_selector("dl.facts")
    assert "Casa de la cultura de Chirilagua" in page.locator("main").inner_text()
    # The public directory, filtered by country of origin: the Salvadoran association only.
    page.goto(f"{live_server.url}/diaspora/?origin_country=SV")
    rows = page.locator("table.list tbody tr").all_inner_texts()
    assert len(rows) == 1 and "Asociación de Salvadoreños de Los Ángeles" in rows[0]
    _shots(page, "diaspora-directory")
