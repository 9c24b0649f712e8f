"""Writes to cases: open, edit, one service per workflow step, actions, notes, files, referrals.

Each service checks who may act (raising Http404 when the case is out of reach, so forbidden
looks like missing), validates, writes, and audits in the same transaction.
"""

import datetime as dt
import re
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.access import rules
from enlace.access.grants import grant_create, grants_revoke_for_source
from enlace.access.reads import Purpose
from enlace.access.roles import APPROVERS, OFFICE_STAFF
from enlace.accounts.actor import Actor
from enlace.accounts.models import Office
from enlace.audit.services import change_record, changes_redact
from enlace.core.errors import TransitionNotAllowed, ValidationFailed
from enlace.core.references import create_with_reference
from enlace.core.text import words_pattern
from enlace.core.validation import check_text, lock_for_edit, parse_date
from enlace.inbox.models import Kind
from enlace.inbox.services import notify
from enlace.people.models import Consent, Person
from enlace.people.services import consent_record, person_protection_refresh

from .models import (
    Attachment,
    Case,
    CaseAction,
    CaseNote,
    CaseStatus,
    CaseTransition,
    CaseType,
    DetentionLog,
    Referral,
    RiskLevel,
)
from .selectors import can_work_on, is_owner_staff

S = CaseStatus
EDITABLE_FIELDS = ("summary", "risk_level", "due_date", "assigned_to", "case_type")

# name: (allowed from, to, supervisor only)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, bool]] = {
    "start_assessment": ((S.OPEN, S.REOPENED), S.ASSESSMENT, False),
    "approve_assessment": ((S.ASSESSMENT,), S.CASE_PLAN, True),
    "start_work": ((S.CASE_PLAN, S.REOPENED), S.IN_PROGRESS, False),
    "request_closure": ((S.OPEN, S.ASSESSMENT, S.CASE_PLAN, S.IN_PROGRESS, S.REOPENED), "", False),
    "approve_closure": (
        (S.OPEN, S.ASSESSMENT, S.CASE_PLAN, S.IN_PROGRESS, S.REOPENED),
        S.CLOSED,
        True,
    ),
    "reopen": ((S.CLOSED,), S.REOPENED, False),
}
TRANSITION_LABELS = {
    "start_assessment": _("Start assessment"),
    "approve_assessment": _("Approve assessment"),
    "start_work": _("Start work on the case plan"),
    "request_closure": _("Request closure"),
    "approve_closure": _("Approve closure"),
    "reopen": _("Reopen"),
}

DETENTION_CLOSED_MESSAGE = _(
    "The case is closed: its art. 36 log can no longer be changed. Reopen the case to correct it."
)

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# extension: (content type, magic prefix or None when the format has no fixed signature)
ATTACHMENT_TYPES: dict[str, tuple[str, bytes | None]] = {
    "pdf": ("application/pdf", b"%PDF-"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
    "odt": ("application/vnd.oasis.opendocument.text", b"PK"),
    "txt": ("text/plain", None),
}


def _audit(actor: Actor, case: Case, action: str, changes: dict[str, Any] | None = None) -> None:
    change_record(
        actor=actor, obj=case, owner_office=case.owner_office, action=action, changes=changes
    )


def _require_owner_staff(actor: Actor, case: Case) -> None:
    if not is_owner_staff(actor, case):
        raise Http404


def _lock(case: Case, version: int | None = None) -> Case:
    return lock_for_edit(Case.objects.select_related("owner_office"), case.pk, version)


@transaction.atomic
def case_open(
    *,
    actor: Actor,
    person: Person,
    case_type: str,
    summary: str,
    risk_level: str = RiskLevel.MEDIUM,
    due_date: dt.date | None = None,
) -> Case:
    """Open a case for a person registered by the actor's office."""
    office = actor.office
    if office is None or not rules.can_edit_person(actor, person):
        raise Http404
    if case_type not in CaseType.values:
        raise ValidationFailed({"case_type": [_("Unknown case type.")]})
    if risk_level not in RiskLevel.values:
        raise ValidationFailed({"risk_level": [_("Unknown risk level.")]})
    summary = check_text("summary", summary, required=True, limit=5000)
    case = create_with_reference(
        Case,
        f"{office.country_id}-",
        owner_office=office,
        person=person,
        case_type=case_type,
        summary=summary,
        risk_level=risk_level,
        due_date=due_date,
        assigned_to=actor.user,
        created_by=actor.user,
    )
    CaseTransition.objects.create(
        case=case, from_status=S.OPEN, to_status=S.OPEN, name="open", actor=actor.user
    )
    _audit(actor, case, "case_open", {"case_type": ["", case_type]})
    person_protection_refresh(person)  # a trafficking case protects the person's identity
    return case


@transaction.atomic
def case_update(*, actor: Actor, case: Case, version: int | None, data: dict[str, Any]) -> Case:
    """Edit the case's fields; a stale version raises StaleEdit (409)."""
    _require_owner_staff(actor, case)
    locked = _lock(case, version)
    if locked.status == S.CLOSED:
        raise TransitionNotAllowed(_("A closed case cannot be edited. Reopen it first."))
    errors: dict[str, list[Any]] = {}
    changes: dict[str, list[str]] = {}
    for key, value in data.items():
        if key not in EDITABLE_FIELDS:
            continue
        try:
            if key == "summary":
                value = check_text("summary", value, required=True, limit=5000)
            elif key == "risk_level" and value not in RiskLevel.values:
                raise ValidationFailed({key: [_("Unknown risk level.")]})
            elif key == "case_type" and value not in CaseType.values:
                raise ValidationFailed({key: [_("Unknown case type.")]})
            elif key == "due_date":
                value = parse_date(key, value)
            elif key == "assigned_to":
                value = _office_staff(locked.owner_office, value)
        except ValidationFailed as exc:
            errors.update(exc.errors)
            continue
        old = getattr(locked, key)
        if old != value:
            changes[key] = [str(old or ""), str(value or "")]
            setattr(locked, key, value)
    if errors:
        raise ValidationFailed(errors)
    if changes:
        locked.version += 1
        locked.save()
        _audit(actor, locked, "case_update", changes)
        if "case_type" in changes:
            person_protection_refresh(locked.person)
    return locked


def _office_staff(office: Office, user_or_id: Any) -> Any:
    from enlace.accounts.models import User

    if user_or_id in (None, ""):
        return None
    user = user_or_id if isinstance(user_or_id, User) else None
    if user is None:
        user = User.objects.filter(pk=user_or_id).first() if str(user_or_id).isdigit() else None
    if (
        user is None
        or not user.memberships.filter(
            office=office, role__in=OFFICE_STAFF, is_active=True
        ).exists()
    ):
        raise ValidationFailed({"assigned_to": [_("Assign the case to someone in this office.")]})
    return user


@transaction.atomic
def case_transition(
    *, actor: Actor, case: Case, name: str, note: str = "", version: int | None = None
) -> Case:
    """Move a case one step along its workflow, if that step is allowed from where it is."""
    _require_owner_staff(actor, case)
    if name not in TRANSITIONS:
        raise TransitionNotAllowed(_("Unknown step."))
    locked = _lock(case, version)
    allowed_from, to_status, supervisor_only = TRANSITIONS[name]
    if locked.status not in allowed_from:
        raise TransitionNotAllowed(
            _("This step is not possible while the case is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    if supervisor_only and not rules.can_approve(actor, locked):
        raise TransitionNotAllowed(_("Only a supervisor of the office can do this."))
    note = check_text("note", note, required=name in ("request_closure", "reopen"), limit=5000)
    before = locked.status
    if name == "approve_assessment":
        locked.assessment_approved_by = actor.user
    elif name == "request_closure":
        locked.closure_requested_by = actor.user
        locked.closure_reason = note
    elif name == "approve_closure":
        if not (note or locked.closure_reason).strip():
            raise ValidationFailed({"note": [_("Give the reason for closing the case.")]})
        locked.closure_reason = note or locked.closure_reason
        locked.closed_at = timezone.now()
        _referrals_finish(actor, locked)
    elif name == "reopen":
        locked.closure_requested_by = None
        locked.closed_at = None
    if to_status:
        locked.status = to_status
    locked.version += 1
    locked.save()
    CaseTransition.objects.create(
        case=locked,
        from_status=before,
        to_status=locked.status,
        name=name,
        actor=actor.user,
        note=note,
    )
    _audit(actor, locked, f"case_{name}", {"status": [before, locked.status]})
    step = {"start_assessment": "assessment", "request_closure": "closure"}.get(name)
    if step:  # the office's supervisors are told an approval waits
        notify(
            kind=Kind.APPROVAL_WAITING,
            office=locked.owner_office,
            roles=APPROVERS,
            params={"reference": locked.reference, "step": step},
            link=reverse("cases:detail", kwargs={"case_id": locked.pk}),
        )
    return locked


CLOSED_CASE_NOTE = "case closed"


def _referrals_finish(actor: Actor, case: Case) -> None:
    """Closing a case ends its referrals: one still waiting for an answer is withdrawn (the other
    office never had access), an accepted one is done (the other office keeps reading what it
    worked on, and can no longer add to it). Closing is not refused until the other office
    answers: a closure the supervisor approved should not wait on another country's inbox."""
    for referral in case.referrals.select_for_update().filter(
        status__in=[Referral.Status.REQUESTED, Referral.Status.ACCEPTED]
    ):
        before = referral.status
        waiting = before == Referral.Status.REQUESTED
        referral.status = Referral.Status.REVOKED if waiting else Referral.Status.DONE
        referral.decided_by = actor.user
        referral.decided_at = timezone.now()
        referral.decision_note = CLOSED_CASE_NOTE
        referral.save()
        _audit(
            actor,
            case,
            "referral_revoke" if waiting else "referral_done",
            {"referral": [str(referral.pk), referral.status]},
        )
        if waiting:
            grants_revoke_for_source(actor=actor, source=referral)
            _notify_referral(referral, Kind.REFERRAL_REVOKED)  # the other office is told
        else:
            _notify_referral(referral, Kind.REFERRAL_CASE_CLOSED)


def transitions_available(actor: Actor, case: Case) -> list[tuple[str, Any]]:
    """The steps this actor can take on this case now, with their labels."""
    if not is_owner_staff(actor, case):
        return []
    steps = []
    for name, (allowed_from, _to, supervisor_only) in TRANSITIONS.items():
        if case.status not in allowed_from:
            continue
        if supervisor_only and not rules.can_approve(actor, case):
            continue
        if name == "request_closure" and case.closure_pending:
            continue
        steps.append((name, TRANSITION_LABELS[name]))
    return steps


@transaction.atomic
def detention_log_set(*, actor: Actor, case: Case, data: dict[str, Any]) -> DetentionLog:
    """Record or correct the Vienna Convention art. 36 log of a detention case."""
    _require_owner_staff(actor, case)
    if case.case_type != CaseType.DETENTION:
        raise ValidationFailed({"case_type": [_("Only detention cases have an art. 36 log.")]})
    if Case.objects.filter(pk=case.pk, status=S.CLOSED).exists():
        raise ValidationFailed({"case": [DETENTION_CLOSED_MESSAGE]})
    errors: dict[str, list[Any]] = {}
    values: dict[str, Any] = {}
    for key in ("arrest_date", "notified_on", "first_contact_on", "first_visit_on"):
        try:
            values[key] = parse_date(key, data.get(key))
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if not errors and values.get("arrest_date") is None:
        errors["arrest_date"] = [_("The date of arrest is required.")]
    values["detention_place"] = str(data.get("detention_place") or "")[:200]
    values["notified_by"] = str(data.get("notified_by") or "")[:200]
    informed = data.get("informed_of_rights")
    values["informed_of_rights"] = (
        None if informed in (None, "", "unknown") else informed in (True, "true", "1", "yes", "on")
    )
    if not errors:
        arrest = values["arrest_date"]
        for key in ("notified_on", "first_contact_on", "first_visit_on"):
            if values[key] and values[key] < arrest:
                errors[key] = [_("This date is before the arrest.")]
    if errors:
        raise ValidationFailed(errors)
    log, _created = DetentionLog.objects.update_or_create(case=case, defaults=values)
    _audit(actor, case, "detention_log_set", {k: ["", str(v)] for k, v in values.items()})
    return log


@transaction.atomic
def action_add(
    *, actor: Actor, case: Case, service_type: str, date: Any, provider: str = "", outcome: str = ""
) -> CaseAction:
    """Record a service or action; the owner and accepted receiving offices may add them."""
    if not can_work_on(actor, case):
        raise Http404
    errors: dict[str, list[Any]] = {}
    if service_type not in CaseAction.ServiceType.values:
        errors["service_type"] = [_("Choose a service.")]
    try:
        when = parse_date("date", date) or timezone.localdate()
    except ValidationFailed as exc:
        errors.update(exc.errors)
    try:
        outcome = check_text("outcome", outcome, required=False, limit=5000)
        provider = check_text("provider", provider, required=False, limit=200)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    action = CaseAction.objects.create(
        case=case,
        office=actor.require_office(),
        service_type=service_type,
        date=when,
        provider=provider,
        outcome=outcome,
        created_by=actor.user,
    )
    _audit(actor, case, "action_add", {"service_type": ["", service_type]})
    return action


@transaction.atomic
def note_add(*, actor: Actor, case: Case, text: str) -> CaseNote:
    if not can_work_on(actor, case):
        raise Http404
    text = check_text("text", text, required=True, limit=10000)
    note = CaseNote.objects.create(
        case=case, office=actor.require_office(), text=text, created_by=actor.user
    )
    _audit(actor, case, "note_add")
    return note


@transaction.atomic
def attachment_add(
    *, actor: Actor, case: Case, upload: UploadedFile, kind: str = Attachment.Kind.OTHER
) -> Attachment:
    """Store a file privately after checking its size, extension and content signature."""
    if not can_work_on(actor, case):
        raise Http404
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:255]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise ValidationFailed(
            {"file": [_("Allowed file types: PDF, PNG, JPEG, DOCX, XLSX, ODT, TXT.")]}
        )
    if (upload.size or 0) > ATTACHMENT_MAX_BYTES:
        raise ValidationFailed({"file": [_("The file is larger than 10 MB.")]})
    if not upload.size:
        raise ValidationFailed({"file": [_("The file is empty.")]})
    content_type, magic = ATTACHMENT_TYPES[ext]
    head = upload.read(16)
    upload.seek(0)
    if magic is not None and not head.startswith(magic):
        raise ValidationFailed({"file": [_("The file's content does not match its type.")]})
    if kind not in Attachment.Kind.values:
        kind = Attachment.Kind.OTHER
    attachment = Attachment(
        case=case,
        office=actor.require_office(),
        kind=kind,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        created_by=actor.user,
    )
    attachment.file.save(f"{attachment.id}.{ext}", upload, save=False)
    attachment.save()
    _audit(actor, case, "attachment_add", {"file": ["", name]})
    return attachment


# Referrals -----------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    actor: Actor,
    case: Case,
    to_office: Office,
    purpose: str,
    consent: bool,
    override_reason: str = "",
    notice_language: str = "",
) -> Referral:
    """Refer a case to another office with the person's consent or a supervisor's override."""
    _require_owner_staff(actor, case)
    errors: dict[str, list[Any]] = {}
    if case.status == S.CLOSED:
        errors["case"] = [_("A closed case cannot be referred.")]
    if to_office.pk == case.owner_office_id or not to_office.is_active:
        errors["to_office"] = [_("Choose another, active office.")]
    elif not Office.objects.filter(rules.receives_referrals(), pk=to_office.pk).exists():
        errors["to_office"] = [
            _(
                "%(office)s cannot receive referrals: it does not work protection cases or "
                "has no officer or supervisor to receive them. Choose another office."
            )
            % {"office": to_office.name}
        ]
    elif case.referrals.filter(
        to_office=to_office, status__in=[Referral.Status.REQUESTED, Referral.Status.ACCEPTED]
    ).exists():
        errors["to_office"] = [_("The case is already referred to this office.")]
    try:
        purpose = check_text("purpose", purpose, required=True, limit=2000)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    consent_row = None
    if consent and not errors:
        consent_row = consent_record(
            actor=actor,
            person=case.person,
            purpose=Consent.Purpose.REFERRAL,
            notice_language=notice_language or actor.user.preferred_language or "es",
            reuse_active=True,
        )
    elif not consent:
        if not rules.can_approve(actor, case):
            errors["consent"] = [
                _("The person's consent is required, or a supervisor's override with a reason.")
            ]
        elif not (override_reason or "").strip():
            errors["override_reason"] = [_("Give the reason for referring without consent.")]
    if errors:
        raise ValidationFailed(errors)
    referral = Referral.objects.create(
        case=case,
        from_office=case.owner_office,
        to_office=to_office,
        purpose=purpose,
        consent=consent_row,
        override_reason="" if consent else override_reason,
        override_by=None if consent else actor.user,
        created_by=actor.user,
    )
    _audit(
        actor,
        case,
        "referral_create",
        {"to_office": ["", str(to_office.pk)], "consent": ["", "yes" if consent else "override"]},
    )
    _notify_referral(referral, Kind.REFERRAL_RECEIVED)
    return referral


# Who hears of a referral's step: the receiving office of a new or withdrawn referral (which
# may not open the case: its item links to its referrals list and names the case's reference
# only), the sending office of the receiver's answer (its own case).
REFERRAL_KINDS: dict[str, str] = {
    Referral.Status.ACCEPTED: Kind.REFERRAL_ACCEPTED,
    Referral.Status.REJECTED: Kind.REFERRAL_REJECTED,
    Referral.Status.DONE: Kind.REFERRAL_DONE,
    Referral.Status.REVOKED: Kind.REFERRAL_REVOKED,
}


def _notify_referral(referral: Referral, kind: str) -> None:
    to_receiver = kind in (
        Kind.REFERRAL_RECEIVED,
        Kind.REFERRAL_REVOKED,
        Kind.REFERRAL_CASE_CLOSED,
    )
    if to_receiver:
        office, other = referral.to_office, referral.from_office
        link = reverse("cases:referrals") + "?direction=in"
    else:
        office, other = referral.from_office, referral.to_office
        link = reverse("cases:detail", kwargs={"case_id": referral.case_id})
    notify(
        kind=kind,
        office=office,
        roles=OFFICE_STAFF,
        params={"reference": referral.case.reference, "office": other.name},
        link=link,
    )


def _decide(
    actor: Actor,
    referral: Referral,
    *,
    side: str,
    allowed: tuple[str, ...],
    to_status: str,
    note: str,
    action: str,
) -> Referral:
    office = actor.office
    if office is None or not rules.is_office_staff(actor):
        raise Http404
    own_side = referral.to_office_id if side == "to" else referral.from_office_id
    if own_side != office.pk:
        raise Http404
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status not in allowed:
        raise TransitionNotAllowed(
            _("This referral is %(status)s.") % {"status": locked.get_status_display()}
        )
    locked.status = to_status
    locked.decided_by = actor.user
    locked.decided_at = timezone.now()
    if note:
        locked.decision_note = note[:2000]
    locked.save()
    _audit(actor, locked.case, action, {"referral": [str(locked.pk), to_status]})
    if to_status == Referral.Status.ACCEPTED:
        _referral_grant(actor, locked)
    elif to_status in (Referral.Status.REVOKED, Referral.Status.REJECTED):
        grants_revoke_for_source(actor=actor, source=locked)
    _notify_referral(locked, REFERRAL_KINDS[to_status])
    return locked


def _referral_grant(actor: Actor, referral: Referral) -> None:
    """An accepted referral opens the case and its person to the receiving office, on the
    person's consent or the supervisor's recorded override; done keeps it open."""
    case = referral.case
    grant_create(
        actor=actor,
        office=referral.to_office,
        person=case.person,
        case=case,
        purpose=Purpose.REFERRAL,
        source=referral,
        consent=referral.consent,
        legal_basis=referral.override_reason or "",
    )


@transaction.atomic
def referral_accept(*, actor: Actor, referral: Referral, note: str = "") -> Referral:
    return _decide(
        actor,
        referral,
        side="to",
        allowed=(Referral.Status.REQUESTED,),
        to_status=Referral.Status.ACCEPTED,
        note=note,
        action="referral_accept",
    )


@transaction.atomic
def referral_reject(*, actor: Actor, referral: Referral, note: str = "") -> Referral:
    return _decide(
        actor,
        referral,
        side="to",
        allowed=(Referral.Status.REQUESTED,),
        to_status=Referral.Status.REJECTED,
        note=note,
        action="referral_reject",
    )


@transaction.atomic
def referral_done(*, actor: Actor, referral: Referral, note: str = "") -> Referral:
    return _decide(
        actor,
        referral,
        side="to",
        allowed=(Referral.Status.ACCEPTED,),
        to_status=Referral.Status.DONE,
        note=note,
        action="referral_done",
    )


@transaction.atomic
def referral_revoke(*, actor: Actor, referral: Referral, note: str = "") -> Referral:
    """Withdraw a referral: the receiving office loses access at once."""
    return _decide(
        actor,
        referral,
        side="from",
        allowed=(Referral.Status.REQUESTED, Referral.Status.ACCEPTED, Referral.Status.DONE),
        to_status=Referral.Status.REVOKED,
        note=note,
        action="referral_revoke",
    )


@transaction.atomic
def referrals_revoke_for_consent(*, actor: Actor, consent: Consent) -> int:
    """When a person withdraws consent, every referral that relied on it is revoked."""
    count = 0
    for referral in Referral.objects.filter(consent=consent).exclude(
        status__in=[Referral.Status.REVOKED, Referral.Status.REJECTED]
    ):
        referral.status = Referral.Status.REVOKED
        referral.decided_by = actor.user
        referral.decided_at = timezone.now()
        referral.decision_note = "consent revoked"
        referral.save()
        _audit(actor, referral.case, "referral_revoke", {"referral": [str(referral.pk), "revoked"]})
        grants_revoke_for_source(actor=actor, source=referral)
        _notify_referral(referral, Kind.REFERRAL_REVOKED)
        count += 1
    return count


def cases_overdue_notify(*, today: dt.date | None = None) -> int:
    """Tell each open overdue case's office (its staff) that the case is overdue: one item per
    case per day however often this runs (the daily `notify_overdue`); returns how many."""
    today = today or timezone.localdate()
    made = 0
    overdue = (
        Case.objects.exclude(status=S.CLOSED)
        .filter(due_date__lt=today)
        .select_related("owner_office")
        .order_by("owner_office_id", "due_date", "id")
    )
    for case in overdue.iterator(chunk_size=1000):
        item = notify(
            kind=Kind.CASE_OVERDUE,
            office=case.owner_office,
            roles=OFFICE_STAFF,
            params={"reference": case.reference, "due": str(case.due_date)},
            link=reverse("cases:detail", kwargs={"case_id": case.pk}),
            dedupe_key=f"overdue:{case.pk}:{today.isoformat()}",
        )
        made += item is not None
    return made


def _scrub(text: str, pattern: "re.Pattern[str]") -> str:
    return pattern.sub(ANONYMISED_TEXT, text)


ANONYMISED_TEXT = "[…]"


def case_texts_anonymise(actor: Actor, person: Person, words: list[str]) -> dict[str, int]:
    """The person was anonymised (enlace.people.services.person_anonymise): their former
    names are replaced in the free text of their cases (summaries, closure reasons, notes,
    actions' outcomes, referrals' purposes). Returns how many texts changed."""
    if not words:
        return {"case_texts": 0}
    pattern = words_pattern(words)
    changed = 0
    for case in Case.objects.filter(person=person):
        fields = []
        for name in ("summary", "closure_reason"):
            before = getattr(case, name)
            after = _scrub(before, pattern)
            if after != before:
                setattr(case, name, after)
                fields.append(name)
        if fields:
            case.save(update_fields=[*fields, "modified"])
            changed += len(fields)
        for model, field in ((CaseNote, "text"), (CaseAction, "outcome"), (Referral, "purpose")):
            for row in model.objects.filter(case=case).only("pk", field):
                before = getattr(row, field)
                after = _scrub(before, pattern)
                if after != before:
                    model.objects.filter(pk=row.pk).update(**{field: after})
                    changed += 1
        if fields:
            _audit_case_scrub(actor, case, fields)
    return {"case_texts": changed}


def _audit_case_scrub(actor: Actor, case: Case, fields: list[str]) -> None:
    change_record(
        actor=actor,
        obj=case,
        owner_office=case.owner_office,
        action="case_anonymise",
        changes={f: ["…", "…"] for f in fields},
    )
    changes_redact(obj=case, keys=("summary", "closure_reason"))
