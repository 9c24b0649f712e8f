from typing import Any

from django.core.management.base import BaseCommand

from enlace.core.models import Job
from enlace.tracing.tasks import registry_relink


class Command(BaseCommand):
    help = "Re-index the whole registry, re-estimate the linkage model and re-match requests."

    def handle(self, *args: Any, **opts: Any) -> None:
        job = Job.objects.create(kind="registry_relink")
        self.stdout.write(str(registry_relink(job)))
