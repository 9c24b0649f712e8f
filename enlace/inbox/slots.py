"""What the inbox adds to other pages: the navigation link with the unread count, and the home
panel with the latest unread items."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from enlace.core.slots import HOME, NavItem, Panel, register_nav, register_panel, signed_in

HOME_ITEMS = 5


def unread_badge(actor: Any) -> int:
    from .selectors import unread_count

    return unread_count(actor=actor)


def home_inbox(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    """The latest unread items (one query)."""
    from .present import item_fields
    from .selectors import item_list

    actor = request.actor  # type: ignore[attr-defined]
    if actor is None:
        return None
    items = item_list(actor=actor, unread=True)[:HOME_ITEMS]
    return {"inbox_items": [item_fields(i) for i in items]}


def register() -> None:
    register_nav(NavItem("inbox", _("Inbox"), "inbox:list", signed_in, 5, badge=unread_badge))
    register_panel(HOME, Panel("inbox.home", "inbox/_home_panel.html", home_inbox, 5))
