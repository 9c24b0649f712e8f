"""The public reads: the comparison ranks providers by what the recipient gets, from each one's
latest quote; the corridor figures follow the World Bank method."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from enlace.core.errors import ValidationFailed
from enlace.remittances import selectors
from enlace.remittances.models import CorridorQuarter

from .factories import corridor, provider, quote

pytestmark = pytest.mark.django_db
D = Decimal


def test_compare_ranks_by_amount_received_with_the_latest_quote_per_provider():
    corr = corridor("US", "GT")
    quote("Alfa", corr, fee="5", applied="7.50", collected_on=dt.date(2024, 1, 10), period="2024Q1")
    quote("Alfa", corr, fee="9", applied="7.50")  # the latest: dearer
    quote("Beta", corr, fee="4", applied="7.40")
    quote("Gamma", corr, fee="0", applied="7.20", transparent=False)
    result = selectors.compare("us", "gt", None)
    names = [r.provider for r in result.rows]
    # received: Alfa (200-9)*7.5=1432.5, Beta 196*7.4=1450.4, Gamma 200*7.2=1440
    assert names == ["Beta", "Gamma", "Alfa"]
    alfa = result.rows[2]
    assert alfa.fee == D("9") and alfa.amount_received == D("1432.5")
    assert alfa.collected_on == dt.date(2024, 8, 15)
    assert result.rows[1].transparent is False


def test_compare_serves_another_amount_from_the_nearest_band():
    corr = corridor("US", "HN")
    quote("Alfa", corr, fee="5", applied="24.00", interbank="24.50", amount="200", band=200)
    quote("Alfa", corr, fee="8", applied="24.20", interbank="24.50", amount="500", band=500)
    low = selectors.compare("US", "HN", D("250")).rows[0]
    assert (low.usd_band, low.fee, low.amount) == (200, D("5"), D("250"))
    assert low.fee_pct == D("2")
    assert low.amount_received == D("245") * D("24.00")
    high = selectors.compare("US", "HN", D("450")).rows[0]
    assert (high.usd_band, high.fee) == (500, D("8"))


def test_compare_unknown_corridor_is_404_and_bad_input_400():
    with pytest.raises(Http404):
        selectors.compare("US", "GT", None)
    with pytest.raises(ValidationFailed):
        selectors.country_code("from", "USA")
    with pytest.raises(ValidationFailed):
        selectors.parse_amount("amount", "-3")
    with pytest.raises(ValidationFailed):
        selectors.parse_amount("amount", "abc")
    assert selectors.parse_amount("amount", "200.5") == D("200.5")


def test_corridor_figures_average_smart_and_targets():
    corr = corridor("US", "SV")
    # receiving in USD: rate 1 = interbank; total cost = fee %
    for name, fee in (("A", "2"), ("B", "4"), ("C", "6"), ("D", "12")):
        quote(name, corr, fee=fee, applied="1", interbank="1")
    quote("E", corr, fee="1", applied="1", interbank="1", transparent=False)
    CorridorQuarter.objects.create(corridor=corr, quarter="2024Q3", average_total_cost_pct=D("3.9"))
    figures = selectors.corridor_figures("US", "SV", "2024Q3")
    band = figures.bands[0]
    assert band.usd_band == 200 and band.services == 5
    assert band.simple_average == D("2.5")  # (1+2+3+6+0.5)/5
    assert band.smart.value == D("2")  # 1, 2, 3 %; the non-transparent 0.5 % is out
    assert band.meets_global_target is True and band.meets_corridor_target is True
    assert band.non_transparent == 1
    assert figures.published_average == D("3.9")
    assert figures.bands[1].services == 0 and figures.bands[1].smart.value is None


def test_corridor_series_and_lac_ranking():
    gt, ph = corridor("US", "GT"), corridor("US", "PH")
    es_co = corridor("ES", "CO")
    for corr, quarter, value in (
        (gt, "2019Q4", "5.5"),
        (gt, "2020Q1", "4.5"),
        (es_co, "2020Q1", "6.1"),
        (ph, "2020Q1", "1.0"),
    ):
        CorridorQuarter.objects.create(
            corridor=corr, quarter=quarter, average_total_cost_pct=D(value)
        )
    series = selectors.corridor_series("US", "GT")
    assert [(p.quarter, p.average_total_cost_pct) for p in series] == [
        ("2019Q4", D("5.5")),
        ("2020Q1", D("4.5")),
    ]
    ranked = selectors.lac_corridors_ranked()
    assert [(str(r.corridor), r.average_total_cost_pct) for r in ranked] == [
        ("US → GT", D("4.5")),
        ("ES → CO", D("6.1")),
    ]
    assert ranked[0].meets_corridor_target is True and ranked[1].meets_corridor_target is False
    assert provider("Alfa").name == "Alfa"
