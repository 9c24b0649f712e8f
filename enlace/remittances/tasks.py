"""The World Bank imports as background jobs (progress and report on the job's page), started
by the secretariat's staff (rules.may_import) from a page or the API; `manage.py import_rpw`
runs the same imports from a file on the server."""

import io
import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

from enlace.accounts.actor import Actor, actor_in_office
from enlace.core.jobs import job_enqueue, job_function, job_get, job_progress
from enlace.core.models import Job

from . import importers, rules

IMPORT_KIND = "remittances_rpw_import"
IMPORT_FOLDER = "imports"
CORRIDORS = "corridors"
PROVIDERS = "providers"
IMPORTERS = {
    CORRIDORS: importers.import_corridor_series,
    PROVIDERS: importers.import_provider_quotes,
}
REPORT_LIMIT = 500  # errors, skipped rows and mismatches kept on the job (all are counted)


def run_import(
    which: str,
    raw: bytes,
    *,
    actor: Actor | None,
    file_name: str = "",
    dry_run: bool = False,
    accept_valid_rows: bool = False,
) -> importers.Report:
    """One of the two imports on a file's bytes (CORRIDORS or PROVIDERS)."""
    if which not in IMPORTERS:
        raise ValueError(which)
    return IMPORTERS[which](
        raw,
        actor=actor,
        file_name=file_name,
        dry_run=dry_run,
        accept_valid_rows=accept_valid_rows,
    )


def import_start(
    *,
    actor: Actor,
    which: str,
    raw: bytes,
    file_name: str,
    dry_run: bool = False,
    accept_valid_rows: bool = False,
) -> Job:
    """Keep the file privately and import it as a job (404 for whoever may not import)."""
    if not rules.may_import(actor) or which not in IMPORTERS:
        raise Http404
    suffix = ".xlsx" if raw[:2] == b"PK" else ".csv"
    name = default_storage.save(f"{IMPORT_FOLDER}/rpw-{uuid.uuid4()}{suffix}", io.BytesIO(raw))
    return job_enqueue(
        actor=actor,
        kind=IMPORT_KIND,
        which=which,
        file=name,
        file_name=file_name[:200],
        dry_run=dry_run,
        accept_valid_rows=accept_valid_rows,
        language=get_language() or "",
    )


@job_function(
    IMPORT_KIND,
    label=_("World Bank remittance prices import"),
    results={
        "rows": _("Rows"),
        "created": _("Created"),
        "updated": _("Updated"),
        "unchanged": _("Unchanged"),
        "error_count": _("Rows with errors"),
        "skipped_count": _("Rows skipped"),
        "mismatch_count": _("Percentages that differ from the formula"),
        "imported": _("Imported"),
        "refused": _("Refused"),
    },
)
def rpw_import(
    job: Job,
    which: str,
    file: str,
    file_name: str = "",
    dry_run: bool = False,
    accept_valid_rows: bool = False,
    language: str = "",
) -> dict[str, Any]:
    """Run an import on a stored file as the job's user; the file is deleted after."""
    with override(language or settings.LANGUAGE_CODE):
        try:
            actor = actor_in_office(job.created_by, job.office_id)
            if actor is None or not rules.may_import(actor):
                return {"refused": str(_("You may no longer import remittance prices."))}
            job_progress(job, 0, 1)
            with default_storage.open(file, "rb") as f:
                raw = f.read()
            report = run_import(
                which,
                raw,
                actor=actor,
                file_name=file_name,
                dry_run=dry_run,
                accept_valid_rows=accept_valid_rows,
            ).as_dict()
            job_progress(job, 1, 1)
        finally:
            default_storage.delete(file)
    shown = (
        "rows",
        "created",
        "updated",
        "unchanged",
        "error_count",
        "skipped_count",
        "mismatch_count",
        "imported",
        "refused",
    )
    summary: dict[str, Any] = {k: report[k] for k in shown if report.get(k) not in (None, "")}
    summary["report"] = {
        **report,
        **{k: report[k][:REPORT_LIMIT] for k in ("errors", "skipped", "mismatches")},
    }
    return summary


def import_job_get(*, actor: Actor, job_id: Any) -> Job:
    """An RPW import the actor started (404 for anyone else's, another kind, a bad id)."""
    if not rules.may_import(actor):
        raise Http404
    try:
        job = job_get(actor=actor, job_id=job_id)
    except Exception as exc:  # a malformed id: the same 404
        raise Http404 from exc
    if job.kind != IMPORT_KIND:
        raise Http404
    return job
