"""The audit trail: changes to the records of the offices the reader oversees (filtered,
paged, sortable by time, downloadable as CSV), and the history of one record."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from enlace.audit.models import Purpose
from enlace.core.pagination import paginate
from enlace.core.sorting import sorted_list
from enlace.core.text import spreadsheet_safe

from .audit_present import change_text, present, record_type_label
from .filters import AuditFilter
from .history import change_list, record_history

AUDIT_SORTS = {"at": ("at", "id")}
# A download holds at most this many changes (the newest that match): narrow the filters for
# older ones. Each person named in it is logged as exported.
EXPORT_LIMIT = 5_000
EXPORT_CHUNK = 500


@login_required
def history(request: HttpRequest, record_type: str, record_id: str) -> HttpResponse:
    """Who viewed and who changed one record."""
    actor = request.actor  # type: ignore[attr-defined]
    reads, changes = record_history(actor=actor, record_type=record_type, record_id=record_id)
    changes_page = paginate(request, changes)
    views_page = paginate(request, reads, param="views")
    events = present(actor, changes_page.object_list, Purpose.VIEW)
    named = next((e for e in events if e.visible), None)
    if named is None:  # the record's name from the first page, else from the name service
        named = next(iter(present(actor, changes[:1], Purpose.VIEW)), None)
    return render(
        request,
        "audit/history.html",
        {
            "events": events,
            "page": changes_page,
            "views_page": views_page,
            "record_kind": record_type_label(record_type),
            "record_name": named.record if named else "",
        },
    )


@login_required
def recent(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    rows, sort = sorted_list(change_list(actor=actor), request.GET, AUDIT_SORTS, "-at")
    filterset = AuditFilter(request.GET, queryset=rows)
    status = 200
    if filterset.is_valid():
        page = paginate(request, filterset.qs)
    else:  # the form shows what is wrong next to the filter
        page, status = paginate(request, rows.none()), 400
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/recent.html",
        {
            "form": filterset.form,
            "page": page,
            "events": present(actor, page.object_list, Purpose.LIST),
            "sort": sort,
            "query": query.urlencode(),
        },
        status=status,
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The trail as filtered, as CSV; a bad filter is a 400. Naming people in a file is an
    export: each is logged as such."""
    actor = request.actor  # type: ignore[attr-defined]
    rows, _sort = sorted_list(change_list(actor=actor), request.GET, AUDIT_SORTS, "-at")
    filterset = AuditFilter(request.GET, queryset=rows)
    if not filterset.is_valid():
        messages = [str(m) for v in filterset.errors.values() for m in v]
        return render(
            request,
            "core/error.html",
            {"status": 400, "errors": messages, "title": _("This request cannot be done as sent")},
            status=400,
        )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("When"),
            _("Who"),
            _("Office"),
            _("Action"),
            _("Kind of record"),
            _("Record"),
            _("Changes"),
        ]
    )
    selected = list(filterset.qs[:EXPORT_LIMIT])
    for start in range(0, len(selected), EXPORT_CHUNK):
        for e in present(actor, selected[start : start + EXPORT_CHUNK], Purpose.EXPORT):
            user = e.row.actor
            writer.writerow(
                [
                    spreadsheet_safe(cell)
                    for cell in (
                        timezone.localtime(e.row.at).isoformat(timespec="seconds"),
                        (user.get_full_name() or user.username) if user else "",
                        e.row.actor_office.name if e.row.actor_office else "",
                        e.action,
                        e.record_kind,
                        e.record,
                        change_text(e.changes),
                    )
                ]
            )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="enlace-audit-{stamp}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
