from typing import Any

from django.http import HttpRequest

from .selectors import my_memberships


def actor(request: HttpRequest) -> dict[str, Any]:
    """The actor and the user's memberships, for the navigation and office picker."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "actor": request.actor,  # type: ignore[attr-defined]
        "my_memberships": my_memberships(user=user),
    }
