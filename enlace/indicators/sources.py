"""Reads of the official sources, shown as published (no disclosure control: these are public
statistics). Every figure carries its source; breakdowns by sex wherever the source has them.

- UN DESA International Migrant Stock 2020: "international migrants" are the persons living in
  a country other than their country of birth (or of citizenship where the birthplace is not
  recorded), at mid-year. The file has no total rows (no origin "World", no destination
  "World"): a total is the sum of the places listed — countries, other areas and UN DESA's
  "Other" (unknown origin) — leaving out the regional aggregates (Melanesia 928, …), which would
  count their countries twice (`TOTAL_METHOD`).
- UNHCR: end-year populations by origin and asylum; demographics give sex and age for part of
  them (shares are of the persons whose sex or age is known).
- IOM Missing Migrants: incidents on the routes of the Americas (`AMERICAS_MM_REGIONS`).
- World Bank/KNOMAD 2017 estimates (no breakdown by sex in the source).
- Remittance costs against SDG 10.c: read from enlace.remittances' selectors.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _

from enlace.core.models import Country
from enlace.remittances import formulas as remittance_formulas
from enlace.remittances import regions as remittance_regions
from enlace.remittances import selectors as remittance_selectors

from .models import (
    Area,
    AreaKind,
    MigrantStock,
    MissingMigrantsIncident,
    RemittanceFlow,
    RemittancesPaid,
    Sex,
    UnhcrDemographics,
    UnhcrPopulation,
    UnhcrSolutions,
)

YEARS = (1990, 1995, 2000, 2005, 2010, 2015, 2020)
LATEST_YEAR = YEARS[-1]
TOP = 10

SOURCE_UNDESA = (
    "United Nations, Department of Economic and Social Affairs, Population Division (2020). "
    "International Migrant Stock 2020."
)
SOURCE_UNHCR = "UNHCR Refugee Data Finder (data as of 2023-06-14)."
SOURCE_MM = "IOM Missing Migrants Project, missingmigrants.iom.int."
SOURCE_KNOMAD = "World Bank/KNOMAD, bilateral remittance estimates for 2017 (April 2018)."
TOTAL_METHOD = (
    "The file has no total rows: sum of the places listed (countries, other areas and "
    "'Other'), regional aggregates left out."
)

# Regions (UN Statistics Division, M49): Latin America and the Caribbean (419) as listed in
# enlace.remittances.regions, and Northern America (021): Bermuda, Canada, Greenland, Saint
# Pierre and Miquelon, United States; the Americas (019) are both.
NORTHERN_AMERICA = frozenset(["BM", "CA", "GL", "PM", "US"])
REGIONS: dict[str, tuple[int, Any, frozenset[str]]] = {
    "lac": (419, _("Latin America and the Caribbean"), remittance_regions.LAC),
    "americas": (19, _("The Americas"), remittance_regions.LAC | NORTHERN_AMERICA),
}
# The Missing Migrants regions of the Americas (old export: "US-Mexico Border" too).
AMERICAS_MM_REGIONS: tuple[str, ...] = ("US-Mexico Border", "North America", "Central America")
AMERICAS_MM_REGIONS += ("Caribbean", "South America")
UNHCR_TYPES = ("REF", "ASY", "OIP")  # refugees, asylum-seekers, others in need of protection


class UnknownCode(ValueError):
    """A country code no source knows (the API's 400, the page's 404)."""


def _counted() -> Q:
    """Places that count in a total: every kind but the regional aggregates."""
    return ~Q(kind=AreaKind.AGGREGATE)


def area_of(iso2: str) -> Area:
    area = Area.objects.filter(iso2=iso2.upper(), kind=AreaKind.COUNTRY).first()
    if area is None:
        raise UnknownCode(iso2)
    return area


def years() -> list[int]:
    return list(MigrantStock.objects.values_list("year", flat=True).distinct().order_by("year"))


def _by_sex(rows: Any) -> dict[str, int]:
    out = dict.fromkeys(Sex.values, 0)
    for sex, total in rows:
        out[sex] = int(total or 0)
    return out


def migrant_stock(
    destination: str | None = None, origin: str | None = None, year: int | None = None
) -> dict[str, Any]:
    """Migrants from `origin` living in `destination` (ISO alpha-2; either may be omitted for
    a total) in `year` (default: the latest), by sex."""
    year = year or LATEST_YEAR
    qs = MigrantStock.objects.filter(year=year)
    if destination:
        qs = qs.filter(destination=area_of(destination))
    else:
        qs = qs.filter(destination__in=Area.objects.filter(_counted()))
    if origin:
        qs = qs.filter(origin=area_of(origin))
    else:
        qs = qs.filter(origin__in=Area.objects.filter(_counted()))
    figures = _by_sex(qs.values("sex").annotate(n=Sum("stock")).values_list("sex", "n"))
    return {
        **figures,
        "destination": destination.upper() if destination else None,
        "origin": origin.upper() if origin else None,
        "year": year,
        "source": SOURCE_UNDESA,
        "total": TOTAL_METHOD if not (destination and origin) else "",
    }


@dataclass
class Series:
    """Figures by year and sex (all/female/male), with the women's share."""

    rows: list[dict[str, Any]] = field(default_factory=list)


def _share(part: int | None, whole: int | None) -> Decimal | None:
    if not whole or part is None:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _stock_series(side: str, places: list[int]) -> list[dict[str, Any]]:
    """Emigrants (side "origin") or immigrants (side "destination") of these areas, by year
    and sex; the other side summed over the places that count."""
    other = "destination" if side == "origin" else "origin"
    qs = MigrantStock.objects.filter(**{f"{side}__in": places}).filter(
        **{f"{other}__in": Area.objects.filter(_counted())}
    )
    cells: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Sex.values, 0))
    for year, sex, total in qs.values_list("year", "sex").annotate(n=Sum("stock")).order_by():
        cells[year][sex] = int(total or 0)
    return [
        {
            "year": year,
            "all": cells[year]["all"],
            "female": cells[year]["female"],
            "male": cells[year]["male"],
            "women_share": _share(cells[year]["female"], cells[year]["all"]),
        }
        for year in sorted(cells)
    ]


def _names(codes: set[str]) -> dict[str, str]:
    return {c.code: c.name for c in Country.objects.filter(code__in=codes)}


def _corridors(side: str, places: list[int], year: int) -> list[dict[str, Any]]:
    """The top countries of destination (side "origin": where the place's emigrants live) or of
    origin (side "destination"), countries only, with women and men."""
    other = "destination" if side == "origin" else "origin"
    qs = (
        MigrantStock.objects.filter(year=year, **{f"{side}__in": places})
        .filter(**{f"{other}__kind": AreaKind.COUNTRY})
        .exclude(**{f"{other}__in": places})
        .values_list(f"{other}__iso2", "sex")
        .annotate(n=Sum("stock"))
        .order_by()
    )
    cells: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Sex.values, 0))
    for iso2, sex, total in qs:
        cells[iso2][sex] = int(total or 0)
    top = sorted(cells, key=lambda c: (-cells[c]["all"], c))[:TOP]
    names = _names(set(top))
    return [
        {
            "code": code,
            "name": names.get(code, code),
            **cells[code],
            "women_share": _share(cells[code]["female"], cells[code]["all"]),
        }
        for code in top
    ]


def _ranking(places: list[Area], year: int) -> list[dict[str, Any]]:
    """The region's countries by their emigrants and immigrants in `year` (countries only)."""
    ids = [a.m49 for a in places]
    counted = Area.objects.filter(_counted())
    out: dict[int, dict[str, Any]] = {a.m49: {"code": a.iso2} for a in places}
    for side, other, label in (
        ("origin", "destination", "emigrants"),
        ("destination", "origin", "immigrants"),
    ):
        qs = (
            MigrantStock.objects.filter(year=year, **{f"{side}__in": ids, f"{other}__in": counted})
            .values_list(f"{side}_id", "sex")
            .annotate(n=Sum("stock"))
            .order_by()
        )
        for m49, sex, total in qs:
            out[m49][f"{label}_{sex}"] = int(total or 0)
    names = _names({a.iso2 for a in places})
    rows = []
    for row in out.values():
        row["name"] = names.get(row["code"], row["code"])
        row["women_share"] = _share(row.get("emigrants_female"), row.get("emigrants_all"))
        rows.append(row)
    rows.sort(key=lambda r: (-r.get("emigrants_all", 0), r["name"]))
    return rows


def _unhcr_series(side: str, codes: set[str], since: int = 2000) -> list[dict[str, Any]]:
    """Refugees, asylum-seekers and others in need of international protection from (side
    "origin") or hosted in (side "asylum") these countries by year, with the women, men and
    children of UNHCR's demographics (of those whose sex or age is known)."""
    iso = f"{side}_iso2__in"
    totals = (
        UnhcrPopulation.objects.filter(**{iso: codes}, year__gte=since)
        .values("year")
        .annotate(ref=Sum("refugees"), asy=Sum("asylum_seekers"), oip=Sum("others_in_need"))
        .order_by("year")
    )
    demo = {
        r["year"]: r
        for r in UnhcrDemographics.objects.filter(
            **{iso: codes}, year__gte=since, population_type__in=UNHCR_TYPES
        )
        .values("year")
        .annotate(
            female=Sum("female_total"),
            male=Sum("male_total"),
            children=Sum(F("female_0_4") + F("female_5_11") + F("female_12_17"))
            + Sum(F("male_0_4") + F("male_5_11") + F("male_12_17")),
            aged=Sum(F("female_total") - F("female_unknown") + F("male_total") - F("male_unknown")),
        )
        .order_by()
    }
    rows = []
    for t in totals:
        d = demo.get(t["year"], {})
        known = (d.get("female") or 0) + (d.get("male") or 0)
        rows.append(
            {
                "year": t["year"],
                "refugees": int(t["ref"] or 0),
                "asylum_seekers": int(t["asy"] or 0),
                "others_in_need": int(t["oip"] or 0),
                "female": int(d["female"]) if d else None,
                "male": int(d["male"]) if d else None,
                "women_share": _share(d.get("female"), known) if d else None,
                "children_share": _share(d.get("children"), d.get("aged")) if d else None,
            }
        )
    return [r for r in rows if r["refugees"] or r["asylum_seekers"] or r["others_in_need"]]


def _solutions(codes: set[str], since: int = 2000) -> list[dict[str, Any]]:
    """Durable solutions of refugees from these countries, by year."""
    qs = (
        UnhcrSolutions.objects.filter(origin_iso2__in=codes, year__gte=since)
        .values("year")
        .annotate(
            returned=Sum("returned_refugees"),
            resettled=Sum("resettled"),
            naturalised=Sum("naturalised"),
        )
        .order_by("year")
    )
    return [
        {k: int(v or 0) for k, v in r.items()}
        for r in qs
        if r["returned"] or r["resettled"] or r["naturalised"]
    ]


def _missing_migrants(origin_name: str | None = None) -> list[dict[str, Any]]:
    """Dead and missing on the routes of the Americas by year, with women, men and children
    where IOM gives them (`origin_name`: only incidents whose country of origin names it, a
    field of the current export only)."""
    qs = MissingMigrantsIncident.objects.filter(region__in=AMERICAS_MM_REGIONS)
    if origin_name:
        qs = qs.filter(country_of_origin__icontains=origin_name)
    rows = (
        qs.values("year")
        .annotate(
            dead=Sum("dead"),
            missing=Sum("missing"),
            females=Sum("females"),
            males=Sum("males"),
            children=Sum("children"),
        )
        .order_by("year")
    )
    return [
        {
            "year": r["year"],
            "dead": int(r["dead"] or 0),
            "missing": int(r["missing"] or 0),
            "dead_and_missing": int((r["dead"] or 0) + (r["missing"] or 0)),
            "females": int(r["females"] or 0),
            "males": int(r["males"] or 0),
            "children": int(r["children"] or 0),
        }
        for r in rows
    ]


def _remittances(codes: set[str]) -> dict[str, Any]:
    """KNOMAD 2017: inflows (the source's "WORLD" row) and outflows (sum over receiving
    countries), and the top sending countries."""
    inflow = RemittanceFlow.objects.filter(receiving_iso2__in=codes, sending="WORLD").aggregate(
        s=Sum("flow_musd")
    )["s"]
    outflow = (
        RemittanceFlow.objects.filter(sending_iso2__in=codes)
        .exclude(receiving_iso2="")
        .exclude(receiving_iso2__in=codes)
        .aggregate(s=Sum("flow_musd"))["s"]
    )
    senders = list(
        RemittanceFlow.objects.filter(receiving_iso2__in=codes)
        .exclude(sending_iso2="")
        .exclude(sending_iso2__in=codes)
        .values("sending_iso2")
        .annotate(flow=Sum("flow_musd"))
        .order_by("-flow", "sending_iso2")[:TOP]
    )
    names = _names({s["sending_iso2"] for s in senders})
    return {
        "inflow_musd": inflow,
        "outflow_musd": outflow,
        "senders": [
            {"code": s["sending_iso2"], "name": names.get(s["sending_iso2"], ""), "flow": s["flow"]}
            for s in senders
        ],
    }


def _paid(code: str) -> dict[str, Any] | None:
    """The latest personal remittances paid from the country (World Bank WDI
    BM.TRF.PWKR.CD.DT, current US$), as {"year", "usd_million"}; None when not published."""
    row = RemittancesPaid.objects.filter(iso2=code).order_by("-year").first()
    if row is None:
        return None
    return {"year": row.year, "usd_million": (row.usd / 1_000_000).quantize(Decimal("0.1"))}


def _costs(codes: set[str]) -> list[dict[str, Any]]:
    """The World Bank's latest average cost of sending USD 200 into these countries, per
    corridor, against SDG 10.c (enlace.remittances)."""
    return [
        {
            "sending": r.corridor.sending_id,
            "receiving": r.corridor.receiving_id,
            "sending_name": r.corridor.sending.name,
            "receiving_name": r.corridor.receiving.name,
            "quarter": r.quarter,
            "cost": remittance_formulas.display(r.average_total_cost_pct),
            "meets_corridor": r.meets_corridor_target,
            "meets_global": remittance_formulas.meets_global_target(r.average_total_cost_pct),
        }
        for r in remittance_selectors.lac_corridors_ranked()
        if r.corridor.receiving_id in codes
    ]


def country_profile(iso2: str, year: int | None = None) -> dict[str, Any]:
    """Everything the country page shows. UnknownCode for a country no source holds."""
    area = area_of(iso2)
    code = area.iso2
    year = year or LATEST_YEAR
    country = Country.objects.filter(code=code).first()
    english = country.name_en if country else area.name
    return {
        "code": code,
        "name": country.name if country else area.name,
        "m49": area.m49,
        "year": year,
        "emigrants": _stock_series("origin", [area.m49]),
        "immigrants": _stock_series("destination", [area.m49]),
        "destinations": _corridors("origin", [area.m49], year),
        "origins": _corridors("destination", [area.m49], year),
        "unhcr_origin": _unhcr_series("origin", {code}),
        "unhcr_asylum": _unhcr_series("asylum", {code}),
        "solutions": _solutions({code}),
        "missing_migrants": _missing_migrants(),
        "missing_migrants_origin": _missing_migrants(english),
        "remittances": _remittances({code}),
        "paid": _paid(code),
        "costs": _costs({code}),
    }


def region_profile(region: str = "lac", year: int | None = None) -> dict[str, Any]:
    """The same for Latin America and the Caribbean ("lac") or the Americas ("americas")."""
    m49, name, codes = REGIONS[region]
    year = year or LATEST_YEAR
    places = list(Area.objects.filter(iso2__in=codes, kind=AreaKind.COUNTRY))
    ids = [a.m49 for a in places]
    return {
        "region": region,
        "m49": m49,
        "name": name,
        "year": year,
        "emigrants": _stock_series("origin", ids),
        "immigrants": _stock_series("destination", ids),
        "destinations": _corridors("origin", ids, year),
        "ranking": _ranking(places, year),
        "unhcr_origin": _unhcr_series("origin", set(codes)),
        "unhcr_asylum": _unhcr_series("asylum", set(codes)),
        "solutions": _solutions(set(codes)),
        "missing_migrants": _missing_migrants(),
        "remittances": _remittances(set(codes)),
        "costs": _costs(set(codes)),
    }


def countries() -> list[dict[str, str]]:
    """The countries of the Americas that have a page, by name (for the region page's links)."""
    codes = REGIONS["americas"][2]
    present = set(
        Area.objects.filter(iso2__in=codes, kind=AreaKind.COUNTRY).values_list("iso2", flat=True)
    )
    names = _names(present)
    return sorted(({"code": c, "name": names.get(c, c)} for c in present), key=lambda r: r["name"])
