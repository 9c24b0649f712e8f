"""What the remittance pages and the API show: the selectors' results as plain dicts, figures
rounded half up to two places (enlace.remittances.formulas.display), names in the reader's
language. Pages and the API share these, so they say the same."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import formulas
from .models import ATTRIBUTION, FundingMethod, PickupMethod, ProviderKind, Quote, Speed
from .selectors import BandFigures, CompareRow, Comparison, CorridorFigures, SeriesPoint

DEMONSTRATION_NOTICE = _(
    "Demonstration data: these quotes are invented to show how the comparison works. They are "
    "not real prices."
)
AMOUNT_METHOD = _(
    "Quotes are collected for the sending-currency equivalents of USD 200 and USD 500. For each "
    "provider the quote of the nearest of the two amounts is used, with its fee as quoted and "
    "its exchange rates; the percentages and the amount received are computed for the amount "
    "asked."
)
NON_TRANSPARENT_NOTICE = _(
    "Not transparent: the provider did not disclose the exchange rate it applies; its cost "
    "here comes from the rate observed."
)


def pct(value: Decimal | None) -> Decimal | None:
    return formulas.display(value)


def corridor_data(corridor: Any) -> dict[str, Any]:
    return {
        "sending": corridor.sending_id,
        "receiving": corridor.receiving_id,
        "sending_name": corridor.sending.name,
        "receiving_name": corridor.receiving.name,
    }


def _labels(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def compare_row_data(
    row: CompareRow, labels: dict[str, dict[str, str]] | None = None
) -> dict[str, Any]:
    labels = labels or _choice_labels()
    return {
        "provider": row.provider,
        "provider_kind": row.provider_kind,
        "provider_kind_label": labels["kind"].get(row.provider_kind, ""),
        "amount": formulas.display(row.amount),
        "currency": row.currency,
        "fee": formulas.display(row.fee),
        "fee_pct": pct(row.fee_pct),
        "fx_margin_pct": pct(row.fx_margin_pct),
        "total_cost_pct": pct(row.total_cost_pct),
        "amount_received": formulas.display(row.amount_received),
        "receiving_currency": row.receiving_currency or "",
        "applied_rate": row.applied_rate.normalize(),
        "interbank_rate": row.interbank_rate.normalize(),
        "speed": row.speed,
        "speed_label": labels["speed"].get(row.speed, ""),
        "funding_method": row.funding_method,
        "funding_method_label": labels["funding"].get(row.funding_method, ""),
        "pickup_method": row.pickup_method,
        "pickup_method_label": labels["pickup"].get(row.pickup_method, ""),
        "product": row.product,
        "transparent": row.transparent,
        "collected_on": row.collected_on,
        "period": row.period,
        "usd_band": row.usd_band,
        "quoted_amount": formulas.display(row.quoted_amount),
        "is_demonstration": row.is_demonstration,
        "source": row.source,
    }


def _choice_labels() -> dict[str, dict[str, str]]:
    """The choices' labels in the active language, read once per response."""
    return {
        "kind": _labels(ProviderKind),
        "speed": _labels(Speed),
        "funding": _labels(FundingMethod),
        "pickup": _labels(PickupMethod),
    }


def compare_data(result: Comparison) -> dict[str, Any]:
    labels = _choice_labels()
    return {
        "corridor": corridor_data(result.corridor),
        "amount": formulas.display(result.amount),
        "method": str(AMOUNT_METHOD),
        "has_demonstration": result.has_demonstration,
        "demonstration_notice": str(DEMONSTRATION_NOTICE) if result.has_demonstration else "",
        "results": [compare_row_data(r, labels) for r in result.rows],
    }


def jsonable(value: Any) -> Any:
    """A present.py dict ready for JSON as the API's serializers would write it: decimals as
    strings with their places ("4.46"), dates in ISO form."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def series_data(corridor: Any, points: list[SeriesPoint]) -> dict[str, Any]:
    return {
        "corridor": corridor_data(corridor),
        "series_code": "ATCR.CORR",
        "source": ATTRIBUTION,
        "global_target_pct": formulas.SDG_GLOBAL_TARGET_PCT,
        "corridor_target_pct": formulas.SDG_CORRIDOR_TARGET_PCT,
        "quarters": [
            {
                "quarter": p.quarter,
                "average_total_cost_pct": pct(p.average_total_cost_pct),
                "meets_corridor_target": formulas.meets_corridor_target(p.average_total_cost_pct),
                "meets_global_target": formulas.meets_global_target(p.average_total_cost_pct),
            }
            for p in points
        ],
    }


def band_data(band: BandFigures) -> dict[str, Any]:
    return {
        "usd_band": band.usd_band,
        "services": band.services,
        "simple_average_pct": pct(band.simple_average),
        "smart_pct": pct(band.smart.value),
        "smart_services": band.smart.eligible,
        "smart_enough": band.smart.enough,
        "meets_global_target": band.meets_global_target,
        "meets_corridor_target": band.meets_corridor_target,
        "non_transparent": band.non_transparent,
    }


def figures_data(figures: CorridorFigures) -> dict[str, Any]:
    return {
        "corridor": corridor_data(figures.corridor),
        "quarter": figures.quarter,
        "published_average_pct": pct(figures.published_average),
        "has_demonstration": figures.has_demonstration,
        "global_target_pct": figures.global_target_pct,
        "corridor_target_pct": figures.corridor_target_pct,
        "bands": [band_data(b) for b in figures.bands],
    }


def quote_data(quote: Quote) -> dict[str, Any]:
    """A quote as its editors see it (staff API and pages): raw figures and computed ones."""
    return {
        "id": quote.pk,
        "version": quote.version,
        "provider": quote.provider_id,
        "provider_name": quote.provider.name,
        "sending": quote.corridor.sending_id,
        "receiving": quote.corridor.receiving_id,
        "collected_on": quote.collected_on,
        "period": quote.period,
        "usd_band": quote.usd_band,
        "amount": quote.amount,
        "currency": quote.currency_id,
        "receiving_currency": quote.receiving_currency_id or "",
        "fee": quote.fee,
        "applied_rate": quote.applied_rate.normalize(),
        "interbank_rate": quote.interbank_rate.normalize(),
        "speed": quote.speed,
        "funding_method": quote.funding_method,
        "pickup_method": quote.pickup_method,
        "product": quote.product,
        "transparent": quote.transparent,
        "source": quote.source,
        "source_detail": quote.source_detail,
        "is_demonstration": quote.is_demonstration,
        "note": quote.note,
        "fee_pct": pct(quote.fee_pct),
        "fx_margin_pct": pct(quote.fx_margin_pct),
        "total_cost_pct": pct(quote.total_cost_pct),
        "amount_received": formulas.display(quote.amount_received),
    }
