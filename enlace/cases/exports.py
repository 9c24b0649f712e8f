"""CSV and XLSX exports of the actor's scoped case list, as background jobs (audited;
formula-safe; never the migratory status).

A 20k-case export takes longer than a request may, so a request only validates the filters and
starts a job (`export_start`); the job (`case_export`) acts as the user who started it, in the
office they started it from, as they stand when it runs, and writes the file chunk by chunk to
private storage: a constant number of queries and bounded memory per chunk, progress after each.
Every case written is logged as read for export. Only the user who started the job downloads the
file (`export_read`, logged as a download, refusals too) until it expires
(ENLACE_EXPORT_TTL_HOURS; `exports_expire` deletes expired files).
"""

import csv
import io
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import IO, Any, Protocol
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from enlace.access.reads import Purpose, read_many, read_one
from enlace.accounts.actor import Actor, actor_in_office
from enlace.core.errors import TransitionNotAllowed
from enlace.core.filters import bound_filters
from enlace.core.jobs import (
    job_enqueue,
    job_files_expire,
    job_function,
    job_get,
    job_progress,
)
from enlace.core.models import Job
from enlace.core.text import spreadsheet_safe, xlsx_escape

from .filters import ExportFilter
from .models import Case
from .present import case_fields
from .selectors import case_list

KIND = "case_export"
FOLDER = "exports"  # in the default (private) storage: MEDIA_ROOT is never served directly
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Column key, header. The migratory status is not a column and never will be.
COLUMNS = [
    ("reference", "Reference"),
    ("person_name", "Person"),
    ("case_type", "Case type"),
    ("status", "Status"),
    ("risk_level", "Risk level"),
    ("due_date", "Due date"),
    ("is_overdue", "Overdue"),
    ("assigned_to", "Assigned to"),
    ("summary", "Summary"),
    ("created", "Opened"),
]


class ExportRefused(Exception):
    """The job's user may no longer act in the office the export was started from."""


def _headers() -> list[str]:
    labels = {
        "Reference": _("Reference"),
        "Person": _("Person"),
        "Case type": _("Case type"),
        "Status": _("Status"),
        "Risk level": _("Risk level"),
        "Due date": _("Due date"),
        "Overdue": _("Overdue"),
        "Assigned to": _("Assigned to"),
        "Summary": _("Summary"),
        "Opened": _("Opened"),
    }
    return [labels[h] for _k, h in COLUMNS]


# ---------------------------------------------------------------- starting


def export_params(params: Any) -> dict[str, list[str]]:
    """The export's filters and format from a request's query, as JSON for the job's kwargs
    (anything else, such as a page number, is left out)."""
    out: dict[str, list[str]] = {}
    for name in ExportFilter.base_filters:
        if name in params:
            values = params.getlist(name) if hasattr(params, "getlist") else [params[name]]
            out[name] = [str(v) for v in values]
    return out


def _querydict(params: dict[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in params.items():
        data.setlist(name, values)
    return data


def _filterset(actor: Actor, params: Any, *, allow_empty: bool) -> ExportFilter:
    return bound_filters(
        ExportFilter, params, case_list(actor=actor), actor=actor, allow_empty=allow_empty
    )


def export_start(
    actor: Actor, params: Any, *, allow_empty: bool = True, values: str = "labels"
) -> Job:
    """Validate the filters now (a bad one raises ValidationFailed: 400, as the list does) and
    queue the export; nothing is read until the job runs. `values` is what the file holds when
    the query does not say: words for people (the pages), codes for scripts (the API)."""
    actor.require_office()
    _filterset(actor, params, allow_empty=allow_empty)
    kept = export_params(params)
    kept.setdefault("values", [values])
    return job_enqueue(actor=actor, kind=KIND, params=kept, language=get_language() or "")


# ---------------------------------------------------------------- the job


class _Writer(Protocol):
    def row(self, values: list[Any]) -> None: ...
    def close(self) -> None: ...


class _CsvWriter:
    """Rows straight to the file: nothing but the current row in memory."""

    def __init__(self, out: IO[bytes]) -> None:
        self._text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        self._text.write("\ufeff")  # BOM so Excel reads UTF-8
        self._csv = csv.writer(self._text)
        self._csv.writerow(_headers())

    def row(self, values: list[Any]) -> None:
        self._csv.writerow(values)

    def close(self) -> None:
        self._text.flush()
        self._text.detach()  # leave the file open for the caller


class _XlsxWriter:
    """openpyxl's write-only mode streams rows to a temporary file, not to a tree in memory."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(_("Cases"))
        self._sheet.append(_headers())

    def row(self, values: list[Any]) -> None:
        cells = []
        for value in values:
            # Control characters are illegal in XML; OOXML's _xHHHH_ escape keeps them intact.
            cell = WriteOnlyCell(
                self._sheet, value=xlsx_escape(value) if isinstance(value, str) else value
            )
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        self._sheet.append(cells)

    def close(self) -> None:
        self._book.save(self._out)


WRITERS: dict[str, type[_CsvWriter] | type[_XlsxWriter]] = {
    "csv": _CsvWriter,
    "xlsx": _XlsxWriter,
}


# The columns the rows and the identity rule read (case_fields, display_name, the access log):
# the list's related rows are still joined (and whatever it prefetches, prefetched), but without
# their other columns, which at 20k cases cost more to convert than everything else. A column
# read but left out here would cost a query per case: the queries-per-chunk test would see it.
EXPORTED_FIELDS = (
    "id",
    "created",
    "reference",
    "case_type",
    "summary",
    "status",
    "risk_level",
    "due_date",
    "version",
    "closure_requested_by",
    "owner_office",
    "assigned_to__username",
    "person__owner_office__country",
    "person__identity_protection",
    "person__given_names",
    "person__first_surname",
    "person__second_surname",
)


def _chunks(
    actor: Actor, cases: QuerySet[Case], size: int, codes: bool = False
) -> Iterator[list[list[Any]]]:
    """The rows, a chunk at a time; the chunk's cases are logged as read for export.

    `.iterator(chunk_size)` runs the list query once and the list's prefetches once per chunk,
    so the queries per chunk are the same whatever the number of cases."""
    batch: list[Case] = []
    for case in cases.iterator(chunk_size=size):
        batch.append(case)
        if len(batch) >= size:
            yield _logged_rows(actor, batch, codes)
            batch = []
    if batch:
        yield _logged_rows(actor, batch, codes)


def labelled_fields(actor: Actor, case: Case) -> dict[str, Any]:
    """A case's exported values as a reader wants them: type, status and risk in words, yes/no,
    dates without the time zone's offset, in the active language."""
    fields = case_fields(actor, case)
    fields["case_type"] = case.get_case_type_display()
    fields["status"] = case.get_status_display()
    fields["risk_level"] = case.get_risk_level_display()
    fields["is_overdue"] = _("Yes") if case.is_overdue else _("No")
    fields["created"] = timezone.localtime(case.created).strftime("%Y-%m-%d %H:%M")
    return fields


def _logged_rows(actor: Actor, cases: list[Case], codes: bool = False) -> list[list[Any]]:
    read_many(actor=actor, records=cases, purpose=Purpose.EXPORT)
    present = case_fields if codes else labelled_fields
    return [
        [spreadsheet_safe(fields[k]) for k, _h in COLUMNS]
        for fields in (present(actor, c) for c in cases)
    ]


@job_function(
    KIND,
    label=_lazy("Case export"),
    results={
        "rows": _lazy("Rows"),
        "format": _lazy("File format"),
        "csv": "CSV",
        "xlsx": "XLSX",
    },
)
def case_export(job: Job, params: dict[str, list[str]], language: str = "") -> dict[str, Any]:
    """Write the export file of the job's user, as they stand now, in the language of the
    request that started it, and name the file in the result."""
    with override(language or settings.LANGUAGE_CODE):
        return _case_export(job, params)


def _case_export(job: Job, params: dict[str, list[str]]) -> dict[str, Any]:
    exports_expire()
    actor = actor_in_office(job.created_by, job.office_id)
    if actor is None:
        raise ExportRefused(_("You are no longer a member of the office this export was for."))
    filterset = _filterset(actor, _querydict(params), allow_empty=True)
    fmt = filterset.form.cleaned_data.get("format") or "csv"
    codes = filterset.form.cleaned_data.get("values") == "codes"
    # Only the related rows the columns and the identity rule read (the list also joins the
    # owning office and its country, for pages; 18k cases make 37k model instances fewer).
    cases = (
        filterset.qs.select_related(None)
        .select_related("person__owner_office", "assigned_to")
        .order_by("-created", "-pk")
        .only(*EXPORTED_FIELDS)
    )
    total = cases.order_by().values("pk").count()  # no related rows to count ids
    job_progress(job, 0, total)
    written = 0
    with tempfile.TemporaryFile() as out:
        writer = WRITERS[fmt](out)
        for rows in _chunks(actor, cases, settings.ENLACE_EXPORT_CHUNK_SIZE, codes):
            for row in rows:
                writer.row(row)
            written += len(rows)
            job_progress(job, written, max(total, written))
        writer.close()
        out.seek(0)
        name = default_storage.save(f"{FOLDER}/{job.pk}.{fmt}", File(out))
    return {
        "rows": written,
        "format": fmt,
        "file": name,
        "download": reverse("cases:export_download", args=[job.pk]),
    }


# ---------------------------------------------------------------- status, download, expiry


def export_job_get(*, actor: Actor, job_id: UUID | str) -> Job:
    """An export job the actor started (404 for anyone else's, another kind, a malformed id)."""
    try:
        job = job_get(actor=actor, job_id=job_id)
    except ValidationError as exc:  # a malformed UUID
        raise Http404 from exc
    if job.kind != KIND:
        raise Http404
    return job


def expires_at(job: Job) -> datetime | None:
    """When a finished export's file stops being offered (None while it runs)."""
    if job.finished is None:
        return None
    return job.finished + timedelta(hours=settings.ENLACE_EXPORT_TTL_HOURS)


def export_file(job: Job) -> str | None:
    """The stored file of a finished export that has not expired, else None."""
    name = job.result.get("file") if job.status == Job.Status.SUCCEEDED else None
    expires = expires_at(job)
    if not name or expires is None or expires <= timezone.now():
        return None
    return str(name)


NOT_READY_MESSAGE = _lazy(
    "The export is still being written: follow its status URL until it offers the download."
)


def _downloadable(actor: Actor, job_id: UUID | str) -> Job:
    job = export_job_get(actor=actor, job_id=job_id)
    if job.status in (Job.Status.QUEUED, Job.Status.RUNNING):
        # Not missing, only not yet there (409, not 404: the job exists and is the actor's).
        raise TransitionNotAllowed(NOT_READY_MESSAGE)
    name = export_file(job)
    if name is None or not default_storage.exists(name):
        raise Http404
    return job


def export_read(*, actor: Actor, job_id: UUID | str) -> Job:
    """The export job whose file the actor downloads; the download is logged (an AccessEvent
    on the job with purpose DOWNLOAD; a refused attempt too, as denied). The cases in it were
    logged one by one, as exported, when the job wrote the file."""
    return read_one(
        actor=actor,
        record_type="core.job",
        record_id=job_id,
        get=lambda: _downloadable(actor, job_id),
        owner_path="office",
        purpose=Purpose.DOWNLOAD,
    )


def export_open(job: Job) -> tuple[IO[bytes], str, str]:
    """The file, its download name and content type."""
    fmt = job.result.get("format", "csv")
    return default_storage.open(job.result["file"], "rb"), f"enlace-cases.{fmt}", CONTENT_TYPES[fmt]


def exports_expire() -> int:
    """Delete the files of exports finished more than ENLACE_EXPORT_TTL_HOURS ago; the jobs stay
    (the history of who exported when) without their file. Returns how many were deleted."""
    return job_files_expire(kinds=[KIND], ttl_hours=settings.ENLACE_EXPORT_TTL_HOURS)
