"""Home dashboard and job progress."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .jobs import job_enqueue, job_get, job_list
from .pagination import paginate


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    actor = request.actor  # type: ignore[attr-defined]
    context: dict[str, object] = {"jobs": job_list(actor=actor)[:5]}
    from enlace.access import rules

    if rules.works_cases(actor):
        from enlace.cases.selectors import cases_shown, dashboard
        from enlace.people.present import display_name

        board = dashboard(actor=actor)
        keys = ("my_cases", "overdue", "closure_pending", "assessment_pending")
        shown = {c.pk: c for key in keys for c in board[key]}
        cases_shown(actor=actor, cases=shown.values())  # one logged read per case on the page
        for key in keys:
            board[key] = [(c, display_name(actor, c.person)) for c in board[key]]
        context["board"] = board
    return render(request, "core/home.html", context)


@login_required
def jobs(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/jobs.html",
        {"page": paginate(request, job_list(actor=request.actor))},  # type: ignore[attr-defined]
    )


@login_required
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    job = job_get(actor=request.actor, job_id=job_id)  # type: ignore[attr-defined]
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


@require_POST
@login_required
def reference_refresh_start(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    from enlace.access.rules import is_administrator

    if not is_administrator(actor):
        return render(request, "404.html", status=404)
    job = job_enqueue(actor=actor, kind="reference_refresh")
    return redirect("core:job_detail", job_id=job.pk)
