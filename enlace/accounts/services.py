"""Writes to memberships and the active office; each audited in the same transaction."""

from typing import Any
from uuid import UUID

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from enlace.audit.services import change_record
from enlace.core.errors import ValidationFailed
from enlace.core.validation import check_text, lock_for_edit, parse_phone

from .actor import Actor
from .models import Membership, Office, Role, User
from .security import token_expired
from .selectors import can_manage_members, office_get

# A supervisor may grant only the roles of an office's own staff.
SUPERVISOR_GRANTABLE = frozenset({Role.OFFICER, Role.SUPERVISOR})


@transaction.atomic
def active_membership_set(*, user: User, membership_id: UUID | str) -> Membership:
    """Make one of the user's own memberships the active office."""
    try:
        membership = Membership.objects.select_related("office").get(
            pk=membership_id, user=user, is_active=True, office__is_active=True
        )
    except (Membership.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    user.active_membership = membership
    user.save(update_fields=["active_membership"])
    return membership


@transaction.atomic
def membership_create(*, actor: Actor, office_id: UUID | str, user: User, role: str) -> Membership:
    """Grant a role in an office."""
    office: Office = office_get(actor=actor, office_id=office_id)
    if not can_manage_members(actor, office):
        raise Http404
    if role not in Role.values:
        raise ValidationFailed({"role": [_("Unknown role.")]})
    if not actor.is_admin and role not in SUPERVISOR_GRANTABLE:
        raise ValidationFailed({"role": [_("Only an administrator can grant this role.")]})
    membership, created = Membership.objects.get_or_create(
        user=user, office=office, role=role, defaults={"created_by": actor.user}
    )
    if not created and membership.is_active:
        raise ValidationFailed({"role": [_("This user already has this role in this office.")]})
    membership.is_active = True
    membership.save()
    change_record(
        actor=actor,
        obj=membership,
        owner_office=office,
        action="membership_create",
        changes={"user": user.username, "role": role},
    )
    return membership


@transaction.atomic
def membership_deactivate(*, actor: Actor, membership: Membership) -> Membership:
    """Remove a role (kept for the record, no longer active)."""
    if not can_manage_members(actor, membership.office):
        raise Http404
    membership.is_active = False
    membership.save(update_fields=["is_active", "modified"])
    change_record(
        actor=actor,
        obj=membership,
        owner_office=membership.office,
        action="membership_deactivate",
        changes={"is_active": [True, False]},
    )
    return membership


@transaction.atomic
def api_token_issue(*, actor: Actor) -> Token:
    """The actor's API token; one past its lifetime is replaced by a new one."""
    user = actor.user
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and token_expired(token):
        token.delete()
        token = None
    if token is None:
        token = Token.objects.create(user=user)
        change_record(actor=actor, obj=user, owner_office=None, action="api_token_issue")
    return token


@transaction.atomic
def api_token_revoke(*, actor: Actor, reason: str) -> bool:
    """End the actor's API token (asked for, log-out, password change); False if none."""
    deleted, _rows = Token.objects.filter(user=actor.user).delete()
    if deleted:
        change_record(
            actor=actor,
            obj=actor.user,
            owner_office=None,
            action="api_token_revoke",
            changes={"reason": reason},
        )
    return bool(deleted)


OFFICE_CONTACT_FIELDS = ("phone", "email", "address", "opening_hours")
OFFICE_CONTACT_LIMITS = {"address": 300, "opening_hours": 200}


def office_phone(raw: str, region: str) -> str:
    """An office's phone in international form ("+52 55 1234 5678"), typed in any local or
    international format (local numbers are read in the office's host country)."""
    return parse_phone(raw, region, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _office_contact_clean(office: Office, data: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, list[Any]] = {}
    clean: dict[str, str] = {}
    try:
        clean["phone"] = office_phone(str(data.get("phone") or ""), office.host_country_id)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    email = str(data.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    clean["email"] = email
    for key, limit in OFFICE_CONTACT_LIMITS.items():
        try:
            clean[key] = check_text(key, str(data.get(key) or ""), limit=limit)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return clean


@transaction.atomic
def office_contact_update(
    *, actor: Actor, office: Office, version: int | None, data: dict[str, Any]
) -> Office:
    """Administrators keep the office directory: phone, e-mail, address, opening hours."""
    if not actor.is_admin:
        raise Http404
    locked = lock_for_edit(Office.objects, office.pk, version)
    clean = _office_contact_clean(locked, data)
    changes = {k: [getattr(locked, k), v] for k, v in clean.items() if getattr(locked, k) != v}
    for key, value in clean.items():
        setattr(locked, key, value)
    locked.version += 1
    locked.save()
    change_record(
        actor=actor,
        obj=locked,
        owner_office=locked,
        action="office_contact_update",
        changes=changes,
    )
    return locked
