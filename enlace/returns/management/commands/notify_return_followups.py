"""Daily: tell each receiving office of the return follow-ups that fell due (3, 6 and 12 months
after arrival; one inbox item per follow-up, ever) and of reintegration plans not made within
30 days of arrival (one per return). Schedule it once a day (docs/operator.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from enlace.returns.services import return_followups_notify


class Command(BaseCommand):
    help = (
        "Tell receiving offices of return follow-ups that fell due and of overdue "
        "reintegration plans (one inbox item each, however often it runs)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        made = return_followups_notify()
        self.stdout.write(f"{made} return notice(s) sent")
