"""Anonymise the people and delete the closed rights requests past their retention period
(settings.PRIVACY_RETENTION_DAYS). A dry run by default: it prints what would go. With
--apply it acts, auditing every anonymisation. Or enqueue enlace.privacy.tasks.purge."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from enlace.privacy.services import privacy_purge, retention_days


class Command(BaseCommand):
    help = "Anonymise or delete what is past its retention period (dry run unless --apply)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="Act (the default only counts).")

    def handle(self, *args: Any, **options: Any) -> None:
        apply = options["apply"]
        counts = privacy_purge(dry_run=not apply)
        days = retention_days()
        verb = "done" if apply else "dry run, nothing changed"
        for key, count in counts.items():
            self.stdout.write(f"{key}: {count} past {days[key]} days")
        self.stdout.write(f"({verb})")
