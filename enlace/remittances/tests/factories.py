"""Providers, corridors and quotes for tests (fictional names, plausible figures)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from enlace.remittances.models import Corridor, Provider, Quote
from enlace.remittances.services import provider_name_key


def provider(name: str = "Envíos Prueba", kind: str = "mto", **extra: Any) -> Provider:
    return Provider.objects.get_or_create(
        name_key=provider_name_key(name), defaults={"name": name, "kind": kind, **extra}
    )[0]


def corridor(sending: str = "US", receiving: str = "GT") -> Corridor:
    return Corridor.objects.get_or_create(sending_id=sending, receiving_id=receiving)[0]


def quote(
    prov: Provider | str = "Envíos Prueba",
    corr: Corridor | None = None,
    *,
    fee: str = "5",
    applied: str = "7.50",
    interbank: str = "7.70",
    amount: str = "200",
    band: int = 200,
    collected_on: dt.date = dt.date(2024, 8, 15),
    period: str = "2024Q3",
    **extra: Any,
) -> Quote:
    if isinstance(prov, str):
        prov = provider(prov)
    corr = corr or corridor()
    return Quote.objects.create(
        provider=prov,
        corridor=corr,
        fee=Decimal(fee),
        applied_rate=Decimal(applied),
        interbank_rate=Decimal(interbank),
        amount=Decimal(amount),
        usd_band=band,
        currency_id=extra.pop("currency_id", "USD"),
        collected_on=collected_on,
        period=period,
        speed=extra.pop("speed", "same_day"),
        **extra,
    )
