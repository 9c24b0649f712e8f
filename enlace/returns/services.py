"""Writes to assisted voluntary returns: open, one service per step of the workflow, and the
due follow-ups' notices.

Each step service takes the return as read by its caller and the version the caller saw; it
checks who may act (Http404 when the return is out of reach or the step is the other side's,
so forbidden looks like missing), locks the row (StaleEdit, 409, on a stale version), checks
that the step is allowed from the current status (TRANSITIONS) and that nothing it rests on is
missing (ValidationFailed, 400, with a clear message), writes, records the step (ReturnStep:
who, when, what) and audits in the same transaction.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enlace.access import roles
from enlace.access import rules as access
from enlace.access.grants import grant_create, grants_revoke_for_source
from enlace.access.models import Grant
from enlace.access.reads import Purpose
from enlace.accounts.actor import Actor
from enlace.accounts.models import CASEWORK_KINDS, Membership, Office
from enlace.audit.services import change_record
from enlace.cases.models import Case, CaseNote, CaseType
from enlace.core.errors import ValidationFailed
from enlace.core.models import Country
from enlace.core.names import language_codes
from enlace.core.references import create_with_reference
from enlace.core.validation import DatePrecision, check_text, lock_for_edit, parse_date
from enlace.inbox.models import Kind
from enlace.inbox.services import notify
from enlace.people.models import Consent, Person
from enlace.people.services import consent_record

from . import rules
from .models import (
    BEFORE_DEPARTURE,
    FOLLOW_UP_MONTHS,
    REFERENCE_PREFIX,
    CounsellingOption,
    DocumentType,
    FollowUp,
    Outcome,
    Return,
    ReturnSettings,
    ReturnStep,
    Status,
    Step,
    Transport,
    TravelDocumentRequest,
    TravelLeg,
    Vulnerability,
)

S = Status
SENDING, RECEIVING = rules.SENDING, rules.RECEIVING
ADULT_AGE = 18
MAX_LEGS = 20

# step: (statuses it may be taken from, status it leads to (None: unchanged), side that takes it)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None, str]] = {
    Step.COUNSELLING: ((S.REQUESTED, S.COUNSELLING), S.COUNSELLING, SENDING),
    Step.CONSENT: ((S.COUNSELLING,), None, SENDING),
    Step.CONSENT_RECONFIRM: (BEFORE_DEPARTURE, None, SENDING),
    Step.ASSESSMENT: ((S.COUNSELLING, S.ASSESSMENT), S.ASSESSMENT, SENDING),
    # Children only: an adult's return goes from the assessment to the travel documents.
    Step.BEST_INTERESTS: ((S.ASSESSMENT, S.BEST_INTERESTS), S.BEST_INTERESTS, SENDING),
    Step.DOCUMENT_REQUEST: (
        (S.ASSESSMENT, S.BEST_INTERESTS, S.TRAVEL_DOCUMENTS),
        S.TRAVEL_DOCUMENTS,
        SENDING,
    ),
    Step.DOCUMENT_ISSUE: ((S.TRAVEL_DOCUMENTS, S.MEDICAL, S.TRAVEL_PLAN), None, SENDING),
    # Only when the assessment found a medical check needed (or the office wants one); again
    # after the plan when the person falls ill (then a new plan follows).
    Step.MEDICAL: ((S.TRAVEL_DOCUMENTS, S.MEDICAL, S.TRAVEL_PLAN), S.MEDICAL, SENDING),
    Step.TRAVEL_PLAN: ((S.TRAVEL_DOCUMENTS, S.MEDICAL, S.TRAVEL_PLAN), S.TRAVEL_PLAN, SENDING),
    Step.HAND_OVER: ((S.TRAVEL_PLAN,), None, SENDING),
    Step.DEPARTURE: ((S.TRAVEL_PLAN,), S.DEPARTED, SENDING),
    Step.ARRIVAL: ((S.DEPARTED,), S.ARRIVED, RECEIVING),
    Step.REINTEGRATION_PLAN: ((S.ARRIVED, S.REINTEGRATION), S.REINTEGRATION, RECEIVING),
    Step.FOLLOW_UP: ((S.REINTEGRATION, S.FOLLOW_UP), S.FOLLOW_UP, RECEIVING),
    # Closing before departure (the return did not take place) is the sending side's; after
    # departure the receiving side's (see return_close).
    Step.CLOSE: (
        (*BEFORE_DEPARTURE, S.DEPARTED, S.ARRIVED, S.REINTEGRATION, S.FOLLOW_UP),
        S.CLOSED,
        SENDING,
    ),
    Step.WITHDRAW: (BEFORE_DEPARTURE, S.WITHDRAWN, SENDING),
}

# What each status waits for, in the message that refuses a step taken too early.
NEXT_STEP: dict[str, Any] = {
    S.REQUESTED: _("counselling"),
    S.COUNSELLING: _("the signed consent and the eligibility and vulnerability assessment"),
    S.ASSESSMENT: _("the best-interests determination (for a child) or the travel documents"),
    S.BEST_INTERESTS: _("the travel documents"),
    S.TRAVEL_DOCUMENTS: _("an issued travel document, the medical check when needed"),
    S.MEDICAL: _("the travel plan"),
    S.TRAVEL_PLAN: _("the hand-over and the departure"),
    S.DEPARTED: _("the arrival"),
    S.ARRIVED: _("the reintegration plan"),
    S.REINTEGRATION: _("the follow-ups"),
    S.FOLLOW_UP: _("the follow-ups and the closure"),
}

NO_CONSENT = _("The person's informed consent is not recorded: no return may go ahead without it.")
NO_BID = _(
    "A child may not depart without a best-interests determination: record it before the "
    "travel documents."
)
BID_AGAINST = _(
    "The best-interests determination found that returning is not in the child's best "
    "interests: the return cannot go ahead."
)
UNFIT = _("The person was found unfit to travel: the return cannot go ahead.")
NO_ESCORT = _("An unaccompanied child travels only with an escort: name the escort.")
NOT_ELIGIBLE = _("The assessment found the person not eligible: the return cannot go ahead.")
AFTER_DEPARTURE = _(
    "The person has already departed: a return cannot be withdrawn after departure."
)


def _refuse(key: str, message: Any) -> ValidationFailed:
    return ValidationFailed({key: [message]})


def _uuid(value: Any) -> uuid.UUID | None:
    """An id from a request, or None when it is not one (then: "choose one of yours")."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


# Parsing ---------------------------------------------------------------------------------


def _bool(key: str, value: Any, *, required: bool = True) -> bool | None:
    if value in (True, False):
        return bool(value)
    if isinstance(value, str) and value.lower() in ("true", "yes", "1", "false", "no", "0"):
        return value.lower() in ("true", "yes", "1")
    if value in (None, "") and not required:
        return None
    raise _refuse(key, _("Answer yes or no."))


def _date(key: str, value: Any, *, required: bool = False, default: dt.date | None = None) -> Any:
    parsed = parse_date(key, value)
    if parsed is None:
        if default is not None:
            return default
        if required:
            raise _refuse(key, _("Enter a date as YYYY-MM-DD."))
        return None
    if not dt.date(1900, 1, 1) <= parsed <= dt.date(2200, 1, 1):
        raise _refuse(key, _("This date is out of range."))
    return parsed


def _not_future(key: str, value: dt.date) -> dt.date:
    if value > timezone.localdate():
        raise _refuse(key, _("This date is in the future."))
    return value


def _choices(key: str, values: Any, allowed: Iterable[str], *, required: bool = False) -> list:
    if values in (None, ""):
        values = []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise _refuse(key, _("Choose from the listed values."))
    allowed = set(allowed)
    if any(v not in allowed for v in values):
        raise _refuse(key, _("Choose from the listed values."))
    if required and not values:
        raise _refuse(key, _("Choose at least one."))
    return list(dict.fromkeys(values))


def _choice(key: str, value: Any, allowed: Iterable[str]) -> str:
    if not isinstance(value, str) or value not in set(allowed):
        raise _refuse(key, _("Choose one of the listed values."))
    return value


def _language(key: str, value: Any) -> str:
    """An ISO 639 code (two or three letters), stored as ISO 639-3."""
    if not isinstance(value, str) or not value.strip():
        raise _refuse(key, _("Say in which language."))
    codes = language_codes(value)
    if len(codes) != 1 or len(codes[0]) != 3 or not codes[0].isalpha():
        raise _refuse(key, _("Enter one ISO 639 language code, e.g. spa or quc."))
    from enlace.core.names import _language as lookup

    if lookup(codes[0]) is None:
        raise _refuse(key, _("Enter one ISO 639 language code, e.g. spa or quc."))
    return codes[0]


def _score(key: str, value: Any) -> Decimal:
    """A dimension's score from 0 to 1 (IOM Reintegration Sustainability Survey)."""
    if isinstance(value, bool) or value in (None, ""):
        raise _refuse(key, _("Enter a score from 0 to 1."))
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise _refuse(key, _("Enter a score from 0 to 1.")) from exc
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(1):
        raise _refuse(key, _("Enter a score from 0 to 1."))
    return number.quantize(Decimal("0.001"))


# Age -------------------------------------------------------------------------------------


def _years_between(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _latest_birth(person: Person) -> dt.date | None:
    """The latest the person can have been born given how much of the date is known: a year
    or a month stands for its last day (the youngest the person may be)."""
    born = person.birth_date
    if born is None:
        return None
    if person.birth_date_precision == DatePrecision.YEAR:
        return dt.date(born.year, 12, 31)
    if person.birth_date_precision == DatePrecision.MONTH:
        next_month = dt.date(born.year + born.month // 12, born.month % 12 + 1, 1)
        return next_month - dt.timedelta(days=1)
    return born


def departure_date(ret: Return) -> dt.date:
    """The date the return's age rules are applied on: the first leg's, the planned departure,
    or today."""
    legs = list(ret.legs.all())
    if legs:
        return min(leg.date for leg in legs)
    return ret.planned_departure_on or timezone.localdate()


def is_child(ret: Return, on: dt.date | None = None) -> bool:
    """Under 18 on the planned departure date. An age not established (a year, an estimate)
    with a declared or presumed minority counts as a child: the benefit of the doubt (UN CRC
    General Comment No. 6, para. 31)."""
    on = on or departure_date(ret)
    person = ret.person
    exact = person.birth_date is not None and person.birth_date_precision == DatePrecision.EXACT
    if ret.declared_child and not exact:
        return True
    latest = _latest_birth(person)
    if latest is not None:
        return _years_between(latest, on) < ADULT_AGE
    if person.estimated_age is not None:
        reported = person.age_reported_on or person.created.date()
        return person.estimated_age + max(0, _years_between(reported, on)) < ADULT_AGE
    return ret.declared_child


# Shared checks ---------------------------------------------------------------------------


def _lock(ret: Return, version: Any) -> Return:
    return lock_for_edit(
        Return.objects.select_related(
            "owner_office", "receiving_office", "person__owner_office", "origin_country"
        ),
        ret.pk,
        version,
    )


def _require_side(actor: Actor, ret: Return, side: str) -> None:
    allowed = (
        rules.works_sending(actor, ret) if side == SENDING else rules.works_receiving(actor, ret)
    )
    if not allowed:
        raise Http404


def _check_transition(ret: Return, step: str) -> None:
    """The step is allowed from where the return stands: no step may be skipped."""
    allowed_from, _to, _side = TRANSITIONS[step]
    if ret.status == S.WITHDRAWN:
        raise _refuse("step", _("The person withdrew from this return: it has ended."))
    if ret.status == S.CLOSED:
        raise _refuse("step", _("This return is closed."))
    if step == Step.WITHDRAW and ret.status not in allowed_from:
        raise _refuse("step", AFTER_DEPARTURE)
    if ret.status not in allowed_from:
        raise _refuse(
            "step",
            _("No step may be skipped: this return is at “%(status)s” and needs %(next)s first.")
            % {"status": ret.get_status_display(), "next": NEXT_STEP.get(ret.status, "")},
        )


def _begin(actor: Actor, ret: Return, step: str, version: Any) -> Return:
    """Who may act, the lock, and the transition check, in that order (a stale copy is a
    409 before anything else is said about the return)."""
    side = TRANSITIONS[step][2]
    _require_side(actor, ret, side)
    locked = _lock(ret, version)
    _require_side(actor, locked, side)
    _check_transition(locked, step)
    return locked


def _finish(
    actor: Actor,
    ret: Return,
    step: str,
    *,
    note: str = "",
    data: dict[str, Any] | None = None,
    to_status: str | None = None,
) -> Return:
    """Move the status (when the step leads somewhere), bump the version, record the step and
    audit it."""
    before = ret.status
    target = to_status if to_status is not None else TRANSITIONS[step][1]
    if target:
        ret.status = target
    ret.version += 1
    ret.save()
    clean = {k: _jsonable(v) for k, v in (data or {}).items()}
    ReturnStep.objects.create(
        ret=ret,
        step=step,
        from_status=before,
        to_status=ret.status,
        office=actor.require_office(),
        by=actor.user,
        note=note,
        data=clean,
    )
    change_record(
        actor=actor,
        obj=ret,
        owner_office=ret.owner_office,
        action=f"return_{step}",
        changes={"status": [before, ret.status], **{k: ["", str(v)] for k, v in clean.items()}},
    )
    return ret


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Office | Country):
        return str(value.pk)
    return value


def _require_consent(ret: Return, key: str = "step") -> None:
    if ret.consent_signed_on is None:
        raise _refuse(key, NO_CONSENT)


def _require_eligible(ret: Return) -> None:
    if ret.eligible is not True:
        raise _refuse("step", NOT_ELIGIBLE)


def _require_bid(ret: Return, on: dt.date | None = None) -> None:
    """A child's return needs a determination, and one in favour of return."""
    if not is_child(ret, on):
        return
    if ret.bid_on is None or ret.bid_in_best_interests is None:
        raise _refuse("step", NO_BID)
    if ret.bid_in_best_interests is False:
        raise _refuse("step", BID_AGAINST)


def _require_document(ret: Return) -> None:
    if not ret.documents.filter(issued_on__isnull=False).exists():
        raise _refuse("step", _("No travel document has been issued yet."))


def _require_fit(ret: Return) -> None:
    if ret.fit_to_travel is False:
        raise _refuse("step", UNFIT)
    if ret.medical_check_needed and ret.fit_to_travel is None:
        raise _refuse(
            "step", _("The assessment asked for a medical check: record the person's fitness.")
        )


def _require_escort(ret: Return, escort: str, on: dt.date | None = None) -> None:
    if ret.unaccompanied_child and is_child(ret, on) and not escort.strip():
        raise _refuse("escort", NO_ESCORT)


def cooling_off_days(office: Office) -> int:
    """The office's cooling-off period in days (its ReturnSettings, or the default)."""
    days = ReturnSettings.objects.filter(office=office).values_list("cooling_off_days", flat=True)
    found = next(iter(days), None)
    if found is None:
        return int(ReturnSettings._meta.get_field("cooling_off_days").default)
    return int(found)


def consent_earliest_on(ret: Return) -> dt.date | None:
    """The first day the consent may be signed: counselling + the office's cooling-off."""
    if ret.counselled_on is None:
        return None
    return ret.counselled_on + dt.timedelta(days=cooling_off_days(ret.owner_office))


def _link(ret: Return) -> str:
    """The return's page (the UI's URL name), or the API's when the pages are not installed."""
    for name, kwargs in (
        ("returns:detail", {"return_id": ret.pk}),
        ("api:return-detail", {"pk": ret.pk}),
    ):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return ""


def _notify(ret: Return, kind: str, recipient: Office, **params: Any) -> None:
    """An inbox item with safe parameters only: the reference, an office's name, a date."""
    notify(
        kind=kind,
        office=recipient,
        roles=roles.OFFICE_STAFF | roles.NATIONAL_FOCAL_POINTS,
        params={"reference": ret.reference, **params},
        link=_link(ret),
    )


# Open --------------------------------------------------------------------------------------


def _origin_country(person: Person, value: Any) -> Country:
    if value not in (None, ""):
        if isinstance(value, Country):
            return value
        country = (
            Country.objects.filter(pk=str(value).upper()).first() if len(str(value)) == 2 else None
        )
        if country is None:
            raise _refuse("origin_country", _("Enter a two-letter ISO 3166-1 country code."))
        return country
    nationality = person.nationalities.order_by("code").first()
    country = nationality or person.birth_country
    if country is None:
        raise _refuse(
            "origin_country",
            _("Record the person's nationality, or say to which country they return."),
        )
    return country


@transaction.atomic
def return_open(
    *,
    actor: Actor,
    person: Person,
    protection_case: Case | None = None,
    origin_country: Any = None,
    after_detention: Any = None,
    declared_child: Any = False,
    planned_departure_on: Any = None,
    note: str = "",
) -> Return:
    """Record a person's request to return, at the office that registered them."""
    office = actor.office
    if office is None or not rules.can_open(actor) or not access.can_edit_person(actor, person):
        raise Http404
    if protection_case is not None and (
        protection_case.person_id != person.pk or protection_case.owner_office_id != office.pk
    ):
        raise _refuse("protection_case", _("Choose a case of this person at your office."))
    country = _origin_country(person, origin_country)
    if country.pk == office.host_country_id:
        raise _refuse(
            "origin_country", _("A return goes to another country than the one the office is in.")
        )
    detention = _bool("after_detention", after_detention, required=False)
    if detention is None:
        detention = bool(protection_case and protection_case.case_type == CaseType.DETENTION)
    child = bool(_bool("declared_child", declared_child, required=False))
    planned = _date("planned_departure_on", planned_departure_on)
    note = check_text("note", note, limit=5000)
    if Return.objects.filter(person=person).exclude(status__in=[S.CLOSED, S.WITHDRAWN]).exists():
        raise _refuse("person", _("This person already has a return under way."))
    try:
        ret = create_with_reference(
            Return,
            f"{REFERENCE_PREFIX}-{office.country_id}-",
            person=person,
            protection_case=protection_case,
            owner_office=office,
            origin_country=country,
            after_detention=detention,
            declared_child=child,
            planned_departure_on=planned,
            created_by=actor.user,
        )
    except IntegrityError as exc:  # a concurrent request for the same person
        raise _refuse("person", _("This person already has a return under way.")) from exc
    ReturnStep.objects.create(
        ret=ret,
        step=Step.OPEN,
        from_status=S.REQUESTED,
        to_status=S.REQUESTED,
        office=office,
        by=actor.user,
        note=note,
        data={"after_detention": detention, "declared_child": child},
    )
    change_record(
        actor=actor,
        obj=ret,
        owner_office=office,
        action="return_open",
        changes={"status": ["", S.REQUESTED]},
    )
    return ret


# Voluntariness -----------------------------------------------------------------------------


@transaction.atomic
def return_counsel(
    *,
    actor: Actor,
    ret: Return,
    version: Any,
    options: Any,
    language: Any,
    counselled_on: Any = None,
    note: str = "",
) -> Return:
    """Record the counselling: the options explained (return among them, and staying) in a
    language the person understands. Repeated counselling starts the cooling-off again."""
    locked = _begin(actor, ret, Step.COUNSELLING, version)
    if locked.consent_signed_on is not None:
        raise _refuse("step", _("The consent is signed already: counselling is recorded."))
    chosen = _choices("options", options, CounsellingOption.values, required=True)
    if CounsellingOption.RETURN not in chosen or CounsellingOption.STAY not in chosen:
        raise _refuse(
            "options",
            _("Voluntariness: explain both return and the options for staying."),
        )
    locked.counselling_options = chosen
    locked.counselling_language = _language("language", language)
    locked.counselled_on = _not_future(
        "counselled_on", _date("counselled_on", counselled_on, default=timezone.localdate())
    )
    locked.counselling_note = check_text("note", note, limit=5000)
    return _finish(
        actor,
        locked,
        Step.COUNSELLING,
        data={
            "options": chosen,
            "language": locked.counselling_language,
            "counselled_on": locked.counselled_on,
        },
    )


@transaction.atomic
def return_consent_sign(
    *, actor: Actor, ret: Return, version: Any, signed_on: Any = None, language: Any, note: str = ""
) -> Return:
    """Record the written, informed consent, signed once the office's cooling-off period after
    counselling has passed."""
    locked = _begin(actor, ret, Step.CONSENT, version)
    signed = _not_future("signed_on", _date("signed_on", signed_on, default=timezone.localdate()))
    earliest = consent_earliest_on(locked)
    if earliest is None:
        raise _refuse("step", _("Record the counselling before the consent."))
    if signed < earliest:
        raise _refuse(
            "signed_on",
            _(
                "The consent may be signed from %(date)s on, after the cooling-off period of "
                "%(days)s days that follows counselling."
            )
            % {"date": earliest.isoformat(), "days": cooling_off_days(locked.owner_office)},
        )
    locked.consent_signed_on = signed
    locked.consent_language = _language("language", language)
    note = check_text("note", note, limit=5000)
    return _finish(
        actor,
        locked,
        Step.CONSENT,
        note=note,
        data={"signed_on": signed, "language": locked.consent_language},
    )


@transaction.atomic
def return_consent_reconfirm(
    *,
    actor: Actor,
    ret: Return,
    version: Any,
    reconfirmed_on: Any = None,
    not_possible_reason: str = "",
) -> Return:
    """A return that follows detention: the consent re-confirmed out of detention, or the
    reason it could not be."""
    locked = _begin(actor, ret, Step.CONSENT_RECONFIRM, version)
    if not locked.after_detention:
        raise _refuse("step", _("This return does not follow detention."))
    _require_consent(locked)
    reason = check_text("not_possible_reason", not_possible_reason, limit=2000)
    date = _date("reconfirmed_on", reconfirmed_on)
    if date is None and not reason.strip():
        raise _refuse(
            "reconfirmed_on",
            _(
                "Give the date the consent was re-confirmed out of detention, or why it could "
                "not be."
            ),
        )
    if date is not None:
        _not_future("reconfirmed_on", date)
        if date < locked.consent_signed_on:  # type: ignore[operator]
            raise _refuse("reconfirmed_on", _("The re-confirmation follows the consent."))
    locked.consent_reconfirmed_on = date
    locked.reconfirmation_not_possible = "" if date else reason
    return _finish(
        actor,
        locked,
        Step.CONSENT_RECONFIRM,
        note=reason,
        data={"reconfirmed_on": date} if date else {"not_possible": True},
    )


# Assessment and determination --------------------------------------------------------------


@transaction.atomic
def return_assess(
    *,
    actor: Actor,
    ret: Return,
    version: Any,
    eligible: Any,
    reasons: str = "",
    vulnerabilities: Any = (),
    medical_check_needed: Any = False,
    assessed_on: Any = None,
) -> Return:
    """Record the eligibility and vulnerability assessment (after the signed consent)."""
    locked = _begin(actor, ret, Step.ASSESSMENT, version)
    _require_consent(locked)
    locked.eligible = _bool("eligible", eligible)
    locked.eligibility_reasons = check_text(
        "reasons", reasons, limit=5000, required=not locked.eligible
    )
    locked.vulnerabilities = _choices(
        "vulnerabilities", list(vulnerabilities or []), Vulnerability.values
    )
    locked.medical_check_needed = bool(
        _bool("medical_check_needed", medical_check_needed, required=False)
    )
    locked.assessed_on = _not_future(
        "assessed_on", _date("assessed_on", assessed_on, default=timezone.localdate())
    )
    return _finish(
        actor,
        locked,
        Step.ASSESSMENT,
        data={
            "eligible": locked.eligible,
            "vulnerabilities": locked.vulnerabilities,
            "medical_check_needed": locked.medical_check_needed,
        },
    )


@transaction.atomic
def return_best_interests(
    *,
    actor: Actor,
    ret: Return,
    version: Any,
    decided_on: Any,
    decided_by: str,
    in_best_interests: Any,
    note: str = "",
) -> Return:
    """Record the best-interests determination of a child's return; a "no" stops it."""
    locked = _begin(actor, ret, Step.BEST_INTERESTS, version)
    _require_eligible(locked)
    if not is_child(locked):
        raise _refuse(
            "step", _("A best-interests determination is for children: this person is an adult.")
        )
    locked.bid_on = _not_future("decided_on", _date("decided_on", decided_on, required=True))
    locked.bid_decided_by = check_text("decided_by", decided_by, limit=200, required=True)
    locked.bid_in_best_interests = _bool("in_best_interests", in_best_interests)
    locked.bid_note = check_text("note", note, limit=5000)
    return _finish(
        actor,
        locked,
        Step.BEST_INTERESTS,
        data={"decided_on": locked.bid_on, "in_best_interests": locked.bid_in_best_interests},
    )


# Travel documents, medical fitness, travel plan ---------------------------------------------


@transaction.atomic
def return_document_request(
    *, actor: Actor, ret: Return, version: Any, doc_type: Any, requested_on: Any = None
) -> TravelDocumentRequest:
    """Request a travel document from the consulate (the owner office issues it)."""
    locked = _begin(actor, ret, Step.DOCUMENT_REQUEST, version)
    _require_consent(locked)
    _require_eligible(locked)
    _require_bid(locked)
    kind = _choice("doc_type", doc_type, DocumentType.values)
    date = _not_future(
        "requested_on", _date("requested_on", requested_on, default=timezone.localdate())
    )
    document = TravelDocumentRequest.objects.create(
        ret=locked,
        doc_type=kind,
        requested_on=date,
        issued_by=locked.owner_office,
        created_by=actor.user,
    )
    _finish(
        actor,
        locked,
        Step.DOCUMENT_REQUEST,
        data={"document": str(document.pk), "doc_type": kind, "requested_on": date},
    )
    return document


@transaction.atomic
def return_document_issue(
    *,
    actor: Actor,
    ret: Return,
    version: Any,
    document: Any,
    number: str,
    issued_on: Any = None,
    valid_until: Any = None,
) -> TravelDocumentRequest:
    """Record that the consulate issued a requested travel document (its number is identity
    data, never written to the step's timeline)."""
    locked = _begin(actor, ret, Step.DOCUMENT_ISSUE, version)
    document_id = _uuid(getattr(document, "pk", document))
    row = (
        TravelDocumentRequest.objects.select_for_update().filter(pk=document_id, ret=locked).first()
        if document_id
        else None
    )
    if row is None:
        raise _refuse("document", _("Choose a travel document requested for this return."))
    if row.issued_on is not None:
        raise _refuse("document", _("This travel document is issued already."))
    row.number = check_text("number", number, limit=64, required=True)
    row.issued_on = _not_future(
        "issued_on", _date("issued_on", issued_on, default=timezone.localdate())
    )
    if row.issued_on < row.requested_on:
        raise _refuse("issued_on", _("A document is issued after it is requested."))
    row.valid_until = _date("valid_until", valid_until)
    if row.valid_until is not None and row.valid_until < row.issued_on:
        raise _refuse("valid_until", _("The document expires before it is issued."))
    row.save()
    _finish(
        actor,
        locked,
        Step.DOCUMENT_ISSUE,
        data={"document": str(row.pk), "doc_type": row.doc_type, "issued_on": row.issued_on},
    )
    return row


@transaction.atomic
def return_medical(
    *, actor: Actor, ret: Return, version: Any, fit: Any, examined_on: Any, note: str = ""
) -> Return:
    """Record the medical fitness to travel; unfit stops the departure."""
    locked = _begin(actor, ret, Step.MEDICAL, version)
    _require_document(locked)
    locked.fit_to_travel = _bool("fit", fit)
    locked.medical_examined_on = _not_future(
        "examined_on", _date("examined_on", examined_on, required=True)
    )
    locked.medical_note = check_text("note", note, limit=2000)
    return _finish(
        actor,
        locked,
        Step.MEDICAL,
        data={"fit": locked.fit_to_travel, "examined_on": locked.medical_examined_on},
    )


def _clean_legs(legs: Any) -> list[dict[str, Any]]:
    if not isinstance(legs, list | tuple) or not all(isinstance(r, dict) for r in legs):
        raise _refuse("legs", _("Give the itinerary as a list of legs."))
    if not legs:
        raise _refuse("legs", _("Give at least one leg of the journey."))
    if len(legs) > MAX_LEGS:
        raise _refuse("legs", _("At most %(n)d legs.") % {"n": MAX_LEGS})
    clean = []
    for i, row in enumerate(legs):
        try:
            clean.append(
                {
                    "position": i + 1,
                    "origin": check_text("origin", row.get("origin"), limit=120, required=True),
                    "destination": check_text(
                        "destination", row.get("destination"), limit=120, required=True
                    ),
                    "date": _date("date", row.get("date"), required=True),
                    "transport": _choice("transport", row.get("transport"), Transport.values),
                    "carrier": check_text("carrier", row.get("carrier"), limit=120),
                }
            )
        except ValidationFailed as exc:
            raise ValidationFailed({f"legs.{i}.{k}": v for k, v in exc.errors.items()}) from exc
    dates = [leg["date"] for leg in clean]
    if dates != sorted(dates):
        raise _refuse("legs", _("The legs go in the order of their dates."))
    return clean


@transaction.atomic
def return_travel_plan(
    *,
    actor: Actor,
    ret: Return,
    version: Any,
    legs: Any,
    escort: str = "",
    special_needs: str = "",
) -> Return:
    """Record the travel plan: the itinerary, the escort (required for an unaccompanied
    child) and special needs on the way."""
    locked = _begin(actor, ret, Step.TRAVEL_PLAN, version)
    _require_consent(locked)
    _require_document(locked)
    _require_fit(locked)
    clean = _clean_legs(legs)
    first = clean[0]["date"]
    _require_bid(locked, first)
    escort = check_text("escort", escort, limit=200)
    _require_escort(locked, escort, first)
    locked.escort = escort
    locked.escort_required = locked.unaccompanied_child and is_child(locked, first)
    locked.special_needs = check_text("special_needs", special_needs, limit=2000)
    locked.planned_departure_on = first
    locked.expected_arrival_on = clean[-1]["date"]
    locked.legs.all().delete()
    TravelLeg.objects.bulk_create(TravelLeg(ret=locked, **leg) for leg in clean)
    return _finish(
        actor,
        locked,
        Step.TRAVEL_PLAN,
        data={
            "legs": len(clean),
            "departure_on": first,
            "arrival_on": locked.expected_arrival_on,
            "escort": bool(escort),
        },
    )


# Hand-over and departure --------------------------------------------------------------------


def receiving_offices(ret: Return) -> Any:
    """Offices that may receive the return: active offices of the country of origin that work
    cases and have someone to receive it (staff or a national focal point)."""
    members = Membership.objects.filter(
        is_active=True,
        user__is_active=True,
        role__in=roles.OFFICE_STAFF | roles.NATIONAL_FOCAL_POINTS,
    ).values("office_id")
    return Office.objects.filter(
        is_active=True,
        kind__in=CASEWORK_KINDS,
        country_id=ret.origin_country_id,
        pk__in=members,
    ).exclude(pk=ret.owner_office_id)


def handover_grant(ret: Return) -> Grant | None:
    """The active grant that opened the return to its receiving office, if any."""
    if ret.receiving_office_id is None:
        return None
    return (
        Grant.objects.filter(
            access.active_grants(),
            source_type=rules.GRANT_SOURCE,
            source_id=str(ret.pk),
            office_id=ret.receiving_office_id,
        )
        .order_by("-granted_at")
        .first()
    )


@transaction.atomic
def return_hand_over(
    *,
    actor: Actor,
    ret: Return,
    version: Any,
    receiving_office: Any,
    consent_language: Any,
    consent_given_on: Any = None,
    note: str = "",
) -> Return:
    """Hand the return to the receiving office in the country of origin, on the person's
    consent: a grant opens the person (never the protection case, never the migratory
    status) to that office for reception and reintegration, and its inbox hears of the
    upcoming arrival."""
    locked = _begin(actor, ret, Step.HAND_OVER, version)
    if not access.can_edit_person(actor, locked.person):
        raise _refuse(
            "step",
            _(
                "The hand-over is recorded by the office that registered the person, with "
                "their consent."
            ),
        )
    if handover_grant(locked) is not None:
        raise _refuse("step", _("This return is handed over already."))
    office_id = _uuid(getattr(receiving_office, "pk", receiving_office))
    office = receiving_offices(locked).filter(pk=office_id).first() if office_id else None
    if office is None:
        raise _refuse(
            "receiving_office",
            _("Choose an office of the country of origin that receives returns."),
        )
    language = _language("consent_language", consent_language)
    given_on = _not_future(
        "consent_given_on",
        _date("consent_given_on", consent_given_on, default=timezone.localdate()),
    )
    consent = consent_record(
        actor=actor,
        person=locked.person,
        purpose=Consent.Purpose.RETURN_HANDOVER,
        notice_language=language,
        given_on=given_on,
    )
    grant_create(
        actor=actor,
        office=office,
        person=locked.person,
        purpose=Purpose.RETURN,
        source=locked,
        consent=consent,
    )
    locked.receiving_office = office
    locked.handover_consent = consent
    locked.handed_over_on = timezone.localdate()
    note = check_text("note", note, limit=5000)
    _finish(actor, locked, Step.HAND_OVER, note=note, data={"receiving_office": office})
    _notify(
        locked,
        Kind.RETURN_UPCOMING_ARRIVAL,
        office,
        office=locked.owner_office.name,
        date=(locked.planned_departure_on or "").__str__(),
    )
    return locked


@transaction.atomic
def return_depart(
    *, actor: Actor, ret: Return, version: Any, departed_on: Any = None, note: str = ""
) -> Return:
    """Record the departure: refused unless every condition of a dignified, voluntary return
    holds (consent, re-confirmation after detention, a child's determination, fitness, an
    escort for an unaccompanied child, an issued document, the hand-over)."""
    locked = _begin(actor, ret, Step.DEPARTURE, version)
    date = _not_future(
        "departed_on", _date("departed_on", departed_on, default=timezone.localdate())
    )
    _require_consent(locked)
    if locked.after_detention and not (
        locked.consent_reconfirmed_on or locked.reconfirmation_not_possible.strip()
    ):
        raise _refuse(
            "step",
            _(
                "This return follows detention: re-confirm the consent out of detention, or "
                "record why it was not possible, before departure."
            ),
        )
    _require_eligible(locked)
    _require_bid(locked, date)
    _require_document(locked)
    _require_fit(locked)
    _require_escort(locked, locked.escort, date)
    if handover_grant(locked) is None:
        raise _refuse(
            "step",
            _("Hand the return over to the receiving office in the country of origin first."),
        )
    locked.departed_on = date
    if locked.expected_arrival_on is None or locked.expected_arrival_on < date:
        locked.expected_arrival_on = date
    note = check_text("note", note, limit=5000)
    _finish(actor, locked, Step.DEPARTURE, note=note, data={"departed_on": date})
    receiving = locked.receiving_office
    if receiving is None:  # handover_grant found it: cannot happen
        raise Http404
    _notify(
        locked,
        Kind.RETURN_DEPARTED,
        receiving,
        office=locked.owner_office.name,
        date=str(locked.expected_arrival_on),
    )
    return locked


# Withdrawal and closure ----------------------------------------------------------------------


def _case_note(actor: Actor, ret: Return, text: str) -> None:
    """A line on the protection case's timeline; nothing else about the case changes."""
    case = ret.protection_case
    if case is None:
        return
    CaseNote.objects.create(case=case, office=ret.owner_office, text=text, created_by=actor.user)
    change_record(actor=actor, obj=case, owner_office=case.owner_office, action="note_add")


def on_consent_revoked(*, actor: Actor, consent: Any) -> None:
    """access's hook: the person withdrew the consent a hand-over rests on. Its grant ends with
    it (enlace.access.grants); the return records it in its timeline and both offices are told.
    Before departure the return cannot leave until it is handed over again on a new consent
    (return_departure checks the active grant); after it, the receiving office no longer sees
    the person and the sending office decides what follows."""
    if consent.purpose != Consent.Purpose.RETURN_HANDOVER:
        return
    for ret in Return.objects.select_related("owner_office", "receiving_office").filter(
        handover_consent=consent, ended_at__isnull=True
    ):
        receiving = ret.receiving_office
        ReturnStep.objects.create(
            ret=ret,
            step=Step.HAND_OVER_ENDED,
            from_status=ret.status,
            to_status=ret.status,
            office=actor.office or ret.owner_office,
            by=actor.user,
            note="",
            data={},
        )
        change_record(
            actor=actor,
            obj=ret,
            owner_office=ret.owner_office,
            action="return_hand_over_ended",
            changes={"handover_consent": [str(consent.pk), ""]},
        )
        if receiving is None:
            continue
        for office in (ret.owner_office, receiving):
            _notify(ret, Kind.RETURN_HANDOVER_ENDED, office, office=receiving.name)


@transaction.atomic
def return_withdraw(*, actor: Actor, ret: Return, version: Any, reason: str = "") -> Return:
    """The person withdraws from the return (at any step before departure): it ends, without
    penalty; the hand-over grant, if any, ends with it."""
    locked = _begin(actor, ret, Step.WITHDRAW, version)
    locked.withdrawal_reason = check_text("reason", reason, limit=2000)
    locked.ended_at = timezone.now()
    grants_revoke_for_source(actor=actor, source=locked)
    _finish(actor, locked, Step.WITHDRAW, note=locked.withdrawal_reason)
    _case_note(
        actor,
        locked,
        gettext("The person withdrew from assisted voluntary return %(reference)s.")
        % {"reference": locked.reference},
    )
    return locked


@transaction.atomic
def return_close(
    *, actor: Actor, ret: Return, version: Any, outcome: Any, reason: str = ""
) -> Return:
    """Close the return with an outcome: after the 12-month follow-up, or earlier with a reason.
    Before departure (the return did not take place) the sending side closes; after it, the
    receiving side."""
    before_departure = ret.status in BEFORE_DEPARTURE
    _require_side(actor, ret, SENDING if before_departure else RECEIVING)
    locked = _lock(ret, version)
    before_departure = locked.status in BEFORE_DEPARTURE
    _require_side(actor, locked, SENDING if before_departure else RECEIVING)
    _check_transition(locked, Step.CLOSE)
    chosen = _choice("outcome", outcome, Outcome.values)
    if before_departure and chosen != Outcome.DID_NOT_RETURN:
        raise _refuse(
            "outcome", _("Before departure, the outcome is that the return did not take place.")
        )
    if not before_departure and chosen == Outcome.DID_NOT_RETURN:
        raise _refuse("outcome", _("The person has departed: choose a reintegration outcome."))
    if locked.status == S.DEPARTED and chosen not in (Outcome.LOST_CONTACT, Outcome.REMIGRATED):
        raise _refuse("outcome", _("Record the arrival first, or close as contact lost."))
    reason = check_text("reason", reason, limit=5000)
    last_done = locked.follow_ups.filter(
        months=FOLLOW_UP_MONTHS[-1], done_on__isnull=False
    ).exists()
    if not last_done and not reason.strip():
        raise _refuse("reason", _("Closing before the 12-month follow-up needs a reason."))
    locked.outcome = chosen
    locked.closure_reason = reason
    locked.ended_at = timezone.now()
    _finish(actor, locked, Step.CLOSE, note=reason, data={"outcome": chosen})
    return locked


# Arrival, reintegration, follow-ups ----------------------------------------------------------


def _add_months(date: dt.date, months: int) -> dt.date:
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    for day in (date.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise ValueError(date)


@transaction.atomic
def return_arrive(
    *, actor: Actor, ret: Return, version: Any, arrived_on: Any = None, reception_note: str = ""
) -> Return:
    """The receiving office records the arrival and reception; the follow-ups at 3, 6 and 12
    months fall due from here."""
    locked = _begin(actor, ret, Step.ARRIVAL, version)
    date = _not_future("arrived_on", _date("arrived_on", arrived_on, default=timezone.localdate()))
    if locked.departed_on and date < locked.departed_on:
        raise _refuse("arrived_on", _("The arrival follows the departure."))
    locked.arrived_on = date
    locked.reception_note = check_text("reception_note", reception_note, limit=5000)
    FollowUp.objects.bulk_create(
        FollowUp(ret=locked, months=m, due_on=_add_months(date, m)) for m in FOLLOW_UP_MONTHS
    )
    return _finish(actor, locked, Step.ARRIVAL, data={"arrived_on": date})


@transaction.atomic
def return_reintegration_plan(
    *,
    actor: Actor,
    ret: Return,
    version: Any,
    economic: str = "",
    social: str = "",
    psychosocial: str = "",
    planned_on: Any = None,
) -> Return:
    """Record the reintegration plan with its economic, social and psychosocial parts (IOM,
    Reintegration Handbook, 2019). Due within 30 days of arrival: a later plan is accepted and
    flagged overdue (refusing it would leave the returnee without a plan)."""
    locked = _begin(actor, ret, Step.REINTEGRATION_PLAN, version)
    locked.plan_economic = check_text("economic", economic, limit=5000)
    locked.plan_social = check_text("social", social, limit=5000)
    locked.plan_psychosocial = check_text("psychosocial", psychosocial, limit=5000)
    if not (
        locked.plan_economic.strip()
        or locked.plan_social.strip()
        or locked.plan_psychosocial.strip()
    ):
        raise _refuse("economic", _("Write at least one part of the plan."))
    date = _not_future("planned_on", _date("planned_on", planned_on, default=timezone.localdate()))
    if locked.arrived_on and date < locked.arrived_on:
        raise _refuse("planned_on", _("The plan follows the arrival."))
    locked.plan_on = date
    return _finish(
        actor,
        locked,
        Step.REINTEGRATION_PLAN,
        data={"planned_on": date, "overdue": locked.plan_overdue},
    )


@transaction.atomic
def return_follow_up(
    *,
    actor: Actor,
    ret: Return,
    version: Any,
    months: Any,
    done_on: Any = None,
    reached: Any = True,
    economic: Any = None,
    social: Any = None,
    psychosocial: Any = None,
    note: str = "",
) -> FollowUp:
    """Record the follow-up at 3, 6 or 12 months, in order: the three dimension scores from 0
    to 1, or that the returnee could not be reached."""
    locked = _begin(actor, ret, Step.FOLLOW_UP, version)
    try:
        which = int(months)
    except (TypeError, ValueError) as exc:
        raise _refuse("months", _("Choose the follow-up at 3, 6 or 12 months.")) from exc
    if which not in FOLLOW_UP_MONTHS or isinstance(months, bool):
        raise _refuse("months", _("Choose the follow-up at 3, 6 or 12 months."))
    rows = {f.months: f for f in locked.follow_ups.select_for_update()}
    row = rows.get(which)
    if row is None:
        raise _refuse("months", _("Choose the follow-up at 3, 6 or 12 months."))
    if row.done_on is not None:
        raise _refuse("months", _("This follow-up is recorded already."))
    earlier = [m for m in FOLLOW_UP_MONTHS if m < which and rows[m].done_on is None]
    if earlier:
        raise _refuse(
            "months",
            _("Record the %(months)s-month follow-up first (as not reached if it was missed).")
            % {"months": earlier[0]},
        )
    date = _not_future("done_on", _date("done_on", done_on, default=timezone.localdate()))
    if locked.arrived_on and date < locked.arrived_on:
        raise _refuse("done_on", _("The follow-up follows the arrival."))
    row.reached = bool(_bool("reached", reached))
    if row.reached:
        row.economic = _score("economic", economic)
        row.social = _score("social", social)
        row.psychosocial = _score("psychosocial", psychosocial)
    row.done_on = date
    row.note = check_text("note", note, limit=5000)
    row.done_by = actor.user
    row.save()
    _finish(
        actor,
        locked,
        Step.FOLLOW_UP,
        data={
            "months": which,
            "reached": row.reached,
            "economic": row.economic,
            "social": row.social,
            "psychosocial": row.psychosocial,
        },
    )
    return row


# Settings and scheduled notices --------------------------------------------------------------


@transaction.atomic
def return_settings_set(*, actor: Actor, cooling_off_days: Any) -> ReturnSettings:
    """Set the actor's office's cooling-off period (its supervisors and administrators)."""
    office = actor.office
    if office is None or not rules.can_configure(actor):
        raise Http404
    try:
        days = int(cooling_off_days)
    except (TypeError, ValueError) as exc:
        raise _refuse("cooling_off_days", _("Enter a whole number of days.")) from exc
    if isinstance(cooling_off_days, bool) or not 0 <= days <= 90:
        raise _refuse("cooling_off_days", _("Enter a number of days from 0 to 90."))
    row, _created = ReturnSettings.objects.get_or_create(office=office)
    before = row.cooling_off_days
    row.cooling_off_days = days
    row.save()
    change_record(
        actor=actor,
        obj=row,
        owner_office=office,
        action="return_settings",
        changes={"cooling_off_days": [str(before), str(days)]},
    )
    return row


def return_followups_notify(*, today: dt.date | None = None) -> int:
    """Tell receiving offices of follow-ups that fell due (once each) and of reintegration
    plans overdue (once per return): run daily (notify_return_followups)."""
    today = today or timezone.localdate()
    sent = 0
    due = (
        FollowUp.objects.filter(done_on__isnull=True, due_on__lte=today, notified_on__isnull=True)
        .exclude(ret__status__in=[S.CLOSED, S.WITHDRAWN])
        .select_related("ret__receiving_office", "ret__owner_office")
    )
    for follow_up in due:
        ret = follow_up.ret
        with transaction.atomic():
            if ret.receiving_office is not None and _notify_once(
                ret,
                Kind.RETURN_FOLLOW_UP_DUE,
                f"return-followup:{follow_up.pk}",
                due=follow_up.due_on.isoformat(),
            ):
                sent += 1
            FollowUp.objects.filter(pk=follow_up.pk).update(notified_on=today)
    late = Return.objects.filter(
        status=S.ARRIVED,
        plan_on__isnull=True,
        arrived_on__lt=today - dt.timedelta(days=30),
        receiving_office__isnull=False,
    ).select_related("receiving_office", "owner_office")
    for ret in late:
        due_on = ret.plan_due_on
        if due_on is not None and _notify_once(
            ret, Kind.RETURN_PLAN_OVERDUE, f"return-plan:{ret.pk}", due=due_on.isoformat()
        ):
            sent += 1
    return sent


def _notify_once(ret: Return, kind: str, key: str, **params: Any) -> bool:
    if ret.receiving_office is None:
        return False
    item = notify(
        kind=kind,
        office=ret.receiving_office,
        roles=roles.OFFICE_STAFF | roles.NATIONAL_FOCAL_POINTS,
        params={"reference": ret.reference, **params},
        link=_link(ret),
        dedupe_key=key,
    )
    return item is not None


# One entry point for the API and the pages ---------------------------------------------------

StepService = Callable[..., Any]
STEP_SERVICES: dict[str, tuple[StepService, tuple[str, ...]]] = {
    Step.COUNSELLING: (return_counsel, ("options", "language", "counselled_on", "note")),
    Step.CONSENT: (return_consent_sign, ("signed_on", "language", "note")),
    Step.CONSENT_RECONFIRM: (return_consent_reconfirm, ("reconfirmed_on", "not_possible_reason")),
    Step.ASSESSMENT: (
        return_assess,
        ("eligible", "reasons", "vulnerabilities", "medical_check_needed", "assessed_on"),
    ),
    Step.BEST_INTERESTS: (
        return_best_interests,
        ("decided_on", "decided_by", "in_best_interests", "note"),
    ),
    Step.DOCUMENT_REQUEST: (return_document_request, ("doc_type", "requested_on")),
    Step.DOCUMENT_ISSUE: (
        return_document_issue,
        ("document", "number", "issued_on", "valid_until"),
    ),
    Step.MEDICAL: (return_medical, ("fit", "examined_on", "note")),
    Step.TRAVEL_PLAN: (return_travel_plan, ("legs", "escort", "special_needs")),
    Step.HAND_OVER: (
        return_hand_over,
        ("receiving_office", "consent_language", "consent_given_on", "note"),
    ),
    Step.DEPARTURE: (return_depart, ("departed_on", "note")),
    Step.ARRIVAL: (return_arrive, ("arrived_on", "reception_note")),
    Step.REINTEGRATION_PLAN: (
        return_reintegration_plan,
        ("economic", "social", "psychosocial", "planned_on"),
    ),
    Step.FOLLOW_UP: (
        return_follow_up,
        ("months", "done_on", "reached", "economic", "social", "psychosocial", "note"),
    ),
    Step.CLOSE: (return_close, ("outcome", "reason")),
    Step.WITHDRAW: (return_withdraw, ("reason",)),
}
REQUIRED_ARGS: dict[str, tuple[str, ...]] = {
    Step.COUNSELLING: ("options", "language"),
    Step.CONSENT: ("language",),
    Step.ASSESSMENT: ("eligible",),
    Step.BEST_INTERESTS: ("decided_on", "decided_by", "in_best_interests"),
    Step.DOCUMENT_REQUEST: ("doc_type",),
    Step.DOCUMENT_ISSUE: ("document", "number"),
    Step.MEDICAL: ("fit", "examined_on"),
    Step.TRAVEL_PLAN: ("legs",),
    Step.HAND_OVER: ("receiving_office", "consent_language"),
    Step.FOLLOW_UP: ("months",),
    Step.CLOSE: ("outcome",),
}
TEXT_ARGS = frozenset(
    {
        "note",
        "reasons",
        "decided_by",
        "number",
        "escort",
        "special_needs",
        "reception_note",
        "economic",
        "social",
        "psychosocial",
        "reason",
        "not_possible_reason",
    }
)


def return_step(*, actor: Actor, ret: Return, step: Any, version: Any, data: dict[str, Any]) -> Any:
    """Take one step by its name with its fields (the API's POST …/steps/, the pages' forms)."""
    if not isinstance(step, str) or step not in STEP_SERVICES:
        raise _refuse("step", _("Unknown step."))
    service, names = STEP_SERVICES[step]
    _require_side(actor, ret, step_side(step, ret))  # an outsider learns nothing, not even this
    missing = [n for n in REQUIRED_ARGS.get(step, ()) if data.get(n) in (None, "")]
    if missing:
        raise ValidationFailed({n: [_("This field is required.")] for n in missing})
    kwargs = {n: data[n] for n in names if n in data}
    for name in TEXT_ARGS & kwargs.keys():
        if kwargs[name] is None:
            kwargs[name] = ""
    return service(actor=actor, ret=ret, version=version, **kwargs)


def step_side(step: str, ret: Return) -> str:
    """Which side takes `step` on `ret` now (closing: the sending side before departure)."""
    if step == Step.CLOSE:
        return SENDING if ret.status in BEFORE_DEPARTURE else RECEIVING
    return TRANSITIONS[step][2]


def steps_available(actor: Actor, ret: Return) -> list[str]:
    """The steps this actor could take now (the page offers these; the services still check
    everything a step rests on)."""
    if ret.status in (S.CLOSED, S.WITHDRAWN):
        return []
    sending = rules.works_sending(actor, ret)
    receiving = rules.works_receiving(actor, ret)
    available = []
    for step, (allowed_from, _to, _side) in TRANSITIONS.items():
        if ret.status not in allowed_from:
            continue
        side = step_side(step, ret)
        mine = (side == SENDING and sending) or (side == RECEIVING and receiving)
        if step == Step.HAND_OVER and not access.can_edit_person(actor, ret.person):
            mine = False
        if mine and _offered(step, ret):
            available.append(str(step))
    return available


def _offered(step: str, ret: Return) -> bool:
    """Whether a step allowed from the status makes sense for this return (the page offers
    only these; the services refuse the others with their reason anyway)."""
    if step == Step.CONSENT:
        return ret.counselled_on is not None and ret.consent_signed_on is None
    if step == Step.COUNSELLING:
        return ret.consent_signed_on is None
    if step == Step.CONSENT_RECONFIRM:
        return ret.after_detention and ret.consent_signed_on is not None
    if step == Step.ASSESSMENT:
        return ret.consent_signed_on is not None
    if step == Step.BEST_INTERESTS:
        return is_child(ret)
    if step == Step.DOCUMENT_ISSUE:
        return ret.documents.filter(issued_on__isnull=True).exists()
    if step == Step.HAND_OVER:
        return ret.handed_over_on is None or handover_grant(ret) is None
    return True
