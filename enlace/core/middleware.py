"""Language choice: Spanish unless the person picked another language in the switcher."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import trans_real


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
