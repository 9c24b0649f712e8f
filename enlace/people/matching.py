"""The registry's side of record linkage: each person's normalised record and blocking keys,
candidates for a new record, and the active model. The engine itself is enlace.linkage.

Other apps (tracing) register a callback to hear about people (re)indexed, so a new
registration is matched against open tracing requests without people importing tracing.
"""

from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Q

from enlace.linkage import (
    Match,
    NormalizedRecord,
    Scorer,
    blocking_keys,
    input_record,
    normalize_record,
)

from .dates import format_birth_date
from .models import DatePrecision, LinkageModel, Person, PersonIndex, PersonKey

PersonHook = Callable[[UUID], None]
_INDEXED_HOOKS: list[PersonHook] = []
_SCORER_CACHE: dict[str, Scorer] = {}


def on_person_indexed(hook: PersonHook) -> None:
    """Call `hook(person_id)` after the transaction that (re)indexed a person commits."""
    if hook not in _INDEXED_HOOKS:
        _INDEXED_HOOKS.append(hook)


def linkage_input(person: Person) -> dict[str, Any]:
    """The person in the engine's input columns."""
    first_nationality = next(iter(sorted(c.code for c in person.nationalities.all())), "")
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
        document_number=";".join(sorted(d.number for d in person.documents.all())),
        **age,
    )


def person_index_update(person: Person) -> NormalizedRecord:
    """(Re)compute the person's normalised record and keys; call inside the writing service."""
    record = _reindex_batch([person])[person.pk]
    for hook in _INDEXED_HOOKS:
        transaction.on_commit(lambda h=hook: h(person.pk))  # type: ignore[misc]
    return record


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


def person_candidates(
    record: NormalizedRecord, *, where: Q | None = None
) -> list[NormalizedRecord]:
    """Normalised records of the people sharing a blocking key with `record`.

    `where` filters PersonIndex rows (e.g. ``Q(searchable=True)``), on the candidates only.
    """
    keys = list(blocking_keys(record))
    if not keys:
        return []
    ids = PersonKey.objects.filter(key__in=keys).values("person_id")
    rows = PersonIndex.objects.filter(person_id__in=ids)
    if where is not None:
        rows = rows.filter(where)
    return [NormalizedRecord.from_dict(n) for n in rows.values_list("normalized", flat=True)]


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


def reindex_people(
    ids: Iterable[UUID] | None = None, *, progress: Callable[[int, int], None] | None = None
) -> int:
    """Rebuild the index for the given people (all when None), in batches."""
    qs = Person.objects.prefetch_related("nationalities", "documents").order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    total = qs.count()
    done = 0
    batch: list[Person] = []
    for person in qs.iterator(chunk_size=1000):
        batch.append(person)
        if len(batch) == 1000:
            _reindex_batch(batch)
            done += len(batch)
            batch = []
            if progress:
                progress(done, total)
    if batch:
        _reindex_batch(batch)
        done += len(batch)
    if progress:
        progress(done, total)
    return done


@transaction.atomic
def _reindex_batch(people: list[Person]) -> dict[UUID, NormalizedRecord]:
    records = {p.pk: normalize_record(linkage_input(p)) for p in people}
    PersonKey.objects.filter(person_id__in=records).delete()
    PersonIndex.objects.filter(person_id__in=records).delete()
    PersonIndex.objects.bulk_create(
        PersonIndex(
            person_id=p.pk, normalized=records[p.pk].to_dict(), searchable=not p.refuses_tracing
        )
        for p in people
    )
    PersonKey.objects.bulk_create(
        PersonKey(person_id=pk, key=k[:64]) for pk, r in records.items() for k in blocking_keys(r)
    )
    return records
