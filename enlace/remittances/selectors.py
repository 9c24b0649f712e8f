"""Reads of remittance prices. The comparison and the corridor figures are public data (no
actor: the public pattern of enlace.core.public); the staff list of quotes is scoped by the
actor (rules.corridor_scope).

How an amount other than the quoted ones is served (compare): quotes are collected for the
sending-currency equivalents of USD 200 and USD 500 (RPW). For each provider, the quote of the
band whose quoted amount is nearest to the amount asked (by ratio) is used; its fee is taken as
quoted (a flat fee for that band) and its exchange rates as quoted, so for the amount asked:
fee % = fee / amount, FX margin % as quoted, amount received = (amount − fee) × applied rate.
The row says which band and quoted amount it rests on (`usd_band`, `quoted_amount`).
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from enlace.accounts.actor import Actor
from enlace.core.errors import ValidationFailed
from enlace.core.lookups import get_or_404
from enlace.core.models import Country

from . import formulas, regions, rules
from .models import SERIES_AVERAGE_TOTAL_COST, Corridor, CorridorQuarter, Provider, Quote

COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")
MIN_AMOUNT = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000000")
BAD_COUNTRY = _("Give the country as its two-letter ISO 3166-1 code, e.g. US or GT.")
BAD_AMOUNT = _("Give the amount as a number from 0.01 to 1,000,000,000, e.g. 200.")


def country_code(field_name: str, value: Any) -> str:
    """An ISO 3166-1 alpha-2 code from a request, upper case; ValidationFailed (400) if the
    value cannot be one."""
    if not isinstance(value, str) or not COUNTRY_RE.match(value):
        raise ValidationFailed({field_name: [BAD_COUNTRY]})
    return value.upper()


def parse_amount(field_name: str, value: Any) -> Decimal | None:
    """An amount from a request (None when not given); ValidationFailed (400) if it is not a
    positive number."""
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed({field_name: [BAD_AMOUNT]}) from exc
    if not amount.is_finite() or amount < MIN_AMOUNT or amount > MAX_AMOUNT:
        raise ValidationFailed({field_name: [BAD_AMOUNT]})
    return amount


_LANGS = ("en", "es", "pt", "fr")
CORRIDOR_SQL = f"""
SELECT c.id, {", ".join(f"s.name_{lang}" for lang in _LANGS)},
       {", ".join(f"r.name_{lang}" for lang in _LANGS)}
FROM remittances_corridor c
JOIN core_country s ON s.code = c.sending_id
JOIN core_country r ON r.code = c.receiving_id
WHERE c.sending_id = %s AND c.receiving_id = %s
"""  # nosec B608 # no input in the text: the language codes are the constant above  # noqa: S608


def corridor_get(sending: str, receiving: str) -> Corridor:
    """The corridor between two countries (codes already checked), with the two countries'
    names, or 404. (One small SQL query: the comparison's hot path.)"""
    sending, receiving = sending.upper(), receiving.upper()
    with connection.cursor() as cursor:
        cursor.execute(CORRIDOR_SQL, [sending, receiving])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    n = len(_LANGS)
    names = [
        dict(zip([f"name_{lang}" for lang in _LANGS], row[i : i + n], strict=True))
        for i in (1, 1 + n)
    ]
    return Corridor(
        id=row[0],
        sending=Country(code=sending, **names[0]),
        receiving=Country(code=receiving, **names[1]),
    )


@dataclass(frozen=True)
class CompareRow:
    """One provider's offer for the amount asked (computed at full precision)."""

    quote_id: Any
    provider: str
    provider_kind: str
    usd_band: int
    quoted_amount: Decimal
    amount: Decimal
    currency: str
    receiving_currency: str | None
    fee: Decimal
    fee_pct: Decimal
    fx_margin_pct: Decimal
    total_cost_pct: Decimal
    amount_received: Decimal
    applied_rate: Decimal
    interbank_rate: Decimal
    speed: str
    funding_method: str
    pickup_method: str
    product: str
    transparent: bool
    collected_on: Any
    period: str
    is_demonstration: bool
    source: str


@dataclass(frozen=True)
class Comparison:
    corridor: Corridor
    amount: Decimal | None
    rows: list[CompareRow] = field(default_factory=list)

    @property
    def has_demonstration(self) -> bool:
        return any(r.is_demonstration for r in self.rows)


def latest_quotes(corridor_id: int) -> QuerySet[Quote]:
    """The latest quote of each provider and band in a corridor (at the same date: the one
    that delivers the most): the ORM form of COMPARE_SQL, for other reads."""
    ranked = Quote.objects.filter(corridor_id=corridor_id).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("provider_id"), F("usd_band")],
            order_by=[
                F("collected_on").desc(),
                ((F("amount") - F("fee")) * F("applied_rate")).desc(),
                F("id").asc(),
            ],
        )
    )
    return ranked.filter(rank=1).order_by()


# The comparison's one query: the latest quote of each provider and band in the corridor
# (ROW_NUMBER over the index quote_compare), with the provider and the two countries' names.
# Written in SQL because it is the public hot path: the ORM's compilation and per-value
# conversion cost more than the query itself (bench/remittances.py); SQLite and PostgreSQL.
COMPARE_COLUMNS = (
    "quote_id",
    "provider_id",
    "provider",
    "provider_kind",
    "usd_band",
    "amount",
    "currency",
    "receiving_currency",
    "fee",
    "applied_rate",
    "interbank_rate",
    "speed",
    "funding_method",
    "pickup_method",
    "product",
    "transparent",
    "collected_on",
    "period",
    "is_demonstration",
    "source",
)
_QUOTE_COLUMNS = """q.id, q.provider_id, q.usd_band, q.amount, q.currency_id,
       q.receiving_currency_id, q.fee, q.applied_rate, q.interbank_rate, q.speed,
       q.funding_method, q.pickup_method, q.product, q.transparent, q.collected_on, q.period,
       q.is_demonstration, q.source"""
COMPARE_SQL = f"""
SELECT q.id, q.provider_id, p.name, p.kind, q.usd_band, q.amount, q.currency_id,
       q.receiving_currency_id, q.fee, q.applied_rate, q.interbank_rate, q.speed,
       q.funding_method, q.pickup_method, q.product, q.transparent, q.collected_on, q.period,
       q.is_demonstration, q.source
FROM (
    SELECT {_QUOTE_COLUMNS}, ROW_NUMBER() OVER (
        PARTITION BY q.provider_id, q.usd_band
        ORDER BY q.collected_on DESC, (q.amount - q.fee) * q.applied_rate DESC, q.id
    ) AS rn
    FROM remittances_quote q
    JOIN remittances_corridor c ON c.id = q.corridor_id
    WHERE c.sending_id = %s AND c.receiving_id = %s
) q
JOIN remittances_provider p ON p.id = q.provider_id
WHERE q.rn = 1
"""  # nosec B608 # constant text; the countries go as parameters  # noqa: S608
_DECIMALS = {"amount", "fee", "applied_rate", "interbank_rate"}


def _decimal(value: Any) -> Decimal:
    # SQLite hands numeric columns back as float or int; str() keeps the digits written.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _compare_rows(sending: str, receiving: str) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(COMPARE_SQL, [sending, receiving])
        rows = [dict(zip(COMPARE_COLUMNS, r, strict=True)) for r in cursor.fetchall()]
    for row in rows:
        for name in _DECIMALS:
            row[name] = _decimal(row[name])
        if isinstance(row["collected_on"], str):
            row["collected_on"] = dt.date.fromisoformat(row["collected_on"])
        row["transparent"] = bool(row["transparent"])
        row["is_demonstration"] = bool(row["is_demonstration"])
    return rows


def _row(q: dict[str, Any], amount: Decimal | None) -> CompareRow:
    sent = amount if amount is not None else q["amount"]
    fee_pct = formulas.fee_pct(q["fee"], sent)
    margin = formulas.fx_margin_pct(q["applied_rate"], q["interbank_rate"])
    return CompareRow(
        quote_id=q["quote_id"],
        provider=q["provider"],
        provider_kind=q["provider_kind"],
        usd_band=q["usd_band"],
        quoted_amount=q["amount"],
        amount=sent,
        currency=q["currency"],
        receiving_currency=q["receiving_currency"],
        fee=q["fee"],
        fee_pct=fee_pct,
        fx_margin_pct=margin,
        total_cost_pct=fee_pct + margin,
        amount_received=formulas.amount_received(sent, q["fee"], q["applied_rate"]),
        applied_rate=q["applied_rate"],
        interbank_rate=q["interbank_rate"],
        speed=q["speed"],
        funding_method=q["funding_method"],
        pickup_method=q["pickup_method"],
        product=q["product"],
        transparent=q["transparent"],
        collected_on=q["collected_on"],
        period=q["period"],
        is_demonstration=q["is_demonstration"],
        source=q["source"],
    )


def compare(sending: str, receiving: str, amount: Decimal | None = None) -> Comparison:
    """Providers in a corridor ranked by the amount the recipient gets (most first), from each
    provider's latest quote; `amount` in the sending currency (None: each quote's own amount,
    the USD 200 band). 404 for a corridor that does not exist."""
    sending, receiving = sending.upper(), receiving.upper()
    quotes = _compare_rows(sending, receiving)
    corridor = corridor_get(sending, receiving)
    by_provider: dict[Any, list[dict[str, Any]]] = {}
    for q in quotes:
        by_provider.setdefault(q["provider_id"], []).append(q)
    rows = []
    for offers in by_provider.values():
        if amount is None:
            chosen = min(offers, key=lambda q: abs(q["usd_band"] - formulas.SDG_BAND))
        else:
            band = formulas.nearest_band(amount, [(q["usd_band"], q["amount"]) for q in offers])
            chosen = next(q for q in offers if q["usd_band"] == band)
        rows.append(_row(chosen, amount))
    rows.sort(key=lambda r: (-r.amount_received, r.total_cost_pct, r.provider))
    return Comparison(corridor=corridor, amount=amount, rows=rows)


@dataclass(frozen=True)
class SeriesPoint:
    quarter: str
    average_total_cost_pct: Decimal


def corridor_series(
    sending: str, receiving: str, series_code: str = SERIES_AVERAGE_TOTAL_COST
) -> list[SeriesPoint]:
    """The World Bank's published average total cost % of the corridor, quarter by quarter
    (oldest first). 404 for a corridor that does not exist."""
    corridor = corridor_get(sending, receiving)
    return [
        SeriesPoint(quarter, value)
        for quarter, value in CorridorQuarter.objects.filter(
            corridor=corridor, series_code=series_code
        )
        .order_by("quarter")
        .values_list("quarter", "average_total_cost_pct")
    ]


@dataclass(frozen=True)
class BandFigures:
    """One band's figures from the quotes of a quarter."""

    usd_band: int
    services: int
    simple_average: Decimal | None
    smart: formulas.SmartResult
    meets_global_target: bool | None
    meets_corridor_target: bool | None
    non_transparent: int


@dataclass(frozen=True)
class CorridorFigures:
    corridor: Corridor
    quarter: str | None
    bands: list[BandFigures]
    published_average: Decimal | None  # the DataBank series for the quarter, if any
    has_demonstration: bool
    global_target_pct: Decimal = formulas.SDG_GLOBAL_TARGET_PCT
    corridor_target_pct: Decimal = formulas.SDG_CORRIDOR_TARGET_PCT


def _band_figures(band: int, quotes: list[Quote]) -> BandFigures:
    costs = [q.total_cost_pct for q in quotes]
    average = formulas.simple_average(costs)
    services = [formulas.Service(q.total_cost_pct, q.transparent, q.speed) for q in quotes]
    return BandFigures(
        usd_band=band,
        services=len(quotes),
        simple_average=average,
        smart=formulas.smart(services),
        meets_global_target=formulas.meets_global_target(average),
        meets_corridor_target=formulas.meets_corridor_target(average),
        non_transparent=sum(1 for q in quotes if not q.transparent),
    )


def corridor_figures(sending: str, receiving: str, quarter: str | None = None) -> CorridorFigures:
    """A corridor's figures for a quarter (default: the latest with quotes, else the latest
    published): per USD band, the simple average of the quotes' total cost %, SmaRT and the
    SDG 10.c targets; beside them the World Bank's published average for that quarter."""
    corridor = corridor_get(sending, receiving)
    if quarter is None:
        quarter = (
            Quote.objects.filter(corridor=corridor)
            .order_by("-period")
            .values_list("period", flat=True)
            .first()
            or CorridorQuarter.objects.filter(
                corridor=corridor, series_code=SERIES_AVERAGE_TOTAL_COST
            )
            .order_by("-quarter")
            .values_list("quarter", flat=True)
            .first()
        )
    quotes = list(_quarter_quotes(corridor, quarter))
    bands = [
        _band_figures(band, [q for q in quotes if q.usd_band == band])
        for band in formulas.USD_BANDS
    ]
    published = (
        CorridorQuarter.objects.filter(
            corridor=corridor, series_code=SERIES_AVERAGE_TOTAL_COST, quarter=quarter
        )
        .values_list("average_total_cost_pct", flat=True)
        .first()
    )
    return CorridorFigures(
        corridor=corridor,
        quarter=quarter,
        bands=bands,
        published_average=published,
        has_demonstration=any(q.is_demonstration for q in quotes),
    )


def _quarter_quotes(corridor: Corridor, quarter: str | None) -> QuerySet[Quote]:
    """The quarter's quotes of the corridor: one per provider, product and band (the latest
    collected in the quarter), as RPW averages the services surveyed."""
    if quarter is None:
        return Quote.objects.none()
    ranked = Quote.objects.filter(corridor=corridor, period=quarter).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("provider_id"), F("product"), F("usd_band")],
            order_by=[F("collected_on").desc(), F("id").asc()],
        )
    )
    return ranked.filter(rank=1)


@dataclass(frozen=True)
class CorridorRank:
    corridor: Corridor
    quarter: str
    average_total_cost_pct: Decimal
    meets_corridor_target: bool | None


def lac_corridors_ranked() -> list[CorridorRank]:
    """The corridors into Latin America and the Caribbean with a published average, each at
    its latest quarter, cheapest first."""
    latest: dict[int, tuple[str, Decimal]] = {}
    rows = (
        CorridorQuarter.objects.filter(
            series_code=SERIES_AVERAGE_TOTAL_COST, corridor__receiving_id__in=regions.LAC
        )
        .order_by("corridor_id", "quarter")
        .values_list("corridor_id", "quarter", "average_total_cost_pct")
    )
    for corridor_id, quarter, value in rows:
        latest[corridor_id] = (quarter, value)
    corridors = Corridor.objects.select_related("sending", "receiving").in_bulk(list(latest))
    ranked = [
        CorridorRank(
            corridor=corridors[cid],
            quarter=quarter,
            average_total_cost_pct=value,
            meets_corridor_target=formulas.meets_corridor_target(value),
        )
        for cid, (quarter, value) in latest.items()
    ]
    ranked.sort(key=lambda r: (r.average_total_cost_pct, str(r.corridor)))
    return ranked


# Staff reads (scoped by the actor).


def quote_list(*, actor: Actor) -> QuerySet[Quote]:
    """The quotes the actor may correct (newest first); none for anyone else."""
    if not rules.may_edit_quotes(actor):
        return Quote.objects.none()
    return Quote.objects.filter(rules.corridor_scope(actor, "corridor__")).select_related(
        "provider", "corridor", "corridor__sending", "corridor__receiving", "currency"
    )


def quote_get(*, actor: Actor, quote_id: Any) -> Quote:
    """One quote the actor may correct, or 404."""
    return get_or_404(quote_list(actor=actor), quote_id)


def provider_list(*, actor: Actor | None = None) -> QuerySet[Provider]:
    """Providers (public names): every provider."""
    return Provider.objects.all()


def provider_get(*, actor: Actor, provider_id: Any) -> Provider:
    """A provider the actor may correct, or 404."""
    if not rules.may_edit_providers(actor):
        raise Http404
    return get_or_404(Provider.objects.all(), provider_id)


def corridor_list(*, actor: Actor) -> QuerySet[Corridor]:
    """The corridors the actor may enter quotes for."""
    if not rules.may_edit_quotes(actor):
        return Corridor.objects.none()
    return Corridor.objects.filter(rules.corridor_scope(actor)).select_related(
        "sending", "receiving"
    )
