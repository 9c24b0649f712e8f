"""Home dashboard, job progress, and the public /about/ page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_GET, require_POST

from . import help as guides
from .jobs import job_enqueue, job_get, job_list
from .pagination import paginate
from .public import public_page, public_render
from .slots import help_items
from .sorting import sorted_list


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: the apps' HOME panels (see enlace.core.slots), then the user's jobs."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    actor = request.actor  # type: ignore[attr-defined]
    context = {"jobs": job_list(actor=actor)[:5]}
    return render(request, "core/home.html", context)


# A user's own jobs are few: sorting them is bounded by what one person started (and the
# foreign key's index on the starter finds them).
JOB_SORTS = {"created": ("created", "id"), "status": ("status", "-created", "-id")}


@login_required
def jobs(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    rows, sort = sorted_list(job_list(actor=actor), request.GET, JOB_SORTS, "-created")
    return render(request, "core/jobs.html", {"page": paginate(request, rows), "sort": sort})


@login_required
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    job = job_get(actor=request.actor, job_id=job_id)  # type: ignore[attr-defined]
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


@require_POST
@login_required
def reference_refresh_start(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    if not actor.is_admin:
        return render(request, "404.html", status=404)
    job = job_enqueue(actor=actor, kind="reference_refresh")
    return redirect("core:job_detail", job_id=job.pk)


@require_GET
@public_page(max_age=3600)
def about(request: HttpRequest) -> HttpResponse:
    """What Enlace is, for anyone (no login)."""
    return public_render(request, "core/about.html")


@require_GET
def language(request: HttpRequest) -> HttpResponse:
    """The public pages' language links: remember the choice and go back (no form, no CSRF
    token, so those pages stay cacheable); only a local `next` is followed."""
    nxt = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/about/"
    response = HttpResponseRedirect(nxt)
    code = request.GET.get("language", "")
    if check_for_language(code) and code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@require_GET
@login_required
def help_index(request: HttpRequest) -> HttpResponse:
    """The user guides, and the links the apps add for the reader's role (the API's docs)."""
    actor = request.actor  # type: ignore[attr-defined]
    context = {"guides": guides.GUIDES, "links": help_items(actor)}
    return render(request, "core/help.html", context)


@require_GET
@login_required
def help_guide(request: HttpRequest, slug: str) -> HttpResponse:
    """A guide in the reader's language where it is translated, else in English (?lang= picks
    another language, for the guides' links to their translations)."""
    guide = guides.guide(slug)
    if guide is None:
        raise Http404
    asked = request.GET.get("lang", "")
    lang = asked if asked in dict(settings.LANGUAGES) else None
    title, body, written_in = guides.render_guide(slug, lang)
    context = {"guide": guide, "title": title, "body": body, "written_in": written_in}
    return render(request, "core/help_guide.html", context)


@require_GET
@login_required
def help_image(request: HttpRequest, name: str) -> FileResponse:
    """A screenshot the guides show (docs/img); nothing else of the disk."""
    path = guides.image_path(name)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response
