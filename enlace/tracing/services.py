"""Family tracing writes: file a request (matched at once against the whole network), match a
newly registered person against open requests, review matches, and reunification."""

import hashlib
import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.access.grants import grant_create, grants_revoke_for_source
from enlace.access.reads import Purpose
from enlace.access.roles import TRACING_ROLES
from enlace.access.rules import can_trace
from enlace.accounts.actor import Actor
from enlace.audit.services import change_record
from enlace.core.errors import TransitionNotAllowed, ValidationFailed
from enlace.core.models import Country
from enlace.core.references import create_with_reference
from enlace.core.validation import check_text, lock_for_edit, parse_date, parse_partial_date
from enlace.inbox.models import Kind
from enlace.inbox.services import notify
from enlace.linkage import (
    Match,
    NormalizedRecord,
    Scorer,
    input_record,
    normalize_record,
    registry_keys,
    request_keys,
    wide_keys_kept,
)
from enlace.people.matching import (
    active_scorer,
    lookup_keys,
    people_by_keys,
    person_candidates,
    searchable_records,
    wide_block_sizes,
)
from enlace.people.models import Consent, Person, PersonIndex, Vulnerability
from enlace.people.services import consent_record

from .models import Relation, RequestKey, Reunification, TracingMatch, TracingRequest
from .selectors import is_owner_side, is_requester_side

# A candidate at or above this probability is put in front of the owning office for review:
# tracing favours recall (a person decides), the benchmark's 0.5 is for automatic linkage.
PROPOSE_THRESHOLD = 0.1
MAX_PROPOSALS = 10
# One office may have the same person proposed for this many of its requests; further
# requests are counted for the owning office to see but proposed no more, so filing variants
# of a request cannot be used to learn the person's details one answer at a time.
MAX_REQUESTS_PER_PERSON = 3
TEXT_LIMITS = {
    "requester_name": 200,
    "requester_contact": 200,
    "given_names": 200,
    "nickname": 100,
    "first_surname": 200,
    "second_surname": 200,
    "birth_place": 200,
    "mother_name": 200,
    "document_number": 64,
    "last_seen_place": 200,
    "notes": 5000,
}


def fingerprint(record: NormalizedRecord) -> str:
    body = {k: v for k, v in record.to_dict().items() if k != "id"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _require_staff(actor: Actor) -> None:
    if not can_trace(actor):
        raise Http404


def _linkage_input(request: TracingRequest) -> dict[str, Any]:
    """The request in the engine's input columns (a nickname counts as a given name)."""
    age: dict[str, Any] = {}
    if request.approximate_age is not None and not request.birth_date:
        age = {
            "age": request.approximate_age,
            "age_reported_on": (request.created or timezone.now()).date().isoformat(),
        }
    return input_record(
        id=str(request.pk),
        given_names=" ".join(p for p in (request.given_names, request.nickname) if p),
        first_surname=request.first_surname,
        second_surname=request.second_surname,
        sex=request.sex if request.sex in ("F", "M") else "",
        birth_date=request.birth_date,
        birth_place=request.birth_place,
        nationality=request.nationality_id or "",
        mother_name=request.mother_name,
        document_number=request.document_number,
        **age,
    )


def _validate(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[Any]] = {}
    clean: dict[str, Any] = {}
    for key, limit in TEXT_LIMITS.items():
        try:
            clean[key] = check_text(key, data.get(key) or "", limit=limit)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if not str(data.get("requester_name") or "").strip():
        errors["requester_name"] = [_("This field is required.")]
    if data.get("requester_relation") not in Relation.values:
        errors["requester_relation"] = [_("Choose the relation.")]
    if not any(
        str(data.get(k) or "").strip() for k in ("given_names", "nickname", "first_surname")
    ):
        errors["given_names"] = [_("Give at least a name, a nickname or a surname.")]
    clean["requester_relation"] = data.get("requester_relation")
    clean["requester_consent"] = bool(data.get("requester_consent"))
    if not clean["requester_consent"]:
        errors["requester_consent"] = [
            _("The requester must consent to the use of this information for tracing.")
        ]
    clean["sex"] = data.get("sex") or "U"
    if clean["sex"] not in ("F", "M", "X", "U"):
        errors["sex"] = [_("Choose F, M, X or U.")]
    birth = data.get("birth_date") or ""
    try:
        parse_partial_date("birth_date", birth)
        clean["birth_date"] = str(birth)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    age = data.get("approximate_age")
    if age not in (None, ""):
        try:
            clean["approximate_age"] = int(age)
            if not 0 <= clean["approximate_age"] <= 120:
                raise ValueError
        except (TypeError, ValueError):
            errors["approximate_age"] = [_("Enter an age between 0 and 120.")]
    nationality = data.get("nationality") or ""
    if nationality:
        clean["nationality"] = Country.objects.filter(code=str(nationality).upper()).first()
        if clean["nationality"] is None:
            errors["nationality"] = [_("Use ISO 3166-1 two-letter country codes, e.g. MX.")]
    if data.get("last_seen_date"):
        try:
            clean["last_seen_date"] = parse_date("last_seen_date", data["last_seen_date"])
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return clean


def _index_request(request: TracingRequest) -> NormalizedRecord:
    record = normalize_record(_linkage_input(request))
    request.normalized = record.to_dict()
    request.save(update_fields=["normalized"])
    RequestKey.objects.filter(request=request).delete()
    RequestKey.objects.bulk_create(
        RequestKey(request=request, key=k[:64]) for k in request_keys(record)
    )
    return record


@transaction.atomic
def request_create(*, actor: Actor, data: dict[str, Any]) -> TracingRequest:
    """File a tracing request and match it at once against every office's registry."""
    _require_staff(actor)
    office = actor.require_office()
    clean = _validate(data)
    request = create_with_reference(
        TracingRequest, f"TR-{office.country_id}-", office=office, created_by=actor.user, **clean
    )
    record = _index_request(request)
    change_record(actor=actor, obj=request, owner_office=office, action="tracing_request_create")
    request_match(request=request, record=record)
    return request


# What the requesting office may change in a request (who asks, and what the family remembers).
REQUEST_FIELDS = (
    "requester_name",
    "requester_relation",
    "requester_contact",
    "requester_consent",
    "given_names",
    "nickname",
    "first_surname",
    "second_surname",
    "sex",
    "birth_date",
    "approximate_age",
    "birth_place",
    "nationality",
    "mother_name",
    "document_number",
    "last_seen_place",
    "last_seen_date",
    "notes",
)


def _request_for_office(
    actor: Actor, request: TracingRequest, version: int | None
) -> TracingRequest:
    """The request, locked, if the actor's office filed it (else 404) and the copy the actor
    edited is current (else StaleEdit, 409)."""
    _require_staff(actor)
    office = actor.require_office()
    if request.office_id != office.pk:
        raise Http404
    return lock_for_edit(TracingRequest.objects, request.pk, version)


@transaction.atomic
def request_update(
    *, actor: Actor, request: TracingRequest, version: int | None, data: dict[str, Any]
) -> TracingRequest:
    """Correct or complete a request still searching (e.g. the family remembers the mother's
    name) and match it again: a pair rejected before comes back, since the request changed."""
    locked = _request_for_office(actor, request, version)
    if locked.status != TracingRequest.Status.OPEN:
        raise TransitionNotAllowed(_("Only a request that is still searching can be edited."))
    clean = _validate(data)
    clean.setdefault("approximate_age", None)
    clean.setdefault("nationality", None)
    clean.setdefault("last_seen_date", None)
    changes = {}
    for key in REQUEST_FIELDS:
        before, after = getattr(locked, key), clean.get(key, getattr(locked, key))
        if before != after:
            changes[key] = [str(before or ""), str(after or "")]
            setattr(locked, key, after)
    if not changes:
        return locked
    locked.version += 1
    locked.save()
    change_record(
        actor=actor,
        obj=locked,
        owner_office=locked.office,
        action="tracing_request_update",
        changes=changes,
    )
    record = _index_request(locked)
    request_match(request=locked, record=record)
    _rescore_standing(locked, record)
    return locked


def _rescore_standing(request: TracingRequest, record: NormalizedRecord) -> None:
    """Proposals the edited request no longer ranks are scored again, so the owning office
    reviews what the request now says."""
    request_fp = fingerprint(record)
    standing = list(
        TracingMatch.objects.filter(request=request, status=TracingMatch.Status.PROPOSED).exclude(
            request_fingerprint=request_fp
        )
    )
    if not standing:
        return
    people = searchable_records({m.person_id for m in standing})
    scorer = active_scorer()
    for existing in standing:
        person = people.get(existing.person_id)
        if person is None:
            continue
        m = scorer.score(record, person)
        _apply_match(request, existing.person_id, m, request_fp, fingerprint(person), existing)


@transaction.atomic
def request_withdraw(
    *, actor: Actor, request: TracingRequest, version: int | None, reason: str = ""
) -> TracingRequest:
    """The family no longer wants the search: the request stops matching and the possible
    matches still waiting for review are closed (the owning office has nothing to decide)."""
    locked = _request_for_office(actor, request, version)
    if locked.status != TracingRequest.Status.OPEN:
        raise TransitionNotAllowed(_("Only a request that is still searching can be withdrawn."))
    reason = check_text("reason", reason, limit=2000)
    locked.status = TracingRequest.Status.WITHDRAWN
    locked.version += 1
    locked.save()
    pending = TracingMatch.objects.select_for_update().filter(
        request=locked, status=TracingMatch.Status.PROPOSED
    )
    waiting = list(pending.select_related("person__owner_office"))
    closed = [str(m.pk) for m in waiting]
    pending.update(status=TracingMatch.Status.CLOSED, decided_at=timezone.now())
    for match in waiting:  # the offices asked to review are told there is nothing to decide
        notify(
            kind=Kind.REQUEST_WITHDRAWN,
            office=match.person.owner_office,
            roles=TRACING_ROLES,
            params={"reference": locked.reference, "office": locked.office.name},
            link=reverse("tracing:match", kwargs={"match_id": match.pk}),
        )
    RequestKey.objects.filter(request=locked).delete()
    change_record(
        actor=actor,
        obj=locked,
        owner_office=locked.office,
        action="tracing_request_withdraw",
        changes={
            "status": [TracingRequest.Status.OPEN, TracingRequest.Status.WITHDRAWN],
            "reason": ["", reason],
            "closed_matches": ["", ", ".join(closed)],
        },
    )
    return locked


@transaction.atomic
def _upsert_match(
    request: TracingRequest, person_id: UUID, match: Match, request_fp: str, person_fp: str
) -> TracingMatch | None:
    """Propose a pair, unless it was rejected before and neither record has changed, it was
    withdrawn (refusal), or the requesting office already had this person proposed
    MAX_REQUESTS_PER_PERSON times."""
    existing = TracingMatch.objects.filter(request=request, person_id=person_id).first()
    return _apply_match(request, person_id, match, request_fp, person_fp, existing)


@transaction.atomic
def _apply_match(
    request: TracingRequest,
    person_id: UUID,
    match: Match,
    request_fp: str,
    person_fp: str,
    existing: TracingMatch | None,
) -> TracingMatch | None:
    """_upsert_match once the pair's existing row (or None) is known."""
    explanation = [list(f) for f in match.explanation]
    if existing is None:
        return _propose_new(request, person_id, match, explanation, request_fp, person_fp)
    if existing.status in (
        TracingMatch.Status.CONFIRMED,
        TracingMatch.Status.WITHHELD,
        TracingMatch.Status.WITHDRAWN,
        TracingMatch.Status.CLOSED,
    ):
        return None
    unchanged = (existing.request_fingerprint, existing.person_fingerprint) == (
        request_fp,
        person_fp,
    )
    if existing.status == TracingMatch.Status.REJECTED and unchanged:
        return None
    if (
        existing.status == TracingMatch.Status.PROPOSED
        and unchanged
        and (existing.match_probability, existing.match_weight, existing.explanation)
        == (match.match_probability, match.match_weight, explanation)
    ):
        return existing  # the same proposal: nothing to write (a relink leaves no dead rows)
    came_back = existing.status != TracingMatch.Status.PROPOSED
    existing.status = TracingMatch.Status.PROPOSED
    existing.match_probability = match.match_probability
    existing.match_weight = match.match_weight
    existing.explanation = explanation
    existing.request_fingerprint, existing.person_fingerprint = request_fp, person_fp
    existing.decided_by = None
    existing.decided_at = None
    # Named fields: a relink hands in rows read before this batch's repeat counts moved.
    existing.save(
        update_fields=[
            "status",
            "match_probability",
            "match_weight",
            "explanation",
            "request_fingerprint",
            "person_fingerprint",
            "decided_by",
            "decided_at",
            "modified",
        ]
    )
    if came_back:  # a pair rejected before, proposed again as either record changed
        _notify_proposed(existing)
    return existing


def _notify_proposed(match: TracingMatch) -> None:
    """A new possible match: the person's office is asked to review it; the requesting office
    learns only that a possible match exists, and at which office (no name)."""
    request = match.request
    owner = Person.objects.select_related("owner_office").get(pk=match.person_id).owner_office
    link = reverse("tracing:match", kwargs={"match_id": match.pk})
    notify(
        kind=Kind.MATCH_TO_REVIEW,
        office=owner,
        roles=TRACING_ROLES,
        params={"reference": request.reference, "office": request.office.name},
        link=link,
    )
    notify(
        kind=Kind.MATCH_PROPOSED,
        office=request.office,
        roles=TRACING_ROLES,
        params={"reference": request.reference, "office": owner.name},
        link=link,
    )


def _notify_decided(match: TracingMatch, kind: str, owner_name: str) -> None:
    """The owning office decided: the requesting office is told (it sees the person now only
    if confirmed, on consent; the title names no one)."""
    request = match.request
    notify(
        kind=kind,
        office=request.office,
        roles=TRACING_ROLES,
        params={"reference": request.reference, "office": owner_name},
        link=reverse("tracing:match", kwargs={"match_id": match.pk}),
    )


def _propose_new(
    request: TracingRequest,
    person_id: UUID,
    match: Match,
    explanation: list[list[Any]],
    request_fp: str,
    person_fp: str,
) -> TracingMatch | None:
    # The person's row serialises concurrent requests of one office for the same person.
    Person.objects.select_for_update().filter(pk=person_id).values_list("pk").first()
    sought = TracingMatch.objects.filter(request__office_id=request.office_id, person_id=person_id)
    proposed_before = sought.exclude(status=TracingMatch.Status.WITHHELD).count()
    withheld = proposed_before >= MAX_REQUESTS_PER_PERSON
    created = TracingMatch.objects.create(
        request=request,
        person_id=person_id,
        status=TracingMatch.Status.WITHHELD if withheld else TracingMatch.Status.PROPOSED,
        match_probability=match.match_probability,
        match_weight=match.match_weight,
        explanation=explanation,
        request_fingerprint=request_fp,
        person_fingerprint=person_fp,
    )
    created.repeat_requests = sought.count()
    sought.update(repeat_requests=created.repeat_requests)
    if withheld:
        return None
    _notify_proposed(created)
    return created


def request_match(
    *, request: TracingRequest, record: NormalizedRecord | None = None
) -> list[TracingMatch]:
    """Match one request against the whole registry (people who have not refused tracing)."""
    if request.status != TracingRequest.Status.OPEN:
        return []
    record = record or NormalizedRecord.from_dict(request.normalized)
    # The candidates' records are kept: their fingerprints are taken from them below.
    candidates = {c.id: c for c in person_candidates(record, where=Q(searchable=True), sought=True)}
    ranked = active_scorer().rank(
        record, list(candidates.values()), top=MAX_PROPOSALS, min_probability=PROPOSE_THRESHOLD
    )
    if not ranked:
        return []
    request_fp = fingerprint(record)
    proposals = []
    for m in ranked:
        person_fp = fingerprint(candidates[m.candidate_id])
        made = _upsert_match(request, UUID(m.candidate_id), m, request_fp, person_fp)
        if made is not None:
            proposals.append(made)
    return proposals


REMATCH_BATCH = 500


def requests_match(
    *, requests: list[TracingRequest], progress: Callable[[int, int], None] | None = None
) -> int:
    """Re-match many requests (the relink) as request_match would one by one; returns how
    many proposals stand. Per batch: one query for the candidates' keys, one for their
    records, one for the existing pairs; unchanged proposals are not written again."""
    scorer = active_scorer()
    proposed = 0
    for start in range(0, len(requests), REMATCH_BATCH):
        batch = [r for r in requests[start : start + REMATCH_BATCH] if r.status == r.Status.OPEN]
        proposed += _match_batch(batch, scorer)
        if progress:
            progress(min(start + REMATCH_BATCH, len(requests)), len(requests))
    return proposed


def requests_rescore(
    *, requests: list[TracingRequest], progress: Callable[[int, int], None] | None = None
) -> int:
    """Score the standing proposals of these requests again with the active model (after
    the model was re-estimated), without looking for new candidates; returns how many
    proposals stand."""
    scorer = active_scorer()
    proposed = 0
    for start in range(0, len(requests), REMATCH_BATCH):
        batch = [r for r in requests[start : start + REMATCH_BATCH] if r.status == r.Status.OPEN]
        proposed += _match_batch(batch, scorer, rescore=True)
        if progress:
            progress(min(start + REMATCH_BATCH, len(requests)), len(requests))
    return proposed


def _match_batch(batch: list[TracingRequest], scorer: Scorer, *, rescore: bool = False) -> int:
    records = {r.pk: NormalizedRecord.from_dict(r.normalized) for r in batch}
    existing = {
        (m.request_id, m.person_id): m
        for m in TracingMatch.objects.filter(request__in=[r.pk for r in batch])
    }
    keys: dict[UUID, list[str]] = {}
    by_key: dict[str, list[UUID]] = {}
    if rescore:  # the candidates are the standing proposals
        for (request_id, person_id), pair in existing.items():
            if pair.status == TracingMatch.Status.PROPOSED:
                keys.setdefault(request_id, []).append(str(person_id))
                by_key.setdefault(str(person_id), []).append(person_id)
    else:
        keys = {pk: list(request_keys(rec)) for pk, rec in records.items()}
        wanted = lookup_keys({k for ks in keys.values() for k in ks})
        by_key = people_by_keys(wanted)
    people = searchable_records({pid for pids in by_key.values() for pid in pids})
    proposed = 0
    for request in batch:
        found = sorted(
            {pid for k in keys.get(request.pk, ()) for pid in by_key.get(k, ()) if pid in people}
        )
        candidates = {str(pid): people[pid] for pid in found}
        record = records[request.pk]
        ranked = scorer.rank(
            record, list(candidates.values()), top=MAX_PROPOSALS, min_probability=PROPOSE_THRESHOLD
        )
        request_fp = fingerprint(record)
        for m in ranked:
            person_id = UUID(m.candidate_id)
            made = _apply_match(
                request,
                person_id,
                m,
                request_fp,
                fingerprint(candidates[m.candidate_id]),
                existing.get((request.pk, person_id)),
            )
            proposed += made is not None
    return proposed


@transaction.atomic
def person_match_requests(*, person_id: UUID) -> list[TracingMatch]:
    """Match a newly registered or edited person against every open tracing request."""
    person = Person.objects.filter(pk=person_id, refuses_tracing=False).first()
    index = PersonIndex.objects.filter(person_id=person_id).first()
    if person is None or index is None:
        return []
    record = NormalizedRecord.from_dict(index.normalized)
    keys = list(registry_keys(record))
    # A thin request reaches the person by a wide key only while the key's block is small
    # (blocking.WIDE_BLOCK_LIMIT), as the request's own lookups and the batch engine's.
    sizes = wide_block_sizes(keys)
    too_wide = set(sizes) - wide_keys_kept(sizes)
    keys = [k for k in keys if k not in too_wide]
    open_requests = TracingRequest.objects.filter(
        status=TracingRequest.Status.OPEN, keys__key__in=keys
    ).distinct()
    requests = {str(r.pk): r for r in open_requests}
    if not requests:
        return []
    scorer = active_scorer()
    person_fp = fingerprint(record)
    proposals = []
    for request in requests.values():
        req_record = NormalizedRecord.from_dict(request.normalized)
        m = scorer.score(req_record, record)
        if m.match_probability < PROPOSE_THRESHOLD:
            continue
        made = _upsert_match(request, person.pk, m, fingerprint(req_record), person_fp)
        if made is not None:
            proposals.append(made)
    return proposals


def _child(person: Person) -> bool:
    kinds = {Vulnerability.Kind.CHILD, Vulnerability.Kind.UNACCOMPANIED_CHILD}
    if person.vulnerabilities.filter(kind__in=kinds).exists():
        return True
    today = timezone.localdate()
    if person.birth_date:
        return (today - person.birth_date).days < 18 * 365.25
    return person.estimated_age is not None and person.estimated_age < 18


@transaction.atomic
def match_confirm(
    *, actor: Actor, match: TracingMatch, notice_language: str, note: str = ""
) -> TracingMatch:
    """The owning office confirms the match with the person's consent to be found."""
    if not is_owner_side(actor, match) or not can_trace(actor):
        raise Http404
    locked = TracingMatch.objects.select_for_update().get(pk=match.pk)
    if locked.status != TracingMatch.Status.PROPOSED:
        raise TransitionNotAllowed(_("Only a possible match can be confirmed."))
    if Person.objects.filter(pk=locked.person_id, refuses_tracing=True).exists():
        raise TransitionNotAllowed(_("This person refuses to be traced."))
    if not notice_language:
        raise ValidationFailed(
            {
                "notice_language": [
                    _("Say in which language the person was told and agreed to be found.")
                ]
            }
        )
    person = match.person
    consent = consent_record(
        actor=actor,
        person=person,
        purpose=Consent.Purpose.FAMILY_TRACING,
        notice_language=notice_language,
    )
    locked.status = TracingMatch.Status.CONFIRMED
    locked.consent = consent
    locked.decided_by = actor.user
    locked.decided_at = timezone.now()
    locked.decision_note = note[:2000]
    locked.save()
    request = match.request
    request.status = TracingRequest.Status.MATCH_CONFIRMED
    request.save(update_fields=["status", "modified"])
    Reunification.objects.create(match=locked, involves_child=_child(person), created_by=actor.user)
    # The person agreed to be found: the requesting office may now see them, on that consent.
    grant_create(
        actor=actor,
        office=request.office,
        person=person,
        purpose=Purpose.TRACING,
        source=locked,
        consent=consent,
    )
    change_record(
        actor=actor,
        obj=person,
        owner_office=person.owner_office,
        action="tracing_match_confirm",
        changes={"request": ["", request.reference]},
    )
    _notify_decided(locked, Kind.MATCH_CONFIRMED, person.owner_office.name)
    return locked


@transaction.atomic
def match_reject(*, actor: Actor, match: TracingMatch, note: str = "") -> TracingMatch:
    """Not the same person: the pair is not proposed again unless either record changes."""
    if not is_owner_side(actor, match) or not can_trace(actor):
        raise Http404
    locked = TracingMatch.objects.select_for_update().get(pk=match.pk)
    if locked.status != TracingMatch.Status.PROPOSED:
        raise TransitionNotAllowed(_("Only a possible match can be rejected."))
    locked.status = TracingMatch.Status.REJECTED
    locked.decided_by = actor.user
    locked.decided_at = timezone.now()
    locked.decision_note = note[:2000]
    locked.save()
    change_record(
        actor=actor,
        obj=match.person,
        owner_office=match.person.owner_office,
        action="tracing_match_reject",
        changes={"request": ["", match.request.reference]},
    )
    _notify_decided(locked, Kind.MATCH_REJECTED, match.person.owner_office.name)
    return locked


@transaction.atomic
def matches_withdraw(
    *, actor: Actor, person: Person, consent: Consent | None = None
) -> list[TracingMatch]:
    """The person refused tracing (consent None: every pending or confirmed match) or revoked
    the consent a confirmation rested on (the matches confirmed on it): the requesting side
    is shown nothing more than that a confirmed match was withdrawn, and the pairs are not
    proposed again."""
    matches = TracingMatch.objects.select_for_update().filter(person=person)
    if consent is None:
        matches = matches.filter(
            status__in=(TracingMatch.Status.PROPOSED, TracingMatch.Status.CONFIRMED)
        )
    else:
        matches = matches.filter(status=TracingMatch.Status.CONFIRMED, consent=consent)
    withdrawn = []
    for locked in matches.select_related("request"):
        before = locked.status
        locked.status = TracingMatch.Status.WITHDRAWN
        locked.save(update_fields=["status", "modified"])
        if before == TracingMatch.Status.CONFIRMED:
            # The requesting office loses the person's record it was granted at confirmation.
            grants_revoke_for_source(actor=actor, source=locked)
            Reunification.objects.filter(
                match=locked, status=Reunification.Status.IN_PREPARATION
            ).update(status=Reunification.Status.CANCELLED)
            request = locked.request
            if request.status == TracingRequest.Status.MATCH_CONFIRMED:
                # The family's search goes on; this person is not proposed again.
                request.status = TracingRequest.Status.OPEN
                request.save(update_fields=["status", "modified"])
        # The requesting office knew of the match (proposed or confirmed): it learns only that
        # it was withdrawn, and where.
        _notify_decided(locked, Kind.MATCH_WITHDRAWN, person.owner_office.name)
        change_record(
            actor=actor,
            obj=person,
            owner_office=person.owner_office,
            action="tracing_match_withdraw",
            changes={"request": [locked.request.reference, ""], "status": [before, "withdrawn"]},
        )
        withdrawn.append(locked)
    return withdrawn


def on_tracing_refused(actor: Actor, person: Person) -> None:
    """people's hook: a person who refuses tracing is withdrawn from every match."""
    matches_withdraw(actor=actor, person=person)


def on_consent_revoked(*, actor: Actor, consent: Any) -> None:
    """access's hook: the matches confirmed on a withdrawn consent are withdrawn."""
    if consent.purpose == Consent.Purpose.FAMILY_TRACING:
        matches_withdraw(actor=actor, person=consent.person, consent=consent)


REUNIFICATION_FIELDS = (
    "relationship_verified",
    "verification_method",
    "requester_consent",
    "person_consent",
    "best_interests_on",
    "best_interests_by",
    "best_interests_outcome",
    "reunion_date",
    "reunion_place",
    "follow_up",
)


@transaction.atomic
def reunification_update(
    *,
    actor: Actor,
    reunification: Reunification,
    version: int | None,
    data: dict[str, Any],
    complete: bool = False,
) -> Reunification:
    """Record verification, consents, best interests, the reunion and follow-up; complete it
    only when the relationship is verified, both consent and, for a child, the best-interests
    determination is recorded."""
    match = reunification.match
    if not can_trace(actor) or not (is_owner_side(actor, match) or is_requester_side(actor, match)):
        raise Http404
    locked = lock_for_edit(Reunification.objects, reunification.pk, version)
    if locked.status != Reunification.Status.IN_PREPARATION:
        raise TransitionNotAllowed(_("This reunification is already finished."))
    changes = {}
    for key in REUNIFICATION_FIELDS:
        if key in data and getattr(locked, key) != data[key]:
            changes[key] = [str(getattr(locked, key)), str(data[key])]
            setattr(locked, key, data[key])
    if complete:
        missing = []
        if not locked.relationship_verified:
            missing.append(_("the relationship must be verified"))
        if not (locked.requester_consent and locked.person_consent):
            missing.append(_("both sides must consent"))
        if locked.involves_child and not (
            locked.best_interests_on and locked.best_interests_outcome.strip()
        ):
            missing.append(
                _("a best-interests determination is required before a child is reunified")
            )
        if not locked.reunion_date:
            missing.append(_("give the date of reunification"))
        if missing:
            raise ValidationFailed({"__all__": missing})
        locked.status = Reunification.Status.COMPLETED
        request = match.request
        request.status = TracingRequest.Status.REUNIFIED
        request.save(update_fields=["status", "modified"])
        changes["status"] = ["in_preparation", "completed"]
    locked.version += 1
    locked.save()
    change_record(
        actor=actor,
        obj=match.person,
        owner_office=match.person.owner_office,
        action="reunification_update",
        changes=changes,
    )
    if changes:  # the other office is told a step was recorded
        owner_side = is_owner_side(actor, match)
        other = match.request.office if owner_side else match.person.owner_office
        notify(
            kind=Kind.REUNIFICATION_STEP,
            office=other,
            roles=TRACING_ROLES,
            params={"reference": match.request.reference, "office": actor.require_office().name},
            link=reverse("tracing:reunification", kwargs={"reunification_id": locked.pk}),
        )
    return locked
