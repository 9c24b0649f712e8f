"""The API's create and read, the schema, the form page (create and a stale edit), the panel on
a protection case's page, the navigation, and the demo."""

import pytest
from django.test import Client
from django.utils.translation import gettext
from rest_framework.test import APIClient

from enlace.cases import services as case_services
from enlace.trafficking import services
from enlace.trafficking.models import TraffickingCase

from .conftest import VICTIM_NAME


def _api(world, key):
    client = APIClient()
    client.force_authenticate(world.users[key])
    return client


def test_api_create_then_get(world):
    body = {
        "kind": "smuggling",
        "summary": "Grupo interceptado",
        "victims": [{"person": str(world.person.pk), "fee_paid": "1200", "fee_currency": "USD"}],
        "perpetrators": [{"given_names": "Juancho", "role_in_process": ["Smuggler"]}],
        "identifiers": [{"kind": "phone", "value": "55551234", "perpetrator": 0}],
        "route": [
            {"country": "HN", "place": "Choloma", "date": "2026-03-01", "transport": "bus"},
            {"country": "GT", "place": "Tecún Umán", "transport": "boat"},
            {"country": "MX"},
        ],
        "incidents": [{"kind": "extortion", "persons_affected": 4}],
    }
    created = _api(world, "tfp_gt").post("/api/v1/trafficking-cases/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["reference"].startswith("SM-GT-")
    assert [s["country"] for s in data["route"]] == ["HN", "GT", "MX"]
    assert data["identifiers"][0]["normalised"] == "+50255551234"
    assert data["victims"][0]["name"] == " ".join(VICTIM_NAME)
    # HN is on this route: its focal point reads it, de-identified.
    seen = _api(world, "tfp_hn").get(f"/api/v1/trafficking-cases/{data['id']}/")
    assert seen.status_code == 200
    assert seen.json()["victims"][0] == {
        "label": gettext("Victim %(n)d") % {"n": 1},
        "sex": "F",
        "age_band": seen.json()["victims"][0]["age_band"],
        "identity_protected": True,
    }
    listed = _api(world, "tfp_hn").get("/api/v1/trafficking-cases/", {"country": "HN"})
    assert [c["id"] for c in listed.json()["results"]] == [data["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "piracy", "summary": "x"}, "kind"),
        ({"kind": "trafficking"}, "summary"),
        ({"kind": "trafficking", "summary": "x", "route": [{"country": "Mexico"}]}, "route"),
        (
            {"kind": "trafficking", "summary": "x", "victims": [{"person": "nope"}]},
            "victims",
        ),
    ],
)
def test_api_create_refuses_bad_input_with_400(world, body, field):
    response = _api(world, "tfp_gt").post("/api/v1/trafficking-cases/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_api_create_is_for_trafficking_focal_points_only(world):
    body = {"kind": "trafficking", "summary": "x"}
    assert _api(world, "nfp_gt").post("/api/v1/trafficking-cases/", body).status_code == 404
    assert _api(world, "officer_gt").post("/api/v1/trafficking-cases/", body).status_code == 404


def test_the_schema_describes_the_endpoints(world):
    schema = _api(world, "admin").get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/trafficking-cases/" in schema["paths"]
    assert "/api/v1/trafficking-cases/{id}/" in schema["paths"]
    victim = schema["components"]["schemas"]["VictimInputRequest"]["properties"]
    enum = victim["methods_of_control"]["items"]["$ref"].rsplit("/", 1)[1]
    assert "DebtBondage" in schema["components"]["schemas"][enum]["enum"]


def _form(**fields):
    data = {"kind": "trafficking", "status": "Active", "summary": "Desde el formulario"}
    for name in ("route", "victims", "perpetrators", "identifiers", "events", "incidents"):
        data |= {f"{name}-TOTAL_FORMS": "1", f"{name}-INITIAL_FORMS": "0"}
    return data | fields


def test_the_form_opens_a_case_with_its_rows(world):
    client = Client()
    client.force_login(world.users["tfp_gt"])
    response = client.post(
        "/trafficking/new/",
        _form(
            **{
                "route-0-country": "GT",
                "route-0-place": "Retalhuleu",
                "victims-0-person": str(world.person.pk),
                "victims-0-type_of_exploitation": ["ForcedLabour", "ForcedBegging"],
                "identifiers-0-kind": "phone",
                "identifiers-0-value": "5555 1234",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = TraffickingCase.objects.get(summary="Desde el formulario")
    assert case.route.get().place == "Retalhuleu"
    assert case.victims.get().type_of_exploitation == ["ForcedLabour", "ForcedBegging"]
    assert case.identifiers.get().normalised == "+50255551234"


def test_the_form_shows_row_errors_next_to_the_row(world):
    client = Client()
    client.force_login(world.users["tfp_gt"])
    response = client.post(
        "/trafficking/new/",
        _form(**{"identifiers-0-kind": "phone", "identifiers-0-value": "12"}),
    )
    assert response.status_code == 400
    assert "This is not a phone number" in response.content.decode() or (
        "no es" in response.content.decode()
    )
    assert not TraffickingCase.objects.filter(summary="Desde el formulario").exists()


def test_a_stale_edit_is_409_and_keeps_the_input(world):
    client = Client()
    client.force_login(world.users["tfp_gt"])
    services.case_update(
        actor=world.actor("tfp_gt"), case=world.case, version=world.case.version, data={}
    )
    data = _form(summary="Mi versión", version=str(world.case.version))
    response = client.post(f"/trafficking/{world.case.pk}/edit/", data)
    assert response.status_code == 409
    assert "Mi versión" in response.content.decode()


def test_the_protection_case_page_shows_its_trafficking_cases_to_who_may_see_them(world):
    registrar = world.actor("officer_gt_consulate")
    protection = case_services.case_open(
        actor=registrar, person=world.person, case_type="possible_trafficking", summary="Atención"
    )
    services.case_update(
        actor=world.actor("tfp_gt"),
        case=world.case,
        version=world.case.version,
        victims=[{"person": world.person.pk, "protection_case": protection.pk}],
    )
    url = f"/cases/{protection.pk}/"
    seen = {}
    for key in ("officer_gt_consulate", "tfp_gt", "nfp_gt"):
        client = Client()
        client.force_login(world.users[key])
        response = client.get(url)
        assert response.status_code == 200
        seen[key] = world.case.reference in response.content.decode()
    # The protection case's own office does not own the trafficking case: no panel for it.
    assert seen == {"officer_gt_consulate": False, "tfp_gt": True, "nfp_gt": True}


def test_nav_item_for_the_roles_that_see_trafficking_cases(world):
    for key, shown in (
        ("tfp_mx", True),
        ("nfp_gt", True),
        ("officer_gt", True),
        ("analyst", False),
    ):
        client = Client()
        client.force_login(world.users[key])
        assert ('href="/trafficking/"' in client.get("/").content.decode()) is shown, key


def test_demo_cases_share_a_phone_written_two_ways(demo):
    from enlace.cases.demo import seed_demo_cases
    from enlace.trafficking.demo import seed_demo_trafficking

    seed_demo_cases()
    seed_demo_trafficking()
    seed_demo_trafficking()  # idempotent
    assert TraffickingCase.objects.count() == 3
    phones = TraffickingCase.objects.filter(identifiers__normalised="+50255551234")
    assert phones.count() == 2
    assert set(phones.values_list("kind", flat=True)) == {"trafficking", "smuggling"}
    route = TraffickingCase.objects.get(kind="trafficking").route.order_by("position")
    assert list(route.values_list("country_id", flat=True)) == ["HN", "GT", "MX", "US"]
    assert TraffickingCase.objects.filter(owner_office__country_id="HN").count() == 1


def _submitted(html: str) -> dict[str, list[str]]:
    """What a browser would send for the page's POST form as it is (unchanged)."""
    from html.parser import HTMLParser

    data: dict[str, list[str]] = {}

    class Form(HTMLParser):
        select: str | None = None
        textarea: str | None = None
        text = ""

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            name = a.get("name")
            if tag == "input" and name and a.get("type") not in ("submit",):
                if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                    return
                data.setdefault(name, []).append(a.get("value") or "")
            elif tag == "select" and name:
                self.select = name
            elif tag == "option" and self.select and "selected" in a:
                data.setdefault(self.select, []).append(a.get("value") or "")
            elif tag == "textarea" and name:
                self.textarea, self.text = name, ""

        def handle_data(self, text):
            if self.textarea:
                self.text += text

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea" and self.textarea:
                data.setdefault(self.textarea, []).append(self.text.lstrip("\n"))
                self.textarea = None

    Form().feed(html[html.index('<form method="post"') :])
    return data


def test_saving_the_edit_form_unchanged_keeps_every_field(world):
    made = (
        _api(world, "tfp_gt")
        .post(
            "/api/v1/trafficking-cases/",
            {
                "kind": "trafficking",
                "summary": "Completo",
                "victims": [
                    {
                        "person": str(world.person.pk),
                        "status_decided_by": "Police",
                        "age_when_trafficked": 15,
                        "recruitment_websites_and_apps": ["TikTok"],
                        "location_of_exploitation": "Finca",
                        "consent": True,
                    }
                ],
                "perpetrators": [{"surnames": "Tojil", "role_details": "Cobraba la deuda"}],
                "identifiers": [{"kind": "vehicle", "value": "p-1 abc", "perpetrator": 0}],
                "events": [{"type": "Transit", "state": "Chiapas", "latitude": "16.75"}],
                "route": [{"country": "GT", "date": "2026-02-01", "transport": "boat"}],
            },
            format="json",
        )
        .json()
    )
    client = Client()
    client.force_login(world.users["tfp_gt"])
    before = _api(world, "tfp_gt").get(f"/api/v1/trafficking-cases/{made['id']}/").json()
    page = client.get(f"/trafficking/{made['id']}/edit/").content.decode()
    response = client.post(f"/trafficking/{made['id']}/edit/", _submitted(page))
    assert response.status_code == 302, response.content.decode()[:3000]
    after = _api(world, "tfp_gt").get(f"/api/v1/trafficking-cases/{made['id']}/").json()
    for part in ("victims", "route", "events", "identifiers"):
        assert after[part] == before[part], part
    keep = ("surnames", "role_details", "role_in_process", "aliases")
    assert [{k: p[k] for k in keep} for p in after["perpetrators"]] == [
        {k: p[k] for k in keep} for p in before["perpetrators"]
    ]
    assert after["version"] == before["version"] + 1
