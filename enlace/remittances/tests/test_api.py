"""The public remittance endpoints (no login) and the staff quote endpoints."""

import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from enlace.accounts.models import Role
from enlace.remittances.models import CorridorQuarter, Quote
from enlace.remittances.selectors import BAD_AMOUNT, BAD_COUNTRY

from .factories import corridor, provider, quote

pytestmark = pytest.mark.django_db
COMPARE = "/api/v1/remittances/compare/"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def anon():
    return APIClient()


def client_for(actor):
    client = APIClient()
    client.force_authenticate(actor.user)
    return client


def test_compare_worked_example_anonymous(anon):
    corr = corridor("US", "HN")
    quote("Demo Envíos A", corr, fee="5", applied="17.00", interbank="17.34", is_demonstration=True)
    quote("Demo Envíos B", corr, fee="3", applied="16.80", interbank="17.34", speed="2_5_days")
    response = anon.get(COMPARE, {"from": "US", "to": "HN", "amount": "200"})
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    body = response.json()
    first, second = body["results"]
    assert first["provider"] == "Demo Envíos A"
    assert (first["fee"], first["fee_pct"], first["fx_margin_pct"], first["total_cost_pct"]) == (
        "5.00",
        "2.50",
        "1.96",
        "4.46",
    )
    assert first["amount_received"] == "3315.00" and first["is_demonstration"] is True
    assert first["collected_on"] == "2024-08-15" and first["speed"] == "same_day"
    assert second["amount_received"] == "3309.60"  # (200 − 3) × 16.80
    assert body["has_demonstration"] and body["demonstration_notice"]


def test_compare_other_amount_uses_the_nearest_band(anon):
    corr = corridor("US", "GT")
    quote("Alfa", corr, fee="5", applied="7.5", interbank="7.7", amount="200", band=200)
    quote("Alfa", corr, fee="7", applied="7.6", interbank="7.7", amount="500", band=500)
    row = anon.get(COMPARE, {"from": "us", "to": "gt", "amount": "450"}).json()["results"][0]
    assert (row["usd_band"], row["fee"], row["amount"], row["quoted_amount"]) == (
        500,
        "7.00",
        "450.00",
        "500.00",
    )
    assert row["amount_received"] == "3366.80"  # (450 − 7) × 7.6


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "USA", "to": "GT"}, "from", BAD_COUNTRY),
        ({"to": "GT"}, "from", BAD_COUNTRY),
        ({"from": "US", "to": "G1"}, "to", BAD_COUNTRY),
        ({"from": "US", "to": "GT", "amount": "-5"}, "amount", BAD_AMOUNT),
        ({"from": "US", "to": "GT", "amount": "doscientos"}, "amount", BAD_AMOUNT),
        ({"from": "US", "to": "GT", "amount": "NaN"}, "amount", BAD_AMOUNT),
        ({"from": "US", "to": "GT", "amount": "1e-40"}, "amount", BAD_AMOUNT),
    ],
)
def test_malformed_input_is_400_translated(anon, query, field, message):
    corridor("US", "GT")
    response = anon.get(COMPARE, query, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    with translation.override("es"):
        assert response.json()[field] == [str(message)]


def test_unknown_corridor_is_404(anon):
    assert anon.get(COMPARE, {"from": "US", "to": "GT"}).status_code == 404
    assert anon.get("/api/v1/remittances/corridors/US/GT/").status_code == 404
    assert anon.get("/api/v1/remittances/corridors/USA/GT/").status_code == 404


def test_corridor_series(anon):
    corr = corridor("US", "GT")
    CorridorQuarter.objects.create(
        corridor=corr, quarter="2011Q1", average_total_cost_pct="5.996666"
    )
    CorridorQuarter.objects.create(
        corridor=corr, quarter="2013Q2", average_total_cost_pct="4.911765"
    )
    body = anon.get("/api/v1/remittances/corridors/us/gt/").json()
    assert body["quarters"] == [
        {
            "quarter": "2011Q1",
            "average_total_cost_pct": "6.00",
            "meets_corridor_target": False,
            "meets_global_target": False,
        },
        {
            "quarter": "2013Q2",
            "average_total_cost_pct": "4.91",
            "meets_corridor_target": True,
            "meets_global_target": False,
        },
    ]
    assert "remittanceprices.worldbank.org" in body["source"]


def test_staff_create_patch_and_stale_409(focal_mx):
    client = client_for(focal_mx)
    prov = provider("Norte Prueba")
    response = client.post(
        "/api/v1/remittance-quotes/",
        {
            "provider": str(prov.pk),
            "sending": "US",
            "receiving": "MX",
            "collected_on": "2026-11-02",
            "amount": "200",
            "fee": "4.99",
            "applied_rate": "18.2",
            "interbank_rate": "18.5",
            "speed": "less_than_one_hour",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["total_cost_pct"] == "4.12" and body["version"] == 1
    url = f"/api/v1/remittance-quotes/{body['id']}/"
    ok = client.patch(url, {"version": 1, "fee": "3.99"}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(url, {"version": 1, "fee": "2.99"}, format="json")
    assert stale.status_code == 409
    bad = client.patch(url, {"version": 2, "applied_rate": "0"}, format="json")
    assert bad.status_code == 400 and "applied_rate" in bad.json()
    listed = client.get("/api/v1/remittance-quotes/").json()
    assert [q["id"] for q in listed["results"]] == [body["id"]]
    assert str(Quote.objects.get().fee) == "3.9900"


def test_staff_endpoints_are_404_for_other_roles(world):
    for role in (Role.OFFICER, Role.ASSOCIATION_REP, Role.TRAFFICKING_FOCAL_POINT):
        client = client_for(world.actor(role))
        assert client.get("/api/v1/remittance-quotes/").status_code == 404
        assert (
            client.post(
                "/api/v1/remittance-providers/", {"name": "X", "kind": "mto"}, format="json"
            ).status_code
            == 404
        )
    assert APIClient().get("/api/v1/remittance-quotes/").status_code in (401, 403)


def _queries(client, url, query=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, query)  # warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_compare_and_staff_lists_queries_do_not_grow_with_rows(anon, analyst):
    corr = corridor("US", "SV")
    staff = client_for(analyst)

    def add(n):
        for i in range(n):
            quote(f"Prov {i}", corr, fee=str(1 + i), applied="1", interbank="1")
            quote(
                f"Prov {i}",
                corr,
                fee=str(2 + i),
                applied="1",
                interbank="1",
                amount="500",
                band=500,
            )

    add(2)
    few = [
        _queries(anon, COMPARE, {"from": "US", "to": "SV", "amount": "300"})[0],
        _queries(staff, "/api/v1/remittance-quotes/")[0],
        _queries(staff, "/api/v1/remittance-providers/")[0],
    ]
    Quote.objects.all().delete()
    add(7)
    cache.clear()
    count, response = _queries(anon, COMPARE, {"from": "US", "to": "SV", "amount": "300"})
    assert len(response.json()["results"]) == 7
    more = [
        count,
        _queries(staff, "/api/v1/remittance-quotes/")[0],
        _queries(staff, "/api/v1/remittance-providers/")[0],
    ]
    assert few == more
    assert more[0] <= 3, "compare: the corridor and its latest quotes (2 queries, + rate limit)"


def test_compare_body_is_what_its_serializer_documents(anon):
    from enlace.remittances import present, selectors
    from enlace.remittances.serializers import CompareOut

    corr = corridor("US", "HN")
    quote("Demo Envíos A", corr, fee="5", applied="17.00", interbank="17.34", is_demonstration=True)
    quote(
        "Demo Banco B",
        corr,
        fee="0",
        applied="17.50",
        interbank="17.34",
        transparent=False,
        funding_method="",
        pickup_method="bank_account",
    )
    body = anon.get(COMPARE, {"from": "US", "to": "HN", "amount": "321.5"}).json()
    documented = CompareOut(
        present.compare_data(selectors.compare("US", "HN", Decimal("321.5")))
    ).data
    assert body == json.loads(json.dumps(documented))
