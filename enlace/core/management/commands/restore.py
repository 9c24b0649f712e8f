"""`enlace restore FILE`: an archive of `enlace backup` into an empty database and an empty
MEDIA_ROOT, then every table's checksum checked against the archive's manifest."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.core.backup import RestoreError, restore_backup
from enlace.core.dbowner import owner_connection


class Command(BaseCommand):
    help = (
        "Restore an archive of `enlace backup` into an empty database and MEDIA_ROOT, and "
        "check every table's checksum."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Archive written by `enlace backup`.")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            # It creates the tables: as the owner role where one is set (then run db_roles).
            with owner_connection(options["database"]):
                report = restore_backup(Path(options["file"]), using=options["database"])
        except RestoreError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {report.path} ({report.engine}, {report.method}): {report.tables} tables "
            f"and {report.rows} rows with equal checksums, {report.files} private files."
        )
