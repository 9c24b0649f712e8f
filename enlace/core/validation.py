"""Checks every service shares: free text, dates (exact or partial), and the optimistic lock of
an edited record. Each raises ValidationFailed (400) or StaleEdit (409) with the field's name,
so every app says the same thing for the same mistake."""

import datetime as dt
import re
from typing import Any, TypeVar

import phonenumbers
from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import StaleEdit, ValidationFailed

M = TypeVar("M", bound=models.Model)


def check_text(field: str, value: Any, *, limit: int, required: bool = False) -> str:
    """Text exactly as given (no trimming: names are what the person says), within `limit`
    characters, without NUL; None is empty."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed({field: [_("Enter text.")]})
    if required and not value.strip():
        raise ValidationFailed({field: [_("This field is required.")]})
    if len(value) > limit:
        raise ValidationFailed({field: [_("At most %(n)d characters.") % {"n": limit}]})
    if "\x00" in value:
        raise ValidationFailed({field: [_("This text contains a character that is not allowed.")]})
    return value


def parse_phone(raw: str, region: str, fmt: int = phonenumbers.PhoneNumberFormat.E164) -> str:
    """A phone number typed in any local or international format (a local one read in
    `region`), written in `fmt` (E.164 by default); "" for blank input."""
    if not raw.strip():
        return ""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationFailed({"phone": [_("This is not a phone number.")]}) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationFailed({"phone": [_("This phone number is not valid.")]})
    return phonenumbers.format_number(number, fmt)


def parse_date(field: str, value: Any) -> dt.date | None:
    """An exact date, YYYY-MM-DD (a date object passes through); empty is None."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationFailed({field: [_("Enter a date as YYYY-MM-DD.")]}) from exc


class DatePrecision(models.TextChoices):
    """How much of a date is known (dates of birth as people report them)."""

    EXACT = "exact", _("Exact date")
    MONTH = "month", _("Year and month")
    YEAR = "year", _("Year only")
    ESTIMATED = "estimated", _("Estimated age")


_PARTIAL = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")


def parse_partial_date(field: str, value: str | dt.date | None) -> tuple[dt.date | None, str]:
    """A date of birth as people report it: '1999', '1999-07' or '1999-07-14' -> (date,
    precision), between 1900 and today; a year or year-month is stored on the 1st."""
    if value in (None, ""):
        return None, DatePrecision.EXACT
    if isinstance(value, dt.date):
        return value, DatePrecision.EXACT
    match = _PARTIAL.match(str(value))
    if not match:
        raise ValidationFailed(
            {field: [_("Use YYYY-MM-DD, YYYY-MM or YYYY, e.g. 1999-07-14 or 1999.")]}
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        date = dt.date(year or 1, month or 1, day or 1)
    except ValueError as exc:
        raise ValidationFailed({field: [_("This date does not exist.")]}) from exc
    if date > dt.date.today() or date.year < 1900:  # noqa: DTZ011 - a calendar date
        raise ValidationFailed({field: [_("The date of birth must be between 1900 and today.")]})
    precision = DatePrecision.EXACT if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    return date, precision


def format_partial_date(date: dt.date | None, precision: str) -> str:
    """The date written to its precision (the inverse of parse_partial_date)."""
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{date.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def lock_for_edit(queryset: "models.QuerySet[M] | models.Manager[M]", pk: Any, version: Any) -> M:
    """Lock the row being edited; if the editor's `version` is not the stored one (someone else
    saved first), raise StaleEdit (409). No version: last write wins (internal callers).
    Only the edited row is locked (`of=("self",)`): PostgreSQL refuses FOR UPDATE on the
    nullable side of an outer join, which a select_related of a nullable key makes."""
    locked = queryset.select_for_update(of=("self",)).get(pk=pk)
    if version is None:
        return locked
    try:
        current = int(version) == locked.version  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        current = False  # a version we cannot read cannot prove the copy is current
    if not current:
        raise StaleEdit
    return locked
