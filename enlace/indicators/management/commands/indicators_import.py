"""Import the official sources of the indicator pages (UN DESA, UNHCR, IOM Missing Migrants,
World Bank/KNOMAD). Without FILE, the files vendored with Enlace (enlace/indicators/data/);
with FILE, that file as the --source given. Idempotent; a file with an error row imports
nothing unless --accept-valid-rows is given."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.indicators.importers import DATA, SOURCES, import_source
from enlace.indicators.importers.base import Report


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", choices=sorted(SOURCES), action="append", default=[])
        parser.add_argument("file", nargs="?", help="a file of the one --source given")
        parser.add_argument("--dry-run", action="store_true", help="check and report only")
        parser.add_argument(
            "--accept-valid-rows",
            action="store_true",
            help="import the valid rows of a file that has rows in error",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        sources: list[str] = opts["source"] or sorted(SOURCES)
        if opts["file"]:
            if len(opts["source"]) != 1:
                raise CommandError("Give exactly one --source with a FILE.")
            jobs = [(sources[0], Path(opts["file"]))]
        else:
            jobs = [(s, DATA / f) for s in sources for f in SOURCES[s].files]
        failed = False
        started = time.perf_counter()
        total = 0
        for source, path in jobs:
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
            report = import_source(
                source,
                path.read_bytes(),
                file_name=path.name,
                dry_run=opts["dry_run"],
                accept_valid_rows=opts["accept_valid_rows"],
            )
            total += report.rows
            self._print(path.name, report)
            failed = failed or bool(report.refused or (report.error_count and not report.imported))
        self.stdout.write(f"{total} rows in {time.perf_counter() - started:.1f} s")
        if failed:
            raise CommandError("Some files were not imported (see above).")

    def _print(self, name: str, report: Report) -> None:
        if report.refused:
            self.stdout.write(f"{name}: refused: {report.refused}")
            return
        self.stdout.write(
            f"{name}: {report.rows} rows; created {report.created}, updated {report.updated}, "
            f"unchanged {report.unchanged}; {report.aggregates} about aggregates (flagged); "
            f"{report.error_count} error(s); {report.rows_per_second:,.0f} rows/s"
            + ("" if report.imported else "; nothing written")
        )
        for e in report.errors[:20]:
            self.stdout.write(f"  row {e['row']}, {e['column']} ({e['value']!r}): {e['message']}")
