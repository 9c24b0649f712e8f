"""Writes to remittance prices: providers and quotes entered and corrected by the authorities'
staff (rules.py says who), each audited through enlace.audit in the same transaction so the
change history shows every change; a stale version is refused (409).

Validation (ValidationFailed, 400, per field): amount > 0, fee ≥ 0, both rates > 0, the
collection date a real date not in the future, the quarter as YYYYQn (by default the date's),
the sending currency the sending country's unless the quote states another (ISO 4217).
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.accounts.actor import Actor
from enlace.audit.services import change_record, diff_fields
from enlace.core.errors import ValidationFailed
from enlace.core.lookups import get_or_404
from enlace.core.models import Country, Currency
from enlace.core.validation import check_text, lock_for_edit, parse_date

from . import formulas, regions, rules
from .models import (
    QUARTER_RE,
    Corridor,
    FundingMethod,
    PickupMethod,
    Provider,
    ProviderKind,
    Quote,
    QuoteSource,
    Speed,
    USDBand,
)

MAX_DIGITS = {
    "amount": (16, 2),
    "fee": (16, 4),
    "applied_rate": (24, 10),
    "interbank_rate": (24, 10),
}

NOT_A_NUMBER = _("Enter a number, e.g. 200 or 17.34.")
TOO_MANY_DIGITS = _("This number is too long.")
AMOUNT_POSITIVE = _("The amount sent must be more than zero.")
FEE_NOT_NEGATIVE = _("The fee cannot be negative (enter 0 for no fee).")
RATE_POSITIVE = _("An exchange rate must be more than zero.")
FUTURE_DATE = _("The collection date cannot be in the future.")
REQUIRED = _("This field is required.")
BAD_CHOICE = _("Choose one of the options.")
BAD_QUARTER = _("Write the quarter as YYYYQn, e.g. 2024Q3.")
UNKNOWN_COUNTRY = _("Unknown country code (ISO 3166-1 alpha-2, e.g. US).")
SAME_COUNTRY = _("The sending and receiving countries must differ.")
UNKNOWN_CURRENCY = _("Unknown currency code (ISO 4217, e.g. USD).")
STATE_CURRENCY = _("The sending country's currency is not known here: state the currency.")
DUPLICATE_QUOTE = _(
    "This provider already has a quote for this corridor, date, amount and product: "
    "correct that one instead."
)
DUPLICATE_PROVIDER = _("A provider with this name already exists.")
CORRIDOR_OUT_OF_REACH = _("You may enter quotes only for corridors of your country.")

QUOTE_FIELDS = (
    "provider_id",
    "corridor_id",
    "collected_on",
    "period",
    "usd_band",
    "amount",
    "currency_id",
    "receiving_currency_id",
    "fee",
    "applied_rate",
    "interbank_rate",
    "speed",
    "funding_method",
    "pickup_method",
    "product",
    "transparent",
    "source",
    "source_detail",
    "is_demonstration",
    "note",
)
PROVIDER_FIELDS = ("name", "kind", "website", "is_demonstration")


def provider_name_key(name: str) -> str:
    """The name folded for uniqueness: case, accents, spaces and punctuation ignored."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def quarter_of(date: dt.date) -> str:
    return f"{date.year}Q{(date.month - 1) // 3 + 1}"


def parse_decimal(field: str, value: Any, *, required: bool = True) -> Decimal | None:
    """A number from a form, the API or a file (text or number); ValidationFailed otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationFailed({field: [REQUIRED]})
        return None
    if isinstance(value, bool):
        raise ValidationFailed({field: [NOT_A_NUMBER]})
    try:
        number = (
            Decimal(str(value).strip().replace(",", ""))
            if isinstance(value, str)
            else (value if isinstance(value, Decimal) else Decimal(str(value)))
        )
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed({field: [NOT_A_NUMBER]}) from exc
    if not number.is_finite():
        raise ValidationFailed({field: [NOT_A_NUMBER]})
    digits, places = MAX_DIGITS.get(field, (24, 10))
    if abs(number) >= Decimal(10) ** (digits - places):
        raise ValidationFailed({field: [TOO_MANY_DIGITS]})
    return number


def _choice(field: str, value: Any, choices: Any, *, blank: bool = False) -> str:
    if value in (None, "") and blank:
        return ""
    if value not in choices.values:
        raise ValidationFailed({field: [BAD_CHOICE]})
    return str(value)


def _bool(field: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "on"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "0", "no", "off", ""):
        return False
    raise ValidationFailed({field: [BAD_CHOICE]})


def _country(field: str, value: Any) -> Country:
    code = str(value or "").strip().upper()
    country = Country.objects.filter(code=code).first() if len(code) == 2 else None
    if country is None:
        raise ValidationFailed({field: [UNKNOWN_COUNTRY]})
    return country


def _currency(field: str, value: Any) -> Currency:
    code = str(value or "").strip().upper()
    currency = Currency.objects.filter(code=code).first() if len(code) == 3 else None
    if currency is None:
        raise ValidationFailed({field: [UNKNOWN_CURRENCY]})
    return currency


def corridor_for(*, actor: Actor | None, sending: Any, receiving: Any) -> Corridor:
    """The corridor between two countries, created when first needed; the actor (None: an
    import already allowed) must be allowed to enter quotes for it."""
    s, r = _country("sending", sending), _country("receiving", receiving)
    if s.code == r.code:
        raise ValidationFailed({"receiving": [SAME_COUNTRY]})
    if actor is not None and not rules.may_edit_corridor(actor, s.code, r.code):
        raise ValidationFailed({"sending": [CORRIDOR_OUT_OF_REACH]})
    corridor, _created = Corridor.objects.get_or_create(sending=s, receiving=r)
    return corridor


def clean_quote(data: Mapping[str, Any], *, corridor: Corridor, today: dt.date) -> dict[str, Any]:
    """Checked quote fields from `data` (everything but provider and corridor)."""
    errors: dict[str, list[Any]] = {}
    out: dict[str, Any] = {}

    def take(field: str, fn: Any) -> None:
        try:
            out[field] = fn()
        except ValidationFailed as exc:
            for key, messages in exc.errors.items():
                errors.setdefault(key, []).extend(messages)

    take("amount", lambda: parse_decimal("amount", data.get("amount")))
    take("fee", lambda: parse_decimal("fee", data.get("fee")))
    take("applied_rate", lambda: parse_decimal("applied_rate", data.get("applied_rate")))
    take("interbank_rate", lambda: parse_decimal("interbank_rate", data.get("interbank_rate")))
    if out.get("amount") is not None and out["amount"] <= 0:
        errors.setdefault("amount", []).append(AMOUNT_POSITIVE)
    if out.get("fee") is not None and out["fee"] < 0:
        errors.setdefault("fee", []).append(FEE_NOT_NEGATIVE)
    for rate in ("applied_rate", "interbank_rate"):
        if out.get(rate) is not None and out[rate] <= 0:
            errors.setdefault(rate, []).append(RATE_POSITIVE)

    def collected() -> dt.date:
        date = parse_date("collected_on", data.get("collected_on"))
        if date is None:
            raise ValidationFailed({"collected_on": [REQUIRED]})
        if date > today:
            raise ValidationFailed({"collected_on": [FUTURE_DATE]})
        return date

    take("collected_on", collected)

    def period() -> str:
        value = str(data.get("period") or "").strip().upper()
        if not value:
            date = out.get("collected_on")
            return quarter_of(date) if date else ""
        if not re.match(QUARTER_RE, value):
            raise ValidationFailed({"period": [BAD_QUARTER]})
        return value

    take("period", period)
    take("usd_band", lambda: int(_choice("usd_band", _int(data.get("usd_band", 200)), USDBand)))

    def currency() -> str:
        stated = data.get("currency")
        if stated:
            return _currency("currency", stated).code
        own = regions.currency_of(corridor.sending_id)
        if own is None:
            raise ValidationFailed({"currency": [STATE_CURRENCY]})
        return _currency("currency", own).code

    take("currency_id", currency)

    def receiving_currency() -> str | None:
        stated = data.get("receiving_currency")
        if stated:
            return _currency("receiving_currency", stated).code
        own = regions.currency_of(corridor.receiving_id)
        return own if own and Currency.objects.filter(code=own).exists() else None

    take("receiving_currency_id", receiving_currency)
    take("speed", lambda: _choice("speed", data.get("speed"), Speed))
    take(
        "funding_method",
        lambda: _choice("funding_method", data.get("funding_method"), FundingMethod, blank=True),
    )
    take(
        "pickup_method",
        lambda: _choice("pickup_method", data.get("pickup_method"), PickupMethod, blank=True),
    )
    take("product", lambda: check_text("product", data.get("product"), limit=300))
    take("transparent", lambda: _bool("transparent", data.get("transparent", True)))
    take(
        "source",
        lambda: _choice("source", data.get("source") or QuoteSource.AUTHORITY, QuoteSource),
    )
    take("source_detail", lambda: check_text("source_detail", data.get("source_detail"), limit=300))
    take("is_demonstration", lambda: _bool("is_demonstration", data.get("is_demonstration", False)))
    take("note", lambda: check_text("note", data.get("note"), limit=2000))
    if errors:
        raise ValidationFailed(errors)
    if out["source"] == QuoteSource.DEMONSTRATION:
        out["is_demonstration"] = True
    return out


def _int(value: Any) -> Any:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return value


def _provider(value: Any) -> Provider:
    if isinstance(value, Provider):
        return value
    try:
        return get_or_404(Provider.objects.all(), value)
    except Http404 as exc:
        raise ValidationFailed({"provider": [BAD_CHOICE]}) from exc


def _snapshot(quote: Quote) -> dict[str, Any]:
    return {f: getattr(quote, f) for f in QUOTE_FIELDS}


def _require_editor(actor: Actor) -> None:
    if not rules.may_edit_quotes(actor):
        raise Http404


@transaction.atomic
def quote_create(*, actor: Actor, data: Mapping[str, Any]) -> Quote:
    """Enter a quote (data: provider, sending, receiving and the quote's fields)."""
    _require_editor(actor)
    provider = _provider(data.get("provider"))
    corridor = corridor_for(
        actor=actor, sending=data.get("sending"), receiving=data.get("receiving")
    )
    fields = clean_quote(data, corridor=corridor, today=timezone.localdate())
    quote = Quote(provider=provider, corridor=corridor, created_by=actor.user, **fields)
    try:
        with transaction.atomic():
            quote.save()
    except IntegrityError as exc:
        raise ValidationFailed({"product": [DUPLICATE_QUOTE]}) from exc
    change_record(
        actor=actor, obj=quote, owner_office=None, action="create", changes=_changes({}, quote)
    )
    return quote


def _changes(before: dict[str, Any], quote: Quote) -> dict[str, list[Any]]:
    return diff_fields(before, _snapshot(quote))


@transaction.atomic
def quote_update(
    *, actor: Actor, quote: Quote, data: Mapping[str, Any], version: Any = None
) -> Quote:
    """Correct a quote: the fields given replace the stored ones (the others are kept);
    a stale `version` is refused (409)."""
    from .selectors import quote_list

    try:
        locked = lock_for_edit(quote_list(actor=actor), quote.pk, version)
    except Quote.DoesNotExist as exc:  # out of the actor's reach: as missing
        raise Http404 from exc
    before = _snapshot(locked)
    merged: dict[str, Any] = {
        "amount": locked.amount,
        "fee": locked.fee,
        "applied_rate": locked.applied_rate,
        "interbank_rate": locked.interbank_rate,
        "collected_on": locked.collected_on,
        "period": locked.period,
        "usd_band": locked.usd_band,
        "currency": locked.currency_id,
        "receiving_currency": locked.receiving_currency_id,
        "speed": locked.speed,
        "funding_method": locked.funding_method,
        "pickup_method": locked.pickup_method,
        "product": locked.product,
        "transparent": locked.transparent,
        "source": locked.source,
        "source_detail": locked.source_detail,
        "is_demonstration": locked.is_demonstration,
        "note": locked.note,
        "provider": locked.provider,
        "sending": locked.corridor.sending_id,
        "receiving": locked.corridor.receiving_id,
    }
    if "collected_on" in data and "period" not in data:
        merged["period"] = ""  # follows the new date
    merged.update({k: v for k, v in data.items() if k != "version"})
    corridor = locked.corridor
    if (merged["sending"], merged["receiving"]) != (corridor.sending_id, corridor.receiving_id):
        corridor = corridor_for(
            actor=actor, sending=merged["sending"], receiving=merged["receiving"]
        )
    fields = clean_quote(merged, corridor=corridor, today=timezone.localdate())
    locked.provider = _provider(merged["provider"])
    locked.corridor = corridor
    for name, value in fields.items():
        setattr(locked, name, value)
    changes = _changes(before, locked)
    if not changes:
        return locked
    locked.version += 1
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError as exc:
        raise ValidationFailed({"product": [DUPLICATE_QUOTE]}) from exc
    change_record(actor=actor, obj=locked, owner_office=None, action="update", changes=changes)
    return locked


def _clean_provider(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[Any]] = {}
    out: dict[str, Any] = {}
    try:
        out["name"] = check_text("name", data.get("name"), limit=200, required=True).strip()
        if not provider_name_key(out["name"]):
            raise ValidationFailed({"name": [REQUIRED]})
    except ValidationFailed as exc:
        errors.update(exc.errors)
    try:
        out["kind"] = _choice("kind", data.get("kind"), ProviderKind)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    try:
        out["website"] = check_text("website", data.get("website"), limit=200)
        if out["website"] and not re.match(r"^https?://[^\s]+$", out["website"]):
            raise ValidationFailed({"website": [_("Enter a web address starting with https://.")]})
    except ValidationFailed as exc:
        errors.update(exc.errors)
    try:
        out["is_demonstration"] = _bool("is_demonstration", data.get("is_demonstration", False))
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    out["name_key"] = provider_name_key(out["name"])
    return out


@transaction.atomic
def provider_create(*, actor: Actor, data: Mapping[str, Any]) -> Provider:
    """Add a provider (name, kind, website)."""
    if not rules.may_edit_providers(actor):
        raise Http404
    fields = _clean_provider(data)
    if Provider.objects.filter(name_key=fields["name_key"]).exists():
        raise ValidationFailed({"name": [DUPLICATE_PROVIDER]})
    provider = Provider.objects.create(created_by=actor.user, **fields)
    change_record(
        actor=actor,
        obj=provider,
        owner_office=None,
        action="create",
        changes=diff_fields({}, {f: getattr(provider, f) for f in PROVIDER_FIELDS}),
    )
    return provider


@transaction.atomic
def provider_update(
    *, actor: Actor, provider: Provider, data: Mapping[str, Any], version: Any = None
) -> Provider:
    """Correct a provider; a stale `version` is refused (409)."""
    if not rules.may_edit_providers(actor):
        raise Http404
    locked = lock_for_edit(Provider.objects.all(), provider.pk, version)
    before = {f: getattr(locked, f) for f in PROVIDER_FIELDS}
    fields = _clean_provider({**before, **{k: v for k, v in data.items() if k != "version"}})
    if Provider.objects.filter(name_key=fields["name_key"]).exclude(pk=locked.pk).exists():
        raise ValidationFailed({"name": [DUPLICATE_PROVIDER]})
    for name, value in fields.items():
        setattr(locked, name, value)
    changes = diff_fields(before, {f: getattr(locked, f) for f in PROVIDER_FIELDS})
    if not changes:
        return locked
    locked.version += 1
    locked.save()
    change_record(actor=actor, obj=locked, owner_office=None, action="update", changes=changes)
    return locked


def quote_figures(quote: Quote) -> dict[str, Any]:
    """The quote's computed figures rounded for reading (half up, two places)."""
    return {k: formulas.display(v) for k, v in quote.figures().items()}
