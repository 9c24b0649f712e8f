"""Pages of data protection: the office's queue of rights requests (earliest deadline first,
overdue flagged), one request with its actions, and the breach register."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enlace.access.reads import Purpose
from enlace.core.errors import TransitionNotAllowed, ValidationFailed
from enlace.core.forms import apply_errors
from enlace.core.pagination import paginate
from enlace.people.present import display_name
from enlace.people.selectors import person_read

from . import permissions, selectors, services
from .deadlines import rule_for
from .forms import BreachForm, NoteForm, NotifiedForm, ReasonForm, RequestForm
from .models import RequestKind, RequestStatus


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    if status not in ("", "all", *RequestStatus.values) or kind not in ("", *RequestKind.values):
        status, kind = "", ""
    page = paginate(request, selectors.request_list(actor=actor, status=status, kind=kind))
    today = timezone.localdate()
    rows = [
        {
            "request": r,
            "reference": services.short_reference(r),
            "overdue": selectors.is_overdue(r, today),
            "due_soon": selectors.is_due_soon(r, today),
        }
        for r in page.object_list
    ]
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "kind": kind,
        "statuses": RequestStatus.choices,
        "kinds": RequestKind.choices,
    }
    return render(request, "privacy/request_list.html", context)


@login_required
def request_new(request: HttpRequest, person_id: str) -> HttpResponse:
    actor = _actor(request)
    if not permissions.handles_requests(actor):
        raise Http404
    person = person_read(
        actor=actor,
        person_id=person_id,
        purpose=Purpose.EDIT,
        check=lambda a, p: p.owner_office_id == a.require_office().pk,
    )
    status = 200
    if request.method == "POST":
        form = RequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                found = services.rights_request_record(
                    actor=actor,
                    person=person,
                    kind=data["kind"],
                    law_country=data["law_country"],
                    received_on=data["received_on"],
                    details=data["details"],
                )
            except ValidationFailed as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The request was recorded."))
                return redirect("privacy:request_detail", rights_request_id=found.pk)
        status = 400
    else:
        country = actor.office.host_country_id if actor.office else ""
        form = RequestForm(initial={"received_on": timezone.localdate(), "law_country": country})
    context = {"form": form, "person": person, "person_name": display_name(actor, person)}
    return render(request, "privacy/request_new.html", context, status=status)


def _detail(
    request: HttpRequest, found: Any, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    actor = _actor(request)
    forms = forms or {}
    events = list(selectors.consent_ledger(person_id=found.person_id))
    context = {
        "found": found,
        "reference": services.short_reference(found),
        "person_name": display_name(actor, found.person),
        "overdue": selectors.is_overdue(found),
        "rule": rule_for(found.law_country, found.kind),
        "is_open": found.status == RequestStatus.OPEN,
        "may_anonymise": permissions.may_anonymise(actor),
        "reject_form": forms.get("reject") or ReasonForm(),
        "note_form": forms.get("note") or NoteForm(),
        "consent_events": events,
        "consent_state": sorted(selectors.consent_state(events).items()),
    }
    return render(request, "privacy/request_detail.html", context, status=status)


@login_required
def request_detail(request: HttpRequest, rights_request_id: str) -> HttpResponse:
    found = selectors.request_read(actor=_actor(request), request_id=rights_request_id)
    return _detail(request, found)


def _step(request: HttpRequest, rights_request_id: str) -> Any:
    return selectors.request_read(
        actor=_actor(request), request_id=rights_request_id, purpose=Purpose.EDIT
    )


def _refused(request: HttpRequest, found: Any, exc: TransitionNotAllowed) -> HttpResponse:
    messages.error(request, str(exc))
    return redirect("privacy:request_detail", rights_request_id=found.pk)


@login_required
@require_POST
def request_answer(request: HttpRequest, rights_request_id: str) -> HttpResponse:
    """Close an access request and hand over what Enlace holds on the person (a JSON file)."""
    found = _step(request, rights_request_id)
    try:
        export = services.rights_request_answer(actor=_actor(request), request=found)
    except TransitionNotAllowed as exc:
        return _refused(request, found, exc)
    body = json.dumps(export, ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"access-{services.short_reference(found)}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _closing_step(
    request: HttpRequest,
    rights_request_id: str,
    form_class: Any,
    key: str,
    close: Any,
    done: str,
) -> HttpResponse:
    """A step that closes the request with one text (the form's only field, passed to the
    service under the same name): refused transitions and field errors shown on the page."""
    found = _step(request, rights_request_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            close(actor=_actor(request), request=found, **form.cleaned_data)
        except TransitionNotAllowed as exc:
            return _refused(request, found, exc)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("privacy:request_detail", rights_request_id=found.pk)
    return _detail(request, found, {key: form}, status=400)


@login_required
@require_POST
def request_rectified(request: HttpRequest, rights_request_id: str) -> HttpResponse:
    return _closing_step(
        request,
        rights_request_id,
        NoteForm,
        "note",
        services.rights_request_rectified,
        _("The request was closed as rectified."),
    )


@login_required
@require_POST
def request_anonymise(request: HttpRequest, rights_request_id: str) -> HttpResponse:
    actor = _actor(request)
    found = _step(request, rights_request_id)
    if not permissions.may_anonymise(actor):
        raise Http404
    try:
        services.rights_request_anonymise(actor=actor, request=found)
    except TransitionNotAllowed as exc:
        return _refused(request, found, exc)
    messages.success(request, _("The person's identity was replaced with placeholders."))
    return redirect("privacy:request_detail", rights_request_id=found.pk)


@login_required
@require_POST
def request_reject(request: HttpRequest, rights_request_id: str) -> HttpResponse:
    return _closing_step(
        request,
        rights_request_id,
        ReasonForm,
        "reject",
        services.rights_request_reject,
        _("The request was rejected."),
    )


# ------------------------------------------------------------------ breaches


def _breaches(
    request: HttpRequest, form: BreachForm | None = None, status: int = 200
) -> HttpResponse:
    actor = _actor(request)
    page = paginate(request, selectors.breach_list(actor=actor))
    today = timezone.localdate()
    rows = [
        {
            "breach": b,
            "reference": services.short_reference(b),
            "overdue": selectors.breach_overdue(b, today),
            # One form per row: its ids carry the breach's reference (no two alike on a page).
            "notified_form": NotifiedForm(auto_id=f"id_{services.short_reference(b)}_%s"),
        }
        for b in page.object_list
    ]
    context = {
        "page": page,
        "rows": rows,
        "may_record": permissions.records_breaches(actor),
        "form": form or BreachForm(),
    }
    return render(request, "privacy/breach_list.html", context, status=status)


@login_required
def breach_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if request.method != "POST":
        return _breaches(request)
    if not permissions.records_breaches(actor):
        raise Http404
    form = BreachForm(request.POST)
    if form.is_valid():
        try:
            services.breach_record(actor=actor, **form.cleaned_data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The breach was registered."))
            return redirect("privacy:breach_list")
    return _breaches(request, form, status=400)


@login_required
@require_POST
def breach_notified(request: HttpRequest, breach_id: str) -> HttpResponse:
    actor = _actor(request)
    breach = selectors.breach_get(actor=actor, breach_id=breach_id)
    if not permissions.may_edit_breach(actor):
        raise Http404
    form = NotifiedForm(request.POST)
    if form.is_valid():
        try:
            services.breach_notified(actor=actor, breach=breach, **form.cleaned_data)
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
        except ValidationFailed as exc:
            messages.error(request, " ".join(str(m) for v in exc.errors.values() for m in v))
        else:
            messages.success(request, _("The notification was recorded."))
    else:
        messages.error(request, _("Give the time and the authority notified."))
    return redirect("privacy:breach_list")
