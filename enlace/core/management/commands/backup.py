"""`enlace backup [FILE]`: the database and the private files in one archive, with a checksum of
every table (enlace.core.backup; docs/operator.md, "Backups")."""

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the private files (MEDIA_ROOT) into one archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            help="Archive to write (default: ENLACE_VAR_DIR/backups/enlace-<date-time>.tar.gz).",
        )
        parser.add_argument(
            "--method",
            choices=["auto", "pg_dump", "copy"],
            default="auto",
            help="PostgreSQL only: pg_dump (default when it is on PATH) or copy (COPY of every "
            "table in one REPEATABLE READ transaction, restored over this version's migrations).",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"]:
            path = Path(options["file"])
        else:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
            path = Path(settings.VAR_DIR) / "backups" / f"enlace-{stamp}.tar.gz"
        try:
            report = create_backup(path, using=options["database"], method=options["method"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{report.path}: {report.engine} ({report.method}), {report.tables} tables, "
            f"{report.rows} rows, {report.files} private files"
        )
