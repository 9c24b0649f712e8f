"""Identifiers in the form cases are compared by (links between cases, search): phones in
E.164, vehicle plates and bank accounts as uppercase letters and digits, places folded."""

import re

from django.utils.translation import gettext_lazy as _

from enlace.core.errors import ValidationFailed
from enlace.core.text import fold
from enlace.core.validation import parse_phone

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def normalise(kind: str, value: str, *, region: str, key: str = "value") -> str:
    """`value` of `kind` (phone, vehicle, bank_account, place) normalised; a phone number typed
    locally is read in `region` (the owner office's country). ValidationFailed on `key`."""
    if kind == "phone":
        try:
            return parse_phone(value, region)
        except ValidationFailed as exc:
            raise ValidationFailed({key: exc.errors["phone"]}) from exc
    if kind in ("vehicle", "bank_account"):
        normalised = _NOT_ALNUM.sub("", fold(value).upper())
    elif kind == "place":
        normalised = fold(value)
    else:
        raise ValidationFailed({"kind": [_("Unknown kind of identifier.")]})
    if not normalised:
        raise ValidationFailed({key: [_("Enter a value with letters or digits.")]})
    return normalised
