"""Demo remittance data:

- the real World Bank corridor averages (DataBank "Remittance Prices Worldwide (Corridors)",
  vendored in data/rpw with its source), imported as they are;
- DEMONSTRATION quotes, invented, for a handful of corridors into Latin America and the
  Caribbean (US→GT, US→HN, US→SV, US→MX, ES→CO, CR→NI) at the USD 200 and USD 500 equivalents,
  from providers with obviously fictional names ("Demo Envíos A" …). Every one is marked
  `is_demonstration` and source "demonstration": the pages and the API say they are not real
  prices. The interbank rates are round figures near the markets' of late 2026, not quotes.

They are entered through the services as the regional secretariat's analyst (`analista`, who
may correct any corridor's quotes), so they are in the change history like any quote.
Idempotent: a corridor that has demonstration quotes already is left as it is.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from enlace.accounts.actor import actor_for
from enlace.accounts.models import User

from . import rules, services
from .importers import import_corridor_series
from .models import Provider, Quote, QuoteSource

EDITOR = "analista"
SERIES_FILE = Path(__file__).resolve().parent / "data" / "rpw" / "rpw_corridors_2011Q1-2020Q3.csv"
NOTE = "Demonstration data: invented to show the comparison. Not a real price."

# name: (kind, website)
PROVIDERS = {
    "Demo Envíos A": "mto",
    "Demo Banco B": "bank",
    "Demo Móvil C": "mobile_operator",
    "Demo Fintech D": "fintech",
    "Demo Correos E": "post_office",
}

# corridor: (sending currency, amounts at USD 200 and 500, interbank rate)
CORRIDORS = {
    ("US", "GT"): ("USD", ("200", "500"), "7.70"),
    ("US", "HN"): ("USD", ("200", "500"), "26.20"),
    ("US", "SV"): ("USD", ("200", "500"), "1"),
    ("US", "MX"): ("USD", ("200", "500"), "18.40"),
    ("ES", "CO"): ("EUR", ("185", "460"), "4600"),
    ("CR", "NI"): ("CRC", ("100000", "250000"), "0.0732"),
}

# provider: (fee at 200, fee at 500 (as % of the amount), FX margin %, speed, transparent,
#            funding, pick-up): one slow, one non-transparent, one promotion (negative margin).
OFFERS = {
    "Demo Envíos A": ("2.5", "1.6", "1.9", "same_day", True, "cash", "cash"),
    "Demo Banco B": ("5.0", "2.4", "2.8", "2_5_days", True, "bank_account", "bank_account"),
    "Demo Móvil C": (
        "1.5",
        "1.0",
        "2.2",
        "less_than_one_hour",
        True,
        "debit_card",
        "mobile_wallet",
    ),
    "Demo Fintech D": ("0.99", "0.6", "-0.3", "next_day", True, "debit_card", "bank_account"),
    "Demo Correos E": ("3.0", "2.0", "1.2", "6_days_or_more", False, "cash", "cash"),
}


def _provider(name: str, kind: str) -> Provider:
    key = services.provider_name_key(name)
    return Provider.objects.filter(name_key=key).first() or Provider.objects.create(
        name=name, name_key=key, kind=kind, is_demonstration=True
    )


@transaction.atomic
def seed_demo_remittances() -> list[str]:
    lines = []
    report = import_corridor_series(SERIES_FILE.read_bytes(), file_name=SERIES_FILE.name)
    lines.append(
        f"remittances: World Bank corridor series: {report.created} new, {report.updated} "
        f"updated, {report.unchanged} unchanged figures"
    )
    user = User.objects.filter(username=EDITOR).first()
    actor = actor_for(user) if user else None
    if actor is None or not rules.may_edit_quotes(actor):
        return [*lines, f"remittances: no demonstration quotes ({EDITOR} is missing)"]
    providers = {name: _provider(name, kind) for name, kind in PROVIDERS.items()}
    collected = timezone.localdate() - dt.timedelta(days=21)
    made = 0
    for (sending, receiving), (currency, amounts, interbank) in CORRIDORS.items():
        if Quote.objects.filter(
            is_demonstration=True, corridor__sending_id=sending, corridor__receiving_id=receiving
        ).exists():
            continue
        for name, offer in OFFERS.items():
            fee200, fee500, margin, speed, transparent, funding, pickup = offer
            rate = Decimal(interbank) * (1 - Decimal(margin) / 100)
            for band, amount, fee_pct in ((200, amounts[0], fee200), (500, amounts[1], fee500)):
                fee = (Decimal(amount) * Decimal(fee_pct) / 100).quantize(Decimal("0.01"))
                services.quote_create(
                    actor=actor,
                    data={
                        "provider": providers[name],
                        "sending": sending,
                        "receiving": receiving,
                        "collected_on": collected,
                        "usd_band": band,
                        "amount": amount,
                        "currency": currency,
                        "fee": fee,
                        "applied_rate": rate.quantize(Decimal("0.000001")),
                        "interbank_rate": interbank,
                        "speed": speed,
                        "funding_method": funding,
                        "pickup_method": pickup,
                        "transparent": transparent,
                        "source": QuoteSource.DEMONSTRATION,
                        "is_demonstration": True,
                        "note": NOTE,
                    },
                )
                made += 1
    lines.append(
        f"remittances: {made} demonstration quotes (not real prices) in "
        f"{len(CORRIDORS)} corridors; {EDITOR} / focal.gt / focal.mx may correct them"
    )
    return lines
