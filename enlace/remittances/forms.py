"""Forms of the remittance pages: the public comparison (a GET form), the staff's quote and
provider forms and the World Bank import upload. The numbers, dates and codes are checked by the
services (enlace.remittances.services), whose messages the views put next to the fields; the
forms only shape the input."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from enlace.core.forms import CountryChoiceField, DateInput
from enlace.core.names import sort_by_name

from .models import (
    QUARTER_RE,
    FundingMethod,
    PickupMethod,
    Provider,
    ProviderKind,
    QuoteSource,
    Speed,
    USDBand,
)

DEFAULT_FROM, DEFAULT_TO, DEFAULT_AMOUNT = "US", "GT", "200"
CHOOSE_COUNTRY = _("Choose a country from the list.")
SAME_COUNTRIES = _("Choose two different countries.")
BAD_AMOUNT = _("Enter the amount as a number greater than zero, e.g. 200.")
MAX_AMOUNT = 1_000_000_000


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class CompareForm(forms.Form):
    """From which country, to which, how much (GET: from, to, amount — as the public API)."""

    def __init__(self, data: Any, *, sending: list[Any], receiving: list[Any]) -> None:
        super().__init__(data)
        self.fields["from"] = forms.ChoiceField(
            label=_("Sending country"),
            choices=[(c.code, c.name) for c in sort_by_name(sending)],
            error_messages={"invalid_choice": CHOOSE_COUNTRY, "required": CHOOSE_COUNTRY},
        )
        self.fields["to"] = forms.ChoiceField(
            label=_("Receiving country"),
            choices=[(c.code, c.name) for c in sort_by_name(receiving)],
            error_messages={"invalid_choice": CHOOSE_COUNTRY, "required": CHOOSE_COUNTRY},
        )
        self.fields["amount"] = forms.DecimalField(
            label=_("Amount to send"),
            help_text=_(
                "In the sending country's currency (e.g. US dollars from the United States)."
            ),
            min_value=0.01,
            max_value=MAX_AMOUNT,
            max_digits=14,
            decimal_places=2,
            localize=False,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            error_messages={
                "invalid": BAD_AMOUNT,
                "required": BAD_AMOUNT,
                "min_value": BAD_AMOUNT,
                "max_value": BAD_AMOUNT,
                "max_digits": BAD_AMOUNT,
                "max_decimal_places": BAD_AMOUNT,
                "max_whole_digits": BAD_AMOUNT,
            },
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("from") and data.get("from") == data.get("to"):
            self.add_error("to", SAME_COUNTRIES)
        return data


class QuoteForm(forms.Form):
    """A quote as collected: the raw figures (the percentages are computed, never typed)."""

    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Provider.objects.all(), empty_label="—"
    )
    sending = CountryChoiceField(label=_("Sending country"), empty_label="—")
    receiving = CountryChoiceField(label=_("Receiving country"), empty_label="—")
    collected_on = forms.DateField(label=_("Collected on"), widget=DateInput())
    period = forms.CharField(
        label=_("Quarter"),
        required=False,
        max_length=6,
        help_text=_("YYYYQn, e.g. 2024Q3; blank: the quarter of the collection date."),
    )
    usd_band = forms.TypedChoiceField(
        label=_("USD equivalent"), choices=USDBand.choices, coerce=int, initial=200
    )
    amount = forms.CharField(
        label=_("Amount sent"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("In the sending currency."),
    )
    currency = forms.CharField(
        label=_("Sending currency"),
        required=False,
        max_length=3,
        help_text=_("ISO 4217 code, e.g. USD; blank: the sending country's currency."),
    )
    fee = forms.CharField(
        label=_("Fee"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("In the sending currency; 0 when there is none."),
    )
    applied_rate = forms.CharField(
        label=_("Applied exchange rate"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Units of the receiving currency per unit sent, as the provider applies it."),
    )
    interbank_rate = forms.CharField(
        label=_("Interbank exchange rate"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("The market rate at the same time as the quote."),
    )
    receiving_currency = forms.CharField(
        label=_("Receiving currency"),
        required=False,
        max_length=3,
        help_text=_("ISO 4217 code, e.g. GTQ; blank: the receiving country's currency."),
    )
    speed = forms.ChoiceField(label=_("Speed"), choices=_blank(Speed.choices))
    funding_method = forms.ChoiceField(
        label=_("How the sender pays"), choices=_blank(FundingMethod.choices), required=False
    )
    pickup_method = forms.ChoiceField(
        label=_("How the recipient collects"), choices=_blank(PickupMethod.choices), required=False
    )
    product = forms.CharField(label=_("Product"), required=False, max_length=300)
    transparent = forms.BooleanField(
        label=_("Transparent: the provider discloses its fee and exchange rate"),
        required=False,
        initial=True,
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=QuoteSource.choices, initial=QuoteSource.AUTHORITY
    )
    source_detail = forms.CharField(label=_("Source details"), required=False, max_length=300)
    is_demonstration = forms.BooleanField(
        label=_("Demonstration data (not a real price)"), required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_period(self) -> str:
        import re

        value = str(self.cleaned_data.get("period") or "").strip().upper()
        if value and not re.match(QUARTER_RE, value):
            raise forms.ValidationError(_("Write the quarter as YYYYQn, e.g. 2024Q3."))
        return value

    def service_data(self) -> dict[str, Any]:
        """The fields as the services take them (countries as codes)."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["sending"] = data["sending"].code if data.get("sending") else ""
        data["receiving"] = data["receiving"].code if data.get("receiving") else ""
        return data


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=_blank(ProviderKind.choices))
    website = forms.CharField(
        label=_("Website"),
        required=False,
        max_length=200,
        widget=forms.URLInput,
        help_text=_("Starting with https://"),
    )
    is_demonstration = forms.BooleanField(
        label=_("Demonstration provider (invented, for the demo)"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


IMPORT_KINDS = [
    ("corridors", _("World Bank corridor series (DataBank CSV export)")),
    ("providers", _("World Bank provider-level dataset (xlsx or CSV)")),
]


class ImportForm(forms.Form):
    which = forms.ChoiceField(
        label=_("What the file holds"), choices=IMPORT_KINDS, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file (import nothing)"), required=False, initial=False
    )
    accept_valid_rows = forms.BooleanField(
        label=_("Import the valid rows even if some rows have errors"), required=False
    )
