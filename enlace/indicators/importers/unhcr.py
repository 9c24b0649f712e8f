"""UNHCR population statistics (Refugee Data Finder, data as of 2023-06-14), three files:

- end-year population totals: Year, CountryOriginCode, CountryAsylumCode, …, REF (refugees), ASY
  (asylum-seekers), OIP (others in need of international protection), IDP (internally displaced),
  STA (stateless), OOC (others of concern), HCO (host community);
- demographics: the same by population type, location, urban/rural and accommodation, with
  women and men in UNHCR's age bands (0-4, 5-11, 12-17, 18-59, 60+, unknown); stored summed over
  location, urban/rural and accommodation (the pages need origin, asylum, type, sex and age);
- solutions: RST (resettlement), NAT (naturalisation), RET (returned refugees), RDP (returned
  IDPs).

UNHCR codes a country by its ISO 3166-1 alpha-3 code; "UKN" (various/unknown), "STA" (stateless)
and others are no country and get no alpha-2 (they stay out of country rankings).
Source to cite: UNHCR Refugee Data Finder.
"""

from typing import Any

from django.utils.translation import gettext as _

from ..models import (
    UNHCR_DEMOGRAPHICS,
    UNHCR_POPULATION,
    UNHCR_SOLUTIONS,
    UnhcrDemographics,
    UnhcrPopulation,
    UnhcrSolutions,
)
from .base import BAD, Record, Report, alpha2_of_alpha3, dict_rows, run, whole, write

PLACE = ("Year", "CountryOriginCode", "CountryAsylumCode")
POPULATION = {
    "REF": "refugees",
    "ASY": "asylum_seekers",
    "OIP": "others_in_need",
    "IDP": "idps",
    "STA": "stateless",
    "OOC": "others_of_concern",
    "HCO": "host_community",
}
SOLUTIONS = {
    "RST": "resettled",
    "NAT": "naturalised",
    "RET": "returned_refugees",
    "RDP": "returned_idps",
}
_BANDS: tuple[tuple[str, str], ...] = (("04", "0_4"), ("511", "5_11"), ("1217", "12_17"))
_BANDS += (("1859", "18_59"), ("60ormore", "60"), ("Unknown", "unknown"), ("Total", "total"))
DEMOGRAPHICS = {
    f"{sex.capitalize()}{col}": f"{sex}_{field}"
    for sex in ("female", "male")
    for col, field in _BANDS
}
DEMOGRAPHICS["Total"] = "total"
POPULATION_TYPES = frozenset(["REF", "ASY", "OIP", "IDP", "STA", "OOC", "RET", "RDP", "HST", "ROC"])


def _place(report: Report, number: int, row: dict[str, str]) -> tuple[Any, ...] | None:
    year = whole(report, number, "Year", row["Year"], blank=None)
    ok = year is not BAD
    if year is None or (year is not BAD and not 1900 <= year <= 2100):
        report.error(number, "Year", row["Year"], _("Not a year."))
        ok = False
    codes = []
    for column in PLACE[1:]:
        code = row[column].upper()  # empty in a few rows: "Various / unknown", kept as ""
        if code and (len(code) != 3 or not code.isalpha()):
            report.error(number, column, row[column], _("Not a three-letter UNHCR code."))
            ok = False
        codes.append(code)
    return (year, *codes) if ok else None


def _figures(
    report: Report, number: int, row: dict[str, str], columns: dict[str, str]
) -> tuple[int, ...] | None:
    values = tuple(whole(report, number, c, row.get(c, "")) for c in columns)
    return None if any(v is BAD for v in values) else values


def _iso(place: tuple[Any, ...], report: Report) -> tuple[Any, ...]:
    origin, asylum = alpha2_of_alpha3(place[1]), alpha2_of_alpha3(place[2])
    if not (origin and asylum):
        report.aggregates += 1
    return (*place, origin, asylum)


def _parse_columns(columns: dict[str, str]) -> Any:
    def parse(text: str, report: Report) -> list[Record]:
        # A few rows repeat a place (origin "Various / unknown" without a code): summed.
        summed: dict[tuple[Any, ...], list[int]] = {}
        for number, row in dict_rows(text, (*PLACE, *columns)):
            report.rows += 1
            place, values = _place(report, number, row), _figures(report, number, row, columns)
            if place is None or values is None:
                continue
            if place in summed:
                summed[place] = [a + b for a, b in zip(summed[place], values, strict=True)]
            else:
                summed[place] = list(values)
        return [(key, (*_iso(key, report)[3:], *values)) for key, values in summed.items()]

    return parse


def _parse_demographics(text: str, report: Report) -> list[Record]:
    summed: dict[tuple[Any, ...], list[int]] = {}
    for number, row in dict_rows(text, (*PLACE, "Population.type", *DEMOGRAPHICS)):
        report.rows += 1
        place, values = _place(report, number, row), _figures(report, number, row, DEMOGRAPHICS)
        kind = row["Population.type"].upper()
        if kind not in POPULATION_TYPES:
            report.error(number, "Population.type", kind, _("Not a UNHCR population type."))
            continue
        if place is None or values is None:
            continue
        key = (*place, kind)
        if key in summed:
            summed[key] = [a + b for a, b in zip(summed[key], values, strict=True)]
        else:
            summed[key] = list(values)
    return [(key, (*_iso(key, report)[4:6], *values)) for key, values in summed.items()]


def _iso_fields(names: dict[str, str]) -> tuple[str, ...]:
    return ("origin_iso2", "asylum_iso2", *names.values())


def import_population(raw: bytes | str, **options: Any) -> Report:
    fields = _iso_fields(POPULATION)
    return run(
        UNHCR_POPULATION,
        raw,
        _parse_columns(POPULATION),
        lambda records, report: write(
            UnhcrPopulation, ("year", "origin", "asylum"), fields, records, report
        ),
        **options,
    )


def import_solutions(raw: bytes | str, **options: Any) -> Report:
    fields = _iso_fields(SOLUTIONS)
    return run(
        UNHCR_SOLUTIONS,
        raw,
        _parse_columns(SOLUTIONS),
        lambda records, report: write(
            UnhcrSolutions, ("year", "origin", "asylum"), fields, records, report
        ),
        **options,
    )


def import_demographics(raw: bytes | str, **options: Any) -> Report:
    fields = _iso_fields(DEMOGRAPHICS)
    key = ("year", "origin", "asylum", "population_type")
    return run(
        UNHCR_DEMOGRAPHICS,
        raw,
        _parse_demographics,
        lambda records, report: write(UnhcrDemographics, key, fields, records, report),
        **options,
    )
