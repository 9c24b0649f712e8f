"""The registry's side of record linkage: each person's normalised record and blocking keys,
candidates for a new record, and the active model. The engine itself is enlace.linkage.

Other apps (tracing) register a callback to hear about people (re)indexed, so a new
registration is matched against open tracing requests without people importing tracing.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from enlace.linkage import (
    WIDE_PREFIX,
    Match,
    NormalizedRecord,
    Scorer,
    blocking_keys,
    input_record,
    normalize_record,
    registry_keys,
    request_keys,
    wide_keys_kept,
)
from enlace.linkage.version import index_version

from .dates import format_birth_date
from .models import DatePrecision, LinkageModel, Person, PersonIndex, PersonKey

# Bump when linkage_input or the stored index row changes meaning; changes of the engine's
# normalisation and blocking are caught by enlace.linkage.version.index_version.
INDEX_LAYOUT = 1
# The Person fields linkage_input reads (plus nationalities and documents, prefetched).
LINKAGE_FIELDS = (
    "id",
    "created",
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "birth_date",
    "birth_date_precision",
    "estimated_age",
    "age_reported_on",
    "birth_place",
    "mother_name",
    "refuses_tracing",
)
KEY_LENGTH = 64  # PersonKey.key

PersonHook = Callable[[UUID], None]
_INDEXED_HOOKS: list[PersonHook] = []
_SCORER_CACHE: dict[str, Scorer] = {}


def on_person_indexed(hook: PersonHook) -> None:
    """Call `hook(person_id)` after the transaction that (re)indexed a person commits."""
    if hook not in _INDEXED_HOOKS:
        _INDEXED_HOOKS.append(hook)


def linkage_input(
    person: Person,
    nationalities: Iterable[str] | None = None,
    documents: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The person in the engine's input columns.

    A bulk caller passes the nationality codes and document numbers it read for many people
    at once; otherwise they are read from the person."""
    if nationalities is None:
        nationalities = [c.code for c in person.nationalities.all()]
    if documents is None:
        documents = [d.number for d in person.documents.all()]
    first_nationality = next(iter(sorted(nationalities)), "")
    birth_date = (
        format_birth_date(person.birth_date, person.birth_date_precision)
        if person.birth_date_precision != DatePrecision.ESTIMATED
        else ""
    )
    age: dict[str, Any] = {}
    if person.estimated_age is not None and not birth_date:
        age = {
            "age": person.estimated_age,
            "age_reported_on": (person.age_reported_on or person.created.date()).isoformat(),
        }
    return input_record(
        id=str(person.pk),
        given_names=person.given_names,
        first_surname=person.first_surname,
        second_surname=person.second_surname,
        sex=person.sex if person.sex in ("F", "M") else "",
        birth_date=birth_date,
        birth_place=person.birth_place,
        nationality=first_nationality,
        mother_name=person.mother_name,
        document_number=";".join(sorted(documents)),
        **age,
    )


@cache
def fingerprint_prefix() -> str:
    """Eight hex characters naming the engine and layout that made an index row: rows with
    another prefix are stale whatever their input, which lets a relink count them in SQL."""
    body = f"{index_version()}:{INDEX_LAYOUT}".encode()
    return hashlib.blake2b(body, digest_size=4).hexdigest()


def index_fingerprint(raw: Mapping[str, Any], searchable: bool) -> str:
    """What an index row was made from: the linkage input, the searchable flag and the engine
    version. Equal fingerprints mean the stored record and keys are current."""
    body = json.dumps([raw, searchable], sort_keys=True, default=str).encode()
    return fingerprint_prefix() + hashlib.blake2b(body, digest_size=12).hexdigest()


@dataclass(frozen=True)
class IndexEntry:
    """One person's index row and blocking keys, as they should be stored."""

    person_id: UUID
    record: NormalizedRecord
    keys: frozenset[str]
    searchable: bool
    fingerprint: str


def index_entry(
    person: Person,
    current: str | None = None,
    *,
    nationalities: Iterable[str] | None = None,
    documents: Iterable[str] | None = None,
) -> IndexEntry | None:
    """The person's index entry, or None when `current` (the stored fingerprint) is up to date.

    The fingerprint is taken before normalising, so a current person costs one hash."""
    raw = linkage_input(person, nationalities, documents)
    searchable = not person.refuses_tracing
    fingerprint = index_fingerprint(raw, searchable)
    if fingerprint == current:
        return None
    return make_entry(person.pk, raw, searchable, fingerprint)


def make_entry(
    person_id: UUID, raw: Mapping[str, Any], searchable: bool, fingerprint: str
) -> IndexEntry:
    """Normalise a linkage input and derive its blocking keys (the costly part of indexing)."""
    record = normalize_record(raw)
    # A registry person also stores the wide keys that thin tracing requests look up.
    keys = frozenset(k[:KEY_LENGTH] for k in registry_keys(record))
    return IndexEntry(person_id, record, keys, searchable, fingerprint)


def person_index_update(person: Person) -> NormalizedRecord:
    """(Re)compute the person's normalised record and keys; call inside the writing service."""
    entry = index_entry(person)
    assert entry is not None  # noqa: S101 - no current fingerprint was given
    write_entries([entry])
    for hook in _INDEXED_HOOKS:
        transaction.on_commit(lambda h=hook: h(person.pk))  # type: ignore[misc]
    return entry.record


def active_scorer() -> Scorer:
    """The scorer of the latest trained model, or the engine's defaults before any training."""
    latest = LinkageModel.objects.filter(is_active=True).values_list("pk", flat=True).first()
    if latest is None:
        return _SCORER_CACHE.setdefault("default", Scorer.default())
    key = str(latest)
    if key not in _SCORER_CACHE:  # the JSON is read once per model, not once per request
        model = LinkageModel.objects.values_list("model", flat=True).get(pk=latest)
        _SCORER_CACHE.clear()
        _SCORER_CACHE[key] = Scorer.from_json(model)
    return _SCORER_CACHE[key]


def wide_block_sizes(keys: Iterable[str]) -> dict[str, int]:
    """How many indexed people hold each of the wide keys (``w``) among `keys`."""
    wide = sorted({k for k in keys if k.startswith(WIDE_PREFIX)})
    out: dict[str, int] = {}
    for i in range(0, len(wide), 2000):
        rows = (
            PersonKey.objects.filter(key__in=wide[i : i + 2000])
            .values("key")
            .annotate(n=Count("person_id"))
            .values_list("key", "n")
        )
        out.update(rows)
    return out


def lookup_keys(keys: Iterable[str]) -> list[str]:
    """`keys` without the wide keys that no one or too many people hold
    (blocking.WIDE_BLOCK_LIMIT: the batch engine's rule, model.limit_wide_keys)."""
    keys = list(keys)
    kept = wide_keys_kept(wide_block_sizes(keys))
    return [k for k in keys if not k.startswith(WIDE_PREFIX) or k in kept]


def person_candidates(
    record: NormalizedRecord, *, where: Q | None = None, sought: bool = False
) -> list[NormalizedRecord]:
    """Normalised records of the people sharing a blocking key with `record`.

    `where` filters PersonIndex rows (e.g. ``Q(searchable=True)``), on the candidates only.
    `sought`: `record` is a tracing request (blocking.request_keys: a thin request is
    searched wider), not a person compared with the others.
    """
    keys = lookup_keys(request_keys(record)) if sought else list(blocking_keys(record))
    if not keys:
        return []
    ids = PersonKey.objects.filter(key__in=keys).values("person_id")
    rows = PersonIndex.objects.filter(person_id__in=ids)
    if where is not None:
        rows = rows.filter(where)
    return [NormalizedRecord.from_dict(n) for n in rows.values_list("normalized", flat=True)]


def people_by_keys(keys: Iterable[str]) -> dict[str, list[UUID]]:
    """The people behind each blocking key (many records' candidates in a few queries)."""
    wanted = sorted(set(keys))
    out: dict[str, list[UUID]] = {}
    for i in range(0, len(wanted), 2000):
        rows = PersonKey.objects.filter(key__in=wanted[i : i + 2000]).values_list(
            "key", "person_id"
        )
        for key, person_id in rows:
            out.setdefault(key, []).append(person_id)
    return out


def searchable_records(ids: Iterable[UUID]) -> dict[UUID, NormalizedRecord]:
    """The normalised records of those of `ids` who may be found by tracing."""
    wanted = sorted(set(ids))
    out: dict[UUID, NormalizedRecord] = {}
    for i in range(0, len(wanted), 2000):
        rows = PersonIndex.objects.filter(
            person_id__in=wanted[i : i + 2000], searchable=True
        ).values_list("person_id", "normalized")
        out.update((pid, NormalizedRecord.from_dict(n)) for pid, n in rows)
    return out


def rank_people(
    record: NormalizedRecord,
    *,
    where: Q | None = None,
    top: int = 10,
    min_probability: float = 0.01,
) -> list[Match]:
    """The best-scoring people for a record, each with its field-by-field explanation."""
    candidates = [c for c in person_candidates(record, where=where) if c.id != record.id]
    return active_scorer().rank(record, candidates, top=top, min_probability=min_probability)


@transaction.atomic
def write_entries(entries: list[IndexEntry]) -> set[str]:
    """Store the entries through the ORM, touching only the keys that changed.

    Returns the blocking keys whose candidate sets changed: keys a person gained or lost,
    and every key of a person whose record or searchable flag changed. The online path
    (one person per save) and the relink on SQLite use it; PostgreSQL relinks in bulk
    (enlace.people.reindex).
    """
    ids = [e.person_id for e in entries]
    old_keys: dict[UUID, set[str]] = defaultdict(set)
    key_ids: dict[tuple[UUID, str], int] = {}
    drop: list[int] = []
    for pk, person_id, key in PersonKey.objects.filter(person_id__in=ids).values_list(
        "pk", "person_id", "key"
    ):
        if (person_id, key) in key_ids:
            drop.append(pk)  # a duplicate left by an older index
            continue
        key_ids[(person_id, key)] = pk
        old_keys[person_id].add(key)
    rows = {r.person_id: r for r in PersonIndex.objects.filter(person_id__in=ids)}
    now = timezone.now()
    changed: set[str] = set()
    add: list[PersonKey] = []
    create: list[PersonIndex] = []
    update: list[PersonIndex] = []
    for e in entries:
        before = old_keys.get(e.person_id, set())
        drop.extend(key_ids[(e.person_id, k)] for k in before - e.keys)
        add.extend(PersonKey(person_id=e.person_id, key=k) for k in e.keys - before)
        changed |= before ^ e.keys
        normalized = e.record.to_dict()
        row = rows.get(e.person_id)
        if row is None:
            create.append(
                PersonIndex(
                    person_id=e.person_id,
                    normalized=normalized,
                    searchable=e.searchable,
                    fingerprint=e.fingerprint,
                )
            )
            changed |= e.keys
            continue
        if row.normalized != normalized or row.searchable != e.searchable:
            changed |= e.keys
        row.normalized, row.searchable, row.fingerprint = normalized, e.searchable, e.fingerprint
        row.updated = now
        update.append(row)
    for start in range(0, len(drop), 500):
        PersonKey.objects.filter(pk__in=drop[start : start + 500]).delete()
    PersonKey.objects.bulk_create(add, batch_size=2000)
    PersonIndex.objects.bulk_create(create, batch_size=500)
    PersonIndex.objects.bulk_update(
        update, ["normalized", "searchable", "fingerprint", "updated"], batch_size=200
    )
    return changed
