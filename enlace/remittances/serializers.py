"""Typed input and output of the remittance endpoints (the OpenAPI schema shows them)."""

from typing import Any

from rest_framework import serializers

from enlace.core.serializers import OutputSerializer, text

from .models import FundingMethod, PickupMethod, ProviderKind, QuoteSource, Speed, USDBand

MAX_VERSION = 2**31 - 1
COUNTRY = r"^[A-Za-z]{2}$"
CURRENCY = r"^[A-Za-z]{3}$"
QUARTER = r"^\d{4}Q[1-4]$"


class StrictBooleanField(serializers.BooleanField):
    """true or false only (DRF's BooleanField also takes 0, 1, "yes" …), as the schema says."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


def _money(help_text: str = "", **kw: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=None, decimal_places=2, help_text=help_text, **kw)


def _pct(help_text: str, **kw: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=None, decimal_places=2, help_text=help_text, **kw)


def _rate(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=None, decimal_places=None, help_text=help_text)


# ------------------------------------------------------------------ public output


class CorridorOut(OutputSerializer):
    sending = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    receiving = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    sending_name = serializers.CharField(help_text="In the request's language")
    receiving_name = serializers.CharField(help_text="In the request's language")


class CompareRowOut(OutputSerializer):
    provider = serializers.CharField()
    provider_kind = serializers.ChoiceField(choices=ProviderKind.choices)
    provider_kind_label = serializers.CharField()
    amount = _money("The amount sent, in the sending currency (the amount asked).")
    currency = serializers.CharField(help_text="Sending currency (ISO 4217)")
    fee = _money("The fee as quoted, in the sending currency.")
    fee_pct = _pct("fee / amount × 100")
    fx_margin_pct = _pct("(1 − applied rate / interbank rate) × 100; negative for a promotion")
    total_cost_pct = _pct("fee % + FX margin %")
    amount_received = _money(
        "(amount − fee) × applied rate, in the receiving currency.", allow_null=True
    )
    receiving_currency = serializers.CharField(help_text="ISO 4217; empty when not known")
    applied_rate = _rate("The provider's exchange rate (receiving units per sending unit).")
    interbank_rate = _rate("The interbank rate at the time of the quote.")
    speed = serializers.ChoiceField(choices=Speed.choices)
    speed_label = serializers.CharField()
    funding_method = serializers.CharField(help_text="One of the funding methods, or empty")
    funding_method_label = serializers.CharField()
    pickup_method = serializers.CharField(help_text="One of the pick-up methods, or empty")
    pickup_method_label = serializers.CharField()
    product = serializers.CharField()
    transparent = serializers.BooleanField(
        help_text="False: the provider does not disclose its exchange rate (flagged)."
    )
    collected_on = serializers.DateField(help_text="When the quote was collected.")
    period = serializers.CharField(help_text="Quarter, e.g. 2024Q3")
    usd_band = serializers.ChoiceField(choices=USDBand.choices)
    quoted_amount = _money("The amount the quote was collected for (sending currency).")
    is_demonstration = serializers.BooleanField(
        help_text="True: invented demonstration data, not a real price."
    )
    source = serializers.ChoiceField(choices=QuoteSource.choices)  # type: ignore[assignment]


class CompareOut(OutputSerializer):
    corridor = CorridorOut()
    amount = _money("The amount asked, or null", allow_null=True)
    method = serializers.CharField(help_text="How an amount other than the quoted ones is served.")
    has_demonstration = serializers.BooleanField()
    demonstration_notice = serializers.CharField()
    results = CompareRowOut(many=True, help_text="Ranked by amount received, most first.")


class QuarterOut(OutputSerializer):
    quarter = serializers.CharField(help_text="e.g. 2020Q3")
    average_total_cost_pct = _pct("The World Bank's average total cost in the corridor (%).")
    meets_corridor_target = serializers.BooleanField(help_text="Not above 5 % (SDG 10.c).")
    meets_global_target = serializers.BooleanField(help_text="Below 3 % (SDG 10.c).")


class SeriesOut(OutputSerializer):
    corridor = CorridorOut()
    series_code = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    global_target_pct = _pct("SDG 10.c: the global average below 3 %")
    corridor_target_pct = _pct("SDG 10.c: no corridor above 5 %")
    quarters = QuarterOut(many=True, help_text="Oldest first.")


# ------------------------------------------------------------------ staff input and output


class QuoteIn(serializers.Serializer[Any]):
    provider = serializers.UUIDField()
    sending = serializers.RegexField(COUNTRY, help_text="ISO 3166-1 alpha-2")
    receiving = serializers.RegexField(COUNTRY, help_text="ISO 3166-1 alpha-2")
    collected_on = serializers.DateField(help_text="Not in the future.")
    period = serializers.RegexField(
        QUARTER, required=False, allow_blank=True, help_text="By default the date's quarter."
    )
    usd_band = serializers.ChoiceField(choices=USDBand.choices, required=False)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    currency = serializers.RegexField(
        CURRENCY,
        required=False,
        allow_blank=True,
        help_text="ISO 4217; by default the sending country's currency.",
    )
    receiving_currency = serializers.RegexField(CURRENCY, required=False, allow_blank=True)
    fee = serializers.DecimalField(max_digits=16, decimal_places=4, min_value=0)
    applied_rate = serializers.DecimalField(max_digits=24, decimal_places=10)
    interbank_rate = serializers.DecimalField(max_digits=24, decimal_places=10)
    speed = serializers.ChoiceField(choices=Speed.choices)
    funding_method = serializers.ChoiceField(
        choices=FundingMethod.choices, required=False, allow_blank=True
    )
    pickup_method = serializers.ChoiceField(
        choices=PickupMethod.choices, required=False, allow_blank=True
    )
    product = text(required=False, allow_blank=True, max_length=300)
    transparent = StrictBooleanField(required=False, default=True)
    source = serializers.ChoiceField(choices=QuoteSource.choices, required=False)  # type: ignore[assignment]
    source_detail = text(required=False, allow_blank=True, max_length=300)
    is_demonstration = StrictBooleanField(required=False, default=False)
    note = text(required=False, allow_blank=True, max_length=2000)


class QuoteUpdateIn(QuoteIn):
    patch_is_partial = False  # PATCH sends the fields to change, always with the version

    version = serializers.IntegerField(min_value=0, max_value=MAX_VERSION)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            if name != "version":
                f.required = False


class QuoteOut(OutputSerializer):
    id = serializers.UUIDField()
    version = serializers.IntegerField()
    provider = serializers.UUIDField()
    provider_name = serializers.CharField()
    sending = serializers.CharField()
    receiving = serializers.CharField()
    collected_on = serializers.DateField()
    period = serializers.CharField()
    usd_band = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    currency = serializers.CharField()
    receiving_currency = serializers.CharField()
    fee = serializers.DecimalField(max_digits=16, decimal_places=4)
    applied_rate = _rate("")
    interbank_rate = _rate("")
    speed = serializers.CharField()
    funding_method = serializers.CharField()
    pickup_method = serializers.CharField()
    product = serializers.CharField()
    transparent = serializers.BooleanField()
    source = serializers.CharField()  # type: ignore[assignment]
    source_detail = serializers.CharField()
    is_demonstration = serializers.BooleanField()
    note = serializers.CharField()
    fee_pct = _pct("")
    fx_margin_pct = _pct("")
    total_cost_pct = _pct("")
    amount_received = _money("")


class ProviderIn(serializers.Serializer[Any]):
    name = text(max_length=200)
    kind = serializers.ChoiceField(choices=ProviderKind.choices)
    website = serializers.URLField(required=False, allow_blank=True, max_length=200)
    is_demonstration = StrictBooleanField(required=False, default=False)


class ProviderOut(OutputSerializer):
    id = serializers.UUIDField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    website = serializers.CharField()
    is_demonstration = serializers.BooleanField()
