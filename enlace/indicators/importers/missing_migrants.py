"""IOM Missing Migrants Project incidents, in either export layout, into one table.

| field | layout up to 2020 ("old") | current layout |
|---|---|---|
| incident | Web ID | Incident ID |
| date | Reported Date ("January 05, 2020") | Incident Date ("Thu, 01/01/2026 - 12:00", m/d/Y) |
| region | Region of Incident | Region |
| route | Migration Route | Migration route |
| dead, missing | Number Dead, Minimum Estimated Number of Missing | the same |
| survivors, females, males, children | Number of … | the same |
| cause | Cause of Death | the same |
| country of origin | — | Country of Origin |
| location | Location Description | Location of death |
| coordinates | Location Coordinates ("lat, lon") | Coordinates |
| source quality | Source Quality (1–5) | the same |

An empty count of dead or missing is 0 (IOM leaves it empty when there were none reported); an
empty count of survivors, women, men or children stays unknown. The current export holds a few
negative counts of dead, missing or survivors: IOM's corrections of an earlier incident (e.g.
17 dead and -5 missing when five people first reported missing were found dead); they are kept
as published, so that sums over incidents equal IOM's totals. Source to cite: IOM Missing
Migrants Project, missingmigrants.iom.int.
"""

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from ..models import MISSING_MIGRANTS, MissingMigrantsIncident
from .base import BAD, Record, Refused, Report, dict_rows, run, whole, write

COMMON = {
    "dead": "Number Dead",
    "missing": "Minimum Estimated Number of Missing",
    "survivors": "Number of Survivors",
    "females": "Number of Females",
    "males": "Number of Males",
    "children": "Number of Children",
    "cause": "Cause of Death",
    "source_quality": "Source Quality",
}
LAYOUTS = {
    "old": {
        **COMMON,
        "incident_id": "Web ID",
        "date": "Reported Date",
        "region": "Region of Incident",
        "route": "Migration Route",
        "location": "Location Description",
        "coordinates": "Location Coordinates",
    },
    "current": {
        **COMMON,
        "incident_id": "Incident ID",
        "date": "Incident Date",
        "region": "Region",
        "route": "Migration route",
        "location": "Location of death",
        "coordinates": "Coordinates",
        "country_of_origin": "Country of Origin",
    },
}
DATE_FORMATS = {"old": ("%B %d, %Y",), "current": ("%a, %m/%d/%Y - %H:%M", "%m/%d/%Y")}
KEY = ("incident_id",)
FIELDS = (
    "date",
    "year",
    "region",
    "route",
    "dead",
    "missing",
    "survivors",
    "females",
    "males",
    "children",
    "cause",
    "country_of_origin",
    "location",
    "latitude",
    "longitude",
    "source_quality",
    "layout",
)
SIGNED = ("dead", "missing", "survivors")  # corrections are negative (see above)
LIMITS = {"region": 80, "route": 120, "cause": 200, "country_of_origin": 300, "location": 500}


def layout_of(text: str) -> str:
    header = text.split("\n", 1)[0]
    if "Web ID" in header:
        return "old"
    if "Incident ID" in header:
        return "current"
    raise Refused(_("Not a Missing Migrants export (no Web ID or Incident ID column)."))


def _date(report: Report, number: int, column: str, text: str, layout: str) -> Any:
    for fmt in DATE_FORMATS[layout]:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    report.error(number, column, text, _("Not a date in this export's format."))
    return BAD


def _coordinates(report: Report, number: int, column: str, text: str) -> Any:
    if not text:
        return (None, None)
    try:
        lat, lon = (float(p) for p in text.split(","))
    except ValueError:
        lat = lon = float("nan")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        report.error(number, column, text, _("Not a latitude and longitude."))
        return BAD
    return (lat, lon)


def _parse(text: str, report: Report) -> list[Record]:
    layout = layout_of(text)
    columns = LAYOUTS[layout]
    records: list[Record] = []
    for number, row in dict_rows(text, list(columns.values())):
        report.rows += 1
        get = {f: row.get(c, "") for f, c in columns.items()}
        incident = get["incident_id"]
        date = _date(report, number, columns["date"], get["date"], layout)
        coordinates = _coordinates(report, number, columns["coordinates"], get["coordinates"])
        counts = {
            f: whole(
                report,
                number,
                columns[f],
                get[f],
                blank=0 if f in SIGNED[:2] else None,
                signed=f in SIGNED,
            )
            for f in ("dead", "missing", "survivors", "females", "males", "children")
        }
        quality = whole(
            report, number, columns["source_quality"], get["source_quality"], blank=None
        )
        bad = date is BAD or coordinates is BAD or quality is BAD
        bad = bad or any(v is BAD for v in counts.values())
        if not incident or len(incident) > 40:
            report.error(
                number, columns["incident_id"], incident, _("No valid incident identifier.")
            )
            bad = True
        if not get["region"]:
            report.error(number, columns["region"], "", _("The region is missing."))
            bad = True
        for f, limit in LIMITS.items():
            if len(get.get(f, "")) > limit:
                get[f] = get[f][: limit - 1] + "…"
        if bad:
            continue
        values = (
            date,
            date.year,
            get["region"],
            get["route"],
            counts["dead"],
            counts["missing"],
            counts["survivors"],
            counts["females"],
            counts["males"],
            counts["children"],
            get["cause"],
            get.get("country_of_origin", ""),
            get["location"],
            coordinates[0],
            coordinates[1],
            quality,
            layout,
        )
        records.append(((incident,), values))
    return records


def import_file(raw: bytes | str, **options: Any) -> Report:
    return run(
        MISSING_MIGRANTS,
        raw,
        _parse,
        lambda records, report: write(MissingMigrantsIncident, KEY, FIELDS, records, report),
        **options,
    )
