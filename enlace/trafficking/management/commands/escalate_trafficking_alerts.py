"""Daily (or more often): escalate, once, every trafficking alert that nobody acknowledged within
ENLACE_TRAFFICKING_ALERT_ESCALATION_DAYS days. Safe to run again. Schedule it from cron
(docs/operator.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from enlace.trafficking.alerts import alerts_escalate


class Command(BaseCommand):
    help = (
        "Escalate the trafficking alerts not acknowledged in time to the same focal points and "
        "their country's national focal points (once per alert)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        made = alerts_escalate()
        self.stdout.write(f"{made} trafficking alert(s) escalated")
