"""Daily: delete the requests from the public that no office took into a case or a tracing
request once their office's retention period is over (enlace.portal.services.requests_purge).
Schedule it once a day (docs/operator.md), or enqueue enlace.portal.tasks.purge_requests."""

from typing import Any

from django.core.management.base import BaseCommand

from enlace.portal.services import requests_purge


class Command(BaseCommand):
    help = "Purge the portal's requests not taken into a case after their retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = requests_purge()
        self.stdout.write(f"{deleted} request(s) purged")
