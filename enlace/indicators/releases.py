"""Releases of the figures from Enlace's records: the whole protected table of one calendar year,
computed once and stored, so that every page, API answer and home panel reads its cells out of
the same release (two queries are two views of one protected table: nothing to subtract), and
asking again never draws fresh noise to average away.

- method "suppression": for every indicator and period (each quarter once it is over, and the
  year to date), the tables country × sex and country × age group with their margins,
  protected at once with every cell published before (`publish`, `release_table`) by
  enlace.core.disclosure.protect (threshold 10, secondary suppression over every line, rounding
  to base 5);
- method "dp": differentially private counts (OpenDP, discrete Laplace noise), ε = 1 for the
  whole release, split equally across its indicators (sequential composition; within one
  indicator a person counts in one cell per year, so the sensitivity of its vector of cells is
  1), δ = 0 (the cells are known in advance: every country of the network, every sex: no key
  is chosen from the data); only country × sex cells of the year are released, and the region
  and all-sex margins are sums of them (post-processing). Noisy counts under the threshold are
  withheld; each value carries its 95 % accuracy (half-width).
"""

import datetime as dt
import math
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["ProtectionRelease"]


class ProtectionRelease(models.Model):
    """One year's published table of figures from Enlace's records, by one method."""

    class Method(models.TextChoices):
        SUPPRESSION = "suppression", _("Suppression and rounding")
        DP = "dp", _("Differential privacy")

    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # When it last grew (a suppression release adds each quarter once it is over).
    published = models.DateTimeField(_("published"), null=True, blank=True)
    # The last quarter published (1-4); 4: the whole year.
    through = models.PositiveSmallIntegerField(_("through quarter"), default=4)
    epsilon = models.FloatField(_("epsilon"), null=True, blank=True)
    delta = models.FloatField(_("delta"), null=True, blank=True)
    # Domains, threshold, rounding base, noise scale: whatever a reader needs to read the cells.
    params = models.JSONField(default=dict)
    # Only the published cells: {indicator: {"country|sex|age|period": [value, accuracy,
    # median days]}}; a cell of the domains that is absent is suppressed (or withheld).
    cells = models.JSONField(default=dict)
    # Suppression: the exact counts of the published quarters' leaves (country|sex|age|quarter),
    # never shown: a later release of the year sums the same counts, so that every release of
    # the year is one consistent table (a late record changes no published figure).
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("release of protection figures")
        verbose_name_plural = _("releases of protection figures")
        constraints = [
            models.UniqueConstraint(fields=["method", "year"], name="protection_release_once")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.method}"

    def cell(
        self, indicator: str, country: str, sex: str, age_group: str, period: str
    ) -> list[Any] | None:
        """[value, accuracy, median days] of a published cell, None when suppressed."""
        got = self.cells.get(indicator, {}).get(f"{country}|{sex}|{age_group}|{period}")
        return list(got) if got is not None else None


def key(*parts: str) -> str:
    return "|".join(parts)


def quarters_ended(year: int, today: dt.date) -> int:
    """How many quarters of `year` are over on `today` (0 to 4)."""
    if today.year > year:
        return 4
    if today.year < year:
        return 0
    return (today.month - 1) // 3


def span_code(year: int, through: int) -> str:
    """The period code of the year to date: "2026-Q1", "2026-Q1-Q3", the whole year "2026"."""
    if through == 4:
        return str(year)
    return f"{year}-Q1" if through == 1 else f"{year}-Q1-Q{through}"


def latest(year: int, method: str) -> ProtectionRelease | None:
    """The stored release of `year` by `method`, None when nothing is published yet. Read only:
    a request never computes a release (`publish`, from the daily job, does)."""
    return ProtectionRelease.objects.filter(year=year, method=method).first()


def publish(year: int, method: str, *, today: dt.date | None = None) -> ProtectionRelease | None:
    """Publish what is due of `year` by `method` (the daily job: `manage.py publish_indicators`,
    enlace.indicators.tasks.publish_indicators), and return the stored release (None: nothing
    due yet).

    - suppression: the quarters that are over; a quarter published once is frozen (its cells,
      and its exact counts kept beside them, never change), a later run adds the quarters over
      since and the year to date through them, protected together with every cell published
      before (see `_suppression_release`);
    - dp: once, when the year is over; never again (fresh noise could be averaged away)."""
    today = today or timezone.localdate()
    through = quarters_ended(year, today)
    if through == 0:
        return None
    found = latest(year, method)
    if method == ProtectionRelease.Method.DP:
        if found is not None or through < 4:
            return found
        built = compute(year, method)
    else:
        if found is not None and found.through >= through:
            return found
        built = compute(year, method, through=through, previous=found)
    built.published = timezone.now()
    try:
        with transaction.atomic():
            if found is not None:
                built.pk, built.created = found.pk, found.created
                built.save(force_update=True)
            else:
                built.save()
    except IntegrityError:  # another run stored it first: read theirs
        return latest(year, method)
    return built


def compute(
    year: int, method: str, *, through: int = 4, previous: ProtectionRelease | None = None
) -> ProtectionRelease:
    from . import protection

    rows = protection.count_rows(since=dt.date(year, 1, 1), until=dt.date(year, 12, 31))
    domains = protection.domains(year, rows)
    if method == ProtectionRelease.Method.DP:
        return _dp_release(year, rows, domains)
    return _suppression_release(year, rows, domains, through=through, previous=previous)


Key = tuple[str, ...]


def release_table(
    year: int, domains: dict[str, list[str]], spans: list[int]
) -> tuple[list[Key], list[list[Key]]]:
    """The keys (country, sex, age group, period) and the lines ([total, parts...]) of a
    suppression release that publishes the quarters through max(spans) and the year to date
    through each of `spans`: for every period two linked tables, country × sex and country ×
    age group, with their margins (they share country × all: sex and age group are not crossed,
    their cells would nearly all be under the threshold and hide their margins with them); and
    for every such cell, each year-to-date figure is the one before plus the quarters between
    (Q1-Q3 = Q1-Q2 + Q3; the year = Q1-Q3 + Q4)."""
    from enlace.core.disclosure import TOTAL, cube_keys, cube_lines

    countries = domains["country"]
    by_sex = [countries, domains["sex"]]
    by_age = [countries, domains["age_group"]]

    def sex_key(k: Key) -> Key:
        return (k[0], k[1], TOTAL)

    def age_key(k: Key) -> Key:
        return (k[0], TOTAL, k[1])

    keys3 = list(
        dict.fromkeys([*map(sex_key, cube_keys(by_sex)), *map(age_key, cube_keys(by_age))])
    )
    lines3 = [[sex_key(k) for k in line] for line in cube_lines(by_sex)]
    lines3 += [[age_key(k) for k in line] for line in cube_lines(by_age)]
    through = max(spans)
    quarters = [f"{year}-Q{q}" for q in range(1, through + 1)]
    periods = [*quarters, *(span_code(year, s) for s in spans if s > 1)]
    keys = [(*k, p) for p in periods for k in keys3]
    lines = [[(*k, p) for k in line] for p in periods for line in lines3]
    before = 0
    for s in sorted(spans):
        if s > 1:
            parts = [span_code(year, before)] if before else []
            parts += quarters[before:s]
            for k in keys3:
                lines.append([(*k, span_code(year, s)), *((*k, p) for p in parts)])
        before = s
    return keys, lines


def _suppression_release(
    year: int,
    rows: list[Any],
    domains: dict[str, list[str]],
    *,
    through: int = 4,
    previous: ProtectionRelease | None = None,
) -> ProtectionRelease:
    """The quarters through `through` and the year to date, protected at once. The cells of an
    earlier release of the year (`previous`) are kept as they were published and its quarters'
    exact counts are reused (a record entered late for a published quarter changes nothing):
    the union of every release of the year is this one table, audited as a whole."""
    from collections import Counter

    from enlace.core.disclosure import DISCLOSURE_THRESHOLD, ROUNDING_BASE, protect

    old_through = previous.through if previous is not None else 0
    old_spans: list[int] = list(previous.params.get("spans", [])) if previous else []
    old_countries: set[str] = set()
    spans = sorted({*old_spans, through})
    if previous is not None:  # a country that appeared since: zero in the frozen quarters
        old_countries = set(previous.params["domains"]["country"])
        domains = {**domains, "country": sorted({*old_countries, *domains["country"]})}
    quarters = [f"{year}-Q{q}" for q in range(1, through + 1)]
    frozen = {f"{year}-Q{q}" for q in range(1, old_through + 1)}
    frozen |= {span_code(year, s) for s in old_spans}
    keys, lines = release_table(year, domains, spans)
    leaves: dict[str, Counter[Key]] = {i: Counter() for i in domains["indicator"]}
    days: dict[str, dict[Key, Counter[int]]] = {}
    for r in rows:
        if r.period not in quarters:
            continue
        leaf = (r.country, r.sex, r.age_group, r.period)
        if r.period not in frozen:
            leaves.setdefault(r.indicator, Counter())[leaf] += r.persons
        if r.days is not None:
            histogram = days.setdefault(r.indicator, {}).setdefault(leaf, Counter())
            for value, persons in r.days:
                histogram[value] += persons
    for indicator, counted in (previous.counts if previous is not None else {}).items():
        for where, n in counted.items():
            country, sex, age, period = where.split("|")
            leaves.setdefault(indicator, Counter())[(country, sex, age, period)] += n
    span_of = {span_code(year, s): quarters[:s] for s in spans if s > 1}
    cells: dict[str, dict[str, list[Any]]] = {}
    counts: dict[str, dict[str, int]] = {}
    for indicator, counted in leaves.items():
        table = _table(counted, keys, span_of)
        old_cells = previous.cells.get(indicator, {}) if previous is not None else {}
        fixed: dict[Key, int | None] = {}
        for k in keys:
            if k[3] in frozen and (k[0] in old_countries or k[0] == ""):
                got = old_cells.get(key(*k))
                fixed[k] = got[0] if got is not None else None
        published = protect(table, lines=lines, fixed=fixed)
        # Medians of the new periods only (a frozen cell keeps the one it was published with);
        # a new year to date reads its frozen quarters' durations as they are now.
        histograms = _histograms(days.get(indicator, {}), span_of)
        shown = {}
        for k, v in published.items():
            if v is None:
                continue
            if k in fixed:
                shown[key(*k)] = old_cells[key(*k)]
                continue
            found = histograms.get(k)
            shown[key(*k)] = [v, None, _median(found) if found else None]
        if shown:
            cells[indicator] = shown
        kept = {key(*leaf): n for leaf, n in counted.items() if n}
        if kept:
            counts[indicator] = kept
    return ProtectionRelease(
        year=year,
        method=ProtectionRelease.Method.SUPPRESSION,
        through=through,
        params={
            "domains": domains,
            "threshold": DISCLOSURE_THRESHOLD,
            "rounding": ROUNDING_BASE,
            "spans": spans,
        },
        cells=cells,
        counts=counts,
    )


def _table(leaves: Any, keys: list[Key], span_of: dict[str, list[str]]) -> dict[Key, int]:
    """Every cell of the release's table, summed from the leaves (country, sex, age, quarter)."""
    from enlace.core.disclosure import TOTAL

    table = dict.fromkeys(keys, 0)
    spans_of_quarter: dict[str, list[str]] = {}
    for span, qs in span_of.items():
        for q in qs:
            spans_of_quarter.setdefault(q, []).append(span)
    for (country, sex, age, quarter), n in leaves.items():
        if not n:
            continue
        for p in (quarter, *spans_of_quarter.get(quarter, ())):
            for c in (country, TOTAL):
                for s in (sex, TOTAL):
                    for a in (age, TOTAL):
                        if (c, s, a, p) in table:
                            table[(c, s, a, p)] += n
    return table


def _histograms(days: dict[Key, Any], span_of: dict[str, list[str]]) -> dict[Key, Any]:
    """The histograms of days of every cell of the new periods, from the leaves'."""
    from collections import Counter

    from enlace.core.disclosure import TOTAL

    out: dict[Key, Counter[int]] = {}
    for (country, sex, age, quarter), hist in days.items():
        periods = [quarter, *(s for s, qs in span_of.items() if quarter in qs)]
        for c in (country, TOTAL):
            for s in (sex, TOTAL):
                for a in (age, TOTAL):
                    for p in periods:
                        out.setdefault((c, s, a, p), Counter()).update(hist)
    return out


def _median(hist: Any) -> int | None:
    """The median of a histogram {days: persons} (the lower one of an even count)."""
    n = sum(hist.values())
    if not n:
        return None
    seen = 0
    for value in sorted(hist):
        seen += hist[value]
        if seen * 2 >= n:
            return int(value)
    return None


DP_EPSILON = 1.0
DP_DELTA = 0.0
DP_ALPHA = 0.05  # accuracy stated as the 95 % half-width


def _dp_release(year: int, rows: list[Any], domains: dict[str, list[str]]) -> ProtectionRelease:
    from collections import Counter

    import opendp.prelude as dp

    from enlace.core.disclosure import DISCLOSURE_THRESHOLD

    dp.enable_features("contrib")
    indicators = domains["indicator"]
    countries, sexes = domains["country"], domains["sex"]
    leaves_of = [(c, s) for c in countries for s in sexes]
    eps_each = DP_EPSILON / len(indicators)
    scale = (1.0 + 1e-9) / eps_each  # a hair above, so the float sum stays within the budget
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    measurement = dp.m.make_laplace(*space, scale=scale)
    spent_each = measurement.map(1)  # one person moves one cell of one indicator's vector by 1
    if math.fsum([spent_each] * len(indicators)) > DP_EPSILON:
        raise ValueError("noise scale too small for the privacy budget")
    counts: dict[str, Counter[tuple[str, str]]] = {i: Counter() for i in indicators}
    for r in rows:
        if r.indicator in counts and r.country in countries:
            counts[r.indicator][(r.country, r.sex)] += r.persons
    leaf_acc = dp.discrete_laplacian_scale_to_accuracy(scale, DP_ALPHA)
    cells: dict[str, dict[str, list[Any]]] = {}
    for indicator in indicators:
        noisy = measurement([counts[indicator][leaf] for leaf in leaves_of])
        values = dict(zip(leaves_of, noisy, strict=True))
        # Margins are sums of the noisy leaves (post-processing: no extra privacy cost). Their
        # accuracy: each of k leaves within its half-width at level α/k (a union bound), so the
        # sum is within the sum of those with probability 1 - α at least.
        table: dict[tuple[str, str], tuple[int, int]] = {leaf: (values[leaf], 1) for leaf in values}
        for c in countries:
            table[(c, "")] = (sum(values[(c, s)] for s in sexes), len(sexes))
        for s in sexes:
            table[("", s)] = (sum(values[(c, s)] for c in countries), len(countries))
        table[("", "")] = (sum(values.values()), len(values))
        shown = {}
        for (c, s), (value, k) in table.items():
            if value < DISCLOSURE_THRESHOLD:
                continue  # withheld: too small to tell from the noise
            acc = (
                leaf_acc
                if k == 1
                else k * dp.discrete_laplacian_scale_to_accuracy(scale, DP_ALPHA / k)
            )
            shown[key(c, s, "", str(year))] = [int(value), math.ceil(acc), None]
        if shown:
            cells[indicator] = shown
    return ProtectionRelease(
        year=year,
        method=ProtectionRelease.Method.DP,
        epsilon=math.fsum([spent_each] * len(indicators)),
        delta=DP_DELTA,
        params={
            "domains": {**domains, "age_group": [], "period": []},
            "threshold": DISCLOSURE_THRESHOLD,
            "scale": scale,
            "epsilon_per_indicator": spent_each,
            "alpha": DP_ALPHA,
            "mechanism": "opendp.measurements.make_laplace (discrete Laplace, integers)",
        },
        cells=cells,
    )


def publish_due(
    *,
    years: list[int] | None = None,
    methods: list[str] | None = None,
    today: dt.date | None = None,
) -> list[ProtectionRelease]:
    """Publish whatever is due of `years` (default: this year and the last, so that the last
    quarter of a year is published early the next) by `methods` (default: both): the releases
    that were computed now (the others did not change)."""
    today = today or timezone.localdate()
    years = years or [today.year - 1, today.year]
    methods = methods or [m.value for m in ProtectionRelease.Method]
    grown = []
    for year in years:
        for method in methods:
            before = latest(year, method)
            state = (before.through, before.published) if before is not None else None
            after = publish(year, method, today=today)
            if after is not None and (after.through, after.published) != state:
                grown.append(after)
    return grown
