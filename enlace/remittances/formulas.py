"""The cost of sending money, as the World Bank measures it. Plain Python (Decimal), no Django:
the API, the importers, the pages and the benchmark all compute with these functions.

Sources
-------
- World Bank, Remittance Prices Worldwide (RPW), "Methodology" (the sheet of the RPW dataset
  and https://remittanceprices.worldbank.org/methodology): a quote is collected for sending the
  local-currency equivalent of USD 200 and of USD 500; its cost is the fee plus the margin on
  the exchange rate, both as a percentage of the amount sent:
      fee %        = fee / amount sent × 100
      FX margin %  = (1 − applied rate / interbank rate) × 100   (interbank rate taken at the
                     same time as the quote; a negative margin, a promotion, is kept as is)
      total cost % = fee % + FX margin %
  The corridor's "average total cost" (series ATCR.CORR of the DataBank export) is the simple,
  unweighted average of the total cost % of the services surveyed in the corridor.
  Services that do not disclose the exchange rate they apply are "non-transparent": RPW keeps
  them in the survey and flags them; they are never treated as free.
- SmaRT ("Smart Remitting Target"), World Bank RPW, "SmaRT methodology" (2017): the average of
  the three cheapest services in the corridor that meet the SmaRT criteria: transparent, and
  delivering within 5 business days (speed "6 days or more" does not qualify). Fewer than three
  such services: the corridor has no SmaRT figure (None, never an average of fewer).
- UN Sustainable Development Goal 10.c and indicator 10.c.1 metadata (UN Statistics Division,
  SDG indicators metadata repository, 10.c.1 "Remittance costs as a proportion of the amount
  remitted"): "by 2030, reduce to less than 3 per cent the transaction costs of migrant
  remittances and eliminate remittance corridors with costs higher than 5 per cent". The
  indicator is computed at the USD 200 equivalent.

Rounding: every function keeps full Decimal precision; only `display` rounds, half up to two
places, for what people read (4.4607… → 4.46). Stored figures are the raw quote (amount, fee,
rates), never a rounded percentage.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")

# SDG 10.c: the global average cost below 3 %; no corridor above 5 % (UN SDG 10.c.1 metadata).
SDG_GLOBAL_TARGET_PCT = Decimal(3)
SDG_CORRIDOR_TARGET_PCT = Decimal(5)
# The two amounts RPW quotes, in USD equivalents (cc1 and cc2 of the dataset).
USD_BANDS = (200, 500)
# The SDG indicator 10.c.1 is read at the USD 200 equivalent.
SDG_BAND = 200

# SmaRT: the three cheapest transparent services delivering within 5 days (World Bank, SmaRT).
SMART_SERVICES = 3
SMART_MAX_DAYS = 5

# RPW speed categories, with the days each may take at most (the SmaRT criterion reads them).
SPEED_LESS_THAN_ONE_HOUR = "less_than_one_hour"
SPEED_SAME_DAY = "same_day"
SPEED_NEXT_DAY = "next_day"
SPEED_2_5_DAYS = "2_5_days"
SPEED_6_DAYS_OR_MORE = "6_days_or_more"
SPEED_MAX_DAYS: dict[str, int | None] = {
    SPEED_LESS_THAN_ONE_HOUR: 0,
    SPEED_SAME_DAY: 0,
    SPEED_NEXT_DAY: 1,
    SPEED_2_5_DAYS: 5,
    SPEED_6_DAYS_OR_MORE: None,  # open-ended: never within SmaRT's 5 days
}


class FormulaError(ValueError):
    """Figures a quote cannot have (a rate of zero, a negative fee…); `field` names which."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _dec(value: Decimal | int | str | float) -> Decimal:
    # float goes through str so that 17.34 is 17.34, not 17.339999…
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _check_amount(amount: Decimal) -> None:
    if not amount.is_finite() or amount <= 0:
        raise FormulaError("amount", "the amount sent must be more than zero")


def _check_fee(fee: Decimal) -> None:
    if not fee.is_finite() or fee < 0:
        raise FormulaError("fee", "the fee cannot be negative")


def _check_rate(field: str, rate: Decimal) -> None:
    if not rate.is_finite() or rate <= 0:
        raise FormulaError(field, "an exchange rate must be more than zero")


def fee_pct(fee: Decimal | int | str, amount: Decimal | int | str) -> Decimal:
    """fee / amount × 100 (both in the sending currency)."""
    fee, amount = _dec(fee), _dec(amount)
    _check_fee(fee)
    _check_amount(amount)
    return fee / amount * HUNDRED


def fx_margin_pct(
    applied_rate: Decimal | int | str, interbank_rate: Decimal | int | str
) -> Decimal:
    """(1 − applied / interbank) × 100; negative when the provider gives more than interbank."""
    applied, interbank = _dec(applied_rate), _dec(interbank_rate)
    _check_rate("applied_rate", applied)
    _check_rate("interbank_rate", interbank)
    return (1 - applied / interbank) * HUNDRED


def total_cost_pct(
    fee: Decimal | int | str,
    amount: Decimal | int | str,
    applied_rate: Decimal | int | str,
    interbank_rate: Decimal | int | str,
) -> Decimal:
    """fee % + FX margin %."""
    return fee_pct(fee, amount) + fx_margin_pct(applied_rate, interbank_rate)


def amount_received(
    amount: Decimal | int | str, fee: Decimal | int | str, applied_rate: Decimal | int | str
) -> Decimal:
    """What the recipient gets, in the receiving currency: (amount − fee) × applied rate (the
    fee is paid out of the amount sent, as RPW quotes it). Never below zero."""
    amount, fee, applied = _dec(amount), _dec(fee), _dec(applied_rate)
    _check_amount(amount)
    _check_fee(fee)
    _check_rate("applied_rate", applied)
    return max(Decimal(0), (amount - fee) * applied)


def display(value: Decimal | None) -> Decimal | None:
    """Round half up to two places, for reading (never for storing)."""
    if value is None:
        return None
    return _dec(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def simple_average(values: Iterable[Decimal]) -> Decimal | None:
    """The unweighted mean (RPW's corridor average); None for no values."""
    items = [_dec(v) for v in values]
    if not items:
        return None
    return sum(items, Decimal(0)) / len(items)


@dataclass(frozen=True)
class Service:
    """One service's figures, as SmaRT reads them."""

    total_cost_pct: Decimal
    transparent: bool
    speed: str


def within_smart_speed(speed: str) -> bool:
    days = SPEED_MAX_DAYS.get(speed)
    return days is not None and days <= SMART_MAX_DAYS


def smart_eligible(service: Service) -> bool:
    """Transparent and delivering within 5 days."""
    return service.transparent and within_smart_speed(service.speed)


@dataclass(frozen=True)
class SmartResult:
    """SmaRT: the average of the three cheapest eligible services, or None (with how many
    services were eligible) when fewer than three are."""

    value: Decimal | None
    eligible: int

    @property
    def enough(self) -> bool:
        return self.value is not None


def smart(services: Iterable[Service]) -> SmartResult:
    """The SmaRT figure of a corridor (World Bank): average of the 3 cheapest transparent
    services delivering within 5 days; fewer than 3 → value None."""
    costs = sorted(_dec(s.total_cost_pct) for s in services if smart_eligible(s))
    if len(costs) < SMART_SERVICES:
        return SmartResult(None, len(costs))
    return SmartResult(simple_average(costs[:SMART_SERVICES]), len(costs))


def meets_global_target(cost_pct: Decimal | None) -> bool | None:
    """Below SDG 10.c's 3 % (the global average target); None when there is no figure."""
    if cost_pct is None:
        return None
    return _dec(cost_pct) < SDG_GLOBAL_TARGET_PCT


def meets_corridor_target(cost_pct: Decimal | None) -> bool | None:
    """Not above SDG 10.c's 5 % (no corridor higher than 5 %); None when there is no figure."""
    if cost_pct is None:
        return None
    return _dec(cost_pct) <= SDG_CORRIDOR_TARGET_PCT


def nearest_band(amount: Decimal, band_amounts: Sequence[tuple[int, Decimal]]) -> int | None:
    """The USD band (200 or 500) whose quoted amount (in the sending currency) is nearest to
    `amount`, by ratio (so 350 is nearer 500 than 200 only past their geometric mean)."""
    best: tuple[Decimal, int] | None = None
    amount = _dec(amount)
    for band, quoted in band_amounts:
        quoted = _dec(quoted)
        if quoted <= 0:
            continue
        ratio = amount / quoted
        distance = ratio if ratio >= 1 else 1 / ratio
        if best is None or distance < best[0] or (distance == best[0] and band < best[1]):
            best = (distance, band)
    return best[1] if best else None
