"""Lock-out of follow-up codes: after repeated wrong answers for one reference, or from one
client address, the follow-up refuses every further try (429) for the window, right or wrong,
whether the reference exists or not — so guessing a 99-bit secret is hopeless, and the lock-out
itself tells nothing about the reference.

Counts live in the cache, through django-ratelimit (its usage counter; the address is the
project's client IP, RATELIMIT_IP_META_KEY). Rates: ENLACE_PORTAL_FOLLOW_FAILURES_PER_CODE
(default "5/15m") and ENLACE_PORTAL_FOLLOW_FAILURES_PER_IP (default "20/h")."""

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from .services import normalise_code

PER_CODE = "5/15m"
PER_IP = "20/h"
# Requests one address may send (on top of the public pages' budget): ENLACE_PORTAL_SUBMIT_RATE.
SUBMIT_RATE = "10/h"


def _rates() -> tuple[str, str]:
    return (
        str(getattr(settings, "ENLACE_PORTAL_FOLLOW_FAILURES_PER_CODE", PER_CODE)),
        str(getattr(settings, "ENLACE_PORTAL_FOLLOW_FAILURES_PER_IP", PER_IP)),
    )


def _usages(request: HttpRequest, reference: object, increment: bool) -> list[dict | None]:  # type: ignore[type-arg]
    code = normalise_code(reference) or "-"
    per_code, per_ip = _rates()
    return [
        get_usage(
            request,
            group="portal:follow:code",
            key=lambda _g, _r: code,
            rate=per_code,
            increment=increment,
        ),
        get_usage(request, group="portal:follow:ip", key="ip", rate=per_ip, increment=increment),
    ]


def is_locked(request: HttpRequest, reference: object) -> bool:
    """Too many wrong answers for this reference or from this address, now."""
    return any(
        u is not None and u["count"] >= u["limit"] for u in _usages(request, reference, False)
    )


def record_failure(request: HttpRequest, reference: object) -> None:
    _usages(request, reference, True)


def submission_over_limit(request: HttpRequest) -> bool:
    """Count a submission against the client address's budget; True once over it (a flood of
    requests is refused with 429 before anything is checked or stored)."""
    rate = str(getattr(settings, "ENLACE_PORTAL_SUBMIT_RATE", SUBMIT_RATE))
    usage = get_usage(request, group="portal:submit", key="ip", rate=rate, increment=True)
    return usage is not None and usage["should_limit"]
