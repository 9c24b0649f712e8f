"""Attach the actor to each request; require two-factor for staff roles where configured."""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject

from .actor import request_actor
from .security import is_verified, two_factor_required


class SessionRefreshMiddleware:
    """Activity keeps a signed-in session alive (the idle timeout is SESSION_COOKIE_AGE) without
    writing the session row on every request: it is saved again, with a new expiry, once the
    last save is ENLACE_SESSION_REFRESH_SECONDS old. The idle timeout is therefore exact to
    within that many seconds."""

    STAMP = "_enlace_refreshed"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session that exists and was read (no new session for a token or a robot).
        if (
            session is not None
            and session.accessed
            and session.session_key
            and not session.is_empty()
        ):
            now = int(time.time())
            stamp = session.get(self.STAMP)
            if not isinstance(stamp, int) or now - stamp >= settings.ENLACE_SESSION_REFRESH_SECONDS:
                session[self.STAMP] = now
        return response


class ActiveMembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = SimpleLazyObject(lambda: request_actor(request))  # type: ignore[attr-defined,arg-type]
        return self.get_response(request)


# Paths a user who still has to pass two-factor may reach: the log-in, log-out and two-factor
# pages and the public pages (resolved by name in the middleware), the language switch and
# static files. The API
# answers for itself: its session authentication refuses a session without the second factor
# (enlace.accounts.authentication.VerifiedSessionAuthentication).
TWO_FACTOR_EXEMPT_PREFIXES = ("/i18n/", "/static/", "/api/")  # /api/v1/public/ included
TWO_FACTOR_EXEMPT_NAMES = (
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor",
    "core:about",
    "core:language",
)


class TwoFactorRequiredMiddleware:
    """Staff roles must verify a TOTP device before any page with data (ENLACE_REQUIRE_2FA)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.ENLACE_REQUIRE_2FA
            and request.user.is_authenticated
            and not is_verified(request.user)
            and not request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES)
            and request.path not in {reverse(name) for name in TWO_FACTOR_EXEMPT_NAMES}
            and two_factor_required(request.user)
        ):
            return redirect("accounts:two_factor")
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Nothing shown to a signed-in user is kept by the browser or a shared cache.

    Runs after the view, so a user authenticated by an API token counts too (DRF sets it on
    the request).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
