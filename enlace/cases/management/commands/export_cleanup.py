from typing import Any

from django.core.management.base import BaseCommand

from enlace.cases.exports import exports_expire
from enlace.people.imports import imports_expire


class Command(BaseCommand):
    help = (
        "Delete case export files and uploaded registers of people not imported, older than "
        "ENLACE_EXPORT_TTL_HOURS (each new export or import check does this too; run it from "
        "cron where they are rare)."
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(f"deleted={exports_expire()}")
        imports = imports_expire()
        if imports:
            self.stdout.write(f"imports_deleted={imports}")
