"""Pages of the alerts (list, acknowledge) and of the identity access requests (ask, list,
read and decide, revoke)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from enlace.core.errors import StaleEdit, ValidationFailed
from enlace.core.forms import STALE_FORM_MESSAGE, apply_errors
from enlace.core.pagination import paginate

from . import access_requests, alerts, selectors
from .alert_forms import AlertFilterForm, DecisionForm, IdentityRequestForm
from .models import Alert, IdentityRequest


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


@require_GET
@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not alerts.may_see_alerts(actor):
        raise Http404
    form = AlertFilterForm(request.GET)
    status = 200
    if form.is_valid():
        unacknowledged = form.cleaned_data["unacknowledged"]
        qs = alerts.alert_list(actor=actor, unacknowledged=unacknowledged)
    else:
        unacknowledged, status = None, 400
        qs = Alert.objects.none()
    page = paginate(request, qs)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": alerts.alert_rows(actor=actor, alerts=list(page.object_list)),
        "query": query.urlencode(),
        "unacknowledged": unacknowledged is True,
        "days": alerts.escalation_days(),
    }
    return render(request, "trafficking/alert_list.html", context, status=status)


@require_POST
@login_required
def alert_acknowledge(request: HttpRequest, alert_id: str) -> HttpResponse:
    actor = _actor(request)
    alert = alerts.alert_get(actor=actor, alert_id=alert_id)
    alerts.alert_acknowledge(actor=actor, alert=alert)
    messages.success(request, _("Alert on case %(ref)s acknowledged.") % {"ref": alert.case})
    return redirect("trafficking:alerts")


@login_required
def access_request_create(request: HttpRequest, case_id: str) -> HttpResponse:
    """Ask for the identities of a case (a focal point of a route country)."""
    actor = _actor(request)
    case = selectors.case_read(actor=actor, case_id=case_id, check=access_requests.can_request)
    form = IdentityRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                made = access_requests.request_create(actor=actor, case=case, **form.cleaned_data)
            except ValidationFailed as exc:
                apply_errors(form, exc)
                status = 400
            else:
                messages.success(
                    request,
                    _("Your request was sent to the focal points of the owning country."),
                )
                return redirect("trafficking:access_request", request_id=made.pk)
        else:
            status = 400
    return render(
        request, "trafficking/access_request_form.html", {"form": form, "case": case}, status=status
    )


@require_GET
@login_required
def access_request_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not alerts.rules.is_focal_point(actor):
        raise Http404
    page = paginate(request, access_requests.request_list(actor=actor))
    rows = [
        {
            "request": r,
            "expired": access_requests.is_expired(r),
            "incoming": r.office_id != actor.office.pk,
        }
        for r in page.object_list
    ]
    return render(
        request,
        "trafficking/access_request_list.html",
        {"page": page, "rows": rows, "query": ""},
    )


def _detail(
    request: HttpRequest, item: IdentityRequest, form: DecisionForm | None = None, status: int = 200
) -> HttpResponse:
    actor = _actor(request)
    may_decide = access_requests.can_decide(actor, item)
    if form is None:
        form = DecisionForm(initial={"version": item.version})
    return render(
        request,
        "trafficking/access_request_detail.html",
        {
            "item": item,
            "form": form,
            "expired": access_requests.is_expired(item),
            "can_decide": may_decide and item.status == IdentityRequest.Status.REQUESTED,
            "can_revoke": may_decide
            and item.status == IdentityRequest.Status.GRANTED
            and not access_requests.is_expired(item),
            "grant_count": access_requests.request_grants(item).count()
            if item.status != IdentityRequest.Status.REQUESTED
            else 0,
        },
        status=status,
    )


@login_required
def access_request_detail(request: HttpRequest, request_id: str) -> HttpResponse:
    """A request as its two sides see it; the owning country's focal points decide here."""
    actor = _actor(request)
    item = access_requests.request_get(actor=actor, request_id=request_id)
    if request.method != "POST":
        return _detail(request, item)
    if not access_requests.can_decide(actor, item):
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, item, form, 400)
    try:
        decided = access_requests.request_decide(
            actor=actor,
            request=item,
            grant=form.cleaned_data["decision"] == "grant",
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except StaleEdit:
        form.add_error(None, STALE_FORM_MESSAGE)
        item.refresh_from_db()
        return _detail(request, item, form, 409)
    except ValidationFailed as exc:
        apply_errors(form, exc)
        return _detail(request, item, form, 400)
    if decided.status == IdentityRequest.Status.GRANTED:
        messages.success(
            request,
            _("Access granted until %(date)s.")
            % {"date": decided.valid_until.date() if decided.valid_until else ""},
        )
    else:
        messages.success(request, _("Request refused. The requester was told."))
    return redirect("trafficking:access_request", request_id=decided.pk)


@require_POST
@login_required
def access_request_revoke(request: HttpRequest, request_id: str) -> HttpResponse:
    actor = _actor(request)
    item = access_requests.request_get(actor=actor, request_id=request_id)
    if not access_requests.can_decide(actor, item):
        raise Http404
    try:
        access_requests.request_revoke(actor=actor, request=item)
    except ValidationFailed as exc:
        form = DecisionForm(initial={"version": item.version})
        apply_errors(form, exc)
        return _detail(request, item, form, 400)
    messages.success(request, _("Access revoked. The requester was told."))
    return redirect("trafficking:access_request", request_id=item.pk)
