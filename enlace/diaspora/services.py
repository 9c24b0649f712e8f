"""Writes to associations and projects: register and edit an association, add, edit and delete
its projects. Each service checks who may act (rules; 404 when the association is out of
reach, so forbidden looks like missing), validates (ValidationFailed, 400, next to the field),
locks the edited row and refuses a stale version (StaleEdit, 409), and audits in the same
transaction."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from enlace.accounts.actor import Actor
from enlace.accounts.models import Office
from enlace.audit.services import change_record, diff_fields
from enlace.core.errors import ValidationFailed
from enlace.core.models import Country, Currency, Municipality
from enlace.core.validation import check_text, lock_for_edit, parse_date

from . import rules
from .models import Association, CoFunding, FocusArea, Project, ProjectStatus, ProjectType

MAX_CO_FUNDING = 10
MAX_AMOUNT = Decimal("999999999999.99")
MAX_COUNT = 10_000_000

ASSOCIATION_TEXT = {
    "name": 200,
    "residence_city": 120,
    "description": 4000,
    "contact_name": 200,
    "phone": 40,
}
ASSOCIATION_FLAGS = ("email_public", "phone_public", "contact_public")
PROJECT_TEXT = {"title": 200, "description": 4000}
BENEFICIARIES = ("beneficiaries_women", "beneficiaries_men", "beneficiaries_other")


# Field checks ---------------------------------------------------------------------------------


def _country(name: str, value: Any) -> Country:
    found = Country.objects.filter(pk=str(value or "").upper()[:2]).first()
    if found is None:
        raise ValidationFailed({name: [_("Choose a country.")]})
    return found


def _municipality(name: str, value: Any, *, required: bool) -> Municipality | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed({name: [_("Choose a municipality.")]})
        return None
    key = getattr(value, "pk", value)
    found = Municipality.objects.filter(pk=str(key).upper()[:16]).first()
    if found is None:
        raise ValidationFailed({name: [_("Choose a municipality from the list.")]})
    return found


def _count(name: str, value: Any, *, required: bool = False) -> int | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed({name: [_("This field is required.")]})
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed({name: [_("Enter a whole number.")]}) from exc
    if number < 0 or number > MAX_COUNT:
        raise ValidationFailed(
            {name: [_("Enter a number between 0 and %(max)d.") % {"max": MAX_COUNT}]}
        )
    return number


def _amount(name: str, value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed({name: [_("Enter an amount, e.g. 25000.00.")]}) from exc
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise ValidationFailed({name: [_("Enter an amount of 0 or more.")]})
    return amount.quantize(Decimal("0.01"))


def _choice(name: str, value: Any, choices: Any, *, default: str = "") -> str:
    value = value if value not in (None, "") else default
    if value not in choices.values:
        raise ValidationFailed({name: [_("Choose one of the options.")]})
    return str(value)


def _association_values(data: dict[str, Any], *, moderator: bool) -> dict[str, Any]:
    """The association's fields from `data`, checked."""
    values: dict[str, Any] = {
        k: check_text(k, data.get(k), limit=n, required=k in ("name", "residence_city"))
        for k, n in ASSOCIATION_TEXT.items()
    }
    values["residence_country"] = _country("residence_country", data.get("residence_country"))
    values["origin_country"] = _country("origin_country", data.get("origin_country"))
    municipality = _municipality(
        "origin_municipality", data.get("origin_municipality"), required=False
    )
    if municipality is not None and municipality.country_id != values["origin_country"].pk:
        raise ValidationFailed(
            {"origin_municipality": [_("This municipality is not in the country of origin.")]}
        )
    values["origin_municipality"] = municipality
    areas = data.get("focus_areas") or []
    if not isinstance(areas, list | tuple) or any(a not in FocusArea.values for a in areas):
        raise ValidationFailed({"focus_areas": [_("Choose among the focus areas offered.")]})
    values["focus_areas"] = sorted(set(areas), key=list(FocusArea.values).index)
    values["members_count"] = _count("members_count", data.get("members_count"))
    year = _count("founded_year", data.get("founded_year"))
    if year is not None and not 1800 <= year <= dt.date.today().year:  # noqa: DTZ011
        raise ValidationFailed({"founded_year": [_("Enter a year between 1800 and this year.")]})
    values["founded_year"] = year
    email = check_text("email", data.get("email"), limit=254).strip()
    website = check_text("website", data.get("website"), limit=200).strip()
    try:
        if email:
            EmailValidator()(email)
    except ValidationError as exc:
        raise ValidationFailed({"email": [_("Enter a valid e-mail address.")]}) from exc
    try:
        if website:
            URLValidator(schemes=["http", "https"])(website)
    except ValidationError as exc:
        raise ValidationFailed({"website": [_("Enter a web address, e.g. https://…")]}) from exc
    values["email"], values["website"] = email, website
    for flag in ASSOCIATION_FLAGS:
        values[flag] = bool(data.get(flag))
    if moderator and "listed" in data:
        values["listed"] = bool(data["listed"])
    return values


def _project_values(data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {
        k: check_text(k, data.get(k), limit=n, required=k == "title")
        for k, n in PROJECT_TEXT.items()
    }
    values["municipality"] = _municipality("municipality", data.get("municipality"), required=True)
    values["project_type"] = _choice("project_type", data.get("project_type"), ProjectType)
    values["status"] = _choice(
        "status", data.get("status"), ProjectStatus, default=ProjectStatus.PLANNED
    )
    values["budget"] = _amount("budget", data.get("budget"))
    currency = Currency.objects.filter(pk=str(data.get("currency") or "USD").upper()[:3]).first()
    if currency is None:
        raise ValidationFailed({"currency": [_("Choose a currency.")]})
    values["currency"] = currency
    for name in BENEFICIARIES:
        values[name] = _count(name, data.get(name)) or 0
    values["start_date"] = parse_date("start_date", data.get("start_date"))
    values["end_date"] = parse_date("end_date", data.get("end_date"))
    if values["start_date"] and values["end_date"] and values["end_date"] < values["start_date"]:
        raise ValidationFailed({"end_date": [_("The end cannot be before the start.")]})
    return values


def _co_funding(rows: Any) -> list[dict[str, Any]]:
    """Co-funding partners: rows with a partner's name (blank rows are left out)."""
    if rows is None:
        return []
    if not isinstance(rows, list | tuple) or len(rows) > MAX_CO_FUNDING:
        raise ValidationFailed(
            {"co_funding": [_("At most %(n)d co-funding partners.") % {"n": MAX_CO_FUNDING}]}
        )
    found = []
    for row in rows:
        partner = check_text("co_funding", row.get("partner"), limit=200).strip()
        programme = check_text("co_funding", row.get("programme"), limit=200).strip()
        amount = _amount("co_funding", row.get("amount"))
        if not partner:
            if programme or amount is not None:
                raise ValidationFailed(
                    {"co_funding": [_("Give the partner's name for each amount or programme.")]}
                )
            continue
        found.append({"partner": partner, "programme": programme, "amount": amount})
    return found


def _snapshot(obj: Any, names: Any) -> dict[str, Any]:
    out = {}
    for name in names:
        value = getattr(obj, name)
        out[name] = value.pk if hasattr(value, "pk") else value
    return out


# Associations ---------------------------------------------------------------------------------


@transaction.atomic
def association_register(*, actor: Actor, office: Office, data: dict[str, Any]) -> Association:
    """Register the association of an association office: its representative (or a moderator)
    does it once; the office must be of kind "association" and have no association yet."""
    if not (rules.moderates(actor) or (rules.can_register(actor) and actor.office == office)):
        raise Http404
    if office.kind != Office.Kind.ASSOCIATION:
        raise ValidationFailed({"office": [_("Only an association's office has an association.")]})
    if Association.objects.filter(office=office).exists():
        raise ValidationFailed({"office": [_("This association is registered already.")]})
    association = Association(
        office=office,
        created_by=actor.user,
        **_association_values(data, moderator=rules.moderates(actor)),
    )
    association.save()
    change_record(actor=actor, obj=association, owner_office=office, action="create")
    return association


@transaction.atomic
def association_update(
    *, actor: Actor, association: Association, version: Any, data: dict[str, Any]
) -> Association:
    """Edit an association (its representatives, or a moderator)."""
    if not rules.can_edit(actor, association):
        raise Http404
    locked = lock_for_edit(Association.objects, association.pk, version)
    values = _association_values(data, moderator=rules.moderates(actor))
    before = _snapshot(locked, values)
    for name, value in values.items():
        setattr(locked, name, value)
    changes = diff_fields(before, _snapshot(locked, values))
    if changes:
        locked.version += 1
        locked.save()
        change_record(
            actor=actor,
            obj=locked,
            owner_office=locked.office,
            action="update",
            changes=changes,
        )
    return locked


# Projects -------------------------------------------------------------------------------------


def _write_co_funding(project: Project, rows: list[dict[str, Any]]) -> None:
    project.co_funding.all().delete()
    CoFunding.objects.bulk_create([CoFunding(project=project, **row) for row in rows])


@transaction.atomic
def project_create(
    *,
    actor: Actor,
    association: Association,
    data: dict[str, Any],
    co_funding: Any = None,
) -> Project:
    """Register a project of the association in a municipality of origin."""
    if not rules.can_edit(actor, association):
        raise Http404
    values = _project_values(data)
    rows = _co_funding(co_funding)
    project = Project.objects.create(association=association, created_by=actor.user, **values)
    _write_co_funding(project, rows)
    change_record(
        actor=actor,
        obj=project,
        owner_office=association.office,
        action="create",
        changes={"municipality": [None, project.municipality_id]},
    )
    return project


@transaction.atomic
def project_update(
    *,
    actor: Actor,
    project: Project,
    version: Any,
    data: dict[str, Any],
    co_funding: Any = None,
) -> Project:
    """Edit a project (its association's representatives, or a moderator)."""
    association = project.association
    if not rules.can_edit(actor, association):
        raise Http404
    locked = lock_for_edit(Project.objects, project.pk, version)
    values = _project_values(data)
    rows = _co_funding(co_funding)
    before = _snapshot(locked, values)
    before["co_funding"] = [
        [c.partner, c.programme, str(c.amount)] for c in locked.co_funding.all()
    ]
    for name, value in values.items():
        setattr(locked, name, value)
    after = _snapshot(locked, values)
    after["co_funding"] = [[r["partner"], r["programme"], str(r["amount"])] for r in rows]
    changes = diff_fields(before, after)
    if changes:
        locked.version += 1
        locked.save()
        _write_co_funding(locked, rows)
        change_record(
            actor=actor,
            obj=locked,
            owner_office=association.office,
            action="update",
            changes=changes,
        )
    return locked


@transaction.atomic
def project_delete(*, actor: Actor, project: Project, version: Any) -> None:
    """Delete a project (after the page asked for confirmation)."""
    association = project.association
    if not rules.can_edit(actor, association):
        raise Http404
    locked = lock_for_edit(Project.objects, project.pk, version)
    change_record(
        actor=actor,
        obj=locked,
        owner_office=association.office,
        action="delete",
        changes={"title": [locked.title, None]},
    )
    locked.delete()
