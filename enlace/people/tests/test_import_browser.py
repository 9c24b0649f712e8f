"""Browser journey: upload a shelter's register, read the dry run's report, import the valid
rows only; every page of the flow is axe-clean."""

import os

import pytest

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS, assert_axe_clean

pytestmark = BROWSER_TESTS

REGISTER = (
    "Nombres;Primer apellido;Segundo apellido;Sexo;Fecha de nacimiento;Nacionalidad\n"
    "Rosa Elvira;Cárcamo;Díaz;F;14/07/1999;HN\n"
    "Óscar;Menjívar;;hombre;1990-13-01;SV\n"
    "Dilcia;Maradiaga;Funes;mujer;1987;HN\n"
).encode("cp1252")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_upload_dry_run_then_import_valid_rows_only(page, live_server, demo):
    from enlace.people.models import Person

    shots = os.environ.get("ENLACE_SCREENSHOTS")
    login(page, live_server, "oficial.mx")
    page.goto(f"{live_server.url}/people/")
    assert_axe_clean(page, "/people/ with its import button")
    page.click("a[href='/people/import/']")
    page.wait_for_selector("#id_file")
    assert_axe_clean(page, "/people/import/")
    page.set_input_files(
        "#id_file", files=[{"name": "albergue.csv", "mimeType": "text/csv", "buffer": REGISTER}]
    )
    page.click("button.primary")
    page.wait_for_selector("#import-errors")
    errors = page.inner_text("#import-errors")
    assert "Esta fecha no existe." in errors and "3" in errors  # row 3 of the spreadsheet
    assert_axe_clean(page, "the dry run's report")
    before = Person.objects.count()
    page.click("form[action$='/run/'] button.primary")
    page.wait_for_selector("#import-people")
    assert page.locator("#import-people a").count() == 2
    assert_axe_clean(page, "the import's result")
    assert Person.objects.count() == before + 2
    rosa = Person.objects.get(given_names="Rosa Elvira", first_surname="Cárcamo")
    assert rosa.birth_date.isoformat() == "1999-07-14"
    page.click("#import-people a >> nth=0")
    page.wait_for_selector("h1")
    assert "Cárcamo" in page.inner_text("main")
    if shots:  # the docs' picture: the same register uploaded in English (docs/cases.en.md)
        page.context.add_cookies(
            [{"name": "django_language", "value": "en", "url": live_server.url}]
        )
        page.goto(f"{live_server.url}/people/import/")
        page.set_input_files(
            "#id_file", files=[{"name": "albergue.csv", "mimeType": "text/csv", "buffer": REGISTER}]
        )
        page.click("button.primary")
        page.wait_for_selector("#import-errors")
        page.screenshot(path=f"{shots}/people-import.png", full_page=True)
