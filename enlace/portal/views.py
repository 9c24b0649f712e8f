"""The intake's pages.

Public (no login, enlace.core.public: no actor, rate limited per address, no JavaScript):
ask for consular help, file a family tracing request, follow a request with its reference and
secret (status words only; add information, withdraw, withdraw consent). Pages that show or
take the codes are never cached. The forms carry no CSRF token (the pages are the same for
everyone and act for no one); the rate limits, the honeypot and the lock-out keep abuse out.

For office staff (login): the office's requests waiting for triage, one request, and the three
triage steps (a case, a tracing request, closed with a reason) and forwarding to the office
the request belongs to."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from enlace.access import rules
from enlace.access.reads import Purpose
from enlace.core.errors import TransitionNotAllowed, ValidationFailed
from enlace.core.forms import apply_errors
from enlace.core.pagination import paginate
from enlace.core.public import public_page, public_render, too_many_requests
from enlace.people.selectors import people_shown, person_get

from . import lockout, selectors, services
from .forms import (
    CaseTriageForm,
    CloseForm,
    FollowForm,
    ForwardForm,
    HelpForm,
    InfoForm,
    TracingForm,
    TracingTriageForm,
)
from .models import Kind, PortalSettings, PublicRequest, RequestEvent, Status

View = Callable[..., HttpResponse]


def never_cached(view: View) -> View:
    """Outside public_page: the page shows codes or a requester's own status."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper


def detail_rows(details: dict[str, Any]) -> list[tuple[str, Any]]:
    """What the requester wrote, labelled for the office, choices by their label."""
    from enlace.people.models import Sex
    from enlace.tracing.models import Relation, TracingRequest

    from .models import Situation

    def field(name: str) -> Any:
        return TracingRequest._meta.get_field(name)

    labels: dict[str, Any] = {
        "situation": _("What happened?"),
        "description": _("Tell us briefly"),
        "birth_year": _("Year of birth"),
        "relation": field("requester_relation").verbose_name,
        "best_time": _("Best time to call"),
    }
    for name in (
        "given_names",
        "first_surname",
        "second_surname",
        "nickname",
        "sex",
        "approximate_age",
        "last_seen_place",
        "requester_name",
    ):
        labels[name] = field(name).verbose_name
    choices = {"situation": Situation, "relation": Relation, "sex": Sex}
    rows = []
    for key, value in details.items():
        kind = choices.get(key)
        shown = kind(value).label if kind is not None and value in kind.values else value
        rows.append((str(labels.get(key, key)), shown))
    return rows


def status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


# ---------------------------------------------------------------- ask


def _ask(request: HttpRequest, kind: str, form_class: type[Any], template: str) -> HttpResponse:
    if request.method != "POST":
        return public_render(request, template, {"form": form_class()})
    if lockout.submission_over_limit(request):
        return too_many_requests(request)
    form = form_class(request.POST)
    if form.is_valid() or form.is_bot():
        data = (
            {k: v for k, v in form.cleaned_data.items() if k != "website"}
            if not form.is_bot()
            else {}
        )
        try:
            receipt = services.request_submit(
                kind=kind, data=data if not form.is_bot() else _bot_data(kind), bot=form.is_bot()
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            return public_render(
                request,
                "portal/intake/sent.html",
                {"reference": receipt.reference, "secret": receipt.secret, "kind": kind},
            )
    return public_render(request, template, {"form": form}, status=400)


def _bot_data(kind: str) -> dict[str, Any]:
    """A valid stand-in for what a bot sent (it is checked as anyone's, then dropped)."""
    base = {"contact_phone": "+1 555 0100", "nationality": "", "country": ""}
    if kind == Kind.HELP:
        from enlace.core.models import Country

        code = Country.objects.values_list("code", flat=True).first() or ""
        return base | {
            "situation": "other",
            "description": "-",
            "nationality": code,
            "country": code,
        }
    return base | {"given_names": "-", "relation": "other", "consent": True}


@never_cached
@csrf_exempt
@public_page(group="portal-ask")
def ask_help(request: HttpRequest) -> HttpResponse:
    return _ask(request, Kind.HELP, HelpForm, "portal/intake/ask_help.html")


@never_cached
@csrf_exempt
@public_page(group="portal-ask")
def ask_tracing(request: HttpRequest) -> HttpResponse:
    return _ask(request, Kind.TRACING, TracingForm, "portal/intake/ask_tracing.html")


# ---------------------------------------------------------------- follow


def _not_found(request: HttpRequest, form: FollowForm) -> HttpResponse:
    """The one answer for an unknown reference and a wrong secret: the same bytes."""
    return public_render(
        request,
        "portal/intake/follow.html",
        {"form": FollowForm(), "not_found": True},
        status=404,
    )


def _status_page(
    request: HttpRequest,
    found: PublicRequest,
    reference: str,
    secret: str,
    info_form: InfoForm | None = None,
    done: str = "",
    status: int = 200,
) -> HttpResponse:
    word = services.status_of(found)
    context = {
        "status": word,
        "status_label": status_label(word),
        "updated": found.updated,
        "reference": services.grouped(services.normalise_code(reference)),
        "secret": secret,
        "open": word != Status.CLOSED,
        "can_withdraw_consent": found.consent and found.consent_withdrawn_at is None,
        "consent_withdrawn": found.consent_withdrawn_at is not None,
        "info_form": info_form or InfoForm(),
        "done": done,
    }
    return public_render(request, "portal/intake/status.html", context, status=status)


def _codes_open(request: HttpRequest) -> tuple[PublicRequest | None, HttpResponse | None]:
    """The request the POSTed codes open, or the response to give instead (429, 404, 400)."""
    form = FollowForm(request.POST)
    reference = request.POST.get("reference", "")
    if lockout.is_locked(request, reference):
        return None, too_many_requests(request)
    if not form.is_valid():
        return None, public_render(request, "portal/intake/follow.html", {"form": form}, status=400)
    try:
        found = services.request_find(
            reference=form.cleaned_data["reference"], secret=form.cleaned_data["secret"]
        )
    except Http404:
        lockout.record_failure(request, reference)
        return None, _not_found(request, form)
    return found, None


@never_cached
@csrf_exempt
@public_page(group="portal-follow")
def follow(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: the status of the request the codes open."""
    if request.method != "POST":
        return public_render(request, "portal/intake/follow.html", {"form": FollowForm()})
    found, refused = _codes_open(request)
    if found is None:
        return refused  # type: ignore[return-value]  # set whenever found is not
    return _status_page(request, found, request.POST["reference"], request.POST["secret"])


@never_cached
@csrf_exempt
@require_POST
@public_page(group="portal-follow")
def follow_act(request: HttpRequest) -> HttpResponse:
    """The requester's steps: add information, withdraw the request, withdraw consent."""
    found, refused = _codes_open(request)
    if found is None:
        return refused  # type: ignore[return-value]  # set whenever found is not
    action = request.POST.get("action", "")
    reference, secret = request.POST["reference"], request.POST["secret"]
    info_form = None
    try:
        if action == "info":
            info_form = InfoForm(request.POST)
            if not info_form.is_valid():
                return _status_page(request, found, reference, secret, info_form, status=400)
            services.request_add_info(request=found, text=info_form.cleaned_data["text"])
            info_form, done = None, _("Thank you: your information was added.")
        elif action == "withdraw":
            services.request_withdraw(request=found)
            done = _("Your request was withdrawn.")
        elif action == "consent":
            services.request_consent_withdraw(request=found)
            done = _("Your consent was withdrawn and recorded.")
        else:
            return _status_page(request, found, reference, secret, status=400)
    except (ValidationFailed, TransitionNotAllowed) as exc:
        message = exc.message if isinstance(exc, TransitionNotAllowed) else ""
        return _status_page(
            request, found, reference, secret, info_form, done=str(message), status=409
        )
    found.refresh_from_db()
    return _status_page(request, found, reference, secret, done=done)


# ---------------------------------------------------------------- triage (office staff)


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


@login_required
def triage_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not rules.is_office_staff(actor):
        raise Http404
    show_all = request.GET.get("all") == "1"
    page = paginate(request, selectors.triage_list(actor=actor, waiting=not show_all))
    settings_row = PortalSettings.objects.filter(office=actor.office).first()
    context = {
        "page": page,
        "rows": page.object_list,
        "show_all": show_all,
        "retention_days": settings_row.retention_days if settings_row else None,
        "can_set_retention": rules.is_approver(actor),
    }
    return render(request, "portal/intake/triage_list.html", context)


def _detail(
    request: HttpRequest,
    found: PublicRequest,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = _actor(request)
    forms = forms or {}
    suggestions: list[Any] = []
    pending = found.outcome == ""
    if pending and found.kind == Kind.HELP:
        suggestions = list(
            people_shown(
                actor=actor,
                people=selectors.person_suggestions(actor=actor, data=services.person_data(found)),
            )
        )
    case_form = forms.get("case") or CaseTriageForm(
        initial=services.person_data(found)
        | {
            "case_type": services.HELP_TO_CASE.get(
                found.details.get("situation"), "missing_person"
            ),
            "summary": found.details.get("description", ""),
        }
    )
    choices = [("", _("Register a new person"))] + [(str(p.pk), p.full_name) for p in suggestions]
    case_form.fields["person"].choices = choices  # type: ignore[union-attr]
    tracing_form = forms.get("tracing") or TracingTriageForm(initial=services.tracing_data(found))
    context = {
        "r": found,
        "details": found.details,
        "detail_rows": detail_rows(found.details),
        "status_label": status_label(found.status),
        "events": list(found.events.all()),
        "actions": RequestEvent.Action,
        "pending": pending,
        "case_form": case_form,
        "tracing_form": tracing_form,
        "close_form": forms.get("close") or CloseForm(),
        "forward_form": forms.get("forward")
        or ForwardForm(offices=services.forward_targets(request=found) if pending else ()),
        "suggestions": suggestions,
    }
    return render(request, "portal/intake/triage_detail.html", context, status=status)


@login_required
def triage_detail(request: HttpRequest, public_request_id: str) -> HttpResponse:
    found = selectors.triage_get(actor=_actor(request), request_id=public_request_id)
    return _detail(request, found)


def _step(request: HttpRequest, request_id: str) -> PublicRequest:
    return selectors.triage_get(actor=_actor(request), request_id=request_id, purpose=Purpose.EDIT)


def _done(request: HttpRequest, found: PublicRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("portal:triage_detail", public_request_id=found.pk)


@login_required
@require_POST
def triage_case(request: HttpRequest, public_request_id: str) -> HttpResponse:
    actor = _actor(request)
    found = _step(request, public_request_id)
    form = CaseTriageForm(request.POST)
    form.fields["person"].choices = [  # type: ignore[attr-defined]
        ("", ""),
        *((v, v) for v in [request.POST.get("person", "")] if v),
    ]
    if form.is_valid():
        data = form.cleaned_data
        try:
            person = person_get(actor=actor, person_id=data["person"]) if data["person"] else None
            services.triage_to_case(
                actor=actor,
                request=found,
                person=person,
                person_fields={
                    k: data[k] for k in ("given_names", "first_surname", "second_surname")
                }
                | {
                    k: v
                    for k, v in services.person_data(found).items()
                    if k in ("birth_date", "sex")
                },
                case_type=data["case_type"],
                summary=data["summary"],
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            return _done(request, found, _("The request was taken into a case."))
    return _detail(request, found, {"case": form}, status=400)


@login_required
@require_POST
def triage_tracing(request: HttpRequest, public_request_id: str) -> HttpResponse:
    actor = _actor(request)
    found = _step(request, public_request_id)
    if found.kind != Kind.TRACING:
        raise Http404
    form = TracingTriageForm(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "verified"}
        try:
            services.triage_to_tracing(actor=actor, request=found, data=data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            return _done(request, found, _("The request is now a tracing request."))
    return _detail(request, found, {"tracing": form}, status=400)


@login_required
@require_POST
def triage_close(request: HttpRequest, public_request_id: str) -> HttpResponse:
    actor = _actor(request)
    found = _step(request, public_request_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        services.triage_close(actor=actor, request=found, reason=form.cleaned_data["reason"])
        return _done(request, found, _("The request was closed."))
    return _detail(request, found, {"close": form}, status=400)


@login_required
@require_POST
def triage_forward(request: HttpRequest, public_request_id: str) -> HttpResponse:
    """Forward to another office: the request leaves this office's queue (so the answer is the
    list, not the request's page, which is the other office's now)."""
    actor = _actor(request)
    found = _step(request, public_request_id)
    form = ForwardForm(request.POST, offices=services.forward_targets(request=found))
    if form.is_valid():
        try:
            services.triage_forward(actor=actor, request=found, office=form.cleaned_data["office"])
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The request was forwarded to the other office."))
            return redirect("portal:triage_list")
    return _detail(request, found, {"forward": form}, status=400)


@login_required
@require_POST
def triage_retention(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    try:
        services.retention_set(actor=actor, days=request.POST.get("retention_days"))
    except ValidationFailed as exc:
        messages.error(request, " ".join(str(m) for v in exc.errors.values() for m in v))
    else:
        messages.success(request, _("The retention period was saved."))
    return redirect("portal:triage_list")
