"""Background work of tracing: match a registered person, and relink the whole registry."""

import time
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from enlace.core.jobs import job_function, job_progress
from enlace.core.models import Job
from enlace.linkage import NormalizedRecord
from enlace.linkage import model as linkage_model
from enlace.people.models import LinkageModel
from enlace.people.reindex import index_changed_since, reindex_people, training_sample

from . import services
from .models import TracingMatch, TracingRequest

# Below this many records EM has too little to learn from: the engine's defaults are kept.
MIN_RECORDS_TO_TRAIN = 200
# EM learns population frequencies: a seeded sample of this many people estimates them as well
# as the whole registry in a fraction of the time. Measured at 300k people (2 cores, shared):
# reading and training on the whole registry (the engine samples 200k) took 89 + 141 s, on this
# sample 12 + 26 s.
TRAINING_SAMPLE = 50_000
# The model is re-estimated when this share of the registry was added or edited since it was
# trained; below that the frequencies have not moved enough to be worth re-matching every
# open request for.
RETRAIN_SHARE = 0.05
# Beyond this many changed blocking keys every open request is re-matched (cheaper than
# looking the keys up). At 300k people, 3,000 edited people changed over 20k keys (~19 each),
# held by 4,172 of 10,000 open requests: the keys are worth looking up well beyond that.
MAX_CHANGED_KEYS = 500_000


@task()
def match_person(person_id: str) -> int:
    return len(services.person_match_requests(person_id=UUID(person_id)))


def enqueue_person_match(person_id: UUID) -> None:
    match_person.enqueue(str(person_id))


@job_function(
    "registry_relink",
    label=_("Registry relink"),
    stages={
        "index": _("Indexing the registry"),
        "model": _("Estimating the matching model"),
        "requests": _("Matching the open tracing requests"),
        "rescore": _("Rescoring the proposed matches"),
    },
    results={
        "people": _("People in the registry"),
        "people_reindexed": _("People indexed"),
        "people_skipped": _("People already indexed"),
        "index_mode": _("Index update"),
        "none": _("nothing to index"),
        "merge": _("changes merged"),
        "rebuild": _("rebuilt"),
        "orm": _("person by person"),
        "model_trained": _("Model estimated"),
        "model_changed": _("Model changed"),
        "open_requests": _("Open tracing requests"),
        "requests_rematched": _("Requests matched again"),
        "requests_rescored": _("Requests rescored"),
        "proposals": _("Matches proposed"),
        "seconds": _("Seconds"),
        "index": _("index"),
        "model": _("model"),
        "requests": _("requests"),
    },
)
def registry_relink(job: Job, full: bool = False) -> dict[str, Any]:
    """Bring the registry's index up to date, re-estimate the model when the registry has
    moved, and re-match the open requests whose candidates may have changed.

    - Index: people whose fingerprint is current are skipped (enlace.people.reindex).
    - Model: re-estimated by EM on a seeded sample of TRAINING_SAMPLE people when there is no
      trained model or RETRAIN_SHARE of the registry changed since it was trained.
    - Matching: the requests holding a blocking key whose candidate set changed (a person
      gained, lost or changed behind that key) are re-matched against the registry.
      Re-matching proposes and re-scores, never withdraws, so for a given model this equals
      re-matching everything. A re-estimated model moves every score a little: the standing
      proposals of the other open requests are re-scored with it, but those requests are not
      searched again (at 300k people that took ~4 minutes per 10k requests); a pair the new
      model would lift over the threshold is found when its request or person next changes,
      or by `full`, which re-indexes everyone, re-estimates and re-matches every open request.
    """
    clock = [time.monotonic()]

    def lap() -> float:
        clock.append(time.monotonic())
        return round(clock[-1] - clock[-2], 1)

    job_progress(job, 0, 1, "index")
    done = reindex_people(full=full, progress=lambda d, t: job_progress(job, d, max(t, 1), "index"))
    index_seconds = lap()
    trained, model_changed = _retrain(job, registry=done.indexed + done.skipped, force=full)
    model_seconds = lap()
    open_requests = TracingRequest.objects.filter(status=TracingRequest.Status.OPEN)
    keys = done.changed_keys
    if full or keys is None or len(keys) > MAX_CHANGED_KEYS:
        requests = list(open_requests.order_by("pk"))
    else:
        requests = _requests_holding(open_requests, sorted(keys))
    proposed = services.requests_match(
        requests=requests, progress=lambda d, t: job_progress(job, d, max(t, 1), "requests")
    )
    rescored: list[TracingRequest] = []
    if model_changed:
        done_ids = {r.pk for r in requests}
        rescored = [
            r
            for r in open_requests.filter(matches__status=TracingMatch.Status.PROPOSED)
            .distinct()
            .order_by("pk")
            if r.pk not in done_ids
        ]
        proposed += services.requests_rescore(
            requests=rescored, progress=lambda d, t: job_progress(job, d, max(t, 1), "rescore")
        )
    job_progress(job, len(requests), max(len(requests), 1), "requests")
    return {
        "people": done.indexed + done.skipped,
        "people_reindexed": done.indexed,
        "people_skipped": done.skipped,
        "index_mode": done.mode,
        "model_trained": trained,
        "model_changed": model_changed,
        "open_requests": open_requests.count(),
        "requests_rematched": len(requests),
        "requests_rescored": len(rescored),
        "proposals": proposed,
        "seconds": {"index": index_seconds, "model": model_seconds, "requests": lap()},
    }


def _retrain(job: Job, *, registry: int, force: bool) -> tuple[bool, bool]:
    """Re-estimate the model when none is trained or the registry moved since.

    Returns (trained, the active model's parameters changed)."""
    active = LinkageModel.objects.filter(is_active=True).first()
    if active is not None and not force:
        moved = index_changed_since(active.created)
        if moved < RETRAIN_SHARE * registry:
            return False, False
    job_progress(job, 0, 1, "model")
    sample = training_sample(TRAINING_SAMPLE)
    if len(sample) < MIN_RECORDS_TO_TRAIN:
        return False, False
    model = linkage_model.train([NormalizedRecord.from_dict(n) for n in sample])
    LinkageModel.objects.update(is_active=False)
    LinkageModel.objects.create(
        model=model, records=len(sample), is_active=True, created_by=job.created_by
    )
    # The same parameters score every pair as before: nothing to re-match for the model.
    return True, active is None or active.model != model


def _requests_holding(requests: QuerySet[TracingRequest], keys: list[str]) -> list[TracingRequest]:
    """The requests with at least one of the keys (in chunks: SQLite bounds a query's
    parameters)."""
    ids: set[UUID] = set()
    for i in range(0, len(keys), 1000):
        ids.update(requests.filter(keys__key__in=keys[i : i + 1000]).values_list("pk", flat=True))
    found = sorted(ids)
    return [
        r for i in range(0, len(found), 1000) for r in requests.filter(pk__in=found[i : i + 1000])
    ]
