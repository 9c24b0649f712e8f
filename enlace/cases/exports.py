"""CSV and XLSX exports of the actor's scoped case list (audited; formula-safe; no status)."""

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from enlace.access.reads import Purpose, read_many
from enlace.accounts.actor import Actor
from enlace.core.filters import bound_filters
from enlace.core.text import spreadsheet_safe, xlsx_escape

from .filters import ExportFilter
from .models import Case
from .present import case_fields

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


LOG_BATCH = 500


def _rows(actor: Actor, cases: QuerySet[Case]) -> Iterator[list[Any]]:
    """The rows of the export; every case written is logged as read for export."""
    batch: list[Case] = []
    for case in cases.iterator(chunk_size=LOG_BATCH):  # the list's prefetches, per chunk
        fields = case_fields(actor, case)
        batch.append(case)
        if len(batch) >= LOG_BATCH:
            read_many(actor=actor, records=batch, purpose=Purpose.EXPORT)
            batch = []
        yield [spreadsheet_safe(fields[k]) for k, _h in COLUMNS]
    read_many(actor=actor, records=batch, purpose=Purpose.EXPORT)


def export_csv(actor: Actor, cases: QuerySet[Case]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_headers())
    for row in _rows(actor, cases):
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM so Excel reads UTF-8


def export_xlsx(actor: Actor, cases: QuerySet[Case]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Cases"))
    sheet.append(_headers())
    for row in _rows(actor, cases):
        cells = []
        for value in row:
            # Control characters are illegal in XML; OOXML's _xHHHH_ escape keeps them intact.
            cell = WriteOnlyCell(
                sheet, value=xlsx_escape(value) if isinstance(value, str) else value
            )
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_response(actor: Actor, params: Any, *, allow_empty: bool = True) -> HttpResponse:
    """The scoped case list, filtered by ExportFilter (the list's filters and ?format=csv|xlsx),
    as a download; a bad parameter raises ValidationFailed (400)."""
    from .selectors import case_list

    if actor.office is None:
        raise Http404
    filterset = bound_filters(
        ExportFilter, params, case_list(actor=actor), actor=actor, allow_empty=allow_empty
    )
    fmt = filterset.form.cleaned_data.get("format") or "csv"
    if fmt == "xlsx":
        body = export_xlsx(actor, filterset.qs)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = export_csv(actor, filterset.qs)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="enlace-cases.{fmt}"'
    return response
