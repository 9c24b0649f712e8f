"""Trafficking and smuggling case pages: the list (filters, search, sorting), the case page
(as the reader may see it), and the form that opens or edits a case with its rows."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from enlace.access.reads import Purpose, read_many
from enlace.core.errors import StaleEdit, ValidationFailed
from enlace.core.forms import STALE_FORM_MESSAGE, apply_errors
from enlace.core.pagination import paginate
from enlace.core.sorting import sorted_list

from . import access_requests, network, rules, selectors, services
from .filters import TraffickingCaseFilter
from .forms import CaseForm, row_formsets, rows_of
from .models import TraffickingCase
from .present import case_fields

# Sortable columns, each read in order through an index (migration trafficking 0001).
SORTS = {"created": ("created", "-id"), "reference": ("reference",)}
PEOPLE_CHOICES = 200  # people offered as victims in one form


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not rules.may_see_some(actor):
        raise Http404
    filterset = TraffickingCaseFilter(
        request.GET, queryset=selectors.case_list(actor=actor), actor=actor
    )
    status = 200
    sorted_qs, sort = sorted_list(filterset.qs, request.GET, SORTS, "-created")
    if filterset.is_valid():
        page = paginate(request, sorted_qs)
    else:
        page, status = paginate(request, TraffickingCase.objects.none()), 400
    shown = selectors.cases_shown(
        actor=actor,
        cases=page.object_list,
        purpose=Purpose.SEARCH if request.GET.get("q") else Purpose.LIST,
    )
    countries = selectors.route_countries_of(shown)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    context = {
        "form": filterset.form,
        "sort": sort,
        "page": page,
        "rows": [(c, countries.get(c.pk, [])) for c in shown],
        "query": query.urlencode(),
        "can_create": rules.can_create(actor),
        # traf-io: the HTCDS export carries the list's filters
        "htcds_export_fields": [
            (k, v) for k in ("q", "kind", "status", "country") for v in request.GET.getlist(k) if v
        ],
    }
    template = "trafficking/_rows.html" if request.htmx else "trafficking/list.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


@login_required
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    actor = _actor(request)
    case = selectors.case_read(actor=actor, case_id=case_id)
    return render(
        request,
        "trafficking/detail.html",
        {
            "case": case,
            "data": case_fields(actor, case),
            "allowed": rules.case_permissions(actor, case),
            # Identity access requests (enlace.trafficking.access_requests)
            "can_request_identities": access_requests.can_request(actor, case),
            # Links to other cases (enlace.trafficking.network): those the reader may see.
            "linked": network.linked_cases(actor=actor, case=case),
        },
    )


def _choices(actor: Any, extra_people: list[Any]) -> tuple[list[Any], list[Any]]:
    """People the focal point may name as victims (those already in the case first), and their
    protection cases the focal point may see."""
    from enlace.cases.selectors import case_list as protection_cases

    people = list(selectors.victim_people(actor=actor)[:PEOPLE_CHOICES])
    known = {p.pk for p in people}
    people = [p for p in extra_people if p.pk not in known] + people
    read_many(actor=actor, records=people, purpose=Purpose.LIST)  # their names are shown
    cases = protection_cases(actor=actor).filter(person__in=[p.pk for p in people])[:1000]
    return (
        [(str(p.pk), p.full_name) for p in people],
        [(str(c.pk), f"{c.reference} — {c.person.full_name}") for c in cases],
    )


def _initial_rows(case: TraffickingCase) -> dict[str, list[dict[str, Any]]]:
    rows = selectors.case_rows(case)
    perpetrator_number = {p.pk: i for i, p in enumerate(rows["perpetrators"], 1)}
    return {
        "route": [
            {"country": s.country_id, "place": s.place, "date": s.date, "transport": s.transport}
            for s in rows["route"]
        ],
        "victims": [
            {
                "person": str(v.person_id),
                "protection_case": str(v.protection_case_id or ""),
                "trafficking_status": v.trafficking_status,
                "type_of_exploitation": v.type_of_exploitation,
                "methods_of_control": v.methods_of_control,
                "method_of_recruitment": v.method_of_recruitment,
                "forced_labour_industry": v.forced_labour_industry,
                "type_of_sex_exploitation": v.type_of_sex_exploitation,
                "relationship_to_trafficker": v.relationship_to_trafficker,
                "status_decided_by": v.status_decided_by,
                "age_when_trafficked": v.age_when_trafficked,
                "location_of_recruitment": v.location_of_recruitment,
                "recruitment_websites_and_apps": v.recruitment_websites_and_apps,
                "location_of_exploitation": v.location_of_exploitation,
                "exploitation_websites_and_apps": v.exploitation_websites_and_apps,
                "consent": v.consent,
                "fee_paid": v.fee_paid,
                "fee_currency": v.fee_currency,
            }
            for v in rows["victims"]
        ],
        "perpetrators": [
            {
                "given_names": p.given_names,
                "surnames": p.surnames,
                "aliases": ", ".join(p.aliases),
                "sex": p.sex,
                "nationality": p.nationality_id,
                "role_in_process": p.role_in_process,
                "role_details": p.role_details,
                "organisation": p.organisation,
            }
            for p in rows["perpetrators"]
        ],
        "identifiers": [
            {
                "kind": x.kind,
                "value": x.value,
                "perpetrator": perpetrator_number.get(x.perpetrator_id),
            }
            for x in rows["identifiers"]
        ],
        "events": [
            {
                "type": e.type,
                "date": e.date,
                "country": e.country_id,
                "state": e.state,
                "city": e.city,
                "street": e.street,
                "postal_code": e.postal_code,
                "latitude": e.latitude,
                "longitude": e.longitude,
                "description": e.description,
            }
            for e in rows["events"]
        ],
        "incidents": [
            {
                "kind": x.kind,
                "date": x.date,
                "country": x.country_id,
                "place": x.place,
                "persons_affected": x.persons_affected,
                "deaths": x.deaths,
                "description": x.description,
            }
            for x in rows["incidents"]
        ],
    }


def _row_errors(formsets: dict[str, Any], exc: ValidationFailed) -> dict[str, list[Any]]:
    """Put a service's row errors ("victims.0.person") next to the row's field; return the
    errors that belong to no row."""
    rest: dict[str, list[Any]] = {}
    for key, messages_ in exc.errors.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] in formsets and parts[1].isdigit():
            forms_ = formsets[parts[0]].forms
            index = int(parts[1])
            if index < len(forms_):
                form = forms_[index]
                for m in messages_:
                    form.add_error(parts[2] if parts[2] in form.fields else None, m)
                continue
        rest[key] = messages_
    return rest


@login_required
def case_form(request: HttpRequest, case_id: str | None = None) -> HttpResponse:
    """Open a case (no id) or edit one: the case's fields and all its rows on one page."""
    actor = _actor(request)
    case = None
    if case_id is not None:
        case = selectors.case_read(
            actor=actor, case_id=case_id, purpose=Purpose.EDIT, check=rules.can_edit
        )
    elif not rules.can_create(actor):
        raise Http404
    initial = {}
    rows_initial: dict[str, list[dict[str, Any]]] = {}
    extra_people: list[Any] = []
    if case is not None:
        initial = {
            "kind": case.kind,
            "status": case.status,
            "summary": case.summary,
            "closure_reason": case.closure_reason,
            "version": case.version,
        }
        rows_initial = _initial_rows(case)
        extra_people = [v.person for v in case.victims.select_related("person")]
    data = request.POST if request.method == "POST" else None
    form = CaseForm(data, initial=initial)
    if case is not None:
        form.fields["kind"].disabled = True
    people, cases = _choices(actor, extra_people)
    formsets = row_formsets(data, rows_initial, people, cases)
    status = 200
    if data is not None:
        form_ok = form.is_valid()
        rows = rows_of(formsets)
        if form_ok and rows is not None:
            fields = {k: form.cleaned_data[k] for k in ("status", "closure_reason")}
            try:
                if case is None:
                    saved = services.case_create(
                        actor=actor,
                        kind=form.cleaned_data["kind"],
                        summary=form.cleaned_data["summary"],
                        **rows,
                        **fields,
                    )
                    messages.success(request, _("Case %(ref)s opened.") % {"ref": saved.reference})
                else:
                    saved = services.case_update(
                        actor=actor,
                        case=case,
                        version=form.cleaned_data.get("version"),
                        data={"summary": form.cleaned_data["summary"], **fields},
                        **rows,
                    )
                    messages.success(request, _("Case %(ref)s saved.") % {"ref": saved.reference})
            except StaleEdit:
                form.add_error(None, STALE_FORM_MESSAGE)
                status = 409
            except ValidationFailed as exc:
                apply_errors(form, ValidationFailed(_row_errors(formsets, exc)))
                status = 400
            else:
                return redirect("trafficking:detail", case_id=saved.pk)
        else:
            status = 400
    return render(
        request,
        "trafficking/form.html",
        {"form": form, "formsets": formsets, "case": case},
        status=status,
    )
