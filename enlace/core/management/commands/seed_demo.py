from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from enlace.core.slots import demo_loaders


class Command(BaseCommand):
    help = (
        "Load the demo data every app registers (offices, users, people, cases), kept if "
        "already there. Refused in production."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.ENLACE_ALLOW_DEMO_PASSWORD:
            raise CommandError("Demo data is refused by these settings (production).")
        for loader in demo_loaders():
            for line in loader.load():
                self.stdout.write(line)
