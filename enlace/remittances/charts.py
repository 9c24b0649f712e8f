"""The corridor page's chart: the World Bank's average total cost % quarter by quarter, with the
SDG 10.c lines at 3 % and 5 %, as a Vega-Lite spec (Altair) rendered to SVG on the server
(vl-convert), so the page needs no JavaScript and no network.

The rendering and the cache are enlace.core.charts's: each SVG is kept keyed by corridor,
language and a digest of the figures drawn, so a corridor's chart is drawn once per language.
`warm_corridor_charts` draws them ahead (`manage.py remittance_charts`, after an import).
"""

from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from enlace.core import charts as core_charts

from . import formulas
from .selectors import SeriesPoint

CACHE_SECONDS = core_charts.CACHE_SECONDS
WIDTH, HEIGHT = 640, 280
TITLE_ID = "corridor-chart-title"


def _quarter_date(quarter: str) -> str:
    """ "2024Q3" → "2024-07-01", the quarter's first day (Vega-Lite's temporal axis)."""
    year, q = quarter.split("Q")
    return f"{year}-{(int(q) - 1) * 3 + 1:02d}-01"


def chart_spec(points: Sequence[SeriesPoint], title: str = "") -> dict[str, Any]:
    """The Vega-Lite spec of a corridor's series with the two SDG 10.c lines."""
    import altair as alt

    values = [
        {
            "quarter": p.quarter,
            "date": _quarter_date(p.quarter),
            "cost": float(p.average_total_cost_pct),
        }
        for p in points
    ]
    cost_title = _("Average total cost (%)")
    quarter_title = _("Quarter")
    line = (
        alt.Chart(alt.Data(values=values))
        .mark_line(point=True, color="#1f5f8b", strokeWidth=2)
        .encode(
            x=alt.X("date:T", title=quarter_title, axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("cost:Q", title=cost_title, scale=alt.Scale(zero=True)),
        )
    )
    targets = [
        {"value": float(formulas.SDG_GLOBAL_TARGET_PCT), "label": _("3 % SDG 10.c (global)")},
        {"value": float(formulas.SDG_CORRIDOR_TARGET_PCT), "label": _("5 % (every corridor)")},
    ]
    rules = (
        alt.Chart(alt.Data(values=targets))
        .mark_rule(strokeDash=[6, 4], color="#b3261e", strokeWidth=1.5)
        .encode(y="value:Q")
    )
    labels = (
        alt.Chart(alt.Data(values=targets))
        .mark_text(align="left", dx=4, dy=-6, color="#b3261e", fontSize=11)
        .encode(y="value:Q", x=alt.value(0), text="label:N")
    )
    chart = (
        alt.layer(line, rules, labels)
        .properties(width=WIDTH, height=HEIGHT, title=title)
        .configure(aria=False, font="sans-serif")
        .configure_view(stroke="#ddd")
    )
    return dict(chart.to_dict())


def render_svg(spec: dict[str, Any]) -> str:
    """The spec as an inline SVG named by the page's caption (enlace.core.charts.render_svg)."""
    return core_charts.render_svg(spec, TITLE_ID)


def _figures(points: Sequence[SeriesPoint]) -> str:
    return ";".join(f"{p.quarter}={p.average_total_cost_pct}" for p in points)


def cache_key(sending: str, receiving: str, points: Sequence[SeriesPoint]) -> str:
    return core_charts.cache_key(f"remittances:chart:{sending}:{receiving}", _figures(points))


def corridor_chart(sending: str, receiving: str, points: Sequence[SeriesPoint]) -> str:
    """The corridor's chart as SVG (from the cache when drawn before); "" for no figures."""
    if not points:
        return ""
    return core_charts.cached_svg(
        cache_key(sending, receiving, points), lambda: render_svg(chart_spec(points))
    )


def warm_corridor_charts(pairs: Sequence[tuple[str, str]], languages: Sequence[str]) -> int:
    """Draw (and cache) the charts of these corridors in these languages; how many were drawn."""
    from django.utils.translation import override

    from .selectors import corridor_series

    drawn = 0
    for sending, receiving in pairs:
        points = corridor_series(sending, receiving)
        for lang in languages:
            with override(lang):
                if points and cache.get(cache_key(sending, receiving, points)) is None:
                    corridor_chart(sending, receiving, points)
                    drawn += 1
    return drawn
