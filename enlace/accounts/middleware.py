"""Attach the actor to each request; require two-factor for staff roles where configured."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject

from .actor import actor_for
from .models import STAFF_ROLES


class ActiveMembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = SimpleLazyObject(lambda: actor_for(request.user))  # type: ignore[attr-defined,arg-type]
        return self.get_response(request)


# Paths a user who still has to pass two-factor may reach.
TWO_FACTOR_EXEMPT = ("/accounts/", "/i18n/", "/static/", "/api/")


class TwoFactorRequiredMiddleware:
    """Staff roles must verify a TOTP device before using the web UI (ENLACE_REQUIRE_2FA).

    The API is exempt here because it authenticates by token, which is issued only after an
    interactive, verified login in production (see enlace.api.views.TokenView).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.ENLACE_REQUIRE_2FA
            and request.user.is_authenticated
            and not request.user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(TWO_FACTOR_EXEMPT)
            and request.user.memberships.filter(  # type: ignore[union-attr]
                role__in=STAFF_ROLES, is_active=True
            ).exists()
        ):
            return redirect("accounts:two_factor")
        return self.get_response(request)
