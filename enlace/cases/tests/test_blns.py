"""Every string of the Big List of Naughty Strings goes through create → page → export → API
unchanged and without a server error (shared/data/blns, MIT)."""

import csv
import html
import io
import json
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from enlace.accounts.models import Role
from enlace.cases.testing import export
from enlace.core.text import xlsx_unescape

BLNS = Path(__file__).resolve().parents[4] / "shared" / "data" / "blns" / "blns.json"
STRINGS = json.loads(BLNS.read_text(encoding="utf-8")) if BLNS.exists() else []

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not STRINGS, reason=f"{BLNS} is missing"),
]


def test_blns_round_trip(network):
    officer = network.user(Role.OFFICER)
    api = APIClient()
    api.force_authenticate(officer)
    web = Client()
    web.force_login(officer)
    created = []
    for i, s in enumerate(STRINGS):
        surname = s if len(s) <= 200 else s[:200]  # the field's limit is 200 characters
        person = api.post(
            "/api/v1/people/",
            {"given_names": f"Ana {i}", "first_surname": surname, "other_names": s},
            format="json",
        )
        assert person.status_code == 201, (s, person.content)
        summary = s if s.strip() else f"{s}."  # a summary must say something
        case = api.post(
            "/api/v1/cases/",
            {"person": person.json()["id"], "case_type": "other", "summary": summary},
            format="json",
        )
        assert case.status_code == 201, (s, case.content)
        created.append((s, summary, person.json()["id"], case.json()))

    for _s, summary, _pid, case in created[::7]:  # pages are slower: a seventh of them
        page = web.get(f"/cases/{case['id']}/")
        assert page.status_code == 200
        raw = page.content.decode()
        assert summary.replace("\r\n", "\n") in html.unescape(raw).replace("\r\n", "\n")
        if "<script" in summary.lower() or "<img" in summary.lower():
            assert summary not in raw  # shown escaped, never as live markup

    for s, summary, person_id, case in created:
        data = api.get(f"/api/v1/cases/{case['id']}/").json()
        assert data["summary"] == summary
        pdata = api.get(f"/api/v1/people/{person_id}/").json()
        assert pdata["first_surname"] == (s if len(s) <= 200 else s[:200])
        assert pdata["other_names"] == s

    body = export(api, params={"format": "csv"}).content.decode("utf-8-sig")
    rows = {r[0]: r for r in csv.reader(io.StringIO(body, newline=""))}
    for _s, summary, _pid, case in created:
        exported = rows[case["reference"]][8]
        if summary.startswith(("=", "+", "-", "@", "\t", "\r")):
            assert exported == "'" + summary  # a formula is never live
        else:
            assert exported == summary

    xlsx = export(api, params={"format": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(xlsx), read_only=True).active
    xrows = {r[0]: r for r in sheet.iter_rows(values_only=True)}
    for _s, summary, _pid, case in created:
        cell = xlsx_unescape(xrows[case["reference"]][8] or "")
        expected = (
            "'" + summary if summary.startswith(("=", "+", "-", "@", "\t", "\r")) else summary
        )
        assert cell == expected


def test_too_long_text_is_refused_not_truncated(network):
    api = APIClient()
    api.force_authenticate(network.user(Role.OFFICER))
    resp = api.post(
        "/api/v1/people/", {"given_names": "Ana", "first_surname": "x" * 201}, format="json"
    )
    assert resp.status_code == 400
    assert "first_surname" in resp.json()
