"""The portal's information half (issue 17): the landing page, the office finder and directory,
the rights pages, and the installable web app (manifest + service worker).

Every page is public (enlace.core.public): no account, no session, no CSRF token, the same bytes
for everyone in a language, rate limited per address. Nothing here reads personal data: the
office directory is what offices publish (info_selectors)."""

import json

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from enlace.core.models import Country
from enlace.core.public import (
    over_limit,
    public_page,
    public_render,
    too_many_requests,
)

from . import info_selectors, rights

# The intake half's pages (branch portal-intake): their names once it is merged, else the paths
# its brief fixes.
INTAKE_LINKS = {
    "ask_help": ("portal:ask_help", "/portal/ask/help/"),
    "ask_tracing": ("portal:ask_tracing", "/portal/ask/tracing/"),
    "follow": ("portal:follow", "/portal/follow/"),
}


def _url_or_path(name: str, path: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return path


def intake_links() -> dict[str, str]:
    return {key: _url_or_path(name, path) for key, (name, path) in INTAKE_LINKS.items()}


@require_GET
@public_page()
def home(request: HttpRequest) -> HttpResponse:
    """Three doors: find the right office; ask for help (or look for a relative, or follow a
    request); know your rights."""
    return public_render(request, "portal/home.html", {"links": intake_links()})


class FinderForm(forms.Form):
    """Nationality and the country where the person is (ISO codes, from the two lists)."""

    nationality = forms.CharField(label=gettext_lazy("Your nationality"), max_length=2)
    country = forms.CharField(label=gettext_lazy("The country where you are now"), max_length=2)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.known = {c.pk: c for c in Country.objects.all()}

    def _country(self, key: str) -> Country:
        code = str(self.cleaned_data.get(key) or "").upper()
        if code not in self.known:
            raise forms.ValidationError(_("Choose a country from the list."))
        return self.known[code]

    def clean_nationality(self) -> Country:
        return self._country("nationality")

    def clean_country(self) -> Country:
        return self._country("country")


@require_GET
@public_page()
def offices(request: HttpRequest) -> HttpResponse:
    """The office finder: nationality + where the person is → the offices that can help. A
    country that is not in the lists is a 400 with the form and its message."""
    asked = "nationality" in request.GET or "country" in request.GET
    form = FinderForm(request.GET if asked else None)
    context: dict[str, object] = {
        "form": form,
        "countries": info_selectors.countries(),
        "selected": {
            "nationality": str(request.GET.get("nationality", "")).upper(),
            "country": str(request.GET.get("country", "")).upper(),
        },
        "links": intake_links(),
    }
    if not asked:
        return public_render(request, "portal/offices.html", context)
    if not form.is_valid():
        return public_render(request, "portal/offices.html", context, status=400)
    context["found"] = info_selectors.find_offices(
        form.cleaned_data["nationality"], form.cleaned_data["country"]
    )
    return public_render(request, "portal/offices.html", context)


@require_GET
@public_page()
def directory(request: HttpRequest) -> HttpResponse:
    """Every office of the directory by country: the page the web app keeps for offline use."""
    return public_render(request, "portal/directory.html", {"groups": info_selectors.directory()})


@require_GET
@public_page()
def rights_index(request: HttpRequest) -> HttpResponse:
    return public_render(request, "portal/rights_index.html", {"pages": rights.PAGES})


@require_GET
@public_page()
def rights_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A rights page in the reader's language (or `?lang=` among the languages it is written
    in, Haitian Creole included)."""
    entry = rights.page(slug)
    if entry is None:
        raise Http404
    lang = request.GET.get("lang", "")
    if lang and lang not in rights.RIGHTS_LANGUAGES:
        raise Http404
    title, body, written_in = rights.render_page(slug, lang or None)
    return public_render(
        request,
        "portal/rights_page.html",
        {
            "title": title,
            "body": body,
            "written_in": written_in,
            "slug": slug,
            "pages": rights.PAGES,
            "other_languages": [
                (code, rights.LANGUAGE_NAMES[code])
                for code in rights.RIGHTS_LANGUAGES
                if code != written_in
            ],
        },
    )


# --- the installable web app -----------------------------------------------------------------

ICONS = (
    ("portal/icon.svg", "any", "image/svg+xml"),
    ("portal/icon-192.png", "192x192", "image/png"),
    ("portal/icon-512.png", "512x512", "image/png"),
)


@require_GET
@public_page(max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest (W3C Web Application Manifest): installable, opens on /portal/."""
    data = {
        "name": _("Enlace — help for migrants"),
        "short_name": "Enlace",
        "description": _(
            "Find the right office, ask for consular help, follow your request, know your rights."
        ),
        "lang": get_language(),
        "start_url": reverse("portal_info:home"),
        "scope": reverse("portal_info:home"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#14532d",
        "icons": [
            {"src": static(path), "sizes": sizes, "type": kind, "purpose": "any"}
            for path, sizes, kind in ICONS
        ],
    }
    body = json.dumps(data, ensure_ascii=False)
    return HttpResponse(body, content_type="application/manifest+json; charset=utf-8")


def offline_urls() -> list[str]:
    """What the service worker keeps for offline use: the landing page, the rights pages, the
    office finder and the whole directory, and the files they load."""
    urls = [
        reverse("portal_info:home"),
        reverse("portal_info:rights"),
        *(reverse("portal_info:rights_page", args=[p.slug]) for p in rights.PAGES),
        reverse("portal_info:offices"),
        reverse("portal_info:directory"),
        static("portal/portal.css"),
        static("portal/portal.js"),
        static("portal/icon.svg"),
    ]
    return urls


# Pages the worker may keep a copy of: never the intake's forms or a request's status.
CACHEABLE_PREFIXES = ("/portal/rights/", "/portal/offices/")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from /portal/ so that its scope is /portal/. Not cached by
    the browser's HTTP cache (`no-cache`), so a new version is picked up at the next visit.
    Rate limited like the public pages."""
    if over_limit(request, "portal.sw"):
        return too_many_requests(request)
    response = public_render(
        request,
        "portal/sw.js",
        {
            "offline_urls": json.dumps(offline_urls()),
            "cacheable": json.dumps(
                [reverse("portal_info:home"), *CACHEABLE_PREFIXES, static("portal/")]
            ),
            "directory_url": json.dumps(reverse("portal_info:directory")),
            "offices_url": json.dumps(reverse("portal_info:offices")),
            "home_url": json.dumps(reverse("portal_info:home")),
            "version": json.dumps(SW_VERSION),
        },
    )
    response["Content-Type"] = "text/javascript; charset=utf-8"
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("portal_info:home")
    return response


service_worker.public = True  # type: ignore[attr-defined]  # for the permission-policy test

# Bump to replace every cached copy (the worker deletes caches of other versions).
SW_VERSION = "enlace-portal-1"
