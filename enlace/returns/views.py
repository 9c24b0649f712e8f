"""Return pages: the list (filters, search, sorting), open a return from a person or a
protection case, the return's page with its workflow card (one form per step the reader may
take now), the travel documents, withdrawal with a confirmation step, the printable return
file, and the office's cooling-off setting. Views parse, call one service or selector, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from enlace.access.reads import Purpose
from enlace.access.rules import can_edit_case, can_edit_person
from enlace.accounts.selectors import office_list
from enlace.cases.selectors import case_get
from enlace.core.errors import StaleEdit, ValidationFailed
from enlace.core.forms import apply_errors
from enlace.core.pagination import paginate
from enlace.core.sorting import sorted_list
from enlace.people.present import display_name
from enlace.people.selectors import person_read

from . import rules, selectors, services
from .filters import ReturnFilter
from .forms import (
    STEP_FORMS,
    DocumentIssueForm,
    FollowUpForm,
    HandOverForm,
    OpenForm,
    SettingsForm,
    StepForm,
)
from .models import AFTER_ARRIVAL, BEFORE_DEPARTURE, Return, Status, Step
from .present import return_data, return_rows
from .printout import return_file_pdf

# Sortable columns, each read through an index (returns 0001: office/receiving + created).
SORTS = {"created": ("created", "-id"), "reference": ("reference",)}
# Steps taken on the travel documents' page, not on the workflow card.
DOCUMENT_STEPS = (Step.DOCUMENT_REQUEST, Step.DOCUMENT_ISSUE)
# The path a return follows, for the workflow card's progress.
PATH = [*BEFORE_DEPARTURE, Status.DEPARTED, *AFTER_ARRIVAL, Status.CLOSED]


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@login_required
def return_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not rules.may_see_some(actor):
        raise Http404
    filterset = ReturnFilter(
        request.GET,
        queryset=selectors.return_list(actor=actor),
        actor=actor,
        offices=office_list(actor=actor).order_by("name"),
    )
    status = 200
    if filterset.is_valid():
        ordered, sort = sorted_list(filterset.qs, request.GET, SORTS, "-created")
        page = paginate(request, ordered)
    else:
        _ordered, sort = sorted_list(Return.objects.none(), request.GET, SORTS, "-created")
        page, status = paginate(request, Return.objects.none()), 400
    shown = selectors.returns_shown(
        actor=actor,
        returns=page.object_list,
        purpose=Purpose.SEARCH if request.GET.get("q") else Purpose.LIST,
    )
    context = {
        "form": filterset.form,
        "sort": sort,
        "page": page,
        "rows": [
            row | {"created": r.created}
            for row, r in zip(return_rows(actor, shown), shown, strict=True)
        ],
        "filtered": any(request.GET.get(k) for k in ("q", "status", "due", "office", "country")),
        "can_configure": rules.can_configure(actor),
    }
    template = "returns/_rows.html" if _htmx(request) else "returns/list.html"
    return render(request, template, context, status=status)


@login_required
def return_open(request: HttpRequest) -> HttpResponse:
    """Open a return for a person (?person=), optionally from their protection case (?case=)."""
    actor = _actor(request)
    if not rules.can_open(actor):
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    case = None
    if source.get("case"):
        case = case_get(actor=actor, case_id=source["case"])
        if not can_edit_case(actor, case):
            raise Http404
        person_id: Any = case.person_id
    else:
        person_id = source.get("person", "")
    # Only the office that registered the person opens a return for them (a referred-in office
    # that reads the person does not).
    person = person_read(
        actor=actor, person_id=person_id, purpose=Purpose.EDIT, check=can_edit_person
    )
    form = OpenForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                ret = services.return_open(
                    actor=actor,
                    person=person,
                    protection_case=case,
                    origin_country=d["origin_country"] or None,
                    after_detention=d["after_detention"] or None,
                    declared_child=d["declared_child"],
                    planned_departure_on=d["planned_departure_on"],
                    note=d["note"],
                )
            except ValidationFailed as exc:
                apply_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Return %(ref)s opened.") % {"ref": ret.reference})
                return redirect("returns:detail", return_id=ret.pk)
        else:
            status = 400
    return render(
        request,
        "returns/open.html",
        {"form": form, "person": person, "case": case, "name": display_name(actor, person)},
        status=status,
    )


def _step_form(ret: Return, step: str, data: Any = None, *, version: int | None = None) -> StepForm:
    form_class = STEP_FORMS[step]
    kwargs: dict[str, Any] = {"prefix": step, "initial": {"version": version or ret.version}}
    if form_class is DocumentIssueForm:
        kwargs["documents"] = [d for d in ret.documents.all() if not d.is_issued]
    elif form_class is HandOverForm:
        kwargs["offices"] = services.receiving_offices(ret).order_by("name")
    elif form_class is FollowUpForm:
        kwargs["months"] = [f.months for f in ret.follow_ups.all() if not f.is_done]
    return form_class(data, **kwargs)


def _progress(ret: Return, is_child: bool, medical: bool) -> list[dict[str, Any]]:
    """The path's statuses, each done, current or to come (a child's determination and the
    medical check only when they apply)."""
    path = [
        s
        for s in PATH
        if (s != Status.BEST_INTERESTS or is_child) and (s != Status.MEDICAL or medical)
    ]
    if ret.status == Status.WITHDRAWN:
        return [{"label": Status.WITHDRAWN.label, "state": "current"}]
    statuses = [str(s) for s in path]
    current = statuses.index(ret.status) if ret.status in statuses else -1
    return [
        {
            "label": s.label,
            "state": "done" if i < current else "current" if i == current else "todo",
        }
        for i, s in enumerate(path)
    ]


def _trend(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each follow-up's scores with an arrow against the previous one scored (↑ better,
    ↓ worse, → the same)."""
    previous: dict[str, Any] = {}
    out = []
    for row in rows:
        scores = []
        for dim in ("economic", "social", "psychosocial"):
            value = row[dim]
            arrow = ""
            if value is not None and previous.get(dim) is not None:
                arrow = "↑" if value > previous[dim] else "↓" if value < previous[dim] else "→"
            if value is not None:
                previous[dim] = value
            scores.append({"dim": dim, "value": value, "arrow": arrow})
        out.append(row | {"scores": scores})
    return out


def _context(
    request: HttpRequest,
    ret: Return,
    *,
    bound: StepForm | None = None,
    step: str = "",
    error: str = "",
) -> dict[str, Any]:
    actor = _actor(request)
    data = return_data(actor, ret)
    forms = []
    names = list(data["steps_available"])
    if bound is not None and step not in names:  # a refused step keeps its form and the reason
        names.insert(0, step)
    # A step that records again what is recorded already (a corrected plan) comes after the
    # steps that move the return on, so the first form opened is the next step.
    recorded = {
        Step.COUNSELLING: ret.counselled_on,
        Step.ASSESSMENT: ret.assessed_on,
        Step.BEST_INTERESTS: ret.bid_on,
        Step.MEDICAL: ret.medical_examined_on,
        Step.TRAVEL_PLAN: ret.planned_departure_on if ret.legs.exists() else None,
        Step.REINTEGRATION_PLAN: ret.plan_on,
    }
    names.sort(key=lambda n: recorded.get(n) is not None)  # stable: the workflow's order
    for name in names:
        if name in DOCUMENT_STEPS or name == Step.WITHDRAW:
            continue
        form = bound if (bound is not None and name == step) else _step_form(ret, name)
        forms.append({"step": name, "label": Step(name).label, "form": form})
    medical = bool(ret.medical_check_needed or ret.medical_examined_on)
    return {
        "ret": ret,
        "data": data,
        "step_forms": forms,
        "open_step": step,
        "step_error": error,
        "progress": _progress(ret, data["is_child"], medical),
        "trend": _trend(data["follow_ups"]),
        "document_steps": [s for s in data["steps_available"] if s in DOCUMENT_STEPS],
        "can_withdraw": Step.WITHDRAW in data["steps_available"],
        "can_print": rules.sees(actor, ret),
        "today": timezone.localdate(),
    }


@login_required
def return_detail(request: HttpRequest, return_id: str) -> HttpResponse:
    ret = selectors.return_read(actor=_actor(request), return_id=return_id)
    return render(request, "returns/detail.html", _context(request, ret))


def _errors_for(form: StepForm, exc: ValidationFailed) -> ValidationFailed:
    """The service's keys as the form's fields (a leg's "legs.0.date" is "leg0_date")."""
    errors: dict[str, list[Any]] = {}
    for key, msgs in exc.errors.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "legs" and parts[1].isdigit():
            key = f"leg{parts[1]}_{parts[2]}"
        errors.setdefault(key if key in form.fields else "__all__", []).extend(msgs)
    return ValidationFailed(errors)


STALE_MESSAGE = gettext_lazy(
    "Someone else changed this return while you were on the page: it is now “%(status)s”. "
    "Your input is kept below: check the return and send it again."
)


@require_POST
@login_required
def return_step(request: HttpRequest, return_id: str, step: str) -> HttpResponse:
    """Take one step: the service decides; a refusal is shown on the form (400), a stale page
    says so (409)."""
    actor = _actor(request)
    if step not in STEP_FORMS:
        raise Http404
    ret = selectors.return_get(actor=actor, return_id=return_id)
    form = _step_form(ret, step, request.POST)
    page = request.POST.get("page", "")
    status = 400
    error = ""
    if form.is_valid():
        try:
            services.return_step(
                actor=actor,
                ret=ret,
                step=step,
                version=form.cleaned_data.get("version"),
                data=form.step_data(),
            )
        except StaleEdit:
            status = 409
            ret = selectors.return_get(actor=actor, return_id=return_id)
            error = str(STALE_MESSAGE) % {"status": ret.get_status_display()}
            # The kept input goes back with the version now saved.
            post = request.POST.copy()
            post[f"{step}-version"] = str(ret.version)
            form = _step_form(ret, step, post)
            form.is_valid()
        except ValidationFailed as exc:
            apply_errors(form, _errors_for(form, exc))
        else:
            messages.success(request, str(Step(step).label))
            target = reverse(
                "returns:documents" if page == "documents" else "returns:detail",
                kwargs={"return_id": ret.pk},
            )
            if _htmx(request):
                return HttpResponseClientRedirect(target)
            return redirect(target)
    ret = selectors.return_read(actor=actor, return_id=return_id, purpose=Purpose.EDIT)
    if page == "documents":
        return render(
            request,
            "returns/documents.html",
            _documents_context(request, ret, bound=form, step=step, error=error),
            status=status,
        )
    if step == Step.WITHDRAW:
        return render(
            request,
            "returns/withdraw.html",
            {"ret": ret, "form": form, "step_error": error},
            status=status,
        )
    context = _context(request, ret, bound=form, step=step, error=error)
    template = "returns/_workflow.html" if _htmx(request) else "returns/detail.html"
    return render(request, template, context, status=status)


def _documents_context(
    request: HttpRequest,
    ret: Return,
    *,
    bound: StepForm | None = None,
    step: str = "",
    error: str = "",
) -> dict[str, Any]:
    actor = _actor(request)
    data = return_data(actor, ret)
    forms = []
    for name in DOCUMENT_STEPS:
        if name not in data["steps_available"] and not (bound is not None and name == step):
            continue
        form = bound if (bound is not None and name == step) else _step_form(ret, name)
        choices = getattr(form.fields.get("document"), "choices", None)
        if name == Step.DOCUMENT_ISSUE and not choices and form is not bound:
            continue
        forms.append({"step": name, "label": Step(name).label, "form": form})
    return {"ret": ret, "data": data, "step_forms": forms, "open_step": step, "step_error": error}


@login_required
def return_documents(request: HttpRequest, return_id: str) -> HttpResponse:
    """The travel documents: requested and issued by the consulate (the sending side); their
    numbers shown only to whoever sees the person's identity."""
    ret = selectors.return_read(actor=_actor(request), return_id=return_id)
    return render(request, "returns/documents.html", _documents_context(request, ret))


@login_required
def return_withdraw(request: HttpRequest, return_id: str) -> HttpResponse:
    """The person withdraws: a confirmation page first (GET), then the step (POST)."""
    actor = _actor(request)
    ret = selectors.return_read(
        actor=actor, return_id=return_id, purpose=Purpose.EDIT, check=rules.works_sending
    )
    if request.method == "POST":
        return return_step(request, return_id, Step.WITHDRAW)
    form = _step_form(ret, Step.WITHDRAW)
    return render(
        request,
        "returns/withdraw.html",
        {"ret": ret, "form": form, "before_departure": ret.status in BEFORE_DEPARTURE},
    )


@login_required
def return_pdf(request: HttpRequest, return_id: str) -> HttpResponse:
    """The printable return file for the escort, logged as an export (404 without the right)."""
    ret, data = return_file_pdf(actor=_actor(request), return_id=return_id)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{ret.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def return_settings(request: HttpRequest) -> HttpResponse:
    """The office's cooling-off period (its supervisors and administrators)."""
    actor = _actor(request)
    if not rules.can_configure(actor):
        raise Http404
    office = actor.require_office()
    current = services.cooling_off_days(office)
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"cooling_off_days": current},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.return_settings_set(
                    actor=actor, cooling_off_days=form.cleaned_data["cooling_off_days"]
                )
            except ValidationFailed as exc:
                apply_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Settings saved."))
                return redirect("returns:settings")
        else:
            status = 400
    return render(request, "returns/settings.html", {"form": form, "office": office}, status=status)
