"""Free text is a side door (issue 12): a name typed into a case's summary, closure reason,
events' or incidents' descriptions must reach only the readers who may see the identities —
on the page, in the API, in the HTCDS export, and in search (no oracle)."""

import io
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape
from django.utils.translation import gettext
from openpyxl import load_workbook
from rest_framework.test import APIClient

from enlace.trafficking import htcds_io, selectors, services
from enlace.trafficking.models import Incident, TraffickingCase

# A name typed where it should not be: every free-text field of the case carries one.
SUMMARY_NAME = "Wenceslao Pixcayan"
CLOSURE_NAME = "Eulogia Tzununa"
EVENT_NAME = "Rigoberto Chixoy"
INCIDENT_NAME = "Marcelina Ixcoy"
SECRETS = (*SUMMARY_NAME.split(), *CLOSURE_NAME.split(), *EVENT_NAME.split(), INCIDENT_NAME)
DEIDENTIFIED = ["nfp_gt", "tfp_mx"]


@pytest.fixture
def case(world: Any) -> TraffickingCase:
    """A smuggling case of the GT focal point (incidents are recorded for smuggling only),
    through MX, with a name typed in each free-text field."""
    return services.case_create(
        actor=world.actor("tfp_gt"),
        kind="smuggling",
        summary=f"Denuncia de {SUMMARY_NAME} sobre la finca",
        closure_reason=f"Cerrado tras hablar con {CLOSURE_NAME}",
        route=[
            {"country": "GT", "place": "Huehuetenango"},
            {"country": "MX", "place": "Tapachula"},
        ],
        events=[{"type": "Recruitment", "country": "GT", "description": f"Lo captó {EVENT_NAME}"}],
        incidents=[
            {
                "kind": Incident.Kind.values[0],
                "country": "MX",
                "description": f"Lo vio {INCIDENT_NAME}",
            }
        ],
    )


def _page(world: Any, key: str, case: TraffickingCase) -> str:
    client = Client()
    client.force_login(world.users[key])
    response = client.get(f"/trafficking/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _api(world: Any, key: str, path: str) -> Any:
    client = APIClient()
    client.force_authenticate(world.users[key])
    response = client.get(path)
    assert response.status_code == 200
    return response.json()


def _listed(world: Any, key: str, case: TraffickingCase) -> dict[str, Any]:
    rows = _api(world, key, "/api/v1/trafficking-cases/")["results"]
    (row,) = [r for r in rows if r["reference"] == case.reference]
    return row


def _export_text(world: Any, key: str) -> str:
    book = load_workbook(io.BytesIO(htcds_io.export_bytes(world.actor(key))))
    return "\n".join(
        str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r if c.value
    )


def test_owner_focal_point_sees_the_free_text_everywhere(world, case):
    page = _page(world, "tfp_gt", case)
    assert SUMMARY_NAME in page and CLOSURE_NAME in page and EVENT_NAME in page
    detail = _api(world, "tfp_gt", f"/api/v1/trafficking-cases/{case.pk}/")
    assert detail["free_text"] is True
    assert SUMMARY_NAME in detail["summary"] and CLOSURE_NAME in detail["closure_reason"]
    assert EVENT_NAME in detail["events"][0]["description"]
    assert INCIDENT_NAME in detail["incidents"][0]["description"]
    listed = _listed(world, "tfp_gt", case)
    assert SUMMARY_NAME in listed["summary"]
    text = _export_text(world, "tfp_gt")
    for secret in (SUMMARY_NAME, CLOSURE_NAME, EVENT_NAME, INCIDENT_NAME):
        assert secret in text


@pytest.mark.parametrize("key", DEIDENTIFIED)
def test_deidentified_reader_sees_no_free_text(world, case, key):
    page = _page(world, key, case)
    assert case.reference in page
    note = gettext(
        "Free text (summary, reasons, descriptions) is shown only to the focal points who may "
        "see the identities."
    )
    assert escape(note) in page
    for secret in SECRETS:
        assert secret not in page, secret
    detail = _api(world, key, f"/api/v1/trafficking-cases/{case.pk}/")
    assert detail["free_text"] is False and detail["identities"] is False
    assert detail["summary"] == "" and detail["closure_reason"] == ""
    assert detail["events"][0]["description"] == ""
    assert detail["events"][0]["type"] == "Recruitment"  # the rest of the row is kept
    assert detail["incidents"][0]["description"] == ""
    assert _listed(world, key, case)["summary"] == ""
    text = _export_text(world, key)
    assert case.reference in text and "Recruitment" in text
    for secret in SECRETS:
        assert secret not in text, secret


def _found(world: Any, key: str, text: str) -> list[str]:
    actor = world.actor(key)
    qs = selectors.search(selectors.case_list(actor=actor), text, actor=actor)
    return sorted(str(c.pk) for c in qs)


def test_search_matches_free_text_only_with_the_identities(world, case):
    assert _found(world, "tfp_gt", "pixcayan") == [str(case.pk)]
    assert _found(world, "tfp_gt", "wenceslao finca") == [str(case.pk)]
    for key in DEIDENTIFIED:
        assert _found(world, key, "pixcayan") == _found(world, key, "qwzxnonsense") == []
        # the reference and the places stay searchable for every reader
        assert _found(world, key, case.reference) == [str(case.pk)]
        assert _found(world, key, "tapachula") == [str(case.pk)]
    assert _found(world, "tfp_gt", case.reference) == [str(case.pk)]


@pytest.mark.parametrize("key", DEIDENTIFIED)
def test_search_through_the_list_page_and_api_is_no_oracle(world, case, key):
    client = Client()
    client.force_login(world.users[key])
    hidden = client.get("/trafficking/", {"q": "pixcayan"}).content.decode()
    assert case.reference not in hidden
    api = _api(world, key, "/api/v1/trafficking-cases/?q=pixcayan")
    assert (
        api["results"] == _api(world, key, "/api/v1/trafficking-cases/?q=qwzxnonsense")["results"]
    )
    assert api["results"] == []
    owner = _api(world, "tfp_gt", "/api/v1/trafficking-cases/?q=pixcayan")["results"]
    assert [c["reference"] for c in owner] == [case.reference]


def test_search_columns_are_kept_apart(case):
    case.refresh_from_db()
    assert "pixcayan" in case.free_text_search
    assert "pixcayan" not in case.search_text
    assert case.reference.casefold() in case.search_text.casefold()
