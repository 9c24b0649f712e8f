"""``{% panels "slot" obj %}`` renders a slot's panels; ``{% nav_items as items %}`` lists the
navigation the actor may use. See enlace.core.slots."""

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from enlace.core import slots

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, obj: Any = None) -> SafeString:
    """Each panel's template rendered with the page's context plus the panel's own values."""
    request = context["request"]
    engine = context.template.engine  # type: ignore[union-attr]
    parts = []
    for panel in slots.panels(slot):
        values = panel.context(request, obj)
        if values is None:
            continue
        tmpl = engine.get_template(panel.template)
        with context.push(panel=panel, **values):
            parts.append(tmpl.render(context))
    return mark_safe("".join(parts))  # nosec B308 B703 # each part is an autoescaped template  # noqa: S308


@register.simple_tag(takes_context=True)
def nav_items(context: template.Context) -> list[slots.NavItem]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return slots.nav_items(getattr(request, "actor", None))


@register.simple_tag(takes_context=True)
def nav_badge(context: template.Context, item: slots.NavItem) -> int:
    """The item's badge number for the page's actor (0: none)."""
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if item.badge is None or actor is None:
        return 0
    return item.badge(actor)
