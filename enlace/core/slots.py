"""Slots: the places on core's and the host apps' pages that other apps fill.

A host page names a slot and renders whatever is registered in it; it never imports the guest
app. Apps register in their ``AppConfig.ready()`` (by convention from a ``slots.py`` module):

- ``HOME``, ``CASE_PAGE``, ``PERSON_PAGE``: page panels (:class:`Panel`), rendered in a template
  with ``{% load slots %}{% panels "case_page" case %}``;
- ``NAV``: navigation items (:class:`NavItem`), each with its own visibility predicate;
- ``HELP``: links of the help page beside the user guides (:class:`NavItem` too), e.g. the API
  documentation for the roles that use the API;
- ``DEMO``: demo data loaders (:class:`DemoLoader`), run in order by ``manage.py seed_demo``.

A panel decides from the actor (``request.actor``) and the page's record whether it shows
anything: its ``context`` returns ``None`` to stay out. Visibility rules therefore live in the
guest app (which knows its access rules), and templates receive flags, never role names.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

HOME = "home"
CASE_PAGE = "case_page"
PERSON_PAGE = "person_page"
PAGE_SLOTS = (HOME, CASE_PAGE, PERSON_PAGE)

PanelContext = Callable[[HttpRequest, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    """A block of a page: a template, and the context it needs (None: not shown)."""

    name: str
    template: str
    context: PanelContext
    order: int = 100


@dataclass(frozen=True)
class NavItem:
    """A link of the main navigation, shown to the actors for whom `visible(actor)` is true."""

    name: str
    label: Any  # a lazy translation
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100
    # A number shown next to the label (e.g. unread items), 0 for none; one cheap query.
    badge: Callable[[Any], int] | None = None


@dataclass(frozen=True)
class DemoLoader:
    """Loads an app's demo data (idempotently) and returns lines to print, e.g. the logins."""

    name: str
    load: Callable[[], Iterable[str]]
    order: int = 100


@dataclass(frozen=True)
class RecordNames:
    """How an app names its records in the audit trail, as the reader may see them.

    `names(actor, ids, purpose)` returns {id: (name, values_hidden)} for the records the actor
    may open (a record out of reach is simply left out), logging each read with `purpose` as
    any list would; `values_hidden` is true when the reader may not see the record's identity
    (a protected person): the history then shows which fields changed, not their values."""

    record_type: str
    names: Callable[[Any, list[str], str], dict[str, tuple[str, bool]]]


_PANELS: dict[str, dict[str, Panel]] = {slot: {} for slot in PAGE_SLOTS}
_RECORD_NAMES: dict[str, RecordNames] = {}
_NAV: dict[str, NavItem] = {}
_DEMO: dict[str, DemoLoader] = {}
_HELP: dict[str, NavItem] = {}


def register_panel(slot: str, panel: Panel) -> None:
    """Add a panel to a page slot (registering the same name again replaces it)."""
    if slot not in _PANELS:
        raise ValueError(f"unknown slot {slot!r}; use one of {', '.join(PAGE_SLOTS)}")
    _PANELS[slot][panel.name] = panel


def register_nav(item: NavItem) -> None:
    _NAV[item.name] = item


def register_help(item: NavItem) -> None:
    _HELP[item.name] = item


def register_demo(loader: DemoLoader) -> None:
    _DEMO[loader.name] = loader


def register_record_names(item: RecordNames) -> None:
    _RECORD_NAMES[item.record_type] = item


def record_names(record_type: str) -> RecordNames | None:
    return _RECORD_NAMES.get(record_type)


def panels(slot: str) -> list[Panel]:
    """The panels registered in a slot, in display order."""
    return sorted(_PANELS[slot].values(), key=lambda p: (p.order, p.name))


def nav_items(actor: Any) -> list[NavItem]:
    """The navigation items this actor may use, in display order."""
    if actor is None:
        return []
    return [i for i in sorted(_NAV.values(), key=lambda i: (i.order, i.name)) if i.visible(actor)]


def help_items(actor: Any) -> list[NavItem]:
    """The help page's extra links this actor may use, in display order."""
    if actor is None:
        return []
    return [i for i in sorted(_HELP.values(), key=lambda i: (i.order, i.name)) if i.visible(actor)]


def demo_loaders() -> list[DemoLoader]:
    return sorted(_DEMO.values(), key=lambda d: (d.order, d.name))


def signed_in(actor: Any) -> bool:
    """A visibility predicate: every signed-in user."""
    return actor is not None
