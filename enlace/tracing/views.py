"""Tracing pages: requests, possible matches (each side sees only what the firewall allows),
review with consent, reunification, and the registry relink job."""

import csv
import io
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enlace.access import rules
from enlace.access.reads import Purpose
from enlace.core.errors import StaleEdit, TransitionNotAllowed, ValidationFailed
from enlace.core.forms import apply_errors, stale_edit
from enlace.core.jobs import job_enqueue
from enlace.core.pagination import paginate
from enlace.core.sorting import sorted_list
from enlace.core.text import spreadsheet_safe

from . import selectors, services
from .forms import (
    ConfirmForm,
    RejectForm,
    ReunificationForm,
    TracingRequestEditForm,
    TracingRequestForm,
    WithdrawRequestForm,
)
from .present import comparison, match_fields


def _actor(request: HttpRequest) -> Any:
    actor = request.actor  # type: ignore[attr-defined]
    if not rules.can_trace(actor):
        raise Http404
    return actor


# Sortable columns of the office's requests, served by indexes on (office, field) (tracing 0005).
REQUEST_SORTS = {"created": ("created", "id"), "reference": ("reference",)}


@login_required
def tracing_home(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    requests, sort = sorted_list(
        selectors.request_list(actor=actor), request.GET, REQUEST_SORTS, "-created"
    )
    requests_page = paginate(request, requests)
    selectors.requests_shown(actor=actor, requests=requests_page.object_list)
    proposed = selectors.match_list(actor=actor, side="owner").filter(status="proposed")[:50]
    incoming = [
        match_fields(actor, m) for m in selectors.matches_shown(actor=actor, matches=proposed)
    ]
    return render(
        request,
        "tracing/home.html",
        {"page": requests_page, "incoming": incoming, "sort": sort},
    )


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = TracingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tracing_request = services.request_create(actor=actor, data=_request_data(form))
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Tracing request filed and matched against the network."))
            return redirect("tracing:request", request_id=tracing_request.pk)
    return render(request, "tracing/request_form.html", {"form": form})


@login_required
def request_detail(request: HttpRequest, request_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]  # the selector refuses, and logs it
    tracing_request = selectors.request_read(actor=actor, request_id=request_id)
    found = selectors.request_matches(actor=actor, request=tracing_request)
    shown = selectors.matches_shown(actor=actor, matches=found)
    matches = [(match_fields(actor, m), selectors.contact_office(actor, m)) for m in shown]
    searching = tracing_request.status == tracing_request.Status.OPEN
    return render(
        request,
        "tracing/request_detail.html",
        {
            "tr": tracing_request,
            "matches": matches,
            "can_edit": searching,
            "withdraw_form": WithdrawRequestForm(initial={"version": tracing_request.version})
            if searching
            else None,
        },
    )


def _request_data(form: TracingRequestForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["nationality"] = data["nationality"].code if data.get("nationality") else ""
    data.pop("version", None)
    return data


@login_required
def request_edit(request: HttpRequest, request_id: str) -> HttpResponse:
    """Correct or complete a request still searching; saving matches it again."""
    actor = _actor(request)
    tracing_request = selectors.request_read(
        actor=actor, request_id=request_id, purpose=Purpose.EDIT
    )
    if tracing_request.status != tracing_request.Status.OPEN:
        raise TransitionNotAllowed(_("Only a request that is still searching can be edited."))
    initial = {k: getattr(tracing_request, k) for k in services.REQUEST_FIELDS}
    initial["version"] = tracing_request.version
    form = TracingRequestEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.request_update(
                    actor=actor,
                    request=tracing_request,
                    version=form.cleaned_data["version"],
                    data=_request_data(form),
                )
            except StaleEdit:
                status = stale_edit(form)
            except ValidationFailed as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Tracing request saved and matched again."))
                return redirect("tracing:request", request_id=tracing_request.pk)
    return render(
        request,
        "tracing/request_form.html",
        {"form": form, "tr": tracing_request},
        status=status,
    )


@require_POST
@login_required
def request_withdraw(request: HttpRequest, request_id: str) -> HttpResponse:
    actor = _actor(request)
    tracing_request = selectors.request_get(actor=actor, request_id=request_id)
    form = WithdrawRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; try again."))
        return redirect("tracing:request", request_id=tracing_request.pk)
    # A stale copy (StaleEdit) or a request no longer searching goes to the page middleware:
    # a 409 page saying so.
    services.request_withdraw(
        actor=actor,
        request=tracing_request,
        version=form.cleaned_data["version"],
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("Tracing request withdrawn. It no longer searches."))
    return redirect("tracing:request", request_id=tracing_request.pk)


@login_required
def match_detail(request: HttpRequest, match_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]  # the selector refuses, and logs it
    match = selectors.match_read(actor=actor, match_id=match_id)
    owner = selectors.is_owner_side(actor, match)
    return render(
        request,
        "tracing/match.html",
        {
            "m": match_fields(actor, match),
            "match": match,
            "owner": owner,
            # Only the owning office compares side by side (the requesting office's page is
            # the same whatever the engine found).
            "comparison": comparison(match) if owner else None,
            "contact": selectors.contact_office(actor, match),
            "confirm_form": ConfirmForm() if owner else None,
            "reject_form": RejectForm() if owner else None,
            "max_requests": services.MAX_REQUESTS_PER_PERSON,
        },
    )


@require_POST
@login_required
def match_decide(request: HttpRequest, match_id: str, step: str) -> HttpResponse:
    actor = _actor(request)
    match = selectors.match_get(actor=actor, match_id=match_id)
    # A step the workflow refuses (e.g. the match was decided meanwhile) goes to the page
    # middleware: a 409 page saying so.
    if step == "confirm":
        form = ConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Record the person's consent to be found."))
            return redirect("tracing:match", match_id=match.pk)
        services.match_confirm(
            actor=actor,
            match=match,
            notice_language=form.cleaned_data["notice_language"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Match confirmed. The reunification case is open."))
    elif step == "reject":
        services.match_reject(actor=actor, match=match, note=request.POST.get("note", ""))
        messages.success(
            request,
            _("Match rejected. It will not be proposed again unless one of the records changes."),
        )
    else:
        raise Http404
    return redirect("tracing:match", match_id=match.pk)


def _reunification_initial(item: Any) -> dict[str, Any]:
    initial = {k: getattr(item, k) for k in services.REUNIFICATION_FIELDS}
    initial["version"] = item.version
    return initial


@login_required
def reunification(request: HttpRequest, reunification_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]  # the selector refuses, and logs it
    item = selectors.reunification_read(actor=actor, reunification_id=reunification_id)
    form = ReunificationForm(request.POST or None, initial=_reunification_initial(item))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.REUNIFICATION_FIELDS}
        try:
            services.reunification_update(
                actor=actor,
                reunification=item,
                version=form.cleaned_data["version"],
                data=data,
                complete="complete" in request.POST,
            )
        except StaleEdit:
            item.refresh_from_db()
            status = stale_edit(form, _reunification_initial(item))
        except TransitionNotAllowed as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationFailed as exc:
            apply_errors(form, exc)
            status = 400
        else:
            messages.success(request, _("Reunification saved."))
            return redirect("tracing:reunification", reunification_id=item.pk)
    return render(
        request,
        "tracing/reunification.html",
        {
            "item": item,
            "form": form,
            "m": match_fields(actor, item.match),
            "contact": selectors.contact_office(actor, item.match),
        },
        status=status,
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The office's requests and their matches, as the requesting side may see them."""
    actor = _actor(request)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Reference"),
            _("Status"),
            _("Person sought"),
            _("Possible match at"),
            _("Strength"),
            _("Match status"),
            _("Matched person"),
        ]
    )
    # Only what the requesting side may see of each match (present.py), logged as exported.
    visible = defaultdict(list)
    found = selectors.matches_shown(
        actor=actor,
        matches=selectors.match_list(actor=actor, side="requester"),
        purpose=Purpose.EXPORT,
    )
    for match in found:
        visible[match.request_id].append(match_fields(actor, match))
    requests = selectors.requests_shown(
        actor=actor, requests=selectors.request_list(actor=actor), purpose=Purpose.EXPORT
    )
    for tr in requests:
        rows = visible.get(tr.pk) or [{}]
        for m in rows:
            writer.writerow(
                [
                    spreadsheet_safe(v)
                    for v in (
                        tr.reference,
                        tr.get_status_display(),
                        tr.sought_name,
                        m.get("office", ""),
                        m.get("strength", ""),
                        m.get("status", ""),
                        m.get("person_name", ""),
                    )
                ]
            )
    response = HttpResponse(("\ufeff" + out.getvalue()).encode(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="enlace-tracing.csv"'
    return response


@require_POST
@login_required
def relink(request: HttpRequest) -> HttpResponse:
    """Administrators re-link the whole registry as a background job."""
    actor = request.actor  # type: ignore[attr-defined]
    if not rules.is_administrator(actor):
        raise Http404
    job = job_enqueue(actor=actor, kind="registry_relink")
    return redirect("core:job_detail", job_id=job.pk)
