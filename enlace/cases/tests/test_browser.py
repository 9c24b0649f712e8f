"""Browser journey: register, open a detention case with its art. 36 log, refer it across
countries, accept it without seeing the migratory status, and approve closure."""

import os

import pytest

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


def logout(page, live_server):
    page.context.clear_cookies()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_detention_case_referred_across_countries(page, live_server, demo):
    shots = os.environ.get("ENLACE_SCREENSHOTS")
    login(page, live_server, "oficial.mx")
    page.goto(f"{live_server.url}/people/new/")
    page.fill("#id_given_names", "Juan Carlos")
    page.fill("#id_first_surname", "Ramírez")
    page.fill("#id_second_surname", "Ochoa")
    page.select_option("#id_sex", "M")
    page.fill("#id_birth_date", "1994-05-17")
    page.check("#id_nationalities input[value=MX]")
    page.select_option("#id_migratory_status", "irregular")
    page.fill("#id_migratory_status_notes", "Visa vencida en 2023")
    page.click("button.primary")
    page.wait_for_selector("text=Juan Carlos Ramírez Ochoa")
    assert "Visa vencida en 2023" in page.content()
    if shots:
        page.screenshot(path=f"{shots}/person.png", full_page=True)

    page.click("text=Abrir un caso")
    page.select_option("#id_case_type", "detention")
    page.fill("#id_summary", "Detenido por la policía local; requiere visita consular.")
    page.select_option("#id_risk_level", "high")
    page.click("button.primary")
    page.wait_for_selector("#id_arrest_date")
    page.fill("#id_arrest_date", "2026-11-20")
    page.fill("#id_detention_place", "Centro de detención de Adelanto")
    page.select_option("#id_informed_of_rights", "no")
    page.fill("#id_notified_on", "2026-11-22")
    page.fill("#id_notified_by", "ICE, oficial de turno")
    page.fill("#id_first_contact_on", "2026-11-22")
    page.fill("#id_first_visit_on", "2026-11-24")
    page.click("button.primary")
    page.wait_for_selector("text=2 días después del arresto")
    reference = page.inner_text("h1").split()[0]
    case_url = page.url
    if shots:
        page.screenshot(path=f"{shots}/case.png", full_page=True)

    page.click("text=Referir el caso")
    page.select_option("#id_to_office", label="Consulado de Guatemala en Ciudad de México")
    page.fill("#id_purpose", "Acompañamiento a la familia en Ciudad de México.")
    page.check("#id_consent")
    page.click("button.primary")
    page.wait_for_selector("text=Referencia enviada.")

    logout(page, live_server)
    login(page, live_server, "oficial.gt")
    page.goto(f"{live_server.url}/cases/referrals/")
    assert reference in page.content()
    assert "Ramírez" not in page.content()  # no identity before acceptance
    page.click("button:has-text('Aceptar')")
    page.wait_for_selector("text=Detenido por la policía local")
    content = page.content()
    assert "Juan Carlos Ramírez Ochoa" in content
    assert "Visa vencida" not in content and "Irregular" not in content
    page.goto(case_url)
    page.fill("#id_provider", "Consulado GT")
    page.click("form[action$='/actions/'] button")
    page.wait_for_selector("text=Acción registrada.")

    logout(page, live_server)
    login(page, live_server, "supervisor.mx")
    page.goto(case_url)
    page.fill("#note-approve_closure", "Liberado sin cargos; familia informada.")
    page.once("dialog", lambda d: d.accept())
    page.click("button:has-text('Aprobar el cierre')")
    page.wait_for_selector("text=Caso actualizado.")
    assert "Cerrado" in page.inner_text("#case-facts")
    if shots:
        page.screenshot(path=f"{shots}/case-closed.png", full_page=True)
