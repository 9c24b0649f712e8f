"""Names people read instead of codes: ISO 639 languages in the reader's language, and an
alphabetical order that ignores accents and case (so "Ánh", "Éire" and "Ísland" sort with
A, E and I, not after Z as a plain string comparison puts them)."""

import functools
import gettext
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

import pycountry
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .languages import content_language
from .reference import CATALOGUE_LANGS

T = TypeVar("T")

# Languages spoken by migrants in the region that ISO 639-1 (the two-letter list) leaves out:
# Mayan, Nahuatl, Andean and Caribbean creole languages, by their ISO 639-3 code.
REGIONAL_LANGUAGES = [
    "quc",
    "kek",
    "cak",
    "mam",
    "tzj",
    "poh",
    "acr",
    "ixl",
    "kjb",
    "jac",
    "yua",
    "tzo",
    "tzh",
    "ctu",
    "nhe",
    "nch",
    "ngu",
    "maz",
    "ote",
    "zai",
    "miq",
    "cab",
    "quz",
    "quy",
    "ayr",
    "gug",
    "arn",
    "guc",
    "pap",
    "srn",
    "jam",
    "gcf",
]

# pycountry's catalogues leave these languages of the region in English (or misspell them).
NAME_OVERRIDES = {
    "hat": _("Haitian Creole"),
    "pap": _("Papiamento"),
    "jam": _("Jamaican Creole"),
    "gcf": _("Guadeloupean Creole"),
    "srn": _("Sranan Tongo"),
    "cab": _("Garifuna"),
    "guc": _("Wayuu"),
    "quy": _("Ayacucho Quechua"),
    "quz": _("Cusco Quechua"),
    "ayr": _("Central Aymara"),
    "nch": _("Central Huasteca Nahuatl"),
    "nhe": _("Eastern Huasteca Nahuatl"),
    "ngu": _("Guerrero Nahuatl"),
    "maz": _("Central Mazahua"),
    "ote": _("Mezquital Otomi"),
    "zai": _("Isthmus Zapotec"),
}


def collation_key(text: str) -> tuple[str, str]:
    """Sort key for names in any of the interface languages: letters without their accents
    first (so Á sits with A), then the accented form to break ties stably."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    base = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return base, text


def sort_by_name(items: Iterable[T], name: Callable[[T], str] = str) -> list[T]:
    """The items in alphabetical order of their (translated) names."""
    return sorted(items, key=lambda item: collation_key(name(item)))


@functools.cache
def _language_translator(lang: str) -> gettext.NullTranslations:
    loc = CATALOGUE_LANGS.get(content_language(lang))
    if loc is None:
        return gettext.NullTranslations()
    return gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=[loc], fallback=True)


def _language(code: str) -> object | None:
    code = code.strip().lower()
    if not code:
        return None
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code)
    return pycountry.languages.get(alpha_3=code)


def language_name(code: str) -> str:
    """The language's name in the active interface language ("quc" → "K'iche'", "spa" →
    "Español"); an unknown code is shown as it was recorded."""
    language = _language(code)
    if language is None:
        return code.strip()
    alpha3 = language.alpha_3  # type: ignore[attr-defined]
    if alpha3 in NAME_OVERRIDES:
        return str(NAME_OVERRIDES[alpha3])
    english = str(language.name)  # type: ignore[attr-defined]
    translated = _language_translator((get_language() or "es")[:2]).gettext(english)
    # Catalogues write language names in lower case in French; a list reads better capitalised.
    return translated[:1].upper() + translated[1:]


def language_codes(value: str) -> list[str]:
    """The ISO 639-3 codes of a stored "spa, quc" value (two-letter codes widened to three)."""
    codes = []
    for raw in value.replace(";", ",").split(","):
        language = _language(raw)
        code = language.alpha_3 if language else raw.strip().lower()  # type: ignore[attr-defined]
        if code and code not in codes:
            codes.append(code)
    return codes


def language_names(value: str) -> str:
    """A stored "spa, quc" value as "Español, K'iche'"."""
    return ", ".join(language_name(code) for code in language_codes(value))


@functools.cache
def _known_language_codes() -> tuple[str, ...]:
    major = [lang.alpha_3 for lang in pycountry.languages if hasattr(lang, "alpha_2")]
    regional = [c for c in REGIONAL_LANGUAGES if pycountry.languages.get(alpha_3=c)]
    return tuple(dict.fromkeys([*major, *regional]))


def language_choices(extra: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(ISO 639-3 code, name) for the languages a person may speak — the ISO 639-1 languages,
    the region's own and any code already recorded — in the reader's language and order."""
    codes = dict.fromkeys([*_known_language_codes(), *extra])
    return sort_by_name(((code, language_name(code)) for code in codes), lambda c: c[1])
