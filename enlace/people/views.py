"""People pages: list and search, register (with duplicate warning), profile, edit."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enlace.access import rules
from enlace.access.reads import Purpose
from enlace.core.errors import StaleEdit, ValidationFailed
from enlace.core.filters import filtered
from enlace.core.forms import apply_errors, stale_edit, submit
from enlace.core.pagination import paginate
from enlace.core.sorting import sorted_list

from . import imports, selectors, services
from .dates import format_birth_date
from .fields import WRITABLE
from .filters import PersonFilter
from .forms import (
    ConsentForm,
    DocumentForm,
    ImportRunForm,
    ImportUploadForm,
    PersonForm,
    VulnerabilityForm,
)
from .models import Person
from .present import display_name

FORM_FIELDS = WRITABLE


def _values(form: PersonForm) -> dict[str, Any]:
    return {k: form.cleaned_data[k] for k in FORM_FIELDS if k in form.cleaned_data}


def _codes(form: PersonForm) -> list[str]:
    return [c.code for c in form.cleaned_data.get("nationalities") or []]


# Sortable columns of the people list, each served by an index on (office, fields)
# (migrations people 0005 and 0008).
PERSON_SORTS = {
    "name": ("first_surname", "given_names", "id"),
    "created": ("created", "id"),
}


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    q = request.GET.get("q", "")
    # A search too long to run raises ValidationFailed: a 400 page with the message.
    people = filtered(PersonFilter, request.GET, selectors.person_list(actor=actor), actor=actor)
    people, sort = sorted_list(people, request.GET, PERSON_SORTS, "name")
    page = paginate(request, people)
    shown = selectors.people_shown(actor=actor, people=page.object_list, search=q)
    rows = [(p, display_name(actor, p)) for p in shown]
    template = "people/_rows.html" if request.htmx else "people/list.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "page": page,
            "rows": rows,
            "q": q,
            "sort": sort,
            "can_create": rules.is_office_staff(actor),
            "can_import": rules.is_office_staff(actor),
        },
    )


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    if not rules.is_office_staff(actor):
        return render(request, "404.html", status=404)
    form = PersonForm(request.POST or None, request.FILES or None)
    duplicates: list[Person] = []
    if request.method == "POST" and form.is_valid():
        values = _values(form)
        duplicates = selectors.person_duplicates(actor=actor, data=values)
        if duplicates and not form.cleaned_data.get("confirm_duplicate"):
            form.add_error(None, _("This person may already be registered by your office."))
        else:
            try:
                with transaction.atomic():
                    person = services.person_create(
                        actor=actor, data=values, nationalities=_codes(form)
                    )
                    if form.cleaned_data.get("photo"):
                        services.person_photo_set(
                            actor=actor, person=person, upload=form.cleaned_data["photo"]
                        )
            except ValidationFailed as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Person registered."))
                return redirect("people:detail", person_id=person.pk)
    return render(
        request, "people/form.html", {"form": form, "duplicates": duplicates, "creating": True}
    )


@login_required
def person_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    person = selectors.person_read(actor=actor, person_id=person_id)
    allowed = rules.person_permissions(actor, person)
    is_owner = allowed["edit"]
    context = {
        "person": person,
        "allowed": allowed,
        "name": display_name(actor, person),
        "identity": allowed["identity"],
        "show_status": allowed["migratory_status"],
        "birth": format_birth_date(person.birth_date, person.birth_date_precision),
        "is_owner": is_owner,
        "vulnerabilities": person.vulnerabilities.select_related("assessed_by"),
        "consents": person.consents.all(),
        "documents": person.documents.select_related("issuing_country") if is_owner else [],
        "vuln_form": VulnerabilityForm() if is_owner else None,
        "consent_form": ConsentForm() if is_owner else None,
        "document_form": DocumentForm() if is_owner else None,
    }
    return render(request, "people/detail.html", context)


def _edit_initial(person: Person) -> dict[str, Any]:
    initial = {k: getattr(person, k) for k in FORM_FIELDS}
    initial["birth_date"] = format_birth_date(person.birth_date, person.birth_date_precision)
    initial["nationalities"] = list(person.nationalities.all())
    initial["version"] = person.version
    return initial


@login_required
def person_edit(request: HttpRequest, person_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    person = selectors.person_read(
        actor=actor, person_id=person_id, purpose=Purpose.EDIT, check=rules.can_edit_person
    )
    form = PersonForm(request.POST or None, request.FILES or None, initial=_edit_initial(person))
    form.fields["languages"].with_recorded(person.languages)  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                person = services.person_update(
                    actor=actor,
                    person=person,
                    version=form.cleaned_data.get("version"),
                    data=_values(form),
                    nationalities=_codes(form),
                )
                if form.cleaned_data.get("photo"):
                    services.person_photo_set(
                        actor=actor, person=person, upload=form.cleaned_data["photo"]
                    )
        except StaleEdit:
            person.refresh_from_db()
            status = stale_edit(form, _edit_initial(person))
        except ValidationFailed as exc:
            apply_errors(form, exc)
            status = 400
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/form.html", {"form": form, "person": person}, status=status)


@login_required
def person_photo(request: HttpRequest, person_id: str) -> FileResponse:
    """The photo, only to those who may see the person's identity."""
    actor = request.actor  # type: ignore[attr-defined]
    person = selectors.person_photo_read(actor=actor, person_id=person_id)
    content_type = "image/png" if person.photo.name.endswith(".png") else "image/jpeg"
    response = FileResponse(person.photo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


def _owned(request: HttpRequest, person_id: str) -> tuple[Any, Person]:
    actor = request.actor  # type: ignore[attr-defined]
    return actor, selectors.person_get(actor=actor, person_id=person_id)


@require_POST
@login_required
def vulnerability_add(request: HttpRequest, person_id: str) -> HttpResponse:
    actor, person = _owned(request, person_id)
    submit(
        request,
        VulnerabilityForm(request.POST),
        lambda d: services.vulnerability_add(
            actor=actor,
            person=person,
            kind=d["kind"],
            detail=d["detail"],
            assessed_on=d.get("assessed_on"),
        ),
        _("Vulnerability recorded."),
    )
    return redirect("people:detail", person_id=person.pk)


@require_POST
@login_required
def vulnerability_remove(request: HttpRequest, person_id: str, kind: str) -> HttpResponse:
    actor, person = _owned(request, person_id)
    services.vulnerability_remove(actor=actor, person=person, kind=kind)
    messages.success(request, _("Vulnerability removed."))
    return redirect("people:detail", person_id=person.pk)


@require_POST
@login_required
def consent_add(request: HttpRequest, person_id: str) -> HttpResponse:
    actor, person = _owned(request, person_id)
    submit(
        request,
        ConsentForm(request.POST),
        lambda d: services.consent_record(
            actor=actor,
            person=person,
            purpose=d["purpose"],
            notice_language=d["notice_language"],
            given_on=d.get("given_on"),
        ),
        _("Consent recorded."),
    )
    return redirect("people:detail", person_id=person.pk)


@require_POST
@login_required
def consent_revoke(request: HttpRequest, person_id: str, consent_id: str) -> HttpResponse:
    actor, person = _owned(request, person_id)
    consent = person.consents.filter(pk=consent_id).first()
    if consent is None:
        return render(request, "404.html", status=404)
    services.consent_revoke(actor=actor, consent=consent)
    messages.success(request, _("Consent revoked. Referrals that relied on it were revoked."))
    return redirect("people:detail", person_id=person.pk)


@require_POST
@login_required
def document_add(request: HttpRequest, person_id: str) -> HttpResponse:
    actor, person = _owned(request, person_id)
    submit(
        request,
        DocumentForm(request.POST),
        lambda d: services.document_add(
            actor=actor,
            person=person,
            doc_type=d["doc_type"],
            number=d["number"],
            issuing_country=d["issuing_country"].code,
        ),
        _("Document added."),
    )
    return redirect("people:detail", person_id=person.pk)


# ---------------------------------------------------------------- bulk import


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a register (CSV or XLSX): its dry run starts as a job."""
    actor = request.actor  # type: ignore[attr-defined]
    if not rules.is_office_staff(actor):
        return render(request, "404.html", status=404)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = imports.import_upload(actor=actor, upload=form.cleaned_data["file"])
            except ValidationFailed as exc:
                apply_errors(form, exc)
            else:
                return redirect("people:import_job", job_id=job.pk)
        status = 400
    context = {
        "form": form,
        "max_rows": settings.ENLACE_IMPORT_MAX_ROWS,
        "max_mb": round(settings.ENLACE_IMPORT_MAX_BYTES / 1048576, 1),
        "columns": imports.headers(),
    }
    return render(request, "people/import.html", context, status=status)


@login_required
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """An empty register with the expected column names, in the user's language."""
    if not rules.is_office_staff(request.actor):  # type: ignore[attr-defined]
        raise Http404
    body, name, content_type = imports.template_file(fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


REPORT_ERRORS_SHOWN = 1000  # a page a browser still shows at once


def _import_context(job: Any, form: ImportRunForm | None = None) -> dict[str, Any]:
    report = job.result.get("report") or {}
    errors = report.get("errors") or []
    return {
        "job": job,
        "result": job.result,
        "report": report,
        "errors": errors[:REPORT_ERRORS_SHOWN],
        "errors_hidden": max(0, len(errors) - REPORT_ERRORS_SHOWN),
        "is_check": job.kind == imports.CHECK,
        "can_import": imports.can_import(job),
        "run_form": form or ImportRunForm(),
        "poll_url": reverse("people:import_job", args=[job.pk]),
    }


@login_required
def import_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """A dry run's report (errors per row and field, duplicates) or an import's result."""
    job = imports.import_job_get(actor=request.actor, job_id=job_id)  # type: ignore[attr-defined]
    template = "people/_import_job.html" if request.htmx else "people/import_job.html"  # type: ignore[attr-defined]
    return render(request, template, _import_context(job))


@require_POST
@login_required
def import_run(request: HttpRequest, job_id: str) -> HttpResponse:
    """Import a dry run's rows (all or none)."""
    actor = request.actor  # type: ignore[attr-defined]
    check = imports.import_job_get(actor=actor, job_id=job_id)
    form = ImportRunForm(request.POST)
    form.is_valid()
    try:
        job = imports.import_start(
            actor=actor,
            check_job_id=check.pk,
            valid_only=bool(form.cleaned_data.get("valid_only")),
            with_duplicates=bool(form.cleaned_data.get("with_duplicates")),
        )
    except ValidationFailed as exc:
        apply_errors(form, exc)
        return render(request, "people/import_job.html", _import_context(check, form), status=400)
    return redirect("people:import_job", job_id=job.pk)
