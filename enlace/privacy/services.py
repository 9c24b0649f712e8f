"""Writes of data protection: each checks the actor, validates, and audits in the same
transaction. Rights requests are answered through the services of the apps that hold the data
(people's anonymisation, people's and cases' presenters for an access export)."""

import datetime as dt
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.access.reads import Purpose, read_many
from enlace.access.roles import APPROVERS, OFFICE_STAFF
from enlace.accounts.actor import Actor
from enlace.audit.services import change_record
from enlace.cases.models import Case, CaseStatus
from enlace.cases.present import case_detail_fields
from enlace.cases.selectors import case_list
from enlace.core.errors import TransitionNotAllowed, ValidationFailed
from enlace.core.validation import check_text
from enlace.inbox.models import Kind as InboxKind
from enlace.inbox.services import notify
from enlace.people.fields import FIREWALLED
from enlace.people.models import Consent, Person
from enlace.people.present import person_fields
from enlace.people.services import ANONYMISED_NAME, person_anonymise

from . import deadlines, permissions
from .models import Breach, ConsentEvent, RequestKind, RequestStatus, RightsRequest
from .selectors import DUE_SOON_DAYS, consent_ledger

# The job's actor: the retention purge acts for no user and no office.
SYSTEM = cast(Actor, Actor(user=None, membership=None))  # type: ignore[arg-type]


def _audit(actor: Actor, obj: Any, office: Any, action: str, changes: dict[str, Any]) -> None:
    change_record(actor=actor, obj=obj, owner_office=office, action=action, changes=changes)


def short_reference(request: RightsRequest | Breach) -> str:
    """What the inbox and the pages call a request or a breach: no name, no date of birth."""
    return str(request.pk)[:8].upper()


# ------------------------------------------------------------------ rights requests


@transaction.atomic
def rights_request_record(
    *,
    actor: Actor,
    person: Person,
    kind: str,
    law_country: str,
    received_on: dt.date | None = None,
    details: str = "",
) -> RightsRequest:
    """Record a data subject's request, with the deadline of the law that applies; the office's
    staff are told in their inbox."""
    if not permissions.handles_requests(actor):
        raise Http404
    office = actor.require_office()
    if person.owner_office_id != office.pk:
        raise Http404
    errors: dict[str, list[Any]] = {}
    if kind not in RequestKind.values:
        errors["kind"] = [_("Choose a kind of request.")]
    law_country = (law_country or "").strip().upper()
    if len(law_country) != 2 or not law_country.isalpha():
        errors["law_country"] = [_("Use ISO 3166-1 two-letter country codes, e.g. MX.")]
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        errors["received_on"] = [_("The date cannot be in the future.")]
    try:
        details = check_text("details", details or "", limit=2000)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    rule = deadlines.rule_for(law_country, kind)
    request = RightsRequest.objects.create(
        office=office,
        person=person,
        kind=kind,
        law_country=law_country,
        received_on=received_on,
        due_on=deadlines.due_date(received_on, law_country, kind),
        legal_source=rule.source,
        details=details,
        created_by=actor.user,
    )
    _audit(actor, request, request.office, "rights_request_record", {"kind": ["", kind]})
    notify(
        kind=InboxKind.PRIVACY_REQUEST,
        office=request.office,
        roles=OFFICE_STAFF,
        params={"reference": short_reference(request), "due": request.due_on.isoformat()},
        link=reverse("privacy:request_detail", kwargs={"rights_request_id": request.pk}),
    )
    return request


def _require_open(request: RightsRequest) -> None:
    if request.status != RequestStatus.OPEN:
        raise TransitionNotAllowed(_("This request is closed already."))


def _close(actor: Actor, request: RightsRequest, status: str, **fields: Any) -> RightsRequest:
    before = request.status
    request.status = status
    request.closed_on = timezone.localdate()
    request.closed_by = actor.user
    for key, value in fields.items():
        setattr(request, key, value)
    request.save()
    _audit(actor, request, request.office, f"rights_request_{status}", {"status": [before, status]})
    return request


def subject_export(*, actor: Actor, person: Person) -> dict[str, Any]:
    """What Enlace holds on the person, as the actor may see it, for an access request: the
    person's fields and their cases through the presenters every export uses (so the firewall
    applies; the migratory status never leaves), and the consent ledger. Logged as an export."""
    read_many(actor=actor, records=[person], purpose=Purpose.EXPORT)
    fields = {k: v for k, v in person_fields(actor, person).items() if k not in FIREWALLED}
    cases = list(
        case_list(actor=actor)
        .filter(person=person)
        .select_related("assigned_to", "person", "detention")
        .prefetch_related("actions", "notes", "referrals")
    )
    read_many(actor=actor, records=cases, purpose=Purpose.EXPORT)
    return {
        "person": fields,
        "cases": [case_detail_fields(actor, c) for c in cases],
        "consents": [
            {
                "purpose": e.purpose,
                "action": e.action,
                "on": e.on.isoformat(),
                "source": e.source,
            }
            for e in consent_ledger(person_id=person.pk)
        ],
        "rights_requests": [
            {
                "kind": r.kind,
                "received_on": r.received_on.isoformat(),
                "status": r.status,
            }
            for r in RightsRequest.objects.filter(person=person).order_by("received_on", "id")
        ],
    }


@transaction.atomic
def rights_request_answer(*, actor: Actor, request: RightsRequest) -> dict[str, Any]:
    """Answer an access request (or an objection, acknowledged) and close it; for an access
    request, returns the export to hand to the person."""
    _require_open(request)
    if request.kind not in (RequestKind.ACCESS, RequestKind.OBJECTION):
        raise TransitionNotAllowed(_("Only an access request or an objection is answered so."))
    export = subject_export(actor=actor, person=request.person)
    _close(actor, request, RequestStatus.ANSWERED)
    return export


@transaction.atomic
def rights_request_rectified(*, actor: Actor, request: RightsRequest, note: str) -> RightsRequest:
    """The person's record was corrected (on the person's edit page): close the request."""
    _require_open(request)
    if request.kind != RequestKind.RECTIFICATION:
        raise TransitionNotAllowed(_("Only a rectification request is closed so."))
    note = check_text("reason", note or "", limit=2000)
    return _close(actor, request, RequestStatus.RECTIFIED, reason=note)


@transaction.atomic
def rights_request_anonymise(*, actor: Actor, request: RightsRequest) -> RightsRequest:
    """Erase the person's identity (enlace.people.services.person_anonymise) and close the
    request with the counts of what was replaced. Supervisors only: it cannot be undone."""
    _require_open(request)
    if request.kind != RequestKind.DELETION:
        raise TransitionNotAllowed(_("Only a deletion request is answered so."))
    if not permissions.may_anonymise(actor):
        raise Http404
    counts = person_anonymise(actor=actor, person=request.person)
    return _close(actor, request, RequestStatus.ANONYMISED, counts=counts)


@transaction.atomic
def rights_request_reject(*, actor: Actor, request: RightsRequest, reason: str) -> RightsRequest:
    """Refuse a request, with the reason the person will be given."""
    _require_open(request)
    reason = check_text("reason", reason or "", limit=2000)
    if not reason.strip():
        raise ValidationFailed({"reason": [_("Give the reason.")]})
    return _close(actor, request, RequestStatus.REJECTED, reason=reason)


def requests_remind(*, today: dt.date | None = None) -> int:
    """Daily: tell each office of its open requests due within DUE_SOON_DAYS days or overdue
    (one inbox item per request per day). Returns how many items were made."""
    today = today or timezone.localdate()
    made = 0
    due = RightsRequest.objects.filter(
        status=RequestStatus.OPEN, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS)
    ).select_related("office")
    for request in due:
        item = notify(
            kind=InboxKind.PRIVACY_REQUEST_DUE,
            office=request.office,
            roles=OFFICE_STAFF,
            params={"reference": short_reference(request), "due": request.due_on.isoformat()},
            link=reverse("privacy:request_detail", kwargs={"rights_request_id": request.pk}),
            dedupe_key=f"privacy-due:{request.pk}:{today.isoformat()}",
        )
        made += item is not None
    for breach in Breach.objects.filter(notified_at__isnull=True).select_related("office"):
        item = notify(
            kind=InboxKind.PRIVACY_BREACH_DUE,
            office=breach.office,
            roles=APPROVERS,
            params={"reference": short_reference(breach), "due": breach.notify_by.isoformat()},
            link=reverse("privacy:breach_list"),
            dedupe_key=f"privacy-breach:{breach.pk}:{today.isoformat()}",
        )
        made += item is not None
    return made


# ------------------------------------------------------------------ consent ledger


def consent_ledger_append(
    *,
    subject: str,
    purpose: str,
    action: str,
    source: str,
    person: Person | None = None,
    by: Any = None,
    office: Any = None,
    on: dt.date | None = None,
    consent_id: Any = None,
) -> ConsentEvent:
    """Append one line to the consent ledger (never changed afterwards)."""
    if action not in ConsentEvent.Action.values or source not in ConsentEvent.Source.values:
        raise ValueError("unknown consent action or source")
    return ConsentEvent.objects.create(
        subject=subject,
        person=person,
        purpose=purpose,
        action=action,
        source=source,
        by=by,
        office=office,
        on=on or timezone.localdate(),
        consent_id=consent_id,
    )


def on_person_consent(actor: Actor, consent: Consent, action: str) -> None:
    """people told us a consent was given or withdrawn (enlace.people.services hooks)."""
    consent_ledger_append(
        subject=f"people.person:{consent.person_id}",
        person=consent.person,
        purpose=consent.purpose,
        action=action,
        source=ConsentEvent.Source.OFFICER,
        by=actor.user,
        office=actor.office,
        on=consent.given_on if action == ConsentEvent.Action.GIVEN else consent.revoked_on,
        consent_id=consent.pk,
    )


def on_requester_consent(*, request: Any, action: str) -> None:
    """The public portal told us a requester gave or withdrew their consent to a search."""
    consent_ledger_append(
        subject=f"portal.publicrequest:{request.pk}",
        purpose=Consent.Purpose.FAMILY_TRACING,
        action=action,
        source=ConsentEvent.Source.PORTAL,
        office=request.office,
        consent_id=request.pk,
    )


# ------------------------------------------------------------------ breaches


@transaction.atomic
def breach_record(
    *,
    actor: Actor,
    detected_at: dt.datetime,
    description: str,
    records_affected: int = 0,
    persons_affected: int = 0,
) -> Breach:
    """Register a breach of the actor's office; the clock to notify it starts at detection
    (3 working days in the country the office represents)."""
    if not permissions.records_breaches(actor):
        raise Http404
    office = actor.require_office()
    errors: dict[str, list[Any]] = {}
    if detected_at > timezone.now():
        errors["detected_at"] = [_("The date cannot be in the future.")]
    try:
        description = check_text("description", description or "", limit=5000)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if not description.strip():
        errors["description"] = [_("This field is required.")]
    if records_affected < 0 or persons_affected < 0:
        errors["records_affected"] = [_("Give a number of 0 or more.")]
    if errors:
        raise ValidationFailed(errors)
    breach = Breach.objects.create(
        office=office,
        detected_at=detected_at,
        description=description,
        records_affected=records_affected,
        persons_affected=persons_affected,
        notify_by=deadlines.breach_deadline(
            timezone.localtime(detected_at).date(), office.country_id
        ),
        created_by=actor.user,
    )
    _audit(actor, breach, office, "breach_record", {"notify_by": ["", str(breach.notify_by)]})
    return breach


@transaction.atomic
def breach_notified(
    *, actor: Actor, breach: Breach, notified_at: dt.datetime, notified_to: str
) -> Breach:
    """Record when and to whom the breach was notified."""
    if not permissions.may_edit_breach(actor):
        raise Http404
    if breach.notified_at is not None:
        raise TransitionNotAllowed(_("This breach was notified already."))
    errors: dict[str, list[Any]] = {}
    if notified_at > timezone.now() or notified_at < breach.detected_at:
        errors["notified_at"] = [_("Give a time between the detection and now.")]
    try:
        notified_to = check_text("notified_to", notified_to or "", limit=300)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if not notified_to.strip():
        errors["notified_to"] = [_("This field is required.")]
    if errors:
        raise ValidationFailed(errors)
    breach.notified_at = notified_at
    breach.notified_to = notified_to
    breach.save(update_fields=["notified_at", "notified_to", "modified"])
    _audit(actor, breach, breach.office, "breach_notified", {"notified_to": ["", notified_to]})
    return breach


# ------------------------------------------------------------------ retention


def retention_days() -> dict[str, int]:
    """Retention per record type (settings.PRIVACY_RETENTION_DAYS over these defaults):
    - person: a person with no case open or changed for this long is anonymised;
    - rights_request: a closed rights request is deleted this long after it was closed."""
    return {"person": 3650, "rights_request": 1825} | dict(
        getattr(settings, "PRIVACY_RETENTION_DAYS", {})
    )


def _expired_people(now: dt.datetime, days: int) -> Any:
    cutoff = now - dt.timedelta(days=days)
    recent_or_open = Case.objects.filter(Q(modified__gte=cutoff) | ~Q(status=CaseStatus.CLOSED))
    return (
        Person.objects.filter(modified__lt=cutoff)
        .exclude(given_names=ANONYMISED_NAME, search_text="")
        .exclude(pk__in=recent_or_open.values("person"))
        .exclude(pk__in=RightsRequest.objects.filter(status=RequestStatus.OPEN).values("person"))
    )


def _expired_requests(today: dt.date, days: int) -> Any:
    return RightsRequest.objects.exclude(status=RequestStatus.OPEN).filter(
        closed_on__lt=today - dt.timedelta(days=days)
    )


def privacy_purge(*, dry_run: bool = True, now: dt.datetime | None = None) -> dict[str, int]:
    """Anonymise the people and delete the closed rights requests past their retention period
    (retention_days). A dry run only counts. Every anonymisation is audited (as the system)."""
    now = now or timezone.now()
    days = retention_days()
    people = _expired_people(now, days["person"])
    # Not named `requests`: bandit takes `requests.delete()` for the HTTP library (B113).
    expired = _expired_requests(timezone.localdate(now), days["rights_request"])
    counts = {"person": people.count(), "rights_request": expired.count()}
    if dry_run:
        return counts
    for person in people.select_related("owner_office"):
        with transaction.atomic():
            person_anonymise(actor=SYSTEM, person=person, by_retention=True)
    with transaction.atomic():
        for request in expired:
            _audit(SYSTEM, request, request.office, "rights_request_purge", {})
        expired.delete()
    return counts
