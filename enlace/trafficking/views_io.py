"""Pages of the HTCDS import and export and the CTDC extract (traf-io)."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import ctdc, htcds_io

ACTIONS = ("check", "import", "import_valid")


class HtcdsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("HTCDS workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


@login_required
def htcds_import(request: HttpRequest) -> HttpResponse:
    """Upload a workbook; check it (dry run), import it, or import its valid rows only."""
    actor = _actor(request)
    if not htcds_io._may_import(actor):
        raise Http404
    report = None
    status = 200
    form = HtcdsUploadForm()
    if request.method == "POST":
        form = HtcdsUploadForm(request.POST, request.FILES)
        choice = request.POST.get("action", "check")
        if choice not in ACTIONS:
            choice = "check"
        if form.is_valid():
            raw = form.cleaned_data["file"].read()
            dry_run = choice == "check"
            accept = choice == "import_valid"
            if len(raw) > htcds_io.INLINE_BYTES:
                job = htcds_io.import_start(
                    actor=actor, raw=raw, dry_run=dry_run, accept_valid_rows=accept
                )
                return redirect("core:job_detail", job_id=job.pk)
            report = htcds_io.import_htcds(actor, raw, dry_run=dry_run, accept_valid_rows=accept)
            if report["errors"] or report["refused"]:
                status = 400 if not report["imported"] else 200
        else:
            status = 400
    return render(
        request,
        "trafficking/import.html",
        {"form": form, "report": report},
        status=status,
    )


@login_required
def htcds_import_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """The report of an import that ran as a job (only its starter sees it)."""
    job = htcds_io.import_job_get(actor=_actor(request), job_id=job_id)
    return render(
        request,
        "trafficking/import_job.html",
        {"job": job, "report": job.result.get("report") if job.is_finished else None},
    )


@login_required
def htcds_template(request: HttpRequest) -> HttpResponse:
    """The empty workbook to fill in (the template's layout with Enlace's sheets)."""
    if not htcds_io._may_import(_actor(request)):
        raise Http404
    response = HttpResponse(htcds_io._workbook_bytes(), content_type=htcds_io.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="htcds-enlace.xlsx"'
    return response


@login_required
@require_POST
def htcds_export(request: HttpRequest) -> HttpResponse:
    """Start the export of the list as filtered (the filters come as the form's fields)."""
    job = htcds_io.export_start(_actor(request), request.POST)
    return redirect("core:job_detail", job_id=job.pk)


@login_required
def htcds_export_download(request: HttpRequest, job_id: str) -> FileResponse:
    job = htcds_io.export_read(actor=_actor(request), job_id=job_id)
    file = default_storage.open(job.result["file"], "rb")
    response = FileResponse(
        file, as_attachment=True, filename="enlace-htcds.xlsx", content_type=htcds_io.CONTENT_TYPE
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def ctdc_extract(request: HttpRequest) -> HttpResponse:
    """The CTDC-layout extract as a CSV download (logged)."""
    body = ctdc.extract_csv(_actor(request))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="enlace-ctdc.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
