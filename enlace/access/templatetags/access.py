"""Permission filters for templates that belong to apps below the access layer (accounts):
they ask the access rules, never a role name."""

from typing import Any

from django import template

from enlace.access.rules import can_see_history

register = template.Library()


@register.filter
def sees_history_of(actor: Any, owner_office: Any) -> bool:
    """{% if actor|sees_history_of:office %}: the actor may read who viewed or changed it."""
    return actor is not None and can_see_history(actor, owner_office)
