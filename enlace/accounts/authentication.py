"""API authentication: tokens that expire, and sessions only once the second factor is passed."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from .security import is_verified, token_expired, two_factor_required


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token, refused once older than ENLACE_TOKEN_TTL_HOURS (a new one must be asked for)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise AuthenticationFailed(_("The token has expired. Ask for a new one."))
        return user, token


class VerifiedSessionAuthentication(SessionAuthentication):
    """The browser session, accepted only after the second factor where the user needs one.

    Without this a user who typed only the password could use the whole API with the session
    cookie that the log-in form gave them.
    """

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        user = getattr(request._request, "user", None)
        if not user or not user.is_active:
            return None
        if two_factor_required(user) and not is_verified(user):
            raise AuthenticationFailed(_("Verify your two-factor code before using the API."))
        self.enforce_csrf(request)
        return (user, None)


class VerifiedSessionScheme(SessionScheme):
    """The OpenAPI schema shows the verified session as the usual session cookie."""

    target_class = "enlace.accounts.authentication.VerifiedSessionAuthentication"
