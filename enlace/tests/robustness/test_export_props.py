"""Exports never hold a live formula: every text cell of the cases CSV/XLSX export and of the
HTCDS workbook that a spreadsheet would run (= + - @ tab CR, after any apostrophes) is
neutralised; and where Enlace has an importer for the format (HTCDS) the export re-imports
losslessly: the same text back, the case unchanged."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from rest_framework.test import APIClient

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.cases.testing import export
from enlace.core.text import (
    FORMULA_PREFIXES,
    spreadsheet_safe,
    spreadsheet_unsafe,
    xlsx_unescape,
)
from enlace.trafficking import htcds_io, services
from enlace.trafficking.models import TraffickingCase

pytestmark = pytest.mark.django_db

FORMULAS = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'=", "''+", "'", "=cmd|' /C calc'!A0"])
TEXT = st.builds(
    lambda head, tail: head + tail,
    st.one_of(FORMULAS, st.just("")),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=30,
    ),
)


def _live(cell: object) -> bool:
    return isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES)


@given(text=TEXT)
def test_spreadsheet_safe_round_trips_and_is_never_live(text):
    safe = spreadsheet_safe(text)
    assert not _live(safe)
    assert spreadsheet_unsafe(safe) == text


@given(texts=st.lists(TEXT.filter(lambda t: t.strip()), min_size=1, max_size=3))
def test_cases_export_has_no_live_formula(network, texts):
    api = APIClient()
    api.force_authenticate(network.user(Role.OFFICER))
    made = {}
    for text in texts:
        person = api.post(
            "/api/v1/people/",
            {"given_names": "Ana", "first_surname": text[:200], "other_names": text},
            format="json",
        ).json()
        case = api.post(
            "/api/v1/cases/",
            {"person": person["id"], "case_type": "other", "summary": text},
            format="json",
        )
        assert case.status_code == 201, case.content
        made[case.json()["reference"]] = text

    body = export(api, params={"format": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert not [c for row in rows for c in row if _live(c)]
    by_ref = {r[0]: r for r in rows}
    for reference, text in made.items():
        assert spreadsheet_unsafe(by_ref[reference][8]) == text

    book = load_workbook(io.BytesIO(export(api, params={"format": "xlsx"}).content))
    sheet = book.active
    assert not [c.value for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    values = list(sheet.iter_rows(values_only=True))
    assert not [
        v
        for row in values
        for v in row
        if _live(xlsx_unescape(v or "") if isinstance(v, str) else v)
    ]
    by_ref = {r[0]: r for r in values}
    for reference, text in made.items():
        assert spreadsheet_unsafe(xlsx_unescape(by_ref[reference][8])) == text


@given(texts=st.lists(TEXT.map(str.strip).filter(bool), min_size=1, max_size=3))
def test_htcds_export_has_no_live_formula_and_reimports_unchanged(network, texts):
    actor = actor_for(network.user(Role.TRAFFICKING_FOCAL_POINT))
    TraffickingCase.objects.all().delete()
    for text in texts:
        services.case_create(actor=actor, kind="trafficking", summary=text)
    raw = htcds_io.export_bytes(actor)
    book = load_workbook(io.BytesIO(raw))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not _live(xlsx_unescape(cell.value)), (sheet.title, cell.value)
    report = htcds_io.import_htcds(actor, raw, dry_run=False)
    assert report["errors"] == []
    assert report["unchanged"] == len(texts), report
    assert sorted(TraffickingCase.objects.values_list("summary", flat=True)) == sorted(texts)
