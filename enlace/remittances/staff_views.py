"""The authorities' remittance pages (login; who may is enlace.remittances.rules): the quotes
(filters, sorting, pages that keep the filters), a quote's form (create and correct, 409 when
someone saved first) and its change history, the providers, and the World Bank imports
(upload → job with progress → the per-row report). Views parse, call one service or selector,
render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from enlace.access.audit_present import present
from enlace.audit.models import ChangeEvent, Purpose
from enlace.core.errors import StaleEdit, ValidationFailed
from enlace.core.forms import apply_errors, stale_edit
from enlace.core.pagination import paginate
from enlace.core.sorting import sorted_list

from . import formulas, rules, selectors, services
from .filters import QuoteFilter
from .forms import ImportForm, ProviderForm, QuoteForm
from .models import Provider, Quote

QUOTE_SORTS = {
    "collected_on": ("collected_on", "id"),
    "provider": ("provider__name", "id"),
    "period": ("period", "id"),
}
PROVIDER_SORTS = {"name": ("name", "id"), "kind": ("kind", "name", "id")}
FILTERS = ("corridor", "provider", "period", "demonstration")


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render a staff page; its tabs show the import to those who may import."""
    context = {"may_import": rules.may_import(_actor(request)), **context}
    return render(request, template, context, status=status)


def _figures(quote: Quote) -> dict[str, Any]:
    return {
        "fee_pct": formulas.display(quote.fee_pct),
        "margin_pct": formulas.display(quote.fx_margin_pct),
        "total_pct": formulas.display(quote.total_cost_pct),
        "received": formulas.display(quote.amount_received),
    }


@login_required
def quote_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not rules.may_edit_quotes(actor):
        raise Http404
    filterset = QuoteFilter(
        request.GET,
        queryset=selectors.quote_list(actor=actor),
        corridors=selectors.corridor_list(actor=actor),
        providers=selectors.provider_list(actor=actor),
    )
    status = 200
    if filterset.is_valid():
        ordered, sort = sorted_list(filterset.qs, request.GET, QUOTE_SORTS, "-collected_on")
        page = paginate(request, ordered)
    else:
        _ordered, sort = sorted_list(
            Quote.objects.none(), request.GET, QUOTE_SORTS, "-collected_on"
        )
        page, status = paginate(request, Quote.objects.none()), 400
    rows = [{"quote": q, **_figures(q)} for q in page.object_list]
    context = {
        "form": filterset.form,
        "page": page,
        "rows": rows,
        "sort": sort,
        "filtered": any(request.GET.get(k) for k in FILTERS),
        "may_import": rules.may_import(actor),
    }
    return render(request, "remittances/staff/quotes.html", context, status=status)


def _quote_initial(quote: Quote) -> dict[str, Any]:
    return {
        "provider": quote.provider_id,
        "sending": quote.corridor.sending_id,
        "receiving": quote.corridor.receiving_id,
        "collected_on": quote.collected_on,
        "period": quote.period,
        "usd_band": quote.usd_band,
        "amount": quote.amount,
        "currency": quote.currency_id,
        "fee": quote.fee.normalize(),
        "applied_rate": quote.applied_rate.normalize(),
        "interbank_rate": quote.interbank_rate.normalize(),
        "receiving_currency": quote.receiving_currency_id or "",
        "speed": quote.speed,
        "funding_method": quote.funding_method,
        "pickup_method": quote.pickup_method,
        "product": quote.product,
        "transparent": quote.transparent,
        "source": quote.source,
        "source_detail": quote.source_detail,
        "is_demonstration": quote.is_demonstration,
        "note": quote.note,
        "version": quote.version,
    }


@login_required
def quote_form(request: HttpRequest, quote_id: str | None = None) -> HttpResponse:
    """Enter a quote (no id) or correct one."""
    actor = _actor(request)
    quote = selectors.quote_get(actor=actor, quote_id=quote_id) if quote_id else None
    if quote is None and not rules.may_edit_quotes(actor):
        raise Http404
    initial = _quote_initial(quote) if quote else {"collected_on": None}
    form = QuoteForm(request.POST if request.method == "POST" else None, initial=initial)
    form.fields["provider"].queryset = selectors.provider_list(actor=actor)  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if quote is None:
                    saved = services.quote_create(actor=actor, data=form.service_data())
                    messages.success(request, _("Quote saved."))
                else:
                    saved = services.quote_update(
                        actor=actor,
                        quote=quote,
                        data=form.service_data(),
                        version=form.cleaned_data.get("version"),
                    )
                    messages.success(request, _("Quote corrected."))
            except StaleEdit:
                current = selectors.quote_get(actor=actor, quote_id=quote_id)
                status = stale_edit(form, _quote_initial(current))
            except ValidationFailed as exc:
                apply_errors(form, exc)
                status = 400
            else:
                return redirect("remittances:quote_edit", quote_id=saved.pk)
        else:
            status = 400
    context = {"form": form, "quote": quote, "figures": _figures(quote) if quote else None}
    return _page(request, "remittances/staff/quote_form.html", context, status)


@login_required
def quote_history(request: HttpRequest, quote_id: str) -> HttpResponse:
    """Every change to a quote: who, when, from which office, which fields from what to what."""
    actor = _actor(request)
    quote = selectors.quote_get(actor=actor, quote_id=quote_id)
    changes = (
        ChangeEvent.objects.filter(record_type="remittances.quote", record_id=str(quote.pk))
        .select_related("actor", "actor_office")
        .order_by("-at", "-id")
    )
    page = paginate(request, changes)
    context = {
        "quote": quote,
        "page": page,
        "events": present(actor, page.object_list, Purpose.VIEW),
    }
    return _page(request, "remittances/staff/quote_history.html", context)


@login_required
def provider_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not rules.may_edit_providers(actor):
        raise Http404
    ordered, sort = sorted_list(
        selectors.provider_list(actor=actor), request.GET, PROVIDER_SORTS, "name"
    )
    context = {"page": paginate(request, ordered), "sort": sort}
    return _page(request, "remittances/staff/providers.html", context)


def _provider_initial(provider: Provider) -> dict[str, Any]:
    return {
        "name": provider.name,
        "kind": provider.kind,
        "website": provider.website,
        "is_demonstration": provider.is_demonstration,
        "version": provider.version,
    }


@login_required
def provider_form(request: HttpRequest, provider_id: str | None = None) -> HttpResponse:
    actor = _actor(request)
    provider = selectors.provider_get(actor=actor, provider_id=provider_id) if provider_id else None
    if provider is None and not rules.may_edit_providers(actor):
        raise Http404
    initial = _provider_initial(provider) if provider else {}
    form = ProviderForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                if provider is None:
                    services.provider_create(actor=actor, data=data)
                    messages.success(request, _("Provider added."))
                else:
                    services.provider_update(
                        actor=actor,
                        provider=provider,
                        data=data,
                        version=form.cleaned_data.get("version"),
                    )
                    messages.success(request, _("Provider saved."))
            except StaleEdit:
                current = selectors.provider_get(actor=actor, provider_id=provider_id)
                status = stale_edit(form, _provider_initial(current))
            except ValidationFailed as exc:
                apply_errors(form, exc)
                status = 400
            else:
                return redirect("remittances:providers")
        else:
            status = 400
    context = {"form": form, "provider": provider}
    return _page(request, "remittances/staff/provider_form.html", context, status)


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a World Bank file; it is imported as a job (its page shows progress, then the
    per-row report)."""
    from . import tasks

    actor = _actor(request)
    if not rules.may_import(actor):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = tasks.import_start(
                actor=actor,
                which=form.cleaned_data["which"],
                raw=upload.read(),
                file_name=upload.name or "",
                dry_run=form.cleaned_data["dry_run"],
                accept_valid_rows=form.cleaned_data["accept_valid_rows"],
            )
            return redirect("remittances:import_job", job_id=job.pk)
        status = 400
    return render(request, "remittances/staff/import.html", {"form": form}, status=status)


@login_required
def import_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """An import's progress (polled with htmx while it runs), then its report."""
    from . import tasks

    job = tasks.import_job_get(actor=_actor(request), job_id=job_id)
    report = job.result.get("report") if job.is_finished else None
    if getattr(request, "htmx", False):
        response = render(request, "remittances/staff/_import_progress.html", {"job": job})
        if job.is_finished:
            response["HX-Refresh"] = "true"
        return response
    return render(
        request,
        "remittances/staff/import_job.html",
        {"job": job, "report": report, "refused": job.result.get("refused", "")},
    )
