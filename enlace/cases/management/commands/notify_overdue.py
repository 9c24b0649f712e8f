"""Daily: put an item in the inbox of each office with an overdue open case (once per case per
day, however often it runs). Schedule it once a day (docs/operator.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from enlace.cases.services import cases_overdue_notify


class Command(BaseCommand):
    help = "Tell each office of its overdue open cases (one inbox item per case per day)."

    def handle(self, *args: Any, **options: Any) -> None:
        made = cases_overdue_notify()
        self.stdout.write(f"{made} overdue case(s) notified")
