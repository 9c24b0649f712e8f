"""The rights pages of the portal: short texts in plain language, one Markdown file per page and
language (`rights/<slug>.<lang>.md`, es/en/pt/fr/ht), rendered like the user guides of docs/
(enlace.core.help): markdown-it-py in CommonMark mode with raw HTML off, the first `# ` heading
as the page's title. A page missing in the reader's language falls back to Spanish, the
platform's default, then to English."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from enlace.core.help import render_markdown

RIGHTS_DIR = Path(__file__).resolve().parent / "rights"
# Languages the rights pages are written in (Haitian Creole even before the UI has it).
RIGHTS_LANGUAGES = ("es", "en", "pt", "fr", "ht")
# Each language's own name (for the links between versions of a page).
LANGUAGE_NAMES = {
    "es": "Español",
    "en": "English",
    "pt": "Português",
    "fr": "Français",
    "ht": "Kreyòl ayisyen",
}


@dataclass(frozen=True)
class RightsPage:
    slug: str
    title: Any  # a lazy translation, for the index
    summary: Any


PAGES = (
    RightsPage(
        "consular-notification",
        _("Your consulate must be told"),
        _("If you are detained, you can ask the police to tell your consulate."),
    ),
    RightsPage(
        "lawyer-interpreter",
        _("A lawyer and an interpreter"),
        _("You can have a lawyer and an interpreter, free if you cannot pay."),
    ),
    RightsPage(
        "health-education",
        _("Health care and school"),
        _("Emergency care and school for children, whatever your papers say."),
    ),
    RightsPage(
        "trafficking",
        _("Report trafficking"),
        _("Free help lines that answer day and night, and what trafficking is."),
    ),
)
_BY_SLUG = {p.slug: p for p in PAGES}


def page(slug: str) -> RightsPage | None:
    return _BY_SLUG.get(slug)


def page_file(slug: str, lang: str | None = None) -> tuple[Path, str]:
    """The page's file in the language asked (default: the active one), else Spanish, else
    English, and the language it is written in."""
    lang = (lang or get_language() or "es")[:2]
    for candidate in (lang, "es", "en"):
        path = RIGHTS_DIR / f"{slug}.{candidate}.md"
        if path.is_file():
            return path, candidate
    raise FileNotFoundError(slug)


def render_page(slug: str, lang: str | None = None) -> tuple[str, str, str]:
    """(title, HTML body, language written in) of a rights page."""
    path, written_in = page_file(slug, lang)
    title, body = render_markdown(path, path.stat().st_mtime)
    return title, body, written_in
