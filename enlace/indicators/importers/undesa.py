"""UN DESA International Migrant Stock 2020 by sex, destination and origin (long CSV, optionally
gzipped): destination_name, destination_m49, origin_name, origin_m49, year, sex, migrant_stock.

Areas are keyed by their M49 code; a code that is the ISO 3166-1 numeric code of a country gets
that country's alpha-2/alpha-3, any other (Melanesia 928, Channel Islands 830, "Other" 2003) is
flagged as not a country (see models.Area). Source: United Nations, Department of Economic and
Social Affairs, Population Division (2020). International Migrant Stock 2020.
"""

from typing import Any

from django.utils.translation import gettext as _

from ..models import UNDESA, Area, AreaKind, MigrantStock, Sex
from .base import ALPHA2_BY_NUMERIC, BAD, Record, Report, dict_rows, run, whole, write

COLUMNS = (
    "destination_name",
    "destination_m49",
    "origin_name",
    "origin_m49",
    "year",
    "sex",
    "migrant_stock",
)
# Codes of regions, not places: the M49 regions and sub-regions (UN Statistics Division, M49
# "Geographic regions": 001 World … 419 Latin America and the Caribbean) and UN DESA's own
# aggregate codes 900–999 (International Migrant Stock 2020: 900 World, 928 Melanesia, 954
# Micronesia, 957 Polynesia…).
M49_REGIONS = frozenset(
    {1, 2, 5, 9, 11, 13, 14, 15, 17, 18, 19, 21, 29, 30, 34, 35, 39, 53, 54, 57, 61, 142}
    | {143, 145, 150, 151, 154, 155, 202, 419}
)


def kind_of(code: int) -> str:
    if code in ALPHA2_BY_NUMERIC:
        return AreaKind.COUNTRY
    if code in M49_REGIONS or 900 <= code <= 999:
        return AreaKind.AGGREGATE
    return AreaKind.AREA


YEARS = frozenset(range(1990, 2021, 5))
SEXES = frozenset(Sex.values)


def _parse(text: str, report: Report, areas: dict[int, str]) -> list[Record]:
    records: list[Record] = []
    for number, row in dict_rows(text, COLUMNS):
        report.rows += 1
        ok = True
        codes = []
        for side in ("destination", "origin"):
            code = whole(report, number, f"{side}_m49", row[f"{side}_m49"], blank=None)
            if code is BAD:
                ok = False
                continue
            if code is None or not 1 <= code <= 9999:
                report.error(number, f"{side}_m49", row[f"{side}_m49"], _("Not an M49 code."))
                ok = False
                continue
            name = row[f"{side}_name"].rstrip("*").strip()
            if not name:
                report.error(number, f"{side}_name", "", _("The name is missing."))
                ok = False
            areas.setdefault(code, name)
            codes.append(code)
        year = whole(report, number, "year", row["year"], blank=None)
        if year is not BAD and year not in YEARS:
            report.error(number, "year", row["year"], _("Not a year of the source (1990–2020)."))
            ok = False
        if row["sex"] not in SEXES:
            report.error(number, "sex", row["sex"], _("Sex must be all, female or male."))
            ok = False
        stock = whole(report, number, "migrant_stock", row["migrant_stock"], blank=None)
        if stock is None:
            report.error(number, "migrant_stock", "", _("The figure is missing."))
            ok = False
        if not ok or year is BAD or stock is BAD or len(codes) < 2:
            continue
        if any(kind_of(c) == AreaKind.AGGREGATE for c in codes):
            report.aggregates += 1
        records.append(((codes[0], codes[1], year, row["sex"]), (stock,)))
    return records


def _store(records: list[Record], report: Report, areas: dict[int, str]) -> None:
    known = dict(Area.objects.values_list("m49", "name"))
    new = []
    for code, name in areas.items():
        iso2, iso3 = ALPHA2_BY_NUMERIC.get(code, ("", ""))
        if code not in known:
            new.append(Area(m49=code, name=name, iso2=iso2, iso3=iso3, kind=kind_of(code)))
        elif known[code] != name:
            Area.objects.filter(m49=code).update(name=name)
    Area.objects.bulk_create(new)
    write(MigrantStock, ("destination_id", "origin_id", "year", "sex"), ("stock",), records, report)


def import_file(raw: bytes | str, **options: Any) -> Report:
    areas: dict[int, str] = {}  # M49 code → name, as the file names it
    return run(
        UNDESA,
        raw,
        lambda text, report: _parse(text, report, areas),
        lambda records, report: _store(records, report, areas),
        **options,
    )
