"""Remittance prices: providers, corridors, the quotes collected for them (World Bank RPW
fields, raw figures only) and the corridor averages the World Bank publishes (DataBank).

The percentages (fee %, FX margin %, total cost %) and the amount received are computed from the
raw figures by enlace.remittances.formulas, never stored: a corrected fee or rate can never leave
a stale percentage behind. No personal data lives in this app.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.models import BaseModel

from . import formulas

# A calendar quarter, as RPW and DataBank name them once normalised: "2024Q3".
QUARTER_RE = r"^\d{4}Q[1-4]$"
quarter_validator = RegexValidator(QUARTER_RE, _("Write the quarter as YYYYQn, e.g. 2024Q3."))

# The DataBank series: average total cost to remit in the corridor (%).
SERIES_AVERAGE_TOTAL_COST = "ATCR.CORR"

ATTRIBUTION = (
    "The World Bank, Remittance Prices Worldwide, available at "
    "http://remittanceprices.worldbank.org"
)


class ProviderKind(models.TextChoices):
    """RPW firm types, grouped as the issue lists them."""

    BANK = "bank", _("Bank")
    MONEY_TRANSFER_OPERATOR = "mto", _("Money transfer operator")
    POST_OFFICE = "post_office", _("Post office")
    MOBILE_OPERATOR = "mobile_operator", _("Mobile operator")
    FINTECH = "fintech", _("Fintech")
    OTHER = "other", _("Other")


class Speed(models.TextChoices):
    """RPW's speed categories (how long until the money can be picked up)."""

    LESS_THAN_ONE_HOUR = formulas.SPEED_LESS_THAN_ONE_HOUR, _("Less than one hour")
    SAME_DAY = formulas.SPEED_SAME_DAY, _("Same day")
    NEXT_DAY = formulas.SPEED_NEXT_DAY, _("Next day")
    TWO_TO_FIVE_DAYS = formulas.SPEED_2_5_DAYS, _("2 to 5 days")
    SIX_DAYS_OR_MORE = formulas.SPEED_6_DAYS_OR_MORE, _("6 days or more")


class FundingMethod(models.TextChoices):
    """How the sender pays (RPW "payment instrument")."""

    CASH = "cash", _("Cash")
    BANK_ACCOUNT = "bank_account", _("Bank account")
    DEBIT_CARD = "debit_card", _("Debit card")
    CREDIT_CARD = "credit_card", _("Credit card")
    MOBILE_MONEY = "mobile_money", _("Mobile money")
    OTHER = "other", _("Other")


class PickupMethod(models.TextChoices):
    """How the recipient gets the money (RPW "pick-up method")."""

    CASH = "cash", _("Cash pick-up")
    BANK_ACCOUNT = "bank_account", _("Into a bank account")
    MOBILE_WALLET = "mobile_wallet", _("Into a mobile wallet")
    HOME_DELIVERY = "home_delivery", _("Home delivery")
    OTHER = "other", _("Other")


class QuoteSource(models.TextChoices):
    """Where a quote comes from."""

    AUTHORITY = "authority", _("Collected by an authority")
    RPW = "rpw", _("World Bank Remittance Prices Worldwide")
    DEMONSTRATION = "demonstration", _("Demonstration data (not a real price)")


class USDBand(models.IntegerChoices):
    """The USD equivalent a quote is for (RPW cc1 and cc2)."""

    USD_200 = 200, _("USD 200 equivalent")
    USD_500 = 500, _("USD 500 equivalent")


class Provider(BaseModel):
    """A remittance service provider (bank, money transfer operator, …)."""

    name = models.CharField(_("name"), max_length=200)
    # The name folded (case, accents, spaces and punctuation ignored): "Western Union" and
    # "WESTERN-UNION" are one provider.
    name_key = models.CharField(_("name key"), max_length=200, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=ProviderKind.choices)
    website = models.URLField(_("website"), blank=True)
    is_demonstration = models.BooleanField(_("demonstration"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("remittance provider")
        verbose_name_plural = _("remittance providers")

    def __str__(self) -> str:
        return self.name


class Corridor(models.Model):
    """Sending country → receiving country."""

    sending = models.ForeignKey(
        "core.Country",
        verbose_name=_("sending country"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    receiving = models.ForeignKey(
        "core.Country",
        verbose_name=_("receiving country"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["sending_id", "receiving_id"]
        verbose_name = _("corridor")
        verbose_name_plural = _("corridors")
        constraints = [
            models.UniqueConstraint(fields=["sending", "receiving"], name="corridor_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(sending=models.F("receiving")), name="corridor_two_countries"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sending_id} → {self.receiving_id}"


class Quote(BaseModel):
    """What one provider charged to send one amount in one corridor, when it was collected:
    the raw figures of an RPW quote. Percentages are computed (see the properties)."""

    # No single-column indexes on the keys: the composite ones below start with them, and
    # every index slows the bulk import (bench/remittances.py).
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="quotes",
        db_index=False,
    )
    corridor = models.ForeignKey(
        Corridor,
        verbose_name=_("corridor"),
        on_delete=models.PROTECT,
        related_name="quotes",
        db_index=False,
    )
    collected_on = models.DateField(_("collected on"))
    period = models.CharField(_("quarter"), max_length=6, validators=[quarter_validator])
    usd_band = models.PositiveSmallIntegerField(
        _("USD equivalent"), choices=USDBand.choices, default=USDBand.USD_200
    )
    amount = models.DecimalField(
        _("amount sent"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.ForeignKey(
        "core.Currency",
        verbose_name=_("sending currency"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # currencies are reference data, never deleted or looked up by quote
    )
    receiving_currency = models.ForeignKey(
        "core.Currency",
        verbose_name=_("receiving currency"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
    )
    fee = models.DecimalField(
        _("fee"), max_digits=16, decimal_places=4, validators=[MinValueValidator(0)]
    )
    applied_rate = models.DecimalField(_("applied exchange rate"), max_digits=24, decimal_places=10)
    interbank_rate = models.DecimalField(
        _("interbank exchange rate"), max_digits=24, decimal_places=10
    )
    speed = models.CharField(_("speed"), max_length=20, choices=Speed.choices)
    funding_method = models.CharField(
        _("funding method"), max_length=20, choices=FundingMethod.choices, blank=True
    )
    pickup_method = models.CharField(
        _("pick-up method"), max_length=20, choices=PickupMethod.choices, blank=True
    )
    # The service as the provider names it (RPW product, or payment instrument / access point /
    # pick-up for the later sheets): one provider may offer several in a corridor.
    product = models.CharField(_("product"), max_length=300, blank=True)
    transparent = models.BooleanField(
        _("transparent"),
        default=True,
        help_text=_("The provider discloses the fee and the exchange rate it applies."),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=QuoteSource.choices, default=QuoteSource.AUTHORITY
    )
    source_detail = models.CharField(_("source details"), max_length=300, blank=True)
    is_demonstration = models.BooleanField(_("demonstration data"), default=False)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    version = models.PositiveIntegerField(_("version"), default=1)
    # As BaseModel's, without an index (imported quotes have no author; see provider above).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # RPW provider-level extras: the row's id and the percentages the file states (kept to
    # compare with the recomputed ones; never shown as the quote's cost).
    rpw_id = models.CharField(_("RPW id"), max_length=40, blank=True)
    reported_fx_margin_pct = models.DecimalField(
        _("FX margin % as reported"), max_digits=12, decimal_places=6, null=True, blank=True
    )
    reported_total_cost_pct = models.DecimalField(
        _("total cost % as reported"), max_digits=12, decimal_places=6, null=True, blank=True
    )

    class Meta:
        ordering = ["-collected_on", "provider__name"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "corridor", "collected_on", "usd_band", "product"],
                name="quote_natural_key",
            ),
            models.CheckConstraint(condition=models.Q(fee__gte=0), name="quote_fee_not_negative"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="quote_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(applied_rate__gt=0, interbank_rate__gt=0),
                name="quote_rates_positive",
            ),
        ]
        indexes = [
            # The compare query: the latest quote per provider and band in one corridor; its
            # corridor prefix also serves the corridor's figures for a quarter. Every further
            # index slows the bulk import (bench/remittances.py).
            models.Index(
                fields=["corridor", "provider", "usd_band", "-collected_on"],
                name="quote_compare",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.corridor} {self.collected_on}"

    @property
    def fee_pct(self) -> Decimal:
        return formulas.fee_pct(self.fee, self.amount)

    @property
    def fx_margin_pct(self) -> Decimal:
        return formulas.fx_margin_pct(self.applied_rate, self.interbank_rate)

    @property
    def total_cost_pct(self) -> Decimal:
        return formulas.total_cost_pct(
            self.fee, self.amount, self.applied_rate, self.interbank_rate
        )

    @property
    def amount_received(self) -> Decimal:
        return formulas.amount_received(self.amount, self.fee, self.applied_rate)

    def figures(self) -> dict[str, Any]:
        """The computed figures, full precision."""
        return {
            "fee_pct": self.fee_pct,
            "fx_margin_pct": self.fx_margin_pct,
            "total_cost_pct": self.total_cost_pct,
            "amount_received": self.amount_received,
        }


class CorridorQuarter(models.Model):
    """One figure of a World Bank DataBank series for a corridor and a quarter (the average
    total cost to remit, ATCR.CORR): the real, published averages the pages show."""

    corridor = models.ForeignKey(
        Corridor, verbose_name=_("corridor"), on_delete=models.CASCADE, related_name="quarters"
    )
    quarter = models.CharField(_("quarter"), max_length=6, validators=[quarter_validator])
    series_code = models.CharField(
        _("series code"), max_length=20, default=SERIES_AVERAGE_TOTAL_COST
    )
    average_total_cost_pct = models.DecimalField(
        _("average total cost %"), max_digits=12, decimal_places=6
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    imported = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        ordering = ["corridor_id", "quarter"]
        verbose_name = _("corridor average")
        verbose_name_plural = _("corridor averages")
        constraints = [
            models.UniqueConstraint(
                fields=["corridor", "series_code", "quarter"], name="corridorquarter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.corridor} {self.quarter} {self.average_total_cost_pct}"
