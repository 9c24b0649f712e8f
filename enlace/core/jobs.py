"""Background jobs: a Job row the UI can poll, and a task that runs a registered job function.

A job function takes (job, **kwargs) and reports progress with `job_progress`. Tasks take ids
only, as the tasks API serialises arguments to JSON.
"""

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.dispatch import Signal
from django.http import Http404
from django.utils import timezone
from django_tasks import task

from . import joblabels
from .errors import database_shortage, log_shortage
from .models import Job

if TYPE_CHECKING:  # core imports no app at run time; the actor type is only a hint
    from enlace.accounts.actor import Actor

# Sent when a job has ended (succeeded or failed), with `job` (as it ended). Apps that tell
# the user (the inbox) listen; core does not know them.
job_finished = Signal()

JobFunction = Callable[..., dict[str, Any]]
_REGISTRY: dict[str, JobFunction] = {}


def job_function(
    kind: str,
    *,
    label: Any = None,
    stages: dict[str, Any] | None = None,
    results: dict[str, Any] | None = None,
) -> Callable[[JobFunction], JobFunction]:
    """Register a function as the body of jobs of this kind, with the words its pages use: the
    kind's label, its progress stages and its result keys (lazy translations)."""

    def register(fn: JobFunction) -> JobFunction:
        _REGISTRY[kind] = fn
        joblabels.register(kind, joblabels.JobLabels(label, stages or {}, results or {}))
        return fn

    return register


@transaction.atomic
def job_enqueue(*, actor: "Actor", kind: str, **kwargs: Any) -> Job:
    """Create a job and queue it once the transaction commits."""
    if kind not in _REGISTRY:
        raise ValueError(kind)
    job = Job.objects.create(kind=kind, created_by=actor.user, office=actor.office)
    transaction.on_commit(lambda: run_job.enqueue(str(job.pk), kwargs))
    return job


def job_progress(job: Job, done: int, total: int, message: str = "") -> None:
    """Record progress; written straight away so the UI sees it while the job runs."""
    Job.objects.filter(pk=job.pk).update(
        progress_done=done, progress_total=total, message=message[:500]
    )


@task()
def run_job(job_id: str, kwargs: dict[str, Any]) -> None:
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started=timezone.now())
    try:
        result = _REGISTRY[job.kind](job, **kwargs)
    except Exception as exc:
        # A database that ran out of disk, memory or connections rolled the job's transaction
        # back: the job says so in its reader's language (joblabels), not the driver's text.
        shortage = database_shortage(exc)
        if shortage:
            log_shortage(exc, f"job {job.pk} ({job.kind})")
        try:
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED,
                finished=timezone.now(),
                message=shortage or str(exc)[:500],
            )
            _finished(job.pk)
        except DatabaseError:
            if not shortage:
                raise
            # The disk is still full even for the job's own row: the log says it all.
        raise
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED, finished=timezone.now(), result=result
    )
    _finished(job.pk)


def _finished(job_id: Any) -> None:
    job = Job.objects.select_related("created_by").get(pk=job_id)
    job_finished.send(sender=Job, job=job)


def job_list(*, actor: "Actor") -> QuerySet[Job]:
    """The jobs the user started."""
    return Job.objects.filter(created_by=actor.user)


def job_get(*, actor: "Actor", job_id: UUID | str) -> Job:
    try:
        return job_list(actor=actor).get(pk=job_id)
    except (Job.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def job_files_expire(*, kinds: Iterable[str], ttl_hours: float) -> int:
    """Delete the stored files (result["file"]) of jobs of these kinds finished more than
    `ttl_hours` ago; the jobs stay, marked expired, without their file. Returns how many."""
    cutoff = timezone.now() - timedelta(hours=ttl_hours)
    expired = Job.objects.filter(kind__in=list(kinds), finished__lt=cutoff, result__has_key="file")
    count = 0
    for job in expired.only("pk", "result"):
        default_storage.delete(job.result["file"])
        result = {k: v for k, v in job.result.items() if k not in ("file", "download")}
        Job.objects.filter(pk=job.pk).update(result={**result, "expired": True})
        count += 1
    return count
