"""Case pages: list with filters and export, open, the case page with its timeline and htmx
inline edits, workflow steps, art. 36 log, actions, notes, attachments and referrals."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enlace.access import rules
from enlace.access.reads import Purpose
from enlace.access.roles import OFFICE_STAFF
from enlace.accounts.models import Membership
from enlace.accounts.selectors import office_list
from enlace.core.errors import StaleEdit, TransitionNotAllowed, ValidationFailed
from enlace.core.forms import apply_errors, stale_edit, submit
from enlace.core.pagination import paginate
from enlace.core.sorting import sorted_list
from enlace.people.present import display_name
from enlace.people.selectors import person_read

from . import selectors, services
from .exports import export_open, export_read, export_start
from .filters import CaseFilter, ExportFilter
from .forms import (
    ActionForm,
    AttachmentForm,
    CaseEditForm,
    CaseForm,
    DetentionForm,
    NoteForm,
    ReferralForm,
    TransitionForm,
)
from .models import Case, CaseStatus, CaseType, Referral
from .printout import case_summary_pdf


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


# Sortable columns of the case list, each served by an index on (office, field)
# (migrations cases 0003 and 0005) so that a sorted page is read in order, as the default one.
CASE_SORTS = {
    "created": ("created", "-id"),
    "reference": ("reference",),
    "due_date": ("due_date", "id"),
}
REFERRAL_SORTS = {"created": ("created", "id"), "status": ("status", "-created", "-id")}


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    filterset = CaseFilter(request.GET, queryset=selectors.case_list(actor=actor), actor=actor)
    status = 200
    sorted_qs, sort = sorted_list(filterset.qs, request.GET, CASE_SORTS, "-created")
    if filterset.is_valid():
        page = paginate(request, sorted_qs)
    else:  # the form shows what is wrong next to the filter
        page, status = paginate(request, Case.objects.none()), 400
    form = filterset.form
    shown = selectors.cases_shown(
        actor=actor,
        cases=page.object_list,
        purpose=Purpose.SEARCH if request.GET.get("q") else Purpose.LIST,
    )
    rows = [(c, display_name(actor, c.person)) for c in shown]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    # The export form carries the list's filters as hidden fields (it is a POST, see case_export).
    export_fields = [
        (name, value)
        for name in query
        if name in ExportFilter.base_filters and name != "format"
        for value in query.getlist(name)
    ]
    context = {
        "form": form,
        "sort": sort,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "export_fields": export_fields,
        "can_create": rules.is_office_staff(actor),
    }
    template = "cases/_rows.html" if request.htmx else "cases/list.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


@login_required
@require_POST
def case_export(request: HttpRequest) -> HttpResponse:
    """Start the export of the list as filtered (the list's filters and the format come as the
    form's fields; a POST with its CSRF token, so that no other site can start one) and follow
    it on the job's page, which offers the file when it is written. A bad filter raises
    ValidationFailed: the page middleware answers 400 with the message."""
    job = export_start(_actor(request), request.POST)
    return redirect("core:job_detail", job_id=job.pk)


@login_required
def case_export_download(request: HttpRequest, job_id: str) -> HttpResponseBase:
    """The file of an export the user started (404 for anyone else's, or once expired); while
    it is still being written, its progress page."""
    try:
        job = export_read(actor=_actor(request), job_id=job_id)
    except TransitionNotAllowed:
        return redirect("core:job_detail", job_id=job_id)
    file, filename, content_type = export_open(job)
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    person_id = request.GET.get("person") or request.POST.get("person") or ""
    if not person_id:
        # A case is always a person's: find them first, then "Open a case" on their page.
        messages.info(
            request,
            _(
                "A case is opened for a person: find the person (or register them), then use "
                "“Open a case” on their page."
            ),
        )
        return redirect("people:list")
    person = person_read(
        actor=actor,
        person_id=person_id,
        purpose=Purpose.EDIT,
        check=rules.can_edit_person,
    )
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(actor=actor, person=person, **form.cleaned_data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
            if case.case_type == CaseType.DETENTION:
                return redirect("cases:detention", case_id=case.pk)
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "cases/form.html",
        {"form": form, "person": person, "name": display_name(actor, person)},
    )


def _case_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    actor = _actor(request)
    allowed = selectors.case_permissions(actor, case)
    is_owner = allowed["edit"]
    can_work = allowed["work"]
    timeline = selectors.case_timeline(actor=actor, case=case)
    return {
        "case": case,
        "name": display_name(actor, case.person),
        "allowed": allowed,
        "show_status": allowed["migratory_status"],
        "is_owner": is_owner,
        "can_work": can_work,
        "detention": getattr(case, "detention", None),
        "timeline": timeline,
        "transitions": services.transitions_available(actor, case),
        "transition_form": TransitionForm(),
        "action_form": ActionForm() if can_work else None,
        "note_form": NoteForm() if can_work else None,
        "attachment_form": AttachmentForm() if can_work else None,
        "incoming": selectors.accepted_referral(actor, case),
    }


@login_required
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = _actor(request)
    case = selectors.case_read(actor=actor, case_id=case_id)
    return render(request, "cases/detail.html", _case_context(request, case))


@login_required
def case_pdf(request: HttpRequest, case_id: str) -> HttpResponse:
    """The case's printable summary as a PDF: what its page shows this reader, logged as an
    export (enlace.cases.printout)."""
    case, data = case_summary_pdf(actor=_actor(request), case_id=case_id)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _assignable(case: Case) -> list[tuple[str, str]]:
    members = Membership.objects.filter(
        office=case.owner_office, role__in=OFFICE_STAFF, is_active=True
    ).select_related("user")
    seen: dict[str, str] = {}
    for m in members:
        seen[str(m.user_id)] = m.user.get_full_name() or m.user.username
    return [("", _("Nobody")), *seen.items()]


def _edit_initial(case: Case) -> dict[str, Any]:
    return {
        "summary": case.summary,
        "risk_level": case.risk_level,
        "due_date": case.due_date,
        "assigned_to": str(case.assigned_to_id or ""),
        "version": case.version,
    }


@login_required
def case_edit(request: HttpRequest, case_id: str) -> HttpResponse:
    """htmx inline edit of the case's summary, risk, due date and assignee."""
    actor = _actor(request)
    case = selectors.case_read(
        actor=actor, case_id=case_id, purpose=Purpose.EDIT, check=rules.can_edit_case
    )
    form = CaseEditForm(request.POST or None, initial=_edit_initial(case))
    form.fields["assigned_to"].choices = _assignable(case)  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_update(
                actor=actor,
                case=case,
                version=form.cleaned_data["version"],
                data={
                    k: form.cleaned_data[k]
                    for k in ("summary", "risk_level", "due_date", "assigned_to")
                },
            )
        except StaleEdit:
            case.refresh_from_db()
            status = stale_edit(form, _edit_initial(case))
        except TransitionNotAllowed as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationFailed as exc:
            apply_errors(form, exc)
            status = 400
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return render(request, "cases/_facts.html", _case_context(request, case))
            return redirect("cases:detail", case_id=case.pk)
    template = "cases/_edit.html" if request.htmx else "cases/edit.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "case": case}, status=status)


@login_required
def case_facts(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_read(actor=_actor(request), case_id=case_id)
    return render(request, "cases/_facts.html", _case_context(request, case))


@require_POST
@login_required
def case_transition(request: HttpRequest, case_id: str, name: str) -> HttpResponse:
    actor = _actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    form = TransitionForm(request.POST)
    note = form.data.get("note", "")
    version = request.POST.get("version", "")
    try:
        services.case_transition(
            actor=actor,
            case=case,
            name=name,
            note=note,
            version=int(version) if version.isdigit() else None,
        )
    except (StaleEdit, TransitionNotAllowed, ValidationFailed) as exc:
        # The case page again, with the step's note kept and what went wrong next to it.
        case = selectors.case_read(actor=actor, case_id=case_id)
        if isinstance(exc, StaleEdit):
            message = _(
                "Someone else changed this case while you were on the page: it is now "
                "“%(status)s”. Your note is kept below: check the case and send it again."
            ) % {"status": case.get_status_display()}
            status = 409
        elif isinstance(exc, TransitionNotAllowed):
            message, status = str(exc.message), 409
        else:
            message = " ".join(str(m) for v in exc.errors.values() for m in v)
            status = 400
        context = _case_context(request, case)
        context["step_error"] = {"name": name, "note": note, "message": message}
        return render(request, "cases/detail.html", context, status=status)
    messages.success(request, _("Case updated."))
    return redirect("cases:detail", case_id=case.pk)


@login_required
def case_detention(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = _actor(request)
    case = selectors.case_read(
        actor=actor,
        case_id=case_id,
        purpose=Purpose.EDIT,
        check=lambda a, c: rules.can_edit_case(a, c) and c.case_type == CaseType.DETENTION,
    )
    log = getattr(case, "detention", None)
    initial = {}
    if log is not None:
        initial = {
            k: getattr(log, k)
            for k in (
                "arrest_date",
                "detention_place",
                "notified_on",
                "notified_by",
                "first_contact_on",
                "first_visit_on",
            )
        }
        initial["informed_of_rights"] = {True: "yes", False: "no"}.get(
            log.informed_of_rights, "unknown"
        )
    form = DetentionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["informed_of_rights"] = {"yes": True, "no": False}.get(data["informed_of_rights"])
        try:
            services.detention_log_set(actor=actor, case=case, data=data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Art. 36 log saved."))
            return redirect("cases:detail", case_id=case.pk)
    closed = case.status == CaseStatus.CLOSED
    return render(
        request,
        "cases/detention.html",
        {"form": form, "case": case, "closed": closed},
        status=400 if closed and request.method == "POST" else 200,
    )


def _add(request: HttpRequest, case_id: str, form_class: Any, save: Any, ok: str) -> HttpResponse:
    actor = _actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    submit(request, form_class(request.POST, request.FILES), lambda d: save(actor, case, d), ok)
    return redirect("cases:detail", case_id=case.pk)


@require_POST
@login_required
def action_add(request: HttpRequest, case_id: str) -> HttpResponse:
    return _add(
        request,
        case_id,
        ActionForm,
        lambda a, c, d: services.action_add(actor=a, case=c, **d),
        _("Action recorded."),
    )


@require_POST
@login_required
def note_add(request: HttpRequest, case_id: str) -> HttpResponse:
    return _add(
        request,
        case_id,
        NoteForm,
        lambda a, c, d: services.note_add(actor=a, case=c, text=d["text"]),
        _("Note added."),
    )


@require_POST
@login_required
def attachment_add(request: HttpRequest, case_id: str) -> HttpResponse:
    return _add(
        request,
        case_id,
        AttachmentForm,
        lambda a, c, d: services.attachment_add(actor=a, case=c, upload=d["file"], kind=d["kind"]),
        _("File attached."),
    )


@login_required
def attachment_download(request: HttpRequest, attachment_id: str) -> FileResponse:
    actor = _actor(request)
    attachment = selectors.attachment_read(actor=actor, attachment_id=attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def referral_create(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = _actor(request)
    case = selectors.case_read(
        actor=actor, case_id=case_id, purpose=Purpose.REFERRAL, check=rules.can_edit_case
    )
    offices = (
        office_list(actor=actor).filter(rules.receives_referrals()).exclude(pk=case.owner_office_id)
    )
    form = ReferralForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(
                actor=actor,
                case=case,
                to_office=form.cleaned_data["to_office"],
                purpose=form.cleaned_data["purpose"],
                consent=form.cleaned_data["consent"],
                override_reason=form.cleaned_data["override_reason"],
                notice_language=request.LANGUAGE_CODE,  # type: ignore[attr-defined]
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Referral sent."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/refer.html", {"form": form, "case": case})


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    direction = "out" if request.GET.get("direction") == "out" else "in"
    referrals, sort = sorted_list(
        selectors.referral_list(actor=actor, direction=direction),
        request.GET,
        REFERRAL_SORTS,
        "-created",
    )
    page = paginate(request, referrals)
    return render(
        request, "cases/referrals.html", {"page": page, "direction": direction, "sort": sort}
    )


REFERRAL_STEPS = {
    "accept": (
        services.referral_accept,
        gettext_lazy("Referral accepted: you can now see the case."),
    ),
    "reject": (services.referral_reject, gettext_lazy("Referral rejected.")),
    "done": (services.referral_done, gettext_lazy("Referral marked as done.")),
    "revoke": (
        services.referral_revoke,
        gettext_lazy("Referral revoked: the other office no longer sees the case."),
    ),
}


@require_POST
@login_required
def referral_decide(request: HttpRequest, referral_id: str, step: str) -> HttpResponse:
    actor = _actor(request)
    if step not in REFERRAL_STEPS:
        raise Http404
    referral = selectors.referral_get(actor=actor, referral_id=referral_id)
    service, ok = REFERRAL_STEPS[step]
    # A step the workflow refuses goes to the page middleware (a 409 page saying so).
    referral = service(actor=actor, referral=referral, note=request.POST.get("note", ""))
    messages.success(request, ok)
    if referral.status == Referral.Status.ACCEPTED and step == "accept":
        return redirect("cases:detail", case_id=referral.case_id)
    nxt = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect("cases:referrals")
