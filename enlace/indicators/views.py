"""The public indicator pages (no login): the region (/indicators/, Latin America and the
Caribbean or the Americas) and each country (/indicators/<ISO alpha-2>/), with a CSV of each
chart's figures. Official-source figures are shown as published; the section computed from
Enlace's records comes from protection.page_sections (under disclosure control)."""

import csv
import io
import re
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from enlace.core.errors import ValidationFailed
from enlace.core.public import public_page, public_render
from enlace.core.text import spreadsheet_safe

from . import present, protection, sources

PAGE_MAX_AGE = 3600
CSV_MAX_AGE = 3600
COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")
CHART_RE = re.compile(r"^[a-z-]{1,30}$")
METHODS = ("suppression", "dp")


def _params(request: HttpRequest, *, region: bool) -> dict[str, Any]:
    """The page's query parameters, checked: a bad one is a 400 page (ValidationFailed)."""
    errors: dict[str, list[Any]] = {}
    get = request.GET
    out: dict[str, Any] = {"region": "lac", "period": None, "method": "suppression"}
    if region and "region" in get:
        if get["region"] not in sources.REGIONS:
            errors["region"] = [_("Choose lac or americas.")]
        else:
            out["region"] = get["region"]
    if "period" in get:
        text = get["period"]
        if not (text.isdigit() and len(text) == 4 and 1990 <= int(text) <= 2100):
            errors["period"] = [_("The period is a year, e.g. 2026.")]
        else:
            out["period"] = text
    if "method" in get:
        if get["method"] not in METHODS:
            errors["method"] = [_("Choose suppression or dp.")]
        else:
            out["method"] = get["method"]
    if errors:
        raise ValidationFailed(errors)
    return out


def _country(code: str) -> str:
    if not COUNTRY_RE.match(code):
        raise Http404
    return code.upper()


def _profile(code: str) -> dict[str, Any]:
    try:
        return sources.country_profile(code)
    except sources.UnknownCode as exc:
        raise Http404 from exc


def _page(
    request: HttpRequest,
    template: str,
    blocks: list[present.Block],
    subject: str,
    context: dict[str, Any],
    params: dict[str, Any],
    country: str | None,
) -> HttpResponse:
    for block in blocks:
        block.draw(subject)
    section = protection.page_sections(
        country=country, period=params["period"], method=params["method"]
    )
    ctx = {
        **(section or {}),  # the protection template may read its keys directly
        **context,
        "blocks": blocks,
        "protection": section,
        "countries": sources.countries(),
        "params": params,
    }
    return public_render(request, template, ctx)


@require_GET
@public_page(max_age=PAGE_MAX_AGE)
def region(request: HttpRequest) -> HttpResponse:
    """Latin America and the Caribbean (default) or the Americas (?region=americas)."""
    params = _params(request, region=True)
    profile = sources.region_profile(params["region"])
    blocks = present.region_blocks(profile)
    context = {
        "profile": profile,
        "regions": sources.REGIONS,
        "csv_query": f"?region={params['region']}",
    }
    return _page(request, "indicators/region.html", blocks, params["region"], context, params, None)


@require_GET
@public_page(max_age=PAGE_MAX_AGE)
def country(request: HttpRequest, code: str) -> HttpResponse:
    code = _country(code)
    profile = _profile(code)
    params = _params(request, region=False)
    blocks = present.country_blocks(profile)
    context = {"profile": profile, "csv_query": ""}
    return _page(request, "indicators/country.html", blocks, code, context, params, code)


def _csv(name: str, block: present.Block) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _key, label, _kind in block.columns] + [_("Source")])
    for row in block.rows:
        cells = [row.get(key) for key, _label, _kind in block.columns]
        writer.writerow(
            [spreadsheet_safe("" if c is None else str(c)) for c in cells] + [block.source]
        )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _block(blocks: list[present.Block], chart: str) -> present.Block:
    if not CHART_RE.match(chart):
        raise Http404
    for block in blocks:
        if block.id == chart:
            return block
    raise Http404


@require_GET
@public_page(max_age=CSV_MAX_AGE)
def region_csv(request: HttpRequest, chart: str) -> HttpResponse:
    params = _params(request, region=True)
    block = _block(present.region_blocks(sources.region_profile(params["region"])), chart)
    return _csv(f"indicators-{params['region']}-{block.id}.csv", block)


@require_GET
@public_page(max_age=CSV_MAX_AGE)
def country_csv(request: HttpRequest, code: str, chart: str) -> HttpResponse:
    code = _country(code)
    block = _block(present.country_blocks(_profile(code)), chart)
    return _csv(f"indicators-{code}-{block.id}.csv", block)
