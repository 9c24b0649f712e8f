"""The corridor page's chart: the World Bank's average total cost % quarter by quarter, with the
SDG 10.c lines at 3 % and 5 %, as a Vega-Lite spec (Altair) rendered to SVG on the server
(vl-convert), so the page needs no JavaScript and no network.

The first render in a process starts vl-convert's engine (about 3 s); later ones take a few
hundred ms. Each SVG is kept in Django's cache, keyed by corridor, language and a digest of the
figures drawn (the data version: a re-import that changes a figure draws a new chart, one that
changes nothing reuses the old one), so a corridor's chart is drawn once per language.
`warm_corridor_charts` draws them ahead (`manage.py remittance_charts`, after an import).
"""

import hashlib
import re
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import formulas
from .selectors import SeriesPoint

CACHE_SECONDS = 7 * 24 * 3600
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
    """The spec as an inline SVG: one image with a name (the page's table holds the figures),
    scaling with its container (viewBox kept, fixed size dropped)."""
    import json

    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(json.dumps(spec))
    # One image, named by the page's caption: the marks' own ARIA roles would make each line a
    # separate image without a name.
    svg = re.sub(r'\s(?:role="graphics-[a-z-]+"|aria-roledescription="[^"]*")', "", svg)
    svg = re.sub(r'^<svg ([^>]*?)width="[\d.]+" height="[\d.]+"', r"<svg \1", svg, count=1)
    return svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{TITLE_ID}" focusable="false" class="chart-svg" ',
        1,
    )


def _version(points: Sequence[SeriesPoint]) -> str:
    text = ";".join(f"{p.quarter}={p.average_total_cost_pct}" for p in points)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def cache_key(sending: str, receiving: str, points: Sequence[SeriesPoint]) -> str:
    lang = (get_language() or "es")[:5]
    return f"remittances:chart:{sending}:{receiving}:{lang}:{_version(points)}"


def corridor_chart(sending: str, receiving: str, points: Sequence[SeriesPoint]) -> str:
    """The corridor's chart as SVG (from the cache when drawn before); "" for no figures."""
    if not points:
        return ""
    key = cache_key(sending, receiving, points)
    svg = cache.get(key)
    if svg is None:
        svg = render_svg(chart_spec(points))
        cache.set(key, svg, CACHE_SECONDS)
    return str(svg)


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
