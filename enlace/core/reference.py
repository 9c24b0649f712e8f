"""ISO 3166-1 countries and ISO 4217 currencies with names in es/en/pt/fr, from pycountry.

Source: pycountry (Debian iso-codes data and its translation catalogues). Nothing is typed by
hand. The loader takes the model classes so a data migration can pass its historical models.
Municipalities of the countries of origin come from data/municipalities.csv (data/SOURCE.md).
"""

import csv
import gettext
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pycountry

# pycountry ships catalogues named by locale; Brazilian Portuguese is the one the region uses.
CATALOGUE_LANGS = {"es": "es", "pt": "pt_BR", "fr": "fr"}


# Where pycountry's catalogues are wrong for this region's readers: misspelt ("Costa de Marfíl",
# "Surinám", "Burquina Faso"), left in English ("Algeria"), or an official long form where every
# other country has its short name ("Bolivia, Estado plurinacional de" between "Bolivia" and
# "Bosnia", "Venezuela, República Bolivariana de"). The Falklands are "Malvinas" in the region's
# Spanish and Portuguese usage. Names follow the short forms of the UN terminology database
# (UNTERM) and CLDR.
NAME_FIXES: dict[str, dict[str, str]] = {
    "AX": {"es": "Islas Åland"},
    "BF": {"es": "Burkina Faso"},
    "BN": {"es": "Brunéi"},
    "BO": {"es": "Bolivia"},
    "CI": {"es": "Costa de Marfil"},
    "DZ": {"es": "Argelia"},
    "FK": {"es": "Islas Malvinas (Falkland)"},
    "IR": {"pt": "Irã", "fr": "Iran"},
    "KM": {"es": "Comoras"},
    "LA": {"es": "Laos", "pt": "Laos", "fr": "Laos"},
    "NE": {"es": "Níger"},
    "RU": {"es": "Rusia", "pt": "Rússia", "fr": "Russie"},
    "SR": {"es": "Surinam"},
    "TN": {"es": "Túnez"},
    "TW": {"pt": "Taiwan"},
    "TZ": {"es": "Tanzania"},
    "VE": {"es": "Venezuela", "pt": "Venezuela"},
    "VG": {"es": "Islas Vírgenes Británicas"},
    "VI": {"es": "Islas Vírgenes de los Estados Unidos"},
}


def _translators(domain: str) -> dict[str, gettext.NullTranslations]:
    return {
        lang: gettext.translation(
            domain, pycountry.LOCALES_DIR, languages=[loc, lang], fallback=True
        )
        for lang, loc in CATALOGUE_LANGS.items()
    }


def _names(item: Any, translators: dict[str, gettext.NullTranslations]) -> dict[str, str]:
    english = getattr(item, "common_name", None) or item.name
    names = {"name_en": english}
    for lang, tr in translators.items():
        translated = tr.gettext(english)
        if translated == english:
            translated = tr.gettext(item.name)
        names[f"name_{lang}"] = translated
    return names


def iter_countries() -> Iterator[dict[str, str]]:
    translators = _translators("iso3166-1")
    for c in pycountry.countries:
        yield {
            "code": c.alpha_2,
            "alpha3": c.alpha_3,
            "numeric": c.numeric,
            **_names(c, translators),
            **{f"name_{lang}": name for lang, name in NAME_FIXES.get(c.alpha_2, {}).items()},
        }


def iter_currencies() -> Iterator[dict[str, str]]:
    translators = _translators("iso4217")
    for c in pycountry.currencies:
        yield {
            "code": c.alpha_3,
            "numeric": getattr(c, "numeric", "") or "",
            **_names(c, translators),
        }


def load_reference_data(country_model: Any, currency_model: Any) -> tuple[int, int]:
    """Insert or refresh every country and currency; returns the two counts."""
    counts = []
    for model, rows in ((country_model, iter_countries()), (currency_model, iter_currencies())):
        objs = [model(**row) for row in rows]
        fields = [k for k in vars(objs[0]) if k not in ("_state", "code")]
        model.objects.bulk_create(
            objs, update_conflicts=True, unique_fields=["code"], update_fields=fields
        )
        counts.append(len(objs))
    return counts[0], counts[1]


MUNICIPALITIES_CSV = Path(__file__).parent / "data" / "municipalities.csv"


def iter_municipalities(path: Path = MUNICIPALITIES_CSV) -> Iterator[dict[str, str]]:
    """The municipalities of data/municipalities.csv (country, ISO 3166-2 subdivision, national
    code, name, and for El Salvador the municipality it is a district of since 2024), each with
    its department's or state's name from pycountry."""
    names: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            sub = row["subdivision"]
            if sub not in names:
                found = pycountry.subdivisions.get(code=sub)
                if found is None:
                    raise ValueError(f"unknown ISO 3166-2 subdivision {sub!r} in {path.name}")
                names[sub] = found.name
            yield {
                "id": f"{row['country']}-{row['code']}",
                "country_id": row["country"],
                "subdivision": sub,
                "subdivision_name": names[sub],
                "code": row["code"],
                "name": row["name"],
                "municipality_2024": row.get("municipality_2024") or "",
            }


def load_municipalities(municipality_model: Any) -> int:
    """Insert or refresh every municipality of the data file; returns how many."""
    objs = [municipality_model(**row) for row in iter_municipalities()]
    municipality_model.objects.bulk_create(
        objs,
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["subdivision", "subdivision_name", "name", "municipality_2024"],
        batch_size=500,
    )
    return len(objs)
