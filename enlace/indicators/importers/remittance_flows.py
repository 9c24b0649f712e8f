"""World Bank remittance flows:

- KNOMAD bilateral remittance estimates for 2017 (April 2018 version, US$ million) in long
  form: target (receiving), source (sending), total_gdppct, net_gdppct, total_mdollars,
  net_mdollars. "WORLD" as the source is the total a country receives. Countries are named as
  the World Bank names them ("Korea, Rep."); each name is matched to ISO 3166-1 through
  pycountry, with the World Bank's own spellings listed below; an unmatched name (an aggregate
  or a territory pycountry does not hold, e.g. Kosovo) keeps no alpha-2 and stays out of
  country rankings. These are estimates: the World Bank allocates each country's recorded
  inflows across sending countries by migrant stocks and incomes (Ratha and Shaw 2007).
- WDI BM.TRF.PWKR.CD.DT "Personal remittances, paid (current US$)": the standard WDI CSV with
  4 preamble lines, one column per year 1960–2020; aggregates (World, regions, income groups)
  have World Bank codes that are no ISO alpha-3 and get no alpha-2.

Source to cite: World Bank, KNOMAD (CC BY 4.0).
"""

import functools
import re
from typing import Any

import pycountry
from django.utils.translation import gettext as _

from ..models import KNOMAD, WDI_PAID, RemittanceFlow, RemittancesPaid
from .base import BAD, Record, Refused, Report, alpha2_of_alpha3, decimal, dict_rows, run, write

KNOMAD_COLUMNS = ("target", "source", "total_gdppct", "total_mdollars")
# The World Bank's names that pycountry's lookup does not resolve (World Bank country names,
# data.worldbank.org/country), mapped by hand to ISO 3166-1 alpha-2.
WORLD_BANK_NAMES = {
    "Bahamas, The": "BS",
    "Congo, Dem. Rep.": "CD",
    "Congo, Rep.": "CG",
    "Cote d'Ivoire": "CI",
    "Curacao": "CW",
    "Egypt, Arab Rep.": "EG",
    "Gambia, The": "GM",
    "Hong Kong SAR, China": "HK",
    "Iran, Islamic Rep.": "IR",
    "Korea, Dem. People's Rep.": "KP",
    "Korea, Dem. Rep.": "KP",
    "Korea, Rep.": "KR",
    "Kyrgyz Republic": "KG",
    "Lao PDR": "LA",
    "Macao SAR, China": "MO",
    "Micronesia, Fed. Sts.": "FM",
    "Slovak Republic": "SK",
    "St. Kitts and Nevis": "KN",
    "St. Lucia": "LC",
    "St. Martin (French part)": "MF",
    "St. Vincent and the Grenadines": "VC",
    "Sint Maarten (Dutch part)": "SX",
    "Turkey": "TR",
    "Venezuela, RB": "VE",
    "Virgin Islands (U.S.)": "VI",
    "West Bank and Gaza": "PS",
    "Yemen, Rep.": "YE",
}


@functools.cache
def alpha2_of_name(name: str) -> str:
    """ISO alpha-2 of a World Bank country name; "" when it names no country ("WORLD")."""
    if name in WORLD_BANK_NAMES:
        return WORLD_BANK_NAMES[name]
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return ""


def _parse_knomad(text: str, report: Report) -> list[Record]:
    records: list[Record] = []
    for number, row in dict_rows(text, KNOMAD_COLUMNS):
        report.rows += 1
        receiving, sending = row["target"], row["source"]
        flow = decimal(report, number, "total_mdollars", row["total_mdollars"], 2)
        share = (
            decimal(report, number, "total_gdppct", row["total_gdppct"], 4)
            if row["total_gdppct"] not in ("", "NA")
            else None
        )
        bad = flow is BAD or share is BAD
        for column, name in (("target", receiving), ("source", sending)):
            if not name or len(name) > 80:
                report.error(number, column, name, _("The country name is missing or too long."))
                bad = True
        if bad:
            continue
        if flow < 0:
            report.error(
                number, "total_mdollars", row["total_mdollars"], _("A flow cannot be negative.")
            )
            continue
        iso = (alpha2_of_name(receiving), alpha2_of_name(sending))
        if not all(iso):
            report.aggregates += 1
        records.append(((receiving, sending), (*iso, flow, share)))
    return records


YEAR_COLUMN = re.compile(r"^(19|20)\d\d$")


def _parse_wdi(text: str, report: Report) -> list[Record]:
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith('"Country Name"')), None)
    if start is None:
        raise Refused(_('Not a World Development Indicators CSV (no "Country Name" header).'))
    offset = start  # row numbers as in the file
    body = "".join(lines[start:])
    records: list[Record] = []
    for number, row in dict_rows(body, ("Country Name", "Country Code", "Indicator Code")):
        if row["Indicator Code"] != "BM.TRF.PWKR.CD.DT":
            report.error(
                number + offset,
                "Indicator Code",
                row["Indicator Code"],
                _("Not the indicator BM.TRF.PWKR.CD.DT."),
            )
            continue
        code = row["Country Code"].upper()
        iso2 = alpha2_of_alpha3(code)
        for column, text_value in row.items():
            if not YEAR_COLUMN.match(column or "") or text_value == "":
                continue
            report.rows += 1
            usd = decimal(report, number + offset, column, text_value, 2)
            if usd is BAD:
                continue
            if not iso2:
                report.aggregates += 1
            records.append(((code, int(column)), (row["Country Name"][:120], iso2, usd)))
    return records


def import_knomad(raw: bytes | str, **options: Any) -> Report:
    return run(
        KNOMAD,
        raw,
        _parse_knomad,
        lambda records, report: write(
            RemittanceFlow,
            ("receiving", "sending"),
            ("receiving_iso2", "sending_iso2", "flow_musd", "share_gdp_pct"),
            records,
            report,
        ),
        **options,
    )


def import_wdi_paid(raw: bytes | str, **options: Any) -> Report:
    return run(
        WDI_PAID,
        raw,
        _parse_wdi,
        lambda records, report: write(
            RemittancesPaid, ("code", "year"), ("name", "iso2", "usd"), records, report
        ),
        **options,
    )
