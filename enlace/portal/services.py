"""Intake writes: a request from the public, its follow-up by the requester (reference +
secret), its triage by the receiving office, and the purge of what was not taken into a case.

What the portal never does, by construction:
- no person, case or tracing record is read or written when a request arrives: the submission
  validates the text, picks the receiving office from the office directory (nationality and
  country, never a person) and stores the request, so its answer, size and time are the same
  whoever is described. Matching runs only when an office turns a tracing request into one of
  the tracing module's, after verifying it;
- the secret is stored as an HMAC-SHA256 under the server's key and checked in constant time;
  an unknown reference and a wrong secret take the same path and give the same 404;
- e-mail goes to the requester only (the secret, if they gave an address), never to anyone
  described in the request.
"""

import datetime as dt
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enlace.access import rules
from enlace.access.roles import OFFICE_STAFF
from enlace.accounts.actor import Actor
from enlace.accounts.models import Office
from enlace.audit.services import change_record
from enlace.cases.models import CaseType
from enlace.cases.services import case_open
from enlace.core.errors import TransitionNotAllowed, ValidationFailed
from enlace.core.models import Country
from enlace.core.names import sort_by_name
from enlace.core.validation import check_text
from enlace.inbox.models import Kind as InboxKind
from enlace.inbox.services import items_withdraw, notify
from enlace.people.models import Person, Sex
from enlace.people.services import person_create
from enlace.tracing.models import Relation
from enlace.tracing.services import request_create as tracing_request_create

from .models import (
    DEFAULT_RETENTION_DAYS,
    CloseReason,
    Kind,
    Outcome,
    PortalSettings,
    PublicRequest,
    RequestEvent,
    Situation,
    Status,
)

# A readable alphabet for codes read aloud on a phone: digits 2–9 and capitals without I, L,
# O (look like 1 and 0; 0 and 1 are left out too). 31 symbols, 20 of them: log2(31) × 20 ≈ 99
# bits each for the reference and the secret (the brief asks ≥ 80).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 20
GROUP = 4

TEXT_LIMITS = {
    "description": 5000,
    "best_time": 100,
    "given_names": 200,
    "first_surname": 200,
    "second_surname": 200,
    "nickname": 100,
    "last_seen_place": 200,
    "requester_name": 200,
}
INFO_LIMIT = 5000
HELP_TO_CASE = {
    Situation.DETENTION: CaseType.DETENTION,
    Situation.HOSPITAL: CaseType.HOSPITAL,
    Situation.LABOUR: CaseType.LABOUR,
    Situation.DEATH: CaseType.DEATH,
    Situation.MISSING: CaseType.MISSING,
    Situation.DOCUMENTS: CaseType.DOCUMENTS,
    Situation.OTHER: CaseType.OTHER,
}

# Routing: among the offices of the nationality's country in the country where they are, the
# consular ones first.
KIND_ORDER = (
    Office.Kind.CONSULATE,
    Office.Kind.EMBASSY,
    Office.Kind.FOREIGN_MINISTRY,
    Office.Kind.CHILD_PROTECTION,
    Office.Kind.SHELTER,
)
# A request from the public never goes to a migration authority (a migrant asking for help
# must not land at the agency that may detain or deport them).
ROUTED_KINDS = frozenset(KIND_ORDER)
# Where triage may forward a request: the offices routing picks from, and the secretariat.
FORWARD_KINDS = ROUTED_KINDS | {Office.Kind.SECRETARIAT}


# ---------------------------------------------------------------- codes


def new_code() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(CODE_LENGTH))


def grouped(code: str) -> str:
    """ABCD-EFGH-… for reading aloud and printing."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise_code(text: Any) -> str:
    """What the requester typed, without spaces and dashes, in capitals (at most 64 chars
    are looked at: longer input is no code)."""
    if not isinstance(text, str):
        return ""
    return "".join(ch for ch in text[:64].upper() if ch.isalnum())


def secret_digest(secret: str) -> str:
    """HMAC-SHA256 of the secret under the server's key (SECRET_KEY, salted for this use)."""
    return salted_hmac("enlace.portal.secret", secret, algorithm="sha256").hexdigest()


# The digest an unknown reference is compared with, so both paths do the same work.
_NO_DIGEST = "0" * 64


# ---------------------------------------------------------------- routing


def route(nationality: Country | None, country: Country | None) -> Office | None:
    """The office a request goes to:
    1. an active office of the nationality's country in the country where the person is
       (consulate, then embassy, foreign ministry, child protection, shelter — never a
       migration authority);
    2. else the nationality's foreign ministry (any active one of that country), then any
       active office of that country that works cases;
    3. else the regional secretariat (an active office of kind "secretariat"), whose staff
       forward or close it.
    None only when the directory has none of these."""
    offices = Office.objects.filter(is_active=True)
    if nationality is not None:
        national = offices.filter(country=nationality, kind__in=ROUTED_KINDS)
        if country is not None:
            office = _first(national.filter(host_country=country))
            if office is not None:
                return office
        office = _first(national.filter(kind=Office.Kind.FOREIGN_MINISTRY))
        if office is not None:
            return office
        office = _first(national.filter(host_country=nationality)) or _first(national)
        if office is not None:
            return office
    return offices.filter(kind=Office.Kind.SECRETARIAT).order_by("name").first()


def _first(offices: Any) -> Office | None:
    ranked = sorted(offices.order_by("name")[:50], key=lambda o: KIND_ORDER.index(o.kind))
    return ranked[0] if ranked else None


# ---------------------------------------------------------------- submission


@dataclass(frozen=True)
class Receipt:
    """What the requester gets back, once: both codes, grouped."""

    reference: str
    secret: str


def _country(code: Any, field: str, errors: dict[str, list[Any]]) -> Country | None:
    if code in (None, ""):
        return None
    found = Country.objects.filter(code=str(code).upper()[:2]).first() if len(code) == 2 else None
    if found is None:
        errors[field] = [gettext_lazy("Choose a country from the list.")]
    return found


def _bool(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true", "on", "yes")


def clean_submission(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Check a request as sent (the API's and the pages' data alike); ValidationFailed lists
    every field's error."""
    errors: dict[str, list[Any]] = {}
    if kind not in Kind.values:
        raise ValidationFailed({"kind": [gettext_lazy("Choose help or tracing.")]})
    details: dict[str, Any] = {}
    for key, limit in TEXT_LIMITS.items():
        try:
            value = check_text(key, data.get(key), limit=limit).strip()
        except ValidationFailed as exc:
            errors.update(exc.errors)
            continue
        if value:
            details[key] = value
    contact_phone = str(data.get("contact_phone") or "").strip()
    if len(contact_phone) > 40 or any(
        not (ch.isdigit() or ch in " +-()./") for ch in contact_phone
    ):
        errors["contact_phone"] = [gettext_lazy("Enter a phone number (digits, spaces, +).")]
    contact_email = str(data.get("contact_email") or "").strip()
    if contact_email:
        try:
            validate_email(contact_email)
            if len(contact_email) > 254:
                raise ValueError
        except (DjangoValidationError, ValueError):
            errors["contact_email"] = [gettext_lazy("Enter a valid e-mail address.")]
    nationality = _country(data.get("nationality"), "nationality", errors)
    country = _country(data.get("country"), "country", errors)
    language = str(data.get("language") or "")
    if language and language not in {code for code, _name in settings.LANGUAGES}:
        errors["language"] = [gettext_lazy("Choose a language from the list.")]
    clean: dict[str, Any] = {
        "kind": kind,
        "nationality": nationality,
        "country": country,
        "contact_phone": contact_phone,
        "contact_email": contact_email,
        "safe_to_leave_message": _bool(data.get("safe_to_leave_message")),
        "consent": _bool(data.get("consent")),
        "language": language or (translation.get_language() or settings.LANGUAGE_CODE)[:8],
    }
    if kind == Kind.HELP:
        situation = data.get("situation")
        if situation not in Situation.values:
            errors["situation"] = [gettext_lazy("Choose what happened.")]
        details["situation"] = situation
        if "description" not in details and "description" not in errors:
            errors["description"] = [gettext_lazy("Tell us briefly what happened.")]
        if nationality is None and "nationality" not in errors:
            errors["nationality"] = [gettext_lazy("Choose a country from the list.")]
        if country is None and "country" not in errors:
            errors["country"] = [gettext_lazy("Choose a country from the list.")]
        _year(data, details, errors)
    else:
        if not any(k in details for k in ("given_names", "first_surname", "nickname")):
            errors["given_names"] = [gettext_lazy("Give at least a name, a nickname or a surname.")]
        relation = data.get("relation")
        if relation not in Relation.values:
            errors["relation"] = [gettext_lazy("Choose the relation.")]
        details["relation"] = relation
        sex = data.get("sex") or Sex.UNKNOWN
        if sex not in Sex.values:
            errors["sex"] = [gettext_lazy("Choose one of the options.")]
        details["sex"] = sex
        _year(data, details, errors)
        age = data.get("approximate_age")
        if age not in (None, ""):
            try:
                details["approximate_age"] = int(age)
                if not 0 <= details["approximate_age"] <= 120:
                    raise ValueError
            except (TypeError, ValueError):
                errors["approximate_age"] = [gettext_lazy("Enter an age between 0 and 120.")]
        if not clean["consent"]:
            errors["consent"] = [
                gettext_lazy("An office can only search with your consent: tick the box.")
            ]
    if not contact_phone and not contact_email:
        errors["contact_phone"] = [
            gettext_lazy("Give a phone number or an e-mail address, so an office can reach you.")
        ]
    if errors:
        raise ValidationFailed(errors)
    clean["details"] = details
    return clean


def _year(data: dict[str, Any], details: dict[str, Any], errors: dict[str, list[Any]]) -> None:
    year = data.get("birth_year")
    if year in (None, ""):
        return
    try:
        details["birth_year"] = int(year)
        if not 1900 <= details["birth_year"] <= timezone.localdate().year:
            raise ValueError
    except (TypeError, ValueError):
        errors["birth_year"] = [gettext_lazy("Enter a year, e.g. 1990.")]


# Told inside the writing transaction when a requester gives or withdraws their consent
# (`hook(request=…, action="given" | "withdrawn")`): the consent ledger (enlace.privacy)
# listens without the portal importing it.
RequesterConsentHook = Callable[..., None]
_CONSENT_HOOKS: list[RequesterConsentHook] = []


def on_requester_consent(hook: RequesterConsentHook) -> None:
    """Register `hook(request=…, action=…)`, called when a requester gives or withdraws consent."""
    if hook not in _CONSENT_HOOKS:
        _CONSENT_HOOKS.append(hook)


def _consent_told(request: PublicRequest, action: str) -> None:
    for hook in _CONSENT_HOOKS:
        hook(request=request, action=action)


@transaction.atomic
def request_submit(*, kind: str, data: dict[str, Any], bot: bool = False) -> Receipt:
    """Store a request for the receiving office's triage and return its codes. A bot (the
    honeypot filled) gets codes of the same shape and nothing is stored or sent."""
    clean = clean_submission(kind, data)
    reference, secret = new_code(), new_code()
    if bot:
        return Receipt(grouped(reference), grouped(secret))
    office = route(clean["nationality"], clean["country"])
    now = timezone.now()
    for _attempt in range(5):  # 99 bits: a collision is for the tests' sake only
        if not PublicRequest.objects.filter(reference=reference).exists():
            break
        reference = new_code()
    request = PublicRequest.objects.create(
        reference=reference,
        secret_digest=secret_digest(secret),
        office=office,
        updated=now,
        **clean,
    )
    RequestEvent.objects.create(request=request, action=RequestEvent.Action.SUBMITTED)
    if request.consent:
        _consent_told(request, "given")
    if office is not None:
        # No personal data and no code in the item: its date, and a link to the triage page.
        notify(
            kind=InboxKind.PORTAL_REQUEST,
            office=office,
            roles=OFFICE_STAFF,
            params={"date": now.date().isoformat()},
            link=reverse("portal:triage_detail", kwargs={"public_request_id": request.pk}),
        )
    if request.contact_email:
        email = request.contact_email
        language = request.language
        codes = Receipt(grouped(reference), grouped(secret))
        transaction.on_commit(lambda: _enqueue_codes(email, language, codes))
    return Receipt(grouped(reference), grouped(secret))


def _enqueue_codes(email: str, language: str, codes: Receipt) -> None:
    from .tasks import send_codes

    send_codes.enqueue(email, language, codes.reference, codes.secret)


def codes_email_send(*, email: str, language: str, reference: str, secret: str) -> int:
    """The requester's codes, to the address they gave (and to no one else)."""
    codes = {code for code, _name in settings.LANGUAGES}
    with translation.override(language if language in codes else settings.LANGUAGE_CODE):
        subject = _("[Enlace] Your request: reference and secret")
        body = _(
            "Keep this message. To follow your request, go to %(url)s and enter:\n\n"
            "Reference: %(reference)s\nSecret: %(secret)s\n\n"
            "Nobody from an office will ever ask you for the secret."
        ) % {
            "url": settings.ENLACE_BASE_URL.rstrip("/") + reverse("portal:follow"),
            "reference": reference,
            "secret": secret,
        }
    return send_mail(subject, body, None, [email])


# ---------------------------------------------------------------- follow-up


def request_find(*, reference: Any, secret: Any) -> PublicRequest:
    """The request these codes open, or Http404 — the same for an unknown reference and a
    wrong or missing secret: one query, one digest, one constant-time comparison each way."""
    ref = normalise_code(reference)
    given = secret_digest(normalise_code(secret))
    request = (
        PublicRequest.objects.filter(reference=ref).first() if len(ref) == CODE_LENGTH else None
    )
    stored = request.secret_digest if request is not None else _NO_DIGEST
    ok = hmac.compare_digest(stored, given)
    if request is None or not ok or not normalise_code(secret):
        raise Http404
    return request


def status_of(request: PublicRequest) -> str:
    """The status word: the request's own, or "closed" once the case or tracing request it
    became is closed (ids only are read, nothing of the record)."""
    if request.status != Status.WORKING:
        return request.status
    from enlace.cases.models import Case, CaseStatus
    from enlace.tracing.models import TracingRequest

    if request.case_id is not None:
        status = Case.objects.filter(pk=request.case_id).values_list("status", flat=True).first()
        return Status.CLOSED if status in (None, CaseStatus.CLOSED) else Status.WORKING
    if request.tracing_request_id is not None:
        status = (
            TracingRequest.objects.filter(pk=request.tracing_request_id)
            .values_list("status", flat=True)
            .first()
        )
        open_ = (TracingRequest.Status.OPEN, TracingRequest.Status.MATCH_CONFIRMED)
        return Status.WORKING if status in open_ else Status.CLOSED
    return request.status


def _touch(request: PublicRequest, **fields: Any) -> None:
    for key, value in fields.items():
        setattr(request, key, value)
    request.updated = timezone.now()
    request.version += 1
    request.save(update_fields=[*fields, "updated", "version", "modified"])


@transaction.atomic
def request_add_info(*, request: PublicRequest, text: Any) -> PublicRequest:
    """The requester adds information (kept as an event the office reads at triage or after)."""
    text = check_text("text", text, limit=INFO_LIMIT, required=True)
    if request.status == Status.CLOSED:
        raise TransitionNotAllowed(gettext_lazy("This request is closed."))
    RequestEvent.objects.create(request=request, action=RequestEvent.Action.INFO_ADDED, text=text)
    _touch(request)
    return request


@transaction.atomic
def request_withdraw(*, request: PublicRequest) -> PublicRequest:
    """The requester withdraws the request: closed, and purged like any request not taken into
    a case. A request already taken up by an office stays with that office's record."""
    if request.status == Status.CLOSED:
        raise TransitionNotAllowed(gettext_lazy("This request is closed."))
    RequestEvent.objects.create(request=request, action=RequestEvent.Action.WITHDRAWN)
    if request.outcome == Outcome.PENDING:
        _touch(request, status=Status.CLOSED, outcome=Outcome.WITHDRAWN)
    else:
        _touch(request, status=Status.CLOSED)
    return request


@transaction.atomic
def request_consent_withdraw(*, request: PublicRequest) -> PublicRequest:
    """The requester withdraws the consent they gave (to search for the person sought): it is
    recorded; an office that took the request up sees it on the triage page."""
    if not request.consent or request.consent_withdrawn_at is not None:
        raise TransitionNotAllowed(gettext_lazy("There is no consent to withdraw."))
    RequestEvent.objects.create(request=request, action=RequestEvent.Action.CONSENT_WITHDRAWN)
    _touch(request, consent_withdrawn_at=timezone.now())
    _consent_told(request, "withdrawn")
    return request


# ---------------------------------------------------------------- triage


def _for_triage(actor: Actor, request: PublicRequest) -> PublicRequest:
    if not rules.can_triage_public_request(actor, request.office_id):
        raise Http404
    locked = PublicRequest.objects.select_for_update().get(pk=request.pk)
    if locked.outcome != Outcome.PENDING:
        raise TransitionNotAllowed(gettext_lazy("This request has been triaged already."))
    return locked


def _triaged(
    actor: Actor, request: PublicRequest, action: str, outcome: str, **fields: Any
) -> PublicRequest:
    status = Status.CLOSED if outcome == Outcome.CLOSED else Status.WORKING
    _touch(
        request,
        outcome=outcome,
        status=status,
        triaged_by=actor.user,
        triaged_at=timezone.now(),
        **fields,
    )
    RequestEvent.objects.create(
        request=request, action=action, user=actor.user, text=fields.get("close_reason", "")
    )
    change_record(
        actor=actor,
        obj=request,
        owner_office=request.office,
        action=f"portal_{action}",
        changes={"status": [Status.RECEIVED, status], "outcome": ["", outcome]},
    )
    return request


def person_data(request: PublicRequest) -> dict[str, Any]:
    """What a request says of the person, in people's fields (for the triage form)."""
    d = request.details
    data = {k: d.get(k, "") for k in ("given_names", "first_surname", "second_surname")}
    if d.get("birth_year"):
        data["birth_date"] = str(d["birth_year"])
    if d.get("sex"):
        data["sex"] = d["sex"]
    return data


@transaction.atomic
def triage_to_case(
    *,
    actor: Actor,
    request: PublicRequest,
    person: Person | None = None,
    person_fields: dict[str, Any] | None = None,
    case_type: str = "",
    summary: str = "",
) -> PublicRequest:
    """Accept into a case: for `person` (one the office registered; the triage page suggests
    them through people's duplicate check) or a person registered now from `person_fields`.
    The request keeps only the case's id; its details are purged with it (they are in the
    case now)."""
    request = _for_triage(actor, request)
    if person is not None and not rules.can_edit_person(actor, person):
        raise Http404
    if person is None:
        fields = dict(person_fields or person_data(request))
        nationalities = [request.nationality_id] if request.nationality_id else []
        person = person_create(actor=actor, data=fields, nationalities=nationalities)
    if not case_type:
        case_type = HELP_TO_CASE.get(request.details.get("situation"), CaseType.MISSING)
    summary = summary or str(request.details.get("description") or "")
    case = case_open(
        actor=actor,
        person=person,
        case_type=case_type,
        summary=summary or _("Request from the public %(date)s") % {"date": request.created.date()},
    )
    return _triaged(
        actor, request, RequestEvent.Action.ACCEPTED_CASE, Outcome.CASE, case_id=case.pk
    )


def tracing_data(request: PublicRequest) -> dict[str, Any]:
    """A tracing request of the tracing module, from a portal request (the triage form's
    initial values: the office checks them with the requester first)."""
    d = request.details
    contact = " / ".join(p for p in (request.contact_phone, request.contact_email) if p)
    return {
        "requester_name": d.get("requester_name", ""),
        "requester_relation": d.get("relation", ""),
        "requester_contact": contact[:200],
        "requester_consent": request.consent and request.consent_withdrawn_at is None,
        "given_names": d.get("given_names", ""),
        "nickname": d.get("nickname", ""),
        "first_surname": d.get("first_surname", ""),
        "second_surname": d.get("second_surname", ""),
        "sex": d.get("sex", Sex.UNKNOWN),
        "birth_date": str(d["birth_year"]) if d.get("birth_year") else "",
        "approximate_age": d.get("approximate_age"),
        "last_seen_place": d.get("last_seen_place", ""),
        "nationality": "",
    }


@transaction.atomic
def triage_to_tracing(
    *, actor: Actor, request: PublicRequest, data: dict[str, Any] | None = None
) -> PublicRequest:
    """Turn a verified tracing request into one of the tracing module's: matching runs there,
    now, for the first time. The requester's withdrawn consent stops it."""
    request = _for_triage(actor, request)
    if request.consent_withdrawn_at is not None:
        raise TransitionNotAllowed(
            gettext_lazy("The requester withdrew their consent: close the request instead.")
        )
    fields = tracing_data(request) | dict(data or {})
    tracing = tracing_request_create(actor=actor, data=fields)
    return _triaged(
        actor,
        request,
        RequestEvent.Action.ACCEPTED_TRACING,
        Outcome.TRACING,
        tracing_request_id=tracing.pk,
    )


@transaction.atomic
def triage_close(*, actor: Actor, request: PublicRequest, reason: str) -> PublicRequest:
    """Close with a reason: nothing is made of it, and it is purged after the retention."""
    if reason not in CloseReason.values:
        raise ValidationFailed({"reason": [gettext_lazy("Choose a reason.")]})
    request = _for_triage(actor, request)
    return _triaged(actor, request, RequestEvent.Action.CLOSED, Outcome.CLOSED, close_reason=reason)


def forward_targets(*, request: PublicRequest) -> list[Office]:
    """The offices a request may be forwarded to: every active office routing could pick (never
    a migration authority), the secretariat, but not the office that holds it now; by name."""
    offices = Office.objects.filter(is_active=True, kind__in=FORWARD_KINDS)
    if request.office_id is not None:
        offices = offices.exclude(pk=request.office_id)
    return sort_by_name(offices.select_related("host_country"), lambda o: o.name)


@transaction.atomic
def triage_forward(*, actor: Actor, request: PublicRequest, office: Any) -> PublicRequest:
    """Forward a request waiting for triage to the office it belongs to (the secretariat's step
    for what routing could not place, and any office's for what reached it by mistake). The
    request moves to that office's triage queue and its staff are told in their inbox; the former
    office loses it, its inbox item too. The requester sees nothing: the status word and the
    date they see stay as they were."""
    request = _for_triage(actor, request)
    target = next((o for o in forward_targets(request=request) if str(o.pk) == str(office)), None)
    if target is None:
        raise ValidationFailed({"office": [gettext_lazy("Choose an office from the list.")]})
    former = request.office
    link = reverse("portal:triage_detail", kwargs={"public_request_id": request.pk})
    request.office = target
    request.version += 1
    request.save(update_fields=["office", "version", "modified"])
    RequestEvent.objects.create(
        request=request,
        action=RequestEvent.Action.FORWARDED,
        user=actor.user,
        text=f"{former.name if former else '—'} → {target.name}",
    )
    change_record(
        actor=actor,
        obj=request,
        owner_office=target,
        action="portal_forwarded",
        changes={"office": [str(former.pk) if former else "", str(target.pk)]},
    )
    if former is not None:
        items_withdraw(office=former, kind=InboxKind.PORTAL_REQUEST, link=link)
    notify(
        kind=InboxKind.PORTAL_REQUEST,
        office=target,
        roles=OFFICE_STAFF,
        params={"date": request.created.date().isoformat()},
        link=link,
    )
    return request


@transaction.atomic
def retention_set(*, actor: Actor, days: Any) -> PortalSettings:
    """A supervisor sets how long the office keeps requests not taken into a case."""
    office = actor.require_office()
    if not rules.is_approver(actor):
        raise Http404
    try:
        value = int(days)
        if not 7 <= value <= 3650:
            raise ValueError
    except (TypeError, ValueError):
        raise ValidationFailed(
            {"retention_days": [gettext_lazy("Enter a number of days between 7 and 3650.")]}
        ) from None
    row, _created = PortalSettings.objects.update_or_create(
        office=office, defaults={"retention_days": value}
    )
    change_record(
        actor=actor,
        obj=row,
        owner_office=office,
        action="portal_retention_set",
        changes={"retention_days": ["", str(value)]},
    )
    return row


# ---------------------------------------------------------------- purge


def requests_purge(*, now: dt.datetime | None = None) -> int:
    """Delete every request not taken into a case or a tracing request (waiting for triage,
    closed by the office, withdrawn) whose last change is older than its office's retention
    period (PortalSettings, default DEFAULT_RETENTION_DAYS). A request taken up keeps only its
    status and the id of what it became; its details are cleared at the same age. Returns how
    many were deleted."""
    now = now or timezone.now()
    periods = dict(PortalSettings.objects.values_list("office_id", "retention_days"))
    deleted = 0
    offices = set(PublicRequest.objects.values_list("office_id", flat=True).distinct())
    for office_id in offices:
        days = periods.get(office_id, DEFAULT_RETENTION_DAYS)
        old = PublicRequest.objects.filter(
            office_id=office_id, updated__lt=now - dt.timedelta(days=days)
        )
        not_taken = Q(outcome__in=[Outcome.PENDING, Outcome.CLOSED, Outcome.WITHDRAWN])
        with transaction.atomic():
            deleted += old.filter(not_taken).delete()[1].get(PublicRequest._meta.label, 0)
            taken = old.exclude(not_taken).exclude(details={})
            for request in taken:
                request.details = {}
                request.contact_phone = ""
                request.contact_email = ""
                request.save(update_fields=["details", "contact_phone", "contact_email"])
                request.events.exclude(text="").update(text="")
    return deleted
