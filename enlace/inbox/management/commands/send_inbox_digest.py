"""Daily: e-mail each user who chose the digest their unread inbox items of the last day.
Schedule it once a day (docs/operator.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from enlace.inbox.services import digest_send


class Command(BaseCommand):
    help = "E-mail the daily inbox digest to the users who chose it."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digest_send()
        self.stdout.write(f"{sent} digest e-mail(s) sent")
