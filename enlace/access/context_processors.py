from typing import Any

from django.http import HttpRequest

from .rules import nav_flags


def permissions(request: HttpRequest) -> dict[str, Any]:
    """`can`: what the navigation and home page offer the actor, as booleans."""
    actor = getattr(request, "actor", None)
    user = getattr(request, "user", None)
    if actor is None or user is None or not user.is_authenticated:
        return {}
    return {"can": nav_flags(actor)}
