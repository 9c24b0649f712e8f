"""The indicator pages' charts: Vega-Lite specs built with Altair, rendered to SVG on the server
and cached by their figures (enlace.core.charts). Each chart is the picture of a table shown
beside it (the table is the text alternative and the CSV holds the same rows)."""

from collections.abc import Sequence
from typing import Any

from enlace.core import charts as core_charts

WIDTH, HEIGHT = 560, 240
# Colour-blind-safe (Okabe–Ito palette, Okabe and Ito 2008, "Color Universal Design").
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]


def _configure(chart: Any, title: str) -> dict[str, Any]:
    return dict(
        chart.properties(width=WIDTH, height=HEIGHT, title=title)
        .configure(aria=False, font="sans-serif")
        .configure_view(stroke="#ddd")
        .configure_legend(orient="bottom", labelLimit=240)
        .to_dict()
    )


def lines(
    rows: Sequence[dict[str, Any]],
    x: str,
    series: Sequence[tuple[str, str]],
    x_title: str,
    y_title: str,
) -> dict[str, Any]:
    """One line per series (key, label) over `x` (a year)."""
    import altair as alt

    values = [
        {"x": row[x], "series": label, "value": row[key]}
        for row in rows
        for key, label in series
        if row.get(key) is not None
    ]
    labels = [label for _key, label in series]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("x:O", title=x_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format="~s")),
            color=alt.Color(
                "series:N",
                title=None,
                sort=labels,
                scale=alt.Scale(domain=labels, range=PALETTE[: len(labels)]),
            ),
            strokeDash=alt.StrokeDash("series:N", sort=labels, legend=None),
        )
    )
    return _configure(chart, "")


def bars(
    rows: Sequence[dict[str, Any]], category: str, series: Sequence[tuple[str, str]], x_title: str
) -> dict[str, Any]:
    """Horizontal bars per category (a country), stacked by series (women, men)."""
    import altair as alt

    order = [row[category] for row in rows]
    values = [
        {"category": row[category], "series": label, "value": row[key] or 0, "order": i}
        for row in rows
        for i, (key, label) in enumerate(series)
    ]
    labels = [label for _key, label in series]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("category:N", title=None, sort=order),
            x=alt.X("value:Q", title=x_title, stack="zero", axis=alt.Axis(format="~s")),
            color=alt.Color(
                "series:N",
                title=None,
                sort=labels,
                scale=alt.Scale(domain=labels, range=PALETTE[: len(labels)]),
            ),
            order=alt.Order("order:Q"),
        )
    )
    return _configure(chart, "")


def svg(key: str, spec: dict[str, Any], title_id: str) -> str:
    """The chart as SVG named by `title_id`, from the cache when its figures were drawn before."""
    import json

    figures = json.dumps(spec, sort_keys=True, default=str)
    return core_charts.cached_svg(
        core_charts.cache_key(f"indicators:{key}", figures),
        lambda: core_charts.render_svg(spec, title_id),
    )
