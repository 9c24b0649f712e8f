from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from enlace.core.models import Job
from enlace.tracing.tasks import registry_relink


class Command(BaseCommand):
    help = (
        "Bring the registry's linkage index up to date (people whose index is current are "
        "skipped), re-estimate the model when the registry has moved, and re-match the open "
        "requests whose candidates may have changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--full",
            action="store_true",
            help="re-index every person, re-estimate the model and re-match every open request",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        job = Job.objects.create(kind="registry_relink")
        self.stdout.write(str(registry_relink(job, full=opts["full"])))
