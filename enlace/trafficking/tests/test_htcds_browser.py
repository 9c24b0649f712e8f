"""Browser journey: a trafficking focal point checks an HTCDS workbook with an error (the
report names the row and the field, nothing is imported), and exports the list."""

import io

import pytest
from openpyxl import load_workbook

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS
from enlace.trafficking import htcds_io
from enlace.trafficking.models import TraffickingCase

pytestmark = BROWSER_TESTS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_check_a_workbook_then_export(page, live_server, demo, tmp_path):
    book = load_workbook(io.BytesIO(htcds_io._workbook_bytes()))
    sheet = book["Sheet1"]
    header = {c.value: c.column for c in sheet[1] if c.value}
    sheet.cell(3, header["enl_CaseReference"], "EXT-9")
    sheet.cell(3, header["cas_Status"], "Abierto")
    path = tmp_path / "htcds.xlsx"
    book.save(path)
    count = TraffickingCase.objects.count()

    login(page, live_server, "trata.gt")
    page.goto(f"{live_server.url}/trafficking/")
    page.click("a[href$='/trafficking/htcds/import/']")
    page.wait_for_selector("#id_file")
    page.set_input_files("#id_file", str(path))
    page.click("button[value=import]")
    page.wait_for_selector("#htcds-errors")
    row = page.inner_text("#htcds-errors tbody tr")
    assert "cas_Status" in row and "Abierto" in row and "3" in row
    assert TraffickingCase.objects.count() == count

    page.goto(f"{live_server.url}/trafficking/?kind=trafficking")
    page.click("form[action$='/trafficking/htcds/export/'] button")
    page.wait_for_selector("h1")
    assert "/jobs/" in page.url
