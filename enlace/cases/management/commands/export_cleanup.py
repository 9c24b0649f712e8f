from typing import Any

from django.core.management.base import BaseCommand

from enlace.cases.exports import exports_expire


class Command(BaseCommand):
    help = (
        "Delete case export files older than ENLACE_EXPORT_TTL_HOURS (each new export does this "
        "too; run it from cron where exports are rare)."
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(f"deleted={exports_expire()}")
