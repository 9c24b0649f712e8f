"""The user guides of docs/, as pages of the help section, in the reader's language where the
guide is translated (`cases.es.md`), else in English (`cases.en.md` or `cases.md`).

Markdown goes through markdown-it-py in CommonMark mode with raw HTML off: a guide can hold no
script or markup of its own. Links between guides and to their screenshots are pointed at the
help pages and at the images view.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .languages import CONTENT_LANGUAGE

DOCS = Path(settings.BASE_DIR) / "docs"
IMAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.png$")


@dataclass(frozen=True)
class Guide:
    slug: str
    title: Any  # a lazy translation
    summary: Any


GUIDES = (
    Guide(
        "cases",
        _("Protection and consular assistance cases"),
        _("Register a person, open and work a case, refer it to another office, close it."),
    ),
    Guide(
        "tracing",
        _("Family tracing"),
        _("File a tracing request, how matching works, what each office sees, reunification."),
    ),
    Guide(
        "trafficking",
        _("Trafficking and smuggling: guide for focal points"),
        _("Cases and routes, alerts and their acknowledgement, escalation, identity requests."),
    ),
    Guide(
        "returns",
        _("Assisted voluntary return: guide for return counsellors"),
        _("The steps, voluntariness checks, the hand-over, the receiving office, follow-ups."),
    ),
    Guide(
        "forums",
        _("Forums and the regional position: guide for focal points"),
        _("Country positions, the regional position and its endorsement, the commitments."),
    ),
    Guide(
        "remittances",
        _("Remittances: comparing costs, entering quotes, importing World Bank data"),
        _("How to read the comparison, the margin, the SDG target, quotes and imports."),
    ),
    Guide(
        "practices",
        _("Good practices library"),
        _("Search the library, ask an author, share a practice, review and publish."),
    ),
    Guide(
        "indicators",
        _("Migration in figures: the indicator pages and their sources"),
        _("Migrant stock, refugees, missing migrants and remittances by sex; sources, imports."),
    ),
    Guide(
        "diaspora",
        _("Migrant associations abroad and their projects"),
        _("The public directory, municipality pages, registering projects, who may edit."),
    ),
    Guide(
        "portal",
        _("The public portal: what it shows about your office"),
        _("The office finder, your published contact details, the rights pages, offline use."),
    ),
    Guide(
        "privacy",
        _("Data protection: rights requests, consent, retention, breaches"),
        _("Answer access, rectification and deletion requests on time; the breach register."),
    ),
)
_BY_SLUG = {g.slug: g for g in GUIDES}
_GUIDE_FILE = re.compile(r"^(?P<slug>[a-z]+)(?:\.(?P<lang>[a-z]{2}))?\.md$")


def guide(slug: str) -> Guide | None:
    return _BY_SLUG.get(slug)


def guide_file(slug: str, lang: str | None = None) -> tuple[Path, str]:
    """The guide's file in the language asked (default: the active one), in the language its
    readers read next (Haitian Creole: French) or in English, and the language it is written
    in."""
    lang = (lang or get_language() or "es")[:2]
    candidates = [lang, CONTENT_LANGUAGE.get(lang, "en"), "en"]
    for candidate in candidates:
        path = DOCS / f"{slug}.{candidate}.md"
        if path.is_file():
            return path, candidate
    return DOCS / f"{slug}.md", "en"


def _accessible_tables(tokens: list[Token]) -> None:
    """A header cell left empty (a corner) becomes a plain cell; a table that may scroll sideways
    on a phone can be reached with the keyboard."""
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            token.attrSet("tabindex", "0")
        elif token.type == "th_open" and not tokens[i + 1].content.strip():
            token.tag = tokens[i + 2].tag = "td"


def _point_links(tokens: list[Token]) -> None:
    """Links to another guide go to its help page; screenshots come from the images view."""
    for token in tokens:
        if token.children:
            _point_links(token.children)
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            match = _GUIDE_FILE.match(href)
            if match and match["slug"] in _BY_SLUG:
                target = reverse("core:help_guide", args=[match["slug"]])
                token.attrSet("href", target + (f"?lang={match['lang']}" if match["lang"] else ""))
        elif token.type == "image":
            src = str(token.attrGet("src") or "")
            name = src.removeprefix("img/")
            if src.startswith("img/") and IMAGE_NAME.match(name):
                token.attrSet("src", reverse("core:help_image", args=[name]))


@functools.cache
def render_markdown(path: Path, mtime: float, *, guide_links: bool = False) -> tuple[str, str]:
    """(title, HTML body) of a Markdown page (no raw HTML): its first h1 is taken out as the
    title, which the page prints in its own <h1>; wide tables are reachable by keyboard. With
    `guide_links`, links to other guides and screenshots point at the help pages. Cached by
    path and modification time."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(path.read_text(encoding="utf-8"))
    if guide_links:
        _point_links(tokens)
    _accessible_tables(tokens)
    title = ""
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            title = tokens[i + 1].content
            del tokens[i : i + 3]  # the page prints the title in its own <h1>
            break
    return title, md.renderer.render(tokens, md.options, {})


def render_guide(slug: str, lang: str | None = None) -> tuple[str, str, str]:
    """(title, HTML body, language written in) of a guide."""
    path, written_in = guide_file(slug, lang)
    title, body = render_markdown(path, path.stat().st_mtime, guide_links=True)
    return title, body, written_in


def image_path(name: str) -> Path | None:
    """A screenshot of docs/img by its plain file name; anything else is None (a 404)."""
    if not IMAGE_NAME.match(name):
        return None
    path = DOCS / "img" / name
    return path if path.is_file() else None
