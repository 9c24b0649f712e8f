"""The World Bank RPW cost formulas (plain Python): the worked example of the issue, and
properties that hold for every quote."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enlace.remittances import formulas as f

D = Decimal

amounts = st.decimals(min_value=D("1"), max_value=D("100000"), places=2)
fees = st.decimals(min_value=D("0"), max_value=D("1000"), places=2)
rates = st.decimals(min_value=D("0.0001"), max_value=D("100000"), places=4)


def test_worked_example_usd_200_to_honduras():
    """USD 200, fee 5, applied 17.00, interbank 17.34 → 2.50 % + 1.96 % = 4.46 %."""
    assert f.fee_pct(D("5"), D("200")) == D("2.5")
    assert f.display(f.fee_pct(D("5"), D("200"))) == D("2.50")
    assert f.display(f.fx_margin_pct(D("17.00"), D("17.34"))) == D("1.96")
    total = f.total_cost_pct(D("5"), D("200"), D("17.00"), D("17.34"))
    assert f.display(total) == D("4.46")
    assert f.amount_received(D("200"), D("5"), D("17.00")) == D("3315.00")


def test_display_rounds_half_up_and_keeps_none():
    assert f.display(D("2.345")) == D("2.35")
    assert f.display(D("-0.005")) == D("-0.01")
    assert f.display(None) is None


@given(amount=amounts, fee=fees, applied=rates, interbank=rates)
def test_total_is_fee_plus_margin(amount, fee, applied, interbank):
    total = f.total_cost_pct(fee, amount, applied, interbank)
    assert total == f.fee_pct(fee, amount) + f.fx_margin_pct(applied, interbank)


@given(
    amount=amounts,
    fee=fees,
    extra=st.decimals(min_value=D("0.01"), max_value=D("50"), places=2),
    applied=rates,
)
def test_received_decreases_when_the_fee_increases(amount, fee, extra, applied):
    cheaper = f.amount_received(amount, fee, applied)
    dearer = f.amount_received(amount, fee + extra, applied)
    assert dearer <= cheaper
    if fee + extra < amount:
        assert dearer < cheaper


@given(interbank=rates, bonus=st.decimals(min_value=D("0.0001"), max_value=D("10"), places=4))
def test_a_rate_better_than_interbank_is_a_negative_margin(interbank, bonus):
    """A promotion: the provider applies more than the interbank rate. Kept negative."""
    assert f.fx_margin_pct(interbank + bonus, interbank) < 0


def test_negative_total_is_allowed():
    assert f.total_cost_pct(D("0"), D("200"), D("17.50"), D("17.34")) < 0


@pytest.mark.parametrize("rate", [D("0"), D("-1"), D("NaN")])
def test_zero_or_negative_rate_is_refused(rate):
    with pytest.raises(f.FormulaError) as err:
        f.fx_margin_pct(rate, D("17.34"))
    assert err.value.field == "applied_rate"
    with pytest.raises(f.FormulaError) as err:
        f.fx_margin_pct(D("17"), rate)
    assert err.value.field == "interbank_rate"
    with pytest.raises(f.FormulaError):
        f.amount_received(D("200"), D("5"), rate)


@given(rate=st.decimals(max_value=D("0"), allow_nan=False, allow_infinity=False))
def test_no_non_positive_rate_passes(rate):
    with pytest.raises(f.FormulaError):
        f.total_cost_pct(D("5"), D("200"), rate, D("17.34"))


def test_negative_fee_and_zero_amount_are_refused():
    with pytest.raises(f.FormulaError) as err:
        f.fee_pct(D("-1"), D("200"))
    assert err.value.field == "fee"
    with pytest.raises(f.FormulaError) as err:
        f.fee_pct(D("5"), D("0"))
    assert err.value.field == "amount"


def test_simple_average():
    assert f.simple_average([]) is None
    assert f.simple_average([D("4"), D("6"), D("-1")]) == D("3")


def _svc(cost, transparent=True, speed=f.SPEED_SAME_DAY):
    return f.Service(D(cost), transparent, speed)


def test_smart_averages_the_three_cheapest_eligible_services():
    services = [
        _svc("1.0", transparent=False),  # not transparent: out
        _svc("1.5", speed=f.SPEED_6_DAYS_OR_MORE),  # too slow: out
        _svc("2.0"),
        _svc("3.0", speed=f.SPEED_2_5_DAYS),
        _svc("4.0", speed=f.SPEED_LESS_THAN_ONE_HOUR),
        _svc("9.0"),
    ]
    result = f.smart(services)
    assert result.value == D("3")
    assert result.eligible == 4
    assert result.enough


def test_smart_with_fewer_than_three_eligible_says_so():
    result = f.smart([_svc("2.0"), _svc("3.0"), _svc("1.0", transparent=False)])
    assert result.value is None
    assert result.eligible == 2
    assert not result.enough


@given(st.lists(st.decimals(min_value=D("-5"), max_value=D("30"), places=2), min_size=3))
def test_smart_is_never_above_the_simple_average_of_eligible_services(costs):
    services = [_svc(c) for c in costs]
    result = f.smart(services)
    assert result.value is not None
    assert result.value <= f.simple_average(costs)


def test_sdg_targets():
    assert f.SDG_GLOBAL_TARGET_PCT == 3 and f.SDG_CORRIDOR_TARGET_PCT == 5
    assert f.meets_global_target(D("2.99")) is True
    assert f.meets_global_target(D("3")) is False
    assert f.meets_corridor_target(D("5")) is True
    assert f.meets_corridor_target(D("5.01")) is False
    assert f.meets_corridor_target(None) is None


def test_nearest_band_by_ratio():
    bands = [(200, D("200")), (500, D("500"))]
    assert f.nearest_band(D("300"), bands) == 200  # 1.5× vs 1.67×
    assert f.nearest_band(D("330"), bands) == 500  # past √(200·500) ≈ 316
    assert f.nearest_band(D("50"), bands) == 200
    assert f.nearest_band(D("5000"), bands) == 500
    assert f.nearest_band(D("100"), [(500, D("9000"))]) == 500
    assert f.nearest_band(D("100"), []) is None
