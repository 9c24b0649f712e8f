"""Figures from Enlace's own records, under disclosure control.

Interfaces shared by the pages, the API, the home panels and bench/indicators.py:

- `count_rows()` — the raw counts of distinct persons, read from each module through its
  selectors (never published as they are);
- `page_sections()` — the context of the template "indicators/_protection.html" for the region
  (country=None) or one country, or None when there is nothing to publish.

What a count means (enlace.core.counting): distinct persons, each counted once per calendar year
and indicator, in the cell of their first record of that year (its country, quarter and the
person's age group then). So the cells add up: a year is the sum of its quarters, the region the
sum of its countries, all persons the sum of the sexes and of the age groups; and the whole table
of a year can be protected at once (enlace.indicators.releases).
"""

import datetime as dt
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from enlace.core.counting import AGE_GROUP_CODES

# Every count is broken down by these, "" meaning "all" (a margin).
DIMENSIONS = ("country", "sex", "age_group", "period")


class CountRow(NamedTuple):
    """Distinct persons counted by one indicator in one cell (country ISO alpha-2, sex code,
    age group code, period "2026-Q1"). `days`, for the indicators that carry a duration (time
    to close a case, days to an art. 36 notification): the cell's histogram of it, (days,
    persons) pairs by days, summing to `persons` (a median is read from it). A named tuple:
    count_rows() makes a few hundred thousand of them over a network's records."""

    indicator: str
    country: str
    sex: str
    age_group: str
    period: str
    persons: int
    days: tuple[tuple[int, int], ...] | None = None


def _rows(indicator: str, raw: list[dict[str, Any]], key: str = "persons") -> list[CountRow]:
    names: dict[Any, str] = {}  # the indicator's code by category, formatted once each
    periods: dict[tuple[int, int], str] = {}
    out: list[CountRow] = []
    append = out.append
    for r in raw:
        persons = r[key]
        if not persons:
            continue
        category = r.get("category")
        name = names.get(category)
        if name is None:
            name = names[category] = indicator.format(category=category)
        year_quarter = (r["year"], r["quarter"])
        period = periods.get(year_quarter)
        if period is None:
            period = periods[year_quarter] = "{}-Q{}".format(*year_quarter)
        append(
            CountRow(
                name,
                r["country"] or "",
                r["sex"] or "U",
                r["age_group"],
                period,
                persons,
                r.get("days"),
            )
        )
    return out


def count_rows(*, since: dt.date | None = None, until: dt.date | None = None) -> list[CountRow]:
    """The raw cells of every indicator, from each module's selectors (not for publication):
    only the quarters (the finest period); years, the region and every other margin are sums of
    these. `since`/`until` keep the whole calendar years they fall in (read in each query's
    WHERE: one year's release reads one year). Nine GROUP BY queries whatever the number of
    records, independent of each other: run_counts() runs them on several connections at once
    where that is safe (the longest first)."""
    from enlace.cases.selectors import protection_counts
    from enlace.core.counting import run_counts
    from enlace.returns.selectors import return_counts
    from enlace.tracing.selectors import tracing_counts
    from enlace.trafficking.htcds import TYPE_OF_EXPLOITATION
    from enlace.trafficking.selectors import exploitation_counts

    years = {"since": since, "until": until}

    def opened() -> list[CountRow]:
        raw = protection_counts(**years, parts=["opened"])["opened"]
        return _rows("cases.opened.{category}", raw)

    def closed() -> list[CountRow]:
        raw = protection_counts(**years, parts=["closed"])["closed"]
        return _rows("cases.closed.{category}", raw)

    def art36() -> list[CountRow]:
        notified, pending = [], []
        for r in protection_counts(**years, parts=["art36"])["art36"]:
            # One histogram per cell: None days are the logs not notified yet.
            known = tuple(pair for pair in r["days"] if pair[0] is not None)
            if known:
                notified.append({**r, "persons": sum(n for _d, n in known), "days": known})
            waiting = sum(n for d, n in r["days"] if d is None)
            if waiting:
                pending.append({**r, "persons": waiting, "days": None})
        return [*_rows("art36.notified", notified), *_rows("art36.pending", pending)]

    def tracing() -> list[CountRow]:
        raw = tracing_counts(**years)
        return [
            *_rows("tracing.requests", raw["requests"]),
            *_rows("tracing.reunifications", raw["reunifications"]),
        ]

    def returns() -> list[CountRow]:
        raw = return_counts(**years)
        return [
            *_rows("returns.requested", raw["requested"]),
            *_rows("returns.departed", raw["departed"]),
            *_rows("returns.outcome.{category}", raw["outcome"]),
        ]

    def trafficking() -> list[CountRow]:
        raw = exploitation_counts(**years)
        out: list[CountRow] = []
        for form in ("all", *(f.name for f in TYPE_OF_EXPLOITATION)):
            out += _rows("trafficking.{category}." + form, raw, key=form)
        return out

    # Longest first (thread CPU over 1M cases: closed 8.7 s, opened 7.6, art. 36 2.1,
    # trafficking 1.8, returns 0.7, tracing 0.4), so that the two threads end close together.
    closed_rows, opened_rows, *rest = run_counts(
        [closed, opened, art36, trafficking, returns, tracing]
    )
    art36_rows, trafficking_rows, returns_rows, tracing_rows = rest
    return [
        *opened_rows,
        *closed_rows,
        *art36_rows,
        *tracing_rows,
        *returns_rows,
        *trafficking_rows,
    ]


def indicators() -> list[tuple[str, Any, bool]]:
    """Every indicator of a release, fixed in advance (code, label, carries days)."""
    from enlace.cases.models import CaseType
    from enlace.returns.models import Outcome
    from enlace.trafficking.htcds import TYPE_OF_EXPLOITATION
    from enlace.trafficking.models import CaseKind

    out: list[tuple[str, Any, bool]] = []
    for value, label in CaseType.choices:
        out.append((f"cases.opened.{value}", format_lazy(_("Cases opened: {}"), label), False))
    for value, label in CaseType.choices:
        out.append((f"cases.closed.{value}", format_lazy(_("Cases closed: {}"), label), True))
    out += [
        ("art36.notified", _("Detentions notified to the consulate (art. 36)"), True),
        ("art36.pending", _("Detentions not yet notified (art. 36)"), False),
        ("tracing.requests", _("Tracing requests"), False),
        ("tracing.reunifications", _("Family reunifications"), False),
        ("returns.requested", _("Returns requested"), False),
        ("returns.departed", _("Returns: departed"), False),
    ]
    for value, label in Outcome.choices:
        out.append((f"returns.outcome.{value}", format_lazy(_("Returns closed: {}"), label), False))
    for kind, kind_label in CaseKind.choices:
        out.append((f"trafficking.{kind}.all", kind_label, False))
        for form in TYPE_OF_EXPLOITATION:
            out.append(
                (
                    f"trafficking.{kind}.{form.name}",
                    format_lazy("{} — {}", kind_label, form.label),
                    False,
                )
            )
    return out


def domains(year: int, rows: list[CountRow]) -> dict[str, list[str]]:
    """The values of every dimension of a year's release: known in advance (the network's
    countries, the sex codes, the age groups, the quarters, the indicators), not read from the
    counts (plus any country of a count that would not be an office's)."""
    from enlace.people.models import Sex

    countries = _network_countries() | {r.country for r in rows if r.country}
    return {
        "indicator": [code for code, _label, _days in indicators()],
        "country": sorted(countries),
        "sex": [code for code, _label in Sex.choices],
        "age_group": list(AGE_GROUP_CODES),
        "period": [f"{year}-Q{q}" for q in range(1, 5)],
    }


METHODS = ("suppression", "dp")


def parse_period(period: str | None, *, today: dt.date | None = None) -> tuple[int, str]:
    """(year, period code) of "2026" or "2026-Q1" (None: the current year); ValueError else."""
    if not period:
        year = (today or timezone.localdate()).year
        return year, str(year)
    text = period.strip()
    year_text, _sep, quarter = text.partition("-")
    if not (year_text.isdigit() and len(year_text) == 4) or quarter not in (
        "",
        "Q1",
        "Q2",
        "Q3",
        "Q4",
    ):
        raise ValueError(period)
    year = int(year_text)
    if not 2000 <= year <= 2100:
        raise ValueError(period)
    return year, text


def _network_countries() -> set[str]:
    from enlace.accounts.models import Office

    return set(Office.objects.exclude(country=None).values_list("country_id", flat=True))


class NotPublished(Exception):
    """No figure of that period is published yet (the daily job publishes a quarter once it is
    over: `manage.py publish_indicators`)."""


def published(
    *, country: str | None, period: str | None, method: str = "suppression"
) -> dict[str, Any]:
    """Every cell of one country (None: the region) and period, out of the stored release:
    [{indicator, label, sex, age_group, value (None: suppressed or withheld), flag, accuracy,
    median_days}]. A year reads the year to date through its last published quarter (the
    answer's "period" says which: "2026-Q1-Q3"); no period: the latest year published.
    ValueError on a bad parameter, NotPublished when nothing of that period is published."""
    from .releases import ProtectionRelease, latest, span_code

    if method not in METHODS:
        raise ValueError(method)
    if period:
        year, code = parse_period(period)
        release = latest(year, method)
    else:
        release = ProtectionRelease.objects.filter(method=method).order_by("-year").first()
        year = release.year if release is not None else timezone.localdate().year
        code = str(year)
    if method == ProtectionRelease.Method.DP and code != str(year):
        raise ValueError(period)  # differentially private figures are released by year only
    area = (country or "").upper()
    if release is None:
        if area and area not in _network_countries():
            raise ValueError(country)
        raise NotPublished(code)
    params = release.params
    if area and area not in params["domains"]["country"]:
        raise ValueError(country)
    dp_release = release.method == ProtectionRelease.Method.DP
    if code == str(year):
        period_key = code if dp_release else span_code(year, release.through)
    elif int(code[-1]) > release.through:
        raise NotPublished(code)
    else:
        period_key = code
    sexes = ["", *params["domains"]["sex"]]
    ages = ["", *params["domains"]["age_group"]]
    cells = []
    for indicator, label, _days in indicators():
        for sex in sexes:
            for age in ages:
                if age and (dp_release or sex):
                    continue  # sex and age group are not crossed (dp: no age groups)
                got = release.cell(indicator, area, sex, age, period_key)
                if got is None:
                    flag = "withheld" if dp_release else "suppressed"
                    value, accuracy, median = None, None, None
                else:
                    value, accuracy, median = got
                    flag = "noisy" if dp_release else "rounded"
                cells.append(
                    {
                        "indicator": indicator,
                        "label": label,
                        "sex": sex,
                        "age_group": age,
                        "value": value,
                        "flag": flag,
                        "accuracy": accuracy,
                        "median_days": median,
                    }
                )
    return {
        "release": release,
        "country": area,
        "period": period_key,
        "method": method,
        "cells": cells,
    }


def page_sections(
    *, country: str | None, period: str | None, method: str = "suppression"
) -> dict[str, Any] | None:
    """The template's `protection` (indicators/_protection.html; None: the section is left
    out): one table by
    sex (rows: indicators with at least one published cell; columns: all, then each sex) for
    the country (None: the region) and period, out of the stored release."""
    from enlace.people.models import Sex

    try:
        data = published(country=country, period=period, method=method)
    except ValueError:
        return None
    except NotPublished as exc:
        return {"not_published": True, "protection_period": str(exc), "protection_method": method}
    by_indicator: dict[str, dict[str, Any]] = {}
    for c in data["cells"]:
        if c["age_group"]:
            continue
        row = by_indicator.setdefault(
            c["indicator"], {"label": c["label"], "cells": {}, "median_days": None}
        )
        row["cells"][c["sex"]] = c
        if c["sex"] == "" and c["median_days"] is not None:
            row["median_days"] = c["median_days"]
    sexes = [("", _("All")), *Sex.choices]
    rows = [
        {**row, "cells": [row["cells"][code] for code, _label in sexes]}
        for row in by_indicator.values()
        if any(c["value"] for c in row["cells"].values())  # someone shown (not only zeros)
    ]
    if not rows:
        return None
    release = data["release"]
    return {
        "rows": rows,
        "sexes": [label for _code, label in sexes],
        # Named so that they clash with nothing of a page that spreads these keys in its context.
        "protection_method": data["method"],
        "protection_period": data["period"],
        "protection_area": data["country"],
        "threshold": release.params["threshold"],
        "rounding": release.params.get("rounding"),
        "epsilon": release.epsilon,
        "delta": release.delta,
        "as_of": release.published or release.created,
        "has_median": any(r["median_days"] is not None for r in rows),
    }
