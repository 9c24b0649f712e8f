"""Diaspora pages. Public (no login, enlace.core.public): the directory of associations (by
origin country, department and municipality, by country of residence, with search), an
association's page, a municipality's page with the associations and projects that serve it.
Staff: a representative's own association and its projects (add, edit, delete with a
confirmation step); administrators moderate every association. Views parse, call one service or
selector, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from enlace.core.errors import StaleEdit, ValidationFailed
from enlace.core.forms import apply_errors, stale_edit
from enlace.core.models import Municipality
from enlace.core.pagination import paginate
from enlace.core.public import public_page, public_render

from . import rules, selectors, services
from .forms import (
    AssociationForm,
    CoFundingFormSet,
    DirectoryForm,
    ProjectForm,
    association_initial,
    co_funding_rows,
    country_names,
    project_initial,
)
from .models import Association
from .present import association_row, project_row, public_contact

FILTERS = ("q", "origin_country", "department", "municipality", "residence_country")


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


# Public pages ---------------------------------------------------------------------------------


def _directory_form(request: HttpRequest) -> DirectoryForm:
    origin = selectors.origin_countries()
    codes = [row["origin_country_id"] for row in origin]
    departments = (
        Municipality.objects.filter(
            pk__in=Association.objects.filter(listed=True).values("origin_municipality")
        )
        .values_list("subdivision", "subdivision_name")
        .distinct()
        .order_by("subdivision_name")
    )
    residence = Association.objects.filter(listed=True).values_list(
        "residence_country_id", flat=True
    )
    return DirectoryForm(
        request.GET,
        origin=country_names(codes),
        departments=list(departments),
        residence=country_names(set(residence)),
    )


@public_page()
def directory(request: HttpRequest) -> HttpResponse:
    """The public directory of migrant associations."""
    status, errors = 200, {}
    try:
        qs = selectors.directory(request.GET)
    except ValidationFailed as exc:
        qs, status, errors = Association.objects.none(), 400, exc.errors
    page = paginate(request, qs)
    municipality = None
    if request.GET.get("municipality") and not errors:
        municipality = Municipality.objects.filter(pk=request.GET["municipality"].upper()).first()
    context = {
        "request": request,  # the page links keep the filters
        "form": _directory_form(request),
        "errors": [str(m) for messages_ in errors.values() for m in messages_],
        "page": page,
        "rows": [association_row(a) for a in page.object_list],
        "filtered": any(request.GET.get(k) for k in FILTERS),
        "municipality": municipality,
    }
    return public_render(request, "diaspora/directory.html", context, status=status)


@public_page()
def association_page(request: HttpRequest, association_id: Any) -> HttpResponse:
    association = selectors.public_association_get(association_id)
    projects = selectors.public_projects(association)
    context = {
        "association": association,
        "row": association_row(association),
        "contact": public_contact(association),
        "projects": [project_row(p) for p in projects],
    }
    return public_render(request, "diaspora/association.html", context)


@public_page()
def municipality_page(request: HttpRequest, municipality_id: str) -> HttpResponse:
    municipality = selectors.municipality_get(municipality_id)
    projects = selectors.municipality_projects(municipality)
    context = {
        "municipality": municipality,
        "associations": [
            association_row(a) for a in selectors.municipality_associations(municipality)
        ],
        "projects": [project_row(p) for p in projects],
        "totals": selectors.municipality_totals(projects),
    }
    return public_render(request, "diaspora/municipality.html", context)


# Staff pages ----------------------------------------------------------------------------------


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The associations the actor manages: a representative's own, every one for moderators."""
    actor = _actor(request)
    if not rules.manages_some(actor):
        raise Http404
    qs = selectors.association_list(actor=actor)
    q = request.GET.get("q", "")[:200]
    for word in q.split()[:8]:
        qs = qs.filter(name__icontains=word)
    page = paginate(request, qs)
    office = actor.office
    can_register = (
        rules.can_register(actor)
        and office is not None
        and office.kind == office.Kind.ASSOCIATION
        and not Association.objects.filter(office=office).exists()
    )
    context = {
        "page": page,
        "q": q,
        "moderator": rules.moderates(actor),
        "can_register": can_register,
    }
    return render(request, "diaspora/manage.html", context)


@login_required
def association_register(request: HttpRequest) -> HttpResponse:
    """A representative registers the association of their office (once)."""
    actor = _actor(request)
    office = actor.office
    if not rules.can_register(actor) or office is None:
        raise Http404
    form = AssociationForm(
        request.POST or None,
        initial={
            "name": office.name,
            "residence_country": office.host_country_id,
            "residence_city": office.city,
            "origin_country": office.country_id,
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                association = services.association_register(
                    actor=actor, office=office, data=form.service_data()
                )
            except ValidationFailed as exc:
                apply_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Association registered."))
                return redirect("diaspora:association_edit", association_id=association.pk)
        else:
            status = 400
    return render(request, "diaspora/association_form.html", {"form": form}, status=status)


@login_required
def association_edit(request: HttpRequest, association_id: Any) -> HttpResponse:
    actor = _actor(request)
    association = selectors.association_for_edit(actor=actor, association_id=association_id)
    moderator = rules.moderates(actor)
    form = AssociationForm(
        request.POST or None, initial=association_initial(association), moderator=moderator
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.association_update(
                    actor=actor,
                    association=association,
                    version=form.cleaned_data.get("version"),
                    data=form.service_data(),
                )
            except StaleEdit:
                current = selectors.association_for_edit(actor=actor, association_id=association_id)
                status = stale_edit(form, association_initial(current))
            except ValidationFailed as exc:
                apply_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Association saved."))
                return redirect("diaspora:association_edit", association_id=association.pk)
        else:
            status = 400
    context = {
        "form": form,
        "association": association,
        "projects": [project_row(p) for p in selectors.public_projects(association)],
    }
    return render(request, "diaspora/association_form.html", context, status=status)


def _project_forms(request: HttpRequest, initial: dict[str, Any], rows: list[Any]) -> Any:
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, initial=initial)
    formset = CoFundingFormSet(data, initial=rows, prefix="cf")
    return form, formset


def _save_project(request: HttpRequest, form: Any, formset: Any, save: Any) -> int:
    """Validate and save; the response status (0: saved)."""
    if not (form.is_valid() and formset.is_valid()):
        return 400
    try:
        save(form.service_data(), co_funding_rows(formset))
    except ValidationFailed as exc:
        apply_errors(form, exc)
        return 400
    return 0


@login_required
def project_create(request: HttpRequest, association_id: Any) -> HttpResponse:
    actor = _actor(request)
    association = selectors.association_for_edit(actor=actor, association_id=association_id)
    initial = {"status": "planned", "currency": "USD"}
    if association.origin_municipality_id:
        initial["municipality"] = association.origin_municipality_id
    form, formset = _project_forms(request, initial, [])
    status = 200
    if request.method == "POST":
        status = _save_project(
            request,
            form,
            formset,
            lambda data, rows: services.project_create(
                actor=actor, association=association, data=data, co_funding=rows
            ),
        )
        if not status:
            messages.success(request, _("Project registered."))
            return redirect("diaspora:association_edit", association_id=association.pk)
    context = {"form": form, "formset": formset, "association": association}
    return render(request, "diaspora/project_form.html", context, status=status)


@login_required
def project_edit(request: HttpRequest, project_id: Any) -> HttpResponse:
    actor = _actor(request)
    project = selectors.project_for_edit(actor=actor, project_id=project_id)
    rows = [
        {"partner": c.partner, "programme": c.programme, "amount": c.amount}
        for c in project.co_funding.all()
    ]
    form, formset = _project_forms(request, project_initial(project), rows)
    status = 200
    if request.method == "POST":
        try:
            status = _save_project(
                request,
                form,
                formset,
                lambda data, cf: services.project_update(
                    actor=actor,
                    project=project,
                    version=form.cleaned_data.get("version"),
                    data=data,
                    co_funding=cf,
                ),
            )
        except StaleEdit:
            current = selectors.project_for_edit(actor=actor, project_id=project_id)
            status = stale_edit(form, project_initial(current))
        if not status:
            messages.success(request, _("Project saved."))
            return redirect("diaspora:association_edit", association_id=project.association_id)
    context = {
        "form": form,
        "formset": formset,
        "association": project.association,
        "project": project,
    }
    return render(request, "diaspora/project_form.html", context, status=status)


@login_required
def project_delete(request: HttpRequest, project_id: Any) -> HttpResponse:
    """Delete a project, after a confirmation page."""
    actor = _actor(request)
    project = selectors.project_for_edit(actor=actor, project_id=project_id)
    status = 200
    if request.method == "POST":
        if request.POST.get("confirm") != "on":
            messages.error(request, _("Tick the box to confirm that the project is deleted."))
            status = 400
        else:
            try:
                services.project_delete(
                    actor=actor, project=project, version=request.POST.get("version")
                )
            except StaleEdit:
                messages.error(
                    request,
                    _("This project was changed by someone else. Check it before deleting."),
                )
                status = 409
            else:
                messages.success(request, _("Project deleted."))
                return redirect("diaspora:association_edit", association_id=project.association_id)
    return render(request, "diaspora/project_delete.html", {"project": project}, status=status)
