"""Public remittance pages (no login, enlace.core.public: no actor, cacheable, rate limited), in
the reader's language and working without JavaScript:

- the comparison: a GET form (from, to, amount — as the public API) and the providers ranked
  by what the recipient gets, with each quote's costs, speed, methods, transparency, the date
  it was collected and the demonstration label;
- a corridor's page: the World Bank's average cost quarter by quarter as a chart (SVG drawn on
  the server, cached) with the SDG 10.c lines and the same figures as a table, the corridor's
  figures from the quotes (simple average, SmaRT at USD 200 and 500), and a CSV download;
- the corridors into Latin America and the Caribbean ranked by their latest average (sortable),
  with a CSV download.
Views parse, call the selectors, render."""

import csv
import io
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from enlace.core.errors import ValidationFailed
from enlace.core.public import public_page, public_render
from enlace.core.sorting import sort_from

from . import charts, choices, formulas, selectors
from .forms import DEFAULT_AMOUNT, DEFAULT_FROM, DEFAULT_TO, CompareForm
from .models import ATTRIBUTION, SERIES_AVERAGE_TOTAL_COST, FundingMethod, PickupMethod, Speed
from .models import ProviderKind as Kind

PAGE_MAX_AGE = 600
CSV_MAX_AGE = 3600
RANK_SORTS = {
    "cost": ("cost",),
    "sending": ("sending",),
    "receiving": ("receiving",),
    "quarter": ("quarter",),
}


def _label(choices_: Any, value: str) -> str:
    return str(choices_(value).label) if value in choices_.values else value


def _example() -> dict[str, Any]:
    """The worked example of the explanation (World Bank RPW): USD 200, fee 5, applied 17.00,
    interbank 17.34, computed by the formulas the page uses."""
    amount, fee, applied, interbank = 200, 5, Decimal("17.00"), Decimal("17.34")
    return {
        "amount": amount,
        "fee": fee,
        "applied": applied,
        "interbank": interbank,
        "fee_pct": formulas.display(formulas.fee_pct(fee, amount)),
        "margin_pct": formulas.display(formulas.fx_margin_pct(applied, interbank)),
        "total_pct": formulas.display(formulas.total_cost_pct(fee, amount, applied, interbank)),
        "received": formulas.display(formulas.amount_received(amount, fee, applied)),
        "at_interbank": formulas.display(formulas.amount_received(amount, 0, interbank)),
    }


def _row(rank: int, row: selectors.CompareRow) -> dict[str, Any]:
    return {
        "rank": rank,
        "provider": row.provider,
        "kind": _label(Kind, row.provider_kind),
        "product": row.product,
        "received": formulas.display(row.amount_received),
        "receiving_currency": row.receiving_currency or "",
        "amount": formulas.display(row.amount),
        "currency": row.currency,
        "fee": formulas.display(row.fee),
        "fee_pct": formulas.display(row.fee_pct),
        "margin_pct": formulas.display(row.fx_margin_pct),
        "total_pct": formulas.display(row.total_cost_pct),
        "applied_rate": row.applied_rate.normalize(),
        "interbank_rate": row.interbank_rate.normalize(),
        "speed": _label(Speed, row.speed),
        "funding": _label(FundingMethod, row.funding_method) if row.funding_method else "",
        "pickup": _label(PickupMethod, row.pickup_method) if row.pickup_method else "",
        "transparent": row.transparent,
        "collected_on": row.collected_on,
        "period": row.period,
        "usd_band": row.usd_band,
        "quoted_amount": formulas.display(row.quoted_amount),
        "is_demonstration": row.is_demonstration,
        "over_target": formulas.meets_corridor_target(row.total_cost_pct) is False,
    }


@require_GET
@public_page(max_age=PAGE_MAX_AGE)
def compare(request: HttpRequest) -> HttpResponse:
    """Which providers deliver the most for an amount sent in a corridor."""
    sending, receiving = choices.sending_countries(), choices.receiving_countries()
    asked = any(k in request.GET for k in ("from", "to", "amount"))
    offered = {c.code for c in sending}, {c.code for c in receiving}
    data: Any = request.GET
    if not asked and DEFAULT_FROM in offered[0] and DEFAULT_TO in offered[1]:
        data = {"from": DEFAULT_FROM, "to": DEFAULT_TO, "amount": DEFAULT_AMOUNT}
    form = CompareForm(
        data if (asked or data is not request.GET) else None, sending=sending, receiving=receiving
    )
    context: dict[str, Any] = {"form": form, "example": _example(), "searched": False}
    status = 200
    if form.is_bound and form.is_valid():
        s, r, amount = (
            form.cleaned_data["from"],
            form.cleaned_data["to"],
            form.cleaned_data["amount"],
        )
        try:
            result = selectors.compare(s, r, amount)
        except Http404:
            result = None
        rows = [_row(i, row) for i, row in enumerate(result.rows if result else [], start=1)]
        context |= {
            "searched": True,
            "sending": s,
            "receiving": r,
            "sending_name": next((c.name for c in sending if c.code == s), s),
            "receiving_name": next((c.name for c in receiving if c.code == r), r),
            "amount": formulas.display(amount),
            "currency": rows[0]["currency"] if rows else "",
            "rows": rows,
            "has_demonstration": any(row["is_demonstration"] for row in rows),
            "has_non_transparent": any(not row["transparent"] for row in rows),
            "data_date": max((row["collected_on"] for row in rows), default=None),
            "oldest_date": min((row["collected_on"] for row in rows), default=None),
            "has_series": choices.has_series(s, r),
        }
    elif form.is_bound:
        status = 400
    return public_render(request, "remittances/compare.html", context, status=status)


def _codes(sending: str, receiving: str) -> tuple[str, str]:
    """Country codes from the URL; anything that cannot be one is a missing page (404)."""
    try:
        return (
            selectors.country_code("sending", sending),
            selectors.country_code("receiving", receiving),
        )
    except ValidationFailed as exc:
        raise Http404 from exc


@require_GET
@public_page(max_age=PAGE_MAX_AGE)
def corridor(request: HttpRequest, sending: str, receiving: str) -> HttpResponse:
    """A corridor's World Bank series (chart and table) and its figures from the quotes."""
    s, r = _codes(sending, receiving)
    figures = selectors.corridor_figures(s, r)  # 404 for a corridor that does not exist
    points = selectors.corridor_series(s, r)
    quoted = [b for b in figures.bands if b.services]
    rows = [
        {
            "quarter": p.quarter,
            "cost": formulas.display(p.average_total_cost_pct),
            "meets_global": formulas.meets_global_target(p.average_total_cost_pct),
            "meets_corridor": formulas.meets_corridor_target(p.average_total_cost_pct),
        }
        for p in points
    ]
    context = {
        "corridor": figures.corridor,
        "sending_name": figures.corridor.sending.name,
        "receiving_name": figures.corridor.receiving.name,
        "chart": charts.corridor_chart(s, r, points),
        "chart_title_id": charts.TITLE_ID,
        "series": rows,
        "latest": rows[-1] if rows else None,
        "first": rows[0] if rows else None,
        "figures": figures,
        "bands": [
            {
                "usd_band": b.usd_band,
                "services": b.services,
                "average": formulas.display(b.simple_average),
                "smart": formulas.display(b.smart.value),
                "smart_eligible": b.smart.eligible,
                "meets_global": b.meets_global_target,
                "meets_corridor": b.meets_corridor_target,
                "non_transparent": b.non_transparent,
            }
            for b in quoted
        ],
        "published_average": formulas.display(figures.published_average),
        "global_target": formulas.SDG_GLOBAL_TARGET_PCT,
        "corridor_target": formulas.SDG_CORRIDOR_TARGET_PCT,
        "smart_services": formulas.SMART_SERVICES,
        "attribution": ATTRIBUTION,
    }
    return public_render(request, "remittances/corridor.html", context)


def _csv(name: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@public_page(max_age=CSV_MAX_AGE)
def corridor_csv(request: HttpRequest, sending: str, receiving: str) -> HttpResponse:
    """The corridor's World Bank series as CSV (with its source on every row)."""
    s, r = _codes(sending, receiving)
    points = selectors.corridor_series(s, r)
    return _csv(
        f"remittance-costs-{s}-{r}.csv",
        [
            _("Sending country"),
            _("Receiving country"),
            _("Quarter"),
            _("Average total cost (%)"),
            _("Series"),
            _("Source"),
        ],
        [
            [s, r, p.quarter, p.average_total_cost_pct, SERIES_AVERAGE_TOTAL_COST, ATTRIBUTION]
            for p in points
        ],
    )


def _ranked(request: HttpRequest) -> tuple[list[dict[str, Any]], Any]:
    sort = sort_from(request.GET, RANK_SORTS, "cost")  # ValidationFailed: 400 (middleware)
    rows = [
        {
            "sending": r.corridor.sending_id,
            "receiving": r.corridor.receiving_id,
            "sending_name": r.corridor.sending.name,
            "receiving_name": r.corridor.receiving.name,
            "quarter": r.quarter,
            "cost": r.average_total_cost_pct,
            "cost_shown": formulas.display(r.average_total_cost_pct),
            "meets_corridor": r.meets_corridor_target,
            "meets_global": formulas.meets_global_target(r.average_total_cost_pct),
        }
        for r in selectors.lac_corridors_ranked()
    ]
    keys = {
        "cost": lambda x: (x["cost"], x["sending_name"], x["receiving_name"]),
        "sending": lambda x: (x["sending_name"], x["receiving_name"]),
        "receiving": lambda x: (x["receiving_name"], x["sending_name"]),
        "quarter": lambda x: (x["quarter"], x["cost"]),
    }
    rows.sort(key=keys[sort.key], reverse=sort.descending)
    return rows, sort


@require_GET
@public_page(max_age=PAGE_MAX_AGE)
def corridors(request: HttpRequest) -> HttpResponse:
    """The corridors into Latin America and the Caribbean by their latest average cost."""
    rows, sort = _ranked(request)
    context = {
        "rows": rows,
        "sort": sort,
        "global_target": formulas.SDG_GLOBAL_TARGET_PCT,
        "corridor_target": formulas.SDG_CORRIDOR_TARGET_PCT,
        "over": sum(1 for r in rows if r["meets_corridor"] is False),
        "attribution": ATTRIBUTION,
    }
    return public_render(request, "remittances/corridors.html", context)


@require_GET
@public_page(max_age=CSV_MAX_AGE)
def corridors_csv(request: HttpRequest) -> HttpResponse:
    rows, _sort = _ranked(request)
    return _csv(
        "remittance-corridors-lac.csv",
        [
            _("Sending country"),
            _("Receiving country"),
            _("Latest quarter"),
            _("Average total cost (%)"),
            _("At most 5 %"),
            _("Source"),
        ],
        [
            [
                r["sending"],
                r["receiving"],
                r["quarter"],
                r["cost"],
                _("yes") if r["meets_corridor"] else _("no"),
                ATTRIBUTION,
            ]
            for r in rows
        ],
    )
