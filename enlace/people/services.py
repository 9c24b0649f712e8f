"""Writes to people: each checks the actor, validates, and audits in the same transaction."""

import datetime as dt
import warnings
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from enlace.access import rules
from enlace.access.grants import grants_revoke_for_consent
from enlace.accounts.actor import Actor
from enlace.core.errors import ValidationFailed
from enlace.core.models import Country
from enlace.core.text import fold
from enlace.core.validation import check_text, lock_for_edit, parse_phone

from .dates import parse_birth_date
from .fields import FIREWALLED, IDENTITY, WRITABLE
from .matching import person_index_update
from .models import (
    Consent,
    DatePrecision,
    IdentityDocument,
    MigratoryStatus,
    Person,
    Sex,
    Vulnerability,
)

# Fields copied as given (after checks); birth_date is parsed on its own, age_reported_on is
# set with an estimated age.
PERSON_FIELDS = (*(f for f in WRITABLE if f != "birth_date"), "age_reported_on")
MAX_LENGTHS = {
    f.name: f.max_length for f in Person._meta.concrete_fields if getattr(f, "max_length", None)
}

# Called inside the writing transaction when a person says they refuse tracing: tracing
# withdraws what the other side was shown, without people importing tracing. (A revoked
# consent reaches the apps through enlace.access.grants.on_consent_revoked.)
TracingRefusedHook = Callable[[Actor, Person], None]
_TRACING_REFUSED_HOOKS: list[TracingRefusedHook] = []


# Asked when a person's identity protection is recomputed: does another app hold a trafficking
# matter about this person (trafficking's cases name their victims)? People never import it.
TraffickingSource = Callable[[Person], bool]
_TRAFFICKING_SOURCES: list[TraffickingSource] = []


# Told inside the writing transaction when a consent is given or withdrawn
# (`hook(actor, consent, "given" | "withdrawn")`): the consent ledger (enlace.privacy) listens
# without people importing it.
ConsentHook = Callable[[Actor, Consent, str], None]
_CONSENT_HOOKS: list[ConsentHook] = []

# Called inside the anonymising transaction with the person and the words of their former
# names (`hook(actor, person, words) -> {what: how many texts changed}`): the apps that hold
# free text about the person (case summaries and notes) replace those words.
AnonymiseHook = Callable[[Actor, Person, list[str]], dict[str, int]]
_ANONYMISE_HOOKS: list[AnonymiseHook] = []


def on_consent_event(hook: ConsentHook) -> None:
    """Register `hook(actor, consent, action)`, called when a consent is given or withdrawn."""
    if hook not in _CONSENT_HOOKS:
        _CONSENT_HOOKS.append(hook)


def on_person_anonymised(hook: AnonymiseHook) -> None:
    """Register `hook(actor, person, words) -> counts`, called when a person is anonymised."""
    if hook not in _ANONYMISE_HOOKS:
        _ANONYMISE_HOOKS.append(hook)


def on_protection_check(source: TraffickingSource) -> None:
    """Register `source(person) -> bool`: true when the person is a victim in one of the
    registering app's records, which protects their identity (person_protection_refresh)."""
    if source not in _TRAFFICKING_SOURCES:
        _TRAFFICKING_SOURCES.append(source)


def on_tracing_refused(hook: TracingRefusedHook) -> None:
    """Register `hook(actor, person)`, called when a person comes to refuse tracing."""
    if hook not in _TRACING_REFUSED_HOOKS:
        _TRACING_REFUSED_HOOKS.append(hook)


def _audit(actor: Actor, person: Person, action: str, changes: dict[str, Any]) -> None:
    from enlace.audit.services import change_record

    # Never write the migratory status itself into the change history.
    for key in FIREWALLED:
        if key in changes:
            changes = {**changes, key: ["…", "…"]}
    change_record(
        actor=actor, obj=person, owner_office=person.owner_office, action=action, changes=changes
    )


def _require_office_staff(actor: Actor) -> None:
    if not rules.is_office_staff(actor):
        raise Http404


def _require_owner(actor: Actor, person: Person) -> None:
    _require_office_staff(actor)
    if actor.office is None or person.owner_office_id != actor.office.pk:
        raise Http404


def normalise_phone(raw: str, region: str) -> str:
    """E.164 form of a phone number typed in any local or international format."""
    return parse_phone(raw, region)


def _clean(data: dict[str, Any], region: str) -> dict[str, Any]:
    errors: dict[str, list[Any]] = {}
    clean: dict[str, Any] = {}
    for key in PERSON_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if isinstance(value, str):
            try:
                value = check_text(key, value, limit=MAX_LENGTHS.get(key) or len(value))
            except ValidationFailed as exc:
                errors.update(exc.errors)
                continue
        clean[key] = value
    if "sex" in clean and clean["sex"] not in Sex.values:
        errors["sex"] = [_("Choose F, M, X or U.")]
    status = clean.get("migratory_status")
    if status and status not in MigratoryStatus.values:
        errors["migratory_status"] = [_("Unknown migratory status.")]
    if "given_names" in clean and not clean["given_names"].strip():
        errors["given_names"] = [_("This field is required.")]
    if "phone" in clean and not errors:
        try:
            clean["phone"] = normalise_phone(clean["phone"] or "", region)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if "birth_date" in data:
        try:
            clean["birth_date"], clean["birth_date_precision"] = parse_birth_date(
                data["birth_date"]
            )
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if clean.get("estimated_age") not in (None, ""):
        try:
            age = int(clean["estimated_age"])
        except (TypeError, ValueError):
            errors["estimated_age"] = [_("Enter a whole number of years.")]
        else:
            if not 0 <= age <= 120:
                errors["estimated_age"] = [_("Enter an age between 0 and 120.")]
            clean["estimated_age"] = age
            if not data.get("birth_date"):
                clean["birth_date_precision"] = DatePrecision.ESTIMATED
                clean.setdefault("age_reported_on", timezone.localdate())
    elif "estimated_age" in clean:
        clean["estimated_age"] = None
    if errors:
        raise ValidationFailed(errors)
    return clean


def _countries(codes: list[str] | None, field: str) -> list[Country]:
    if not codes:
        return []
    codes = [c.strip().upper() for c in codes if c and c.strip()]
    found = list(Country.objects.filter(code__in=codes))
    if len(found) != len(set(codes)):
        raise ValidationFailed({field: [_("Use ISO 3166-1 two-letter country codes, e.g. MX.")]})
    return found


def _search_text(person: Person) -> str:
    return fold(
        " ".join(
            [
                person.given_names,
                person.first_surname,
                person.second_surname,
                person.other_names.replace(",", " "),
            ]
        )
    )[:1200]


def _checked(
    actor: Actor, data: dict[str, Any], nationalities: list[str] | None
) -> tuple[dict[str, Any], list[Country]]:
    """The values a new person of the actor's office would be saved with; every field's
    errors at once (ValidationFailed)."""
    office = actor.require_office()
    errors: dict[str, list[Any]] = {}
    clean: dict[str, Any] = {}
    countries: list[Country] = []
    try:
        clean = _clean(data, office.host_country_id)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    try:
        countries = _countries(nationalities, "nationality")
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return clean, countries


def person_check(
    *, actor: Actor, data: dict[str, Any], nationalities: list[str] | None = None
) -> dict[str, Any]:
    """Check a person as person_create would, without saving (a bulk import's dry run): the
    cleaned values, or ValidationFailed with every field's errors."""
    _require_office_staff(actor)
    clean, _countries_found = _checked(actor, data, nationalities)
    return clean


@transaction.atomic
def person_create(
    *, actor: Actor, data: dict[str, Any], nationalities: list[str] | None = None
) -> Person:
    """Register a person in the actor's office."""
    _require_office_staff(actor)
    office = actor.require_office()
    clean, countries = _checked(actor, data, nationalities)
    person = Person(owner_office=office, created_by=actor.user, **clean)
    person.search_text = _search_text(person)
    person.save()
    person.nationalities.set(countries)
    person_index_update(person)
    fields = {k: ["", str(v)] for k, v in clean.items() if k not in FIREWALLED}
    _audit(actor, person, "person_create", fields)
    return person


@transaction.atomic
def person_update(
    *,
    actor: Actor,
    person: Person,
    version: int | None,
    data: dict[str, Any],
    nationalities: list[str] | None = None,
) -> Person:
    """Edit a person; a stale version (someone else saved first) raises StaleEdit."""
    _require_owner(actor, person)
    locked = lock_for_edit(Person.objects, person.pk, version)
    clean = _clean(data, locked.owner_office.host_country_id)
    changes = {}
    for key, value in clean.items():
        old = getattr(locked, key)
        if old != value:
            changes[key] = [str(old), str(value)]
            setattr(locked, key, value)
    if nationalities is not None:
        countries = _countries(nationalities, "nationality")
        before = sorted(c.code for c in locked.nationalities.all())
        after = sorted(c.code for c in countries)
        if before != after:
            locked.nationalities.set(countries)
            changes["nationalities"] = [",".join(before), ",".join(after)]
    if changes:
        locked.search_text = _search_text(locked)
        locked.version += 1
        locked.save()
        person_index_update(locked)
        _audit(actor, locked, "person_update", changes)
        if "refuses_tracing" in changes and locked.refuses_tracing:
            for hook in _TRACING_REFUSED_HOOKS:
                hook(actor, locked)
    return locked


PHOTO_MAX_BYTES = 5 * 1024 * 1024


@transaction.atomic
def person_photo_set(*, actor: Actor, person: Person, upload: UploadedFile) -> Person:
    """Store the person's photo privately after checking it is a real, small image."""
    _require_owner(actor, person)
    if (upload.size or 0) > PHOTO_MAX_BYTES:
        raise ValidationFailed({"photo": [_("The photo is larger than 5 MB.")]})
    try:
        # An image that claims more pixels than Pillow's limit is a decompression bomb: refused
        # like any other non-image (the warning, given below twice the limit, is made an error).
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image.verify()
                kind = (image.format or "").lower()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise ValidationFailed({"photo": [_("This file is not a JPEG or PNG image.")]}) from exc
    if kind not in ("jpeg", "png"):
        raise ValidationFailed({"photo": [_("This file is not a JPEG or PNG image.")]})
    upload.seek(0)
    if person.photo:
        person.photo.delete(save=False)
    person.photo.save(f"{person.pk}.{'jpg' if kind == 'jpeg' else 'png'}", upload, save=False)
    person.save(update_fields=["photo", "modified"])
    _audit(actor, person, "photo_set", {"photo": ["", "…"]})
    return person


@transaction.atomic
def vulnerability_add(
    *,
    actor: Actor,
    person: Person,
    kind: str,
    detail: str = "",
    assessed_on: dt.date | None = None,
) -> Vulnerability:
    _require_owner(actor, person)
    if kind not in Vulnerability.Kind.values:
        raise ValidationFailed({"kind": [_("Unknown vulnerability.")]})
    vuln, _created = Vulnerability.objects.update_or_create(
        person=person,
        kind=kind,
        defaults={
            "detail": detail[:200],
            "assessed_on": assessed_on or timezone.localdate(),
            "assessed_by": actor.user,
            "created_by": actor.user,
        },
    )
    _audit(actor, person, "vulnerability_add", {"vulnerability": ["", kind]})
    person_protection_refresh(person)
    return vuln


@transaction.atomic
def vulnerability_remove(*, actor: Actor, person: Person, kind: str) -> None:
    _require_owner(actor, person)
    deleted, _rows = Vulnerability.objects.filter(person=person, kind=kind).delete()
    if deleted:
        _audit(actor, person, "vulnerability_remove", {"vulnerability": [kind, ""]})
        person_protection_refresh(person)


@transaction.atomic
def consent_record(
    *,
    actor: Actor,
    person: Person,
    purpose: str,
    notice_language: str,
    given_on: dt.date | None = None,
    reuse_active: bool = False,
) -> Consent:
    """Record that the person gave informed consent for a purpose (the one consent service:
    the person page, referrals and confirmed tracing matches all record consent here).
    With `reuse_active`, a consent for the purpose that is still in force is returned instead."""
    _require_owner(actor, person)
    if purpose not in Consent.Purpose.values:
        raise ValidationFailed({"purpose": [_("Unknown purpose.")]})
    if reuse_active:
        active = Consent.objects.filter(
            person=person, purpose=purpose, revoked_on__isnull=True
        ).first()
        if active is not None:
            return active
    if not notice_language:
        raise ValidationFailed(
            {"notice_language": [_("Say in which language the notice was given.")]}
        )
    consent = Consent.objects.create(
        person=person,
        purpose=purpose,
        notice_language=notice_language[:8],
        given_on=given_on or timezone.localdate(),
        created_by=actor.user,
    )
    _audit(actor, person, "consent_record", {"consent": ["", purpose]})
    for hook in _CONSENT_HOOKS:
        hook(actor, consent, "given")
    return consent


@transaction.atomic
def consent_revoke(*, actor: Actor, consent: Consent) -> Consent:
    """Revoke a consent; referrals that rely on it are revoked with it."""
    _require_owner(actor, consent.person)
    if consent.revoked_on is not None:
        return consent
    consent.revoked_on = timezone.localdate()
    consent.revoked_by = actor.user
    consent.save(update_fields=["revoked_on", "revoked_by", "modified"])
    _audit(actor, consent.person, "consent_revoke", {"consent": [consent.purpose, ""]})
    for hook in _CONSENT_HOOKS:
        hook(actor, consent, "withdrawn")
    grants_revoke_for_consent(actor=actor, consent=consent)
    return consent


# What an anonymised person's name becomes (no language: it is data, not interface text).
ANONYMISED_NAME = "ANON"
# Identifying fields emptied by person_anonymise (sex, nationalities and the year of birth stay
# for statistics).
ANONYMISED_BLANK = (
    "first_surname",
    "second_surname",
    "other_names",
    "gender_identity",
    "birth_place",
    "mother_name",
    "languages",
    "phone",
    "email",
    "address",
    "migratory_status_notes",
)


def name_words(person: Person) -> list[str]:
    """The words of a person's names and aliases (3 characters or more), longest first: what
    free text about them is searched for when they are anonymised."""
    raw = " ".join(
        [
            person.given_names,
            person.first_surname,
            person.second_surname,
            person.other_names.replace(",", " "),
            person.mother_name,
        ]
    )
    words = {w.strip(".,;:()\"'") for w in raw.split()}
    return sorted((w for w in words if len(w) >= 3), key=lambda w: (-len(w), w))


@transaction.atomic
def person_anonymise(*, actor: Actor, person: Person, by_retention: bool = False) -> dict[str, int]:
    """Replace what identifies the person with placeholders, everywhere Enlace shows it: the
    person's identifying fields, documents, photo, the name index, and (through the apps'
    hooks) their names in free text. Irreversible; audited without the former values.
    Returns how many fields, documents and texts were replaced. `by_retention`: the retention
    job (enlace.privacy), acting for no office, past the record's retention period."""
    if not by_retention:
        _require_owner(actor, person)
    locked = lock_for_edit(Person.objects, person.pk, None)
    words = name_words(locked)
    counts: dict[str, int] = {"fields": 0}
    for key in ANONYMISED_BLANK:
        if getattr(locked, key):
            counts["fields"] += 1
            setattr(locked, key, "")
    if locked.given_names != ANONYMISED_NAME:
        counts["fields"] += 1
        locked.given_names = ANONYMISED_NAME
    if locked.birth_date is not None:
        counts["fields"] += 1
        locked.birth_date = locked.birth_date.replace(month=1, day=1)
        locked.birth_date_precision = DatePrecision.YEAR
    if locked.photo:
        counts["fields"] += 1
        locked.photo.delete(save=False)
        locked.photo = ""
    was_traceable = not locked.refuses_tracing
    locked.refuses_tracing = True  # nobody's tracing request may match an anonymised record
    locked.search_text = ""
    locked.version += 1
    locked.save()
    counts["documents"] = locked.documents.all().delete()[0]
    counts["vulnerability_details"] = (
        Vulnerability.objects.filter(person=locked).exclude(detail="").update(detail="")
    )
    person_index_update(locked)
    for hook in _ANONYMISE_HOOKS:
        for key, value in hook(actor, locked, words).items():
            counts[key] = counts.get(key, 0) + value
    from enlace.audit.services import changes_redact

    counts["history_rows"] = changes_redact(obj=locked, keys=(*IDENTITY, "birth_date", "photo"))
    _audit(actor, locked, "person_anonymise", {"anonymised": ["", str(sum(counts.values()))]})
    if was_traceable:
        for tracing_hook in _TRACING_REFUSED_HOOKS:
            tracing_hook(actor, locked)
    return counts


def person_protection_refresh(person: Person) -> Person:
    """Recompute whose identity is protected after a vulnerability or a case changed."""
    kinds = set(Vulnerability.objects.filter(person=person).values_list("kind", flat=True))
    cases = person.cases  # type: ignore[attr-defined]
    trafficking_case = cases.filter(case_type=rules.TRAFFICKING_CASE).exists() or any(
        source(person) for source in _TRAFFICKING_SOURCES
    )
    value = rules.protection_for(kinds, trafficking_case)
    if person.identity_protection != value:
        person.identity_protection = value
        Person.objects.filter(pk=person.pk).update(identity_protection=value)
    return person


@transaction.atomic
def document_add(
    *, actor: Actor, person: Person, doc_type: str, number: str, issuing_country: str
) -> IdentityDocument:
    _require_owner(actor, person)
    errors: dict[str, list[Any]] = {}
    if doc_type not in IdentityDocument.Type.values:
        errors["doc_type"] = [_("Unknown document type.")]
    if not number.strip() or len(number) > 64:
        errors["number"] = [_("Enter the document number (at most 64 characters).")]
    if errors:
        raise ValidationFailed(errors)
    country = _countries([issuing_country], "issuing_country")[0]
    doc = IdentityDocument.objects.create(
        person=person,
        doc_type=doc_type,
        number=number.strip(),
        issuing_country=country,
        created_by=actor.user,
    )
    _audit(actor, person, "document_add", {"document": ["", doc_type]})
    person_index_update(person)  # the number is a matching field (tracing and duplicates)
    return doc
