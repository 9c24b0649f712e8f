"""Releases of the figures from Enlace's records: the whole protected table of one calendar year,
computed once and stored, so that every page, API answer and home panel reads its cells out of
the same release (two queries are two views of one protected table: nothing to subtract), and
asking again never draws fresh noise to average away.

- method "suppression": every cell of the cube (indicator × country × sex × age group × quarter,
  with all their margins) protected at once by enlace.core.disclosure.protect (threshold 10,
  secondary suppression over every line, rounding to base 5);
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
    epsilon = models.FloatField(_("epsilon"), null=True, blank=True)
    delta = models.FloatField(_("delta"), null=True, blank=True)
    # Domains, threshold, rounding base, noise scale: whatever a reader needs to read the cells.
    params = models.JSONField(default=dict)
    # Only the published cells: {indicator: {"country|sex|age|period": [value, accuracy,
    # median days]}}; a cell of the domains that is absent is suppressed (or withheld).
    cells = models.JSONField(default=dict)

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


# A suppression release of the current year is computed again once it is older than this, so
# that the homes follow the year; a past year's, and every differentially private release, are
# never computed again unless an operator asks (`refresh`): new noise could be averaged away.
CURRENT_YEAR_MAX_AGE = dt.timedelta(days=1)


def _stale(release: ProtectionRelease) -> bool:
    now = timezone.now()
    return (
        release.method == ProtectionRelease.Method.SUPPRESSION
        and release.year == timezone.localdate().year
        and release.created < now - CURRENT_YEAR_MAX_AGE
    )


def get_release(year: int, method: str, *, refresh: bool = False) -> ProtectionRelease:
    """The stored release of `year` by `method`, computed on first use (see
    CURRENT_YEAR_MAX_AGE for when it is computed again)."""
    if not refresh:
        found = ProtectionRelease.objects.filter(year=year, method=method).first()
        if found is not None and not _stale(found):
            return found
        refresh = found is not None
    built = compute(year, method)
    try:
        with transaction.atomic():
            if refresh:
                ProtectionRelease.objects.filter(year=year, method=method).delete()
            built.save()
    except IntegrityError:  # another request stored it first: read theirs
        return ProtectionRelease.objects.get(year=year, method=method)
    return built


def compute(year: int, method: str) -> ProtectionRelease:
    from . import protection

    rows = protection.count_rows(since=dt.date(year, 1, 1), until=dt.date(year, 12, 31))
    domains = protection.domains(year, rows)
    if method == ProtectionRelease.Method.DP:
        return _dp_release(year, rows, domains)
    return _suppression_release(year, rows, domains)


def _suppression_release(
    year: int, rows: list[Any], domains: dict[str, list[str]]
) -> ProtectionRelease:
    from collections import Counter

    from enlace.core.disclosure import (
        DISCLOSURE_THRESHOLD,
        ROUNDING_BASE,
        TOTAL,
        build_cube,
        protect,
    )

    dims = [domains["country"], domains["sex"], domains["age_group"], domains["period"]]
    leaves: dict[str, Counter[tuple[str, ...]]] = {i: Counter() for i in domains["indicator"]}
    days: dict[str, dict[tuple[str, ...], Counter[int]]] = {}
    for r in rows:
        leaf = (r.country, r.sex, r.age_group, r.period)
        leaves.setdefault(r.indicator, Counter())[leaf] += r.persons
        if r.days is not None:
            days.setdefault(r.indicator, {}).setdefault(leaf, Counter())[r.days] += r.persons
    cells: dict[str, dict[str, list[Any]]] = {}
    for indicator, counts in leaves.items():
        cube = build_cube(dict(counts), dims)
        published = protect(cube, dims)
        histograms: dict[tuple[str, ...], Counter[int]] = {}
        for leaf_key, hist in days.get(indicator, {}).items():
            margins: list[tuple[str, ...]] = [()]
            for value in leaf_key:
                margins = [(*m, v) for m in margins for v in (value, TOTAL)]
            for m in margins:
                histograms.setdefault(m, Counter()).update(hist)
        shown = {}
        for k, v in published.items():
            if v is None:
                continue
            found = histograms.get(k)
            period = k[3] or str(year)
            shown[key(k[0], k[1], k[2], period)] = [v, None, _median(found) if found else None]
        if shown:
            cells[indicator] = shown
    return ProtectionRelease(
        year=year,
        method=ProtectionRelease.Method.SUPPRESSION,
        params={
            "domains": domains,
            "threshold": DISCLOSURE_THRESHOLD,
            "rounding": ROUNDING_BASE,
        },
        cells=cells,
    )


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
