"""The public remittance pages: the comparison (form, ranking, labels, empty state, bad input),
the corridor page (chart with the SDG lines, its table, figures, CSV) and the LAC ranking."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import formats
from django.utils.translation import gettext as _

from enlace.remittances import charts
from enlace.remittances.models import CorridorQuarter

from .factories import corridor, quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


def series(corr, values):
    for quarter, value in values:
        CorridorQuarter.objects.create(
            corridor=corr, quarter=quarter, average_total_cost_pct=Decimal(value)
        )


@pytest.fixture
def us_gt():
    corr = corridor("US", "GT")
    # received: Alfa (200-9)*7.5=1432.50, Beta 196*7.4=1450.40, Gamma 200*7.2=1440.00
    quote("Demo Alfa", corr, fee="9", applied="7.50", is_demonstration=True)
    quote("Demo Beta", corr, fee="4", applied="7.40", is_demonstration=True)
    quote("Demo Gamma", corr, fee="0", applied="7.20", transparent=False, is_demonstration=True)
    series(corr, [("2011Q1", "7.20"), ("2015Q2", "5.50"), ("2020Q3", "4.10")])
    return corr


def received(body: str) -> list[Decimal]:
    return [Decimal(v) for v in re.findall(r'data-received="([\d.]+)"', body)]


def providers(body: str) -> list[str]:
    return re.findall(r'<strong class="provider">([^<]+)</strong>', body)


def test_compare_ranks_providers_by_what_the_recipient_receives(client, us_gt):
    response = client.get("/remittances/", {"from": "US", "to": "GT", "amount": "200"})
    assert response.status_code == 200
    body = response.content.decode()
    assert providers(body) == ["Demo Beta", "Demo Gamma", "Demo Alfa"]
    assert received(body) == [Decimal("1450.40"), Decimal("1440.00"), Decimal("1432.50")]
    assert _("non-transparent") in body
    assert _("Demonstration data") in body
    assert formats.date_format(dt.date(2024, 8, 15), "SHORT_DATE_FORMAT") in body
    # The corridor has a World Bank series: a link to its page.
    assert "/remittances/corridors/US/GT/" in body
    assert response["Cache-Control"].startswith("public") or "public" in response["Cache-Control"]


def test_compare_without_parameters_shows_the_default_corridor(client, us_gt):
    body = client.get("/remittances/").content.decode()
    assert providers(body) == ["Demo Beta", "Demo Gamma", "Demo Alfa"]
    assert 'value="200"' in body


def test_compare_worked_example_is_computed(client, us_gt):
    body = client.get("/remittances/").content.decode()
    for figure in ("2.50", "1.96", "4.46"):
        assert formats.number_format(Decimal(figure), 2) in body


@pytest.mark.parametrize(
    "params",
    [
        {"from": "US", "to": "GT", "amount": "abc"},
        {"from": "US", "to": "GT", "amount": "-5"},
        {"from": "US", "to": "GT", "amount": "0"},
        {"from": "ZZ", "to": "GT", "amount": "200"},
        {"from": "US", "to": "US", "amount": "200"},
        {"from": "US", "to": "GT", "amount": "1e400"},
    ],
)
def test_compare_bad_input_is_a_400_with_the_message_next_to_the_field(client, us_gt, params):
    response = client.get("/remittances/", params)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="error"' in body
    assert 'aria-invalid="true"' in body


def test_compare_empty_corridor_links_to_its_world_bank_page(client, us_gt):
    empty = corridor("US", "HN")
    series(empty, [("2020Q3", "5.20")])
    body = client.get("/remittances/", {"from": "US", "to": "HN", "amount": "200"}).content.decode()
    assert providers(body) == []
    assert "/remittances/corridors/US/HN/" in body


def test_corridor_page_draws_the_chart_with_the_sdg_lines_and_a_table(client, us_gt):
    cache.clear()
    response = client.get("/remittances/corridors/US/GT/")
    assert response.status_code == 200
    body = response.content.decode()
    svg = re.search(r"<svg .*?</svg>", body, re.S).group(0)
    assert 'role="img"' in svg and f'aria-labelledby="{charts.TITLE_ID}"' in svg
    assert _("3 % SDG 10.c (global)") in svg and _("5 % (every corridor)") in svg
    assert svg.count('stroke-dasharray="6,4"') >= 2  # the two target lines
    # The text alternative: every quarter and figure in the table.
    for quarter in ("2011Q1", "2015Q2", "2020Q3"):
        assert f'<th scope="row">{quarter}</th>' in body
    assert "The World Bank, Remittance Prices Worldwide" in body
    assert "remittanceprices.worldbank.org" in body
    # Figures from the quotes: simple average and SmaRT at USD 200.
    assert _("Simple average") in body


def test_corridor_chart_is_cached_per_language_and_data_version(us_gt, monkeypatch):
    cache.clear()
    calls = []
    original = charts.render_svg
    monkeypatch.setattr(charts, "render_svg", lambda spec: calls.append(1) or original(spec))
    client = Client()
    client.get("/remittances/corridors/US/GT/")
    client.get("/remittances/corridors/US/GT/")
    assert len(calls) == 1
    client.cookies["django_language"] = "en"
    client.get("/remittances/corridors/US/GT/")
    assert len(calls) == 2
    CorridorQuarter.objects.filter(quarter="2020Q3").update(average_total_cost_pct="3.90")
    client.get("/remittances/corridors/US/GT/")
    assert len(calls) == 3


@pytest.mark.parametrize(
    "path", ["/remittances/corridors/US/BR/", "/remittances/corridors/USA/GT/"]
)
def test_unknown_or_malformed_corridor_is_404(client, us_gt, path):
    assert client.get(path).status_code == 404


def test_corridor_csv_has_the_series_and_the_source(client, us_gt):
    response = client.get("/remittances/corridors/US/GT/series.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[2] for r in rows[1:]] == ["2011Q1", "2015Q2", "2020Q3"]
    assert rows[3][3] == "4.100000" or Decimal(rows[3][3]) == Decimal("4.1")
    assert all("Remittance Prices Worldwide" in r[5] for r in rows[1:])


def test_lac_corridors_ranked_by_latest_cost_and_sortable(client, us_gt):
    series(corridor("ES", "CO"), [("2020Q3", "6.30")])
    series(corridor("US", "MX"), [("2020Q3", "3.80")])
    body = client.get("/remittances/corridors/").content.decode()
    order = re.findall(r'href="/remittances/corridors/(\w\w)/(\w\w)/"', body)
    assert order == [("US", "MX"), ("US", "GT"), ("ES", "CO")]
    assert _("above 5 %") in body
    body = client.get("/remittances/corridors/", {"sort": "-cost"}).content.decode()
    order = re.findall(r'href="/remittances/corridors/(\w\w)/(\w\w)/"', body)
    assert order == [("ES", "CO"), ("US", "GT"), ("US", "MX")]
    assert client.get("/remittances/corridors/", {"sort": "nonsense"}).status_code == 400
    csv_body = client.get("/remittances/corridors.csv").content.decode("utf-8-sig")
    assert [r[:2] for r in csv.reader(io.StringIO(csv_body))][1:] == [
        ["US", "MX"],
        ["US", "GT"],
        ["ES", "CO"],
    ]


def test_charts_can_be_drawn_ahead_for_every_corridor_and_language(us_gt, monkeypatch):
    from django.core.management import call_command

    cache.clear()
    series(corridor("US", "MX"), [("2020Q3", "3.80")])
    call_command("remittance_charts")
    calls = []
    monkeypatch.setattr(charts, "render_svg", lambda spec: calls.append(1) or "<svg></svg>")
    for lang in ("es", "en", "pt", "fr"):
        client = Client()
        client.cookies["django_language"] = lang
        assert client.get("/remittances/corridors/US/MX/").status_code == 200
    assert calls == []  # every chart came from the cache
