"""Daily: tell each office of its data-protection requests due within three days or overdue,
and its supervisors of breaches not yet notified (one inbox item each per day, however often it
runs). Schedule it once a day (docs/operator.md), or enqueue enlace.privacy.tasks.remind."""

from typing import Any

from django.core.management.base import BaseCommand

from enlace.privacy.services import requests_remind


class Command(BaseCommand):
    help = "Tell offices of data-protection requests due soon or overdue and breaches to notify."

    def handle(self, *args: Any, **options: Any) -> None:
        made = requests_remind()
        self.stdout.write(f"{made} reminder(s) sent")
