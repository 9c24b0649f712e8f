"""Public pages and endpoints: one pattern for everything anonymous (remittance comparison,
practices library, published indicators, the self-service portal, /about/).

- No actor and no session: a public view never asks who is calling (``request.user`` is
  anonymous, ``request.actor`` raises), so it cannot use the actor-scoped selectors by mistake;
  it reads only data meant for everyone. Pages are rendered
  without the request's context processors (no user, no CSRF token), so the same bytes can be
  served to everyone and cached.
- Rate limited per client IP (django-ratelimit, ``ENLACE_PUBLIC_RATE``, e.g. ``"60/m"``): past
  the limit a page answers 429 with a translated page, an endpoint with translated JSON; both
  carry ``Retry-After``.
- Cacheable: ``Cache-Control: public, max-age=…`` and ``Vary: Accept-Language`` (the language
  middleware adds ``Cookie``, the language switcher's choice).

Use ``@public_page(max_age=…)`` on a function view that returns ``public_render(…)``, and
subclass ``PublicAPIView`` (its ``group`` names the rate-limit bucket) for an endpoint.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

DEFAULT_MAX_AGE = 300
RETRY_AFTER_SECONDS = 60
TOO_MANY = _("Too many requests from your connection. Please wait a minute and try again.")

View = Callable[..., HttpResponse]


class NoActor:
    """What a public view finds in `request.actor`: using it is a bug (the page would depend on
    who is signed in while being cached for everyone), so it fails at once."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"a public view has no actor (it asked for actor.{name})")

    def __bool__(self) -> bool:
        return False


NO_ACTOR = NoActor()


def _anonymous(request: HttpRequest) -> None:
    request.user = AnonymousUser()
    request.actor = NO_ACTOR  # type: ignore[attr-defined]


def _rate() -> str:
    return str(getattr(settings, "ENLACE_PUBLIC_RATE", "60/m"))


def over_limit(request: HttpRequest, group: str) -> bool:
    """Count this request against the client IP's budget for `group`; True once over it."""
    return is_ratelimited(request, group=f"public:{group}", key="ip", rate=_rate(), increment=True)


def make_cacheable(response: HttpResponse, max_age: int) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=max_age)
    patch_vary_headers(response, ["Accept-Language"])
    return response


def public_render(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    """Render a public page: the template sees `context` only (no user, actor or CSRF token)."""
    body = render_to_string(template, {"public_path": request.path, **(context or {})})
    return HttpResponse(body, status=status)


def too_many_requests(request: HttpRequest) -> HttpResponse:
    response = public_render(request, "429.html", {"message": TOO_MANY}, status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def public_page(max_age: int = DEFAULT_MAX_AGE, group: str = "") -> Callable[[View], View]:
    """Decorate an anonymous page: rate limited per IP, cacheable, never given an actor."""

    def decorate(view: View) -> View:
        bucket = group or f"{view.__module__}.{view.__name__}"

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if over_limit(request, bucket):
                return too_many_requests(request)
            _anonymous(request)
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                make_cacheable(response, max_age)
            return response

        wrapper.public = True  # type: ignore[attr-defined]  # for the permission-policy test
        return wrapper

    return decorate


class TooManyRequests(exceptions.Throttled):
    """429 with the translated message; DRF's handler adds Retry-After from `wait`."""

    def __init__(self) -> None:
        super().__init__(detail=force_str(TOO_MANY))
        self.wait = RETRY_AFTER_SECONDS


# For the OpenAPI schema of every public endpoint: `responses={200: …, 429: TOO_MANY_SCHEMA}`.
TOO_MANY_SCHEMA = inline_serializer("TooManyRequests", {"detail": serializers.CharField()})


class PublicAPIView(APIView):
    """Base of anonymous endpoints: no authentication (no session, no actor), rate limited
    per IP, cacheable. Subclasses implement `get` and declare their serializer for OpenAPI."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    group = ""
    max_age = DEFAULT_MAX_AGE
    public = True  # for the permission-policy test

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if over_limit(request._request, self.group or type(self).__name__):
            raise TooManyRequests
        _anonymous(request._request)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            make_cacheable(response, self.max_age)
        return response
