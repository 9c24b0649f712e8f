"""Background work of tracing: match a registered person, and relink the whole registry."""

from typing import Any
from uuid import UUID

from django_tasks import task

from enlace.core.jobs import job_function, job_progress
from enlace.core.models import Job
from enlace.linkage import NormalizedRecord
from enlace.linkage import model as linkage_model
from enlace.people.matching import reindex_people
from enlace.people.models import LinkageModel, PersonIndex

from . import services
from .models import TracingRequest

# Below this many records EM has too little to learn from: the engine's defaults are kept.
MIN_RECORDS_TO_TRAIN = 200


@task()
def match_person(person_id: str) -> int:
    return len(services.person_match_requests(person_id=UUID(person_id)))


def enqueue_person_match(person_id: UUID) -> None:
    match_person.enqueue(str(person_id))


@job_function("registry_relink")
def registry_relink(job: Job) -> dict[str, Any]:
    """Re-index every person, re-estimate the model by EM, and re-match every open request."""
    job_progress(job, 0, 3, "index")
    indexed = reindex_people(progress=lambda d, t: job_progress(job, d, max(t, 1), "index"))
    records = [
        NormalizedRecord.from_dict(n)
        for n in PersonIndex.objects.values_list("normalized", flat=True).iterator()
    ]
    trained = False
    if len(records) >= MIN_RECORDS_TO_TRAIN:
        job_progress(job, 0, 1, "model")
        model = linkage_model.train(records)
        LinkageModel.objects.update(is_active=False)
        LinkageModel.objects.create(
            model=model, records=len(records), is_active=True, created_by=job.created_by
        )
        trained = True
    requests = list(TracingRequest.objects.filter(status=TracingRequest.Status.OPEN))
    proposed = 0
    for i, request in enumerate(requests, start=1):
        proposed += len(services.request_match(request=request))
        job_progress(job, i, len(requests), "requests")
    return {
        "people": indexed,
        "model_trained": trained,
        "open_requests": len(requests),
        "proposals": proposed,
    }
