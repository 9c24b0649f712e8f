"""Charts drawn on the server: a Vega-Lite spec (built with Altair by the app) rendered to an
inline SVG by vl-convert, so a page needs no JavaScript and no network, and kept in Django's
cache keyed by a digest of the figures drawn (a re-import that changes a figure draws a new
chart, one that changes nothing reuses the old one) and by the interface language.

The first render in a process starts vl-convert's engine (about 3 s); later ones take a few
hundred ms.
"""

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.utils.translation import get_language

CACHE_SECONDS = 7 * 24 * 3600


def render_svg(spec: dict[str, Any], title_id: str) -> str:
    """The spec as an inline SVG: one image named by the element `title_id` (the page's caption;
    its table holds the figures), scaling with its container (viewBox kept, fixed size dropped)."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(json.dumps(spec))
    # One image, named by the page's caption: the marks' own ARIA roles would make each line a
    # separate image without a name.
    svg = re.sub(r'\s(?:role="graphics-[a-z-]+"|aria-roledescription="[^"]*")', "", svg)
    svg = re.sub(r'^<svg ([^>]*?)width="[\d.]+" height="[\d.]+"', r"<svg \1", svg, count=1)
    return svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{title_id}" focusable="false" class="chart-svg" ',
        1,
    )


def digest(figures: str) -> str:
    """A short digest of the figures a chart draws (its data version)."""
    return hashlib.sha256(figures.encode()).hexdigest()[:16]


def cache_key(prefix: str, figures: str) -> str:
    """`prefix` (app, chart and its subject) + the active language + the data version."""
    lang = (get_language() or "es")[:5]
    return f"{prefix}:{lang}:{digest(figures)}"


def cached_svg(key: str, draw: Callable[[], str]) -> str:
    """The SVG stored under `key`, drawn (and stored) the first time."""
    svg = cache.get(key)
    if svg is None:
        svg = draw()
        cache.set(key, svg, CACHE_SECONDS)
    return str(svg)
