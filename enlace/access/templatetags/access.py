"""Permission filters for templates that belong to apps below the access layer (accounts):
they ask the access rules, never a role name."""

from typing import Any

from django import template

from enlace.access.rules import can_see_history
from enlace.accounts.selectors import can_see_members

register = template.Library()


@register.filter
def sees_history_of(actor: Any, owner_office: Any) -> bool:
    """{% if actor|sees_history_of:office %}: the actor may read who viewed or changed it."""
    return actor is not None and can_see_history(actor, owner_office)


@register.filter
def opens_office(actor: Any, office: Any) -> bool:
    """{% if actor|opens_office:office %}: the actor may open the office's page (its members):
    the directory links only those."""
    return actor is not None and can_see_members(actor, office)
