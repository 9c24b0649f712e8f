"""Language choice: Spanish unless the person picked another language in the switcher."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import trans_real

from .errors import http_error, log_shortage


class LanguageMiddleware:
    """Like Django's LocaleMiddleware, but web pages ignore the browser's Accept-Language.

    Staff across the region share computers and browsers set up in English; the platform's
    working language is Spanish until a person chooses otherwise (the choice is kept in the
    language cookie). API clients may still ask for a language with Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang and not trans_real.check_for_language(lang):
            lang = None
        if not lang and request.path.startswith("/api/"):
            lang = translation.get_language_from_request(request)
        lang = translation.get_supported_language_variant(lang or settings.LANGUAGE_CODE)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        response.headers["Vary"] = ", ".join(
            v for v in [response.headers.get("Vary"), "Cookie"] if v
        )
        return response


class ServiceErrorMiddleware:
    """Pages: a service error a view did not handle becomes a clear page with the status from
    the one mapping in enlace.core.errors (409 for a stale edit or a step the workflow refuses,
    400 with the messages for refused input, 404 for missing or forbidden, 503 when the
    database ran out of disk, memory or connections: nothing was saved). The API has its own
    exception handler built on the same mapping."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        error = http_error(exception)
        if error is None or error.status == 404:
            return None  # Django's own 404 page
        if error.status == 503:
            log_shortage(exception, request.path)
        errors = [str(m) for v in error.field_errors.values() for m in v] or [str(error.detail)]
        response = render(
            request,
            "core/error.html",
            {"status": error.status, "errors": errors, "title": ERROR_TITLES[error.status]},
            status=error.status,
        )
        if request.headers.get("HX-Request") == "true":
            # htmx swaps 400, 409 and 503 (base.html's responseHandling): the error page replaces
            # the page's main content, not the small part the request meant to update.
            response["HX-Retarget"] = "#main"
            response["HX-Reswap"] = "outerHTML"
            response["HX-Reselect"] = "#main"
        return response


ERROR_TITLES = {
    400: _("This request cannot be done as sent"),
    409: _("This record has changed, or this step is no longer possible"),
    503: _("The database cannot save anything now"),
}
