"""Home panels (analysts, focal points) that read their aggregates from protection.py: the
analysts' regional table and the protected figures of a focal point's country are cells of the
year's stored release (enlace.indicators.releases), the same ones the public pages and the API
show; the focal point's own offices at a glance (open and overdue cases, art. 36 logs,
referrals: operational figures of their country, shown to them only) still come from cases."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.access import rules
from enlace.core.slots import HOME, Panel, register_panel


def regional_table(year: int | None = None) -> dict[str, Any]:
    """Persons with a case opened in `year` (None: the latest year published) to date, by
    country (rows, then the region) and case type (columns with at least one published cell),
    out of the suppression release; {"not_published": True} when there is none yet."""
    from enlace.cases.models import CaseType
    from enlace.core.disclosure import Cell
    from enlace.core.models import Country

    from .releases import ProtectionRelease, latest, span_code

    if year is None:
        found = ProtectionRelease.objects.filter(method="suppression").order_by("-year").first()
    else:
        found = latest(year, "suppression")
    if found is None:
        return {"not_published": True, "year": year or timezone.localdate().year}
    release = found
    year = release.year
    countries = release.params["domains"]["country"]
    year_key = span_code(year, release.through)

    def value(case_type: str, country: str) -> Cell:
        got = release.cell(f"cases.opened.{case_type}", country, "", "", year_key)
        return Cell(got[0] if got else None)

    types = [
        (v, label)
        for v, label in CaseType.choices
        if any(value(v, c).value for c in [*countries, ""])  # a column with someone shown
    ]
    names = {c.code: c.name for c in Country.objects.filter(code__in=countries)}
    rows = sorted(
        (
            {"name": names.get(code, code), "cells": [value(v, code) for v, _l in types]}
            for code in countries
        ),
        key=lambda row: row["name"],
    )
    from enlace.returns.models import Outcome

    returns = [
        (code, label)
        for code, label in [
            ("returns.requested", _("Requested")),
            ("returns.departed", _("Departed")),
            *((f"returns.outcome.{v}", label) for v, label in Outcome.choices),
        ]
        if any((release.cell(code, c, "", "", year_key) or [0])[0] for c in [*countries, ""])
    ]

    def returned(code: str, country: str) -> Cell:
        got = release.cell(code, country, "", "", year_key)
        return Cell(got[0] if got else None)

    return {
        "types": [label for _v, label in types],
        "countries": rows,
        "region": [value(v, "") for v, _l in types],
        "returns": {
            "columns": [label for _c, label in returns],
            "rows": [
                {"name": names.get(c, c), "cells": [returned(code, c) for code, _l in returns]}
                for c in sorted(countries, key=lambda c: names.get(c, c))
            ],
            "region": [returned(code, "") for code, _l in returns],
        },
        "threshold": release.params["threshold"],
        "rounding": release.params["rounding"],
        "year": year,
        "period": year_key,
        "as_of": release.published or release.created,
    }


def home_regional(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    """Regional aggregates under disclosure control, for analysts: no person, no record."""
    actor = request.actor  # type: ignore[attr-defined]
    if not rules.reads_aggregates(actor):
        return None
    return {"regional": regional_table()}


def home_country(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    """The national focal point's offices at a glance (counts only, no person), and their
    country's protected figures of the year."""
    from enlace.cases.selectors import country_overview

    from .protection import page_sections

    actor = request.actor  # type: ignore[attr-defined]
    overview = country_overview(actor=actor)
    if overview is None:
        return None
    return {
        "country": overview,
        "protection": page_sections(country=actor.country_code, period=None),
    }


def register() -> None:
    """Called from IndicatorsConfig.ready()."""
    register_panel(
        HOME, Panel("indicators.country", "indicators/_home_country.html", home_country, 14)
    )
    register_panel(
        HOME, Panel("indicators.regional", "indicators/_home_regional.html", home_regional, 16)
    )
