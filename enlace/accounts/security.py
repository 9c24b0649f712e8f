"""Sign-in safeguards shared by the web pages and the API.

Who must pass the second factor, how long an API token lives, which address a request comes
from, and whether that address has failed to log in too often.
"""

import datetime as dt
import ipaddress
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from .models import STAFF_ROLES


def two_factor_required(user: Any) -> bool:
    """Whether this user must verify a TOTP device before reaching any data."""
    if not settings.ENLACE_REQUIRE_2FA or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.memberships.filter(role__in=STAFF_ROLES, is_active=True).exists())


def is_verified(user: Any) -> bool:
    """Whether the session's user passed the second factor (django-otp marks it)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def token_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=float(settings.ENLACE_TOKEN_TTL_HOURS))


def token_expires_at(token: Token) -> dt.datetime:
    return token.created + token_lifetime()


def token_expired(token: Token) -> bool:
    return token_expires_at(token) <= timezone.now()


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the header our reverse proxy sets.

    With ENLACE_CLIENT_IP_HEADER (e.g. HTTP_X_REAL_IP) the last address in that header is used:
    it is the one our own proxy wrote; anything before it came from the client and can be forged.
    Used by django-axes (AXES_CLIENT_IP_CALLABLE), by the per-address limit below and by the
    public pages' rate limit (RATELIMIT_IP_META_KEY).
    """
    header = settings.ENLACE_CLIENT_IP_HEADER
    if header:
        forwarded = request.META.get(header, "")
        if forwarded:
            ip = _valid_ip(forwarded.split(",")[-1])
            if ip:
                return ip
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def ratelimit_ip(request: HttpRequest) -> str:
    """client_ip for django-ratelimit (RATELIMIT_IP_META_KEY), which needs a string."""
    return client_ip(request) or "0.0.0.0"  # nosec B104 # an unreadable address: one bucket  # noqa: S104


def login_failures_from(ip: str | None) -> int:
    """Failed log-ins from one address, any username, within the window (axes' own records)."""
    if not ip:
        return 0
    since = timezone.now() - dt.timedelta(minutes=settings.ENLACE_LOGIN_IP_WINDOW_MINUTES)
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return int(total or 0)


def address_blocked(request: HttpRequest) -> bool:
    """Too many failed log-ins from this address: refuse to check any more passwords for now."""
    if not getattr(settings, "AXES_ENABLED", True):
        return False
    return login_failures_from(client_ip(request)) >= settings.ENLACE_LOGIN_IP_FAILURE_LIMIT
