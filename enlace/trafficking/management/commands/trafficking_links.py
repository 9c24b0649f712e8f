from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from enlace.core.jobs import run_job
from enlace.core.models import Job
from enlace.trafficking.links_jobs import KIND, trafficking_links_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the links between trafficking cases (shared perpetrators, phones, vehicles, "
        "bank accounts, places, route segments). Saving a case keeps its own links current; "
        "this rebuilds them all, as a background job for the task worker (or here with --now)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="recompute every link")
        parser.add_argument(
            "--now", action="store_true", help="run here and wait instead of queueing a job"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["rebuild"]:
            raise CommandError("Nothing to do: give --rebuild.")
        job = Job.objects.create(kind=KIND)
        if opts["now"]:
            self.stdout.write(str(trafficking_links_rebuild(job)))
            return
        transaction.on_commit(lambda: run_job.enqueue(str(job.pk), {}))
        self.stdout.write(f"Queued job {job.pk}; the task worker (manage.py db_worker) runs it.")
