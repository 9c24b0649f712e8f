"""Import World Bank Remittance Prices Worldwide files from the server's disk: the DataBank
corridor series (--corridors) and the provider-level dataset (--providers, xlsx or CSV).
Idempotent: run it again with a newer file. Nothing is imported from a file with an error row
unless --accept-valid-rows is given."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from enlace.remittances.tasks import CORRIDORS, PROVIDERS, run_import

VENDORED = Path(__file__).resolve().parents[2] / "data" / "rpw" / "rpw_corridors_2011Q1-2020Q3.csv"


class Command(BaseCommand):
    help = (
        "Import the World Bank RPW corridor series (DataBank CSV export) and/or the "
        "provider-level RPW dataset (xlsx or CSV). --corridors without a path imports the "
        "series vendored with Enlace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--corridors", nargs="?", const=str(VENDORED), help="DataBank corridor CSV"
        )
        parser.add_argument("--providers", action="append", default=[], help="provider-level file")
        parser.add_argument("--dry-run", action="store_true", help="check and report only")
        parser.add_argument(
            "--accept-valid-rows",
            action="store_true",
            help="import the valid rows of a file that has rows in error",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        jobs = [(CORRIDORS, opts["corridors"])] if opts["corridors"] else []
        jobs += [(PROVIDERS, p) for p in opts["providers"]]
        if not jobs:
            raise CommandError("Nothing to do: give --corridors [FILE] and/or --providers FILE.")
        failed = False
        for which, path in jobs:
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"No such file: {file}")
            report = run_import(
                which,
                file.read_bytes(),
                actor=None,
                file_name=file.name,
                dry_run=opts["dry_run"],
                accept_valid_rows=opts["accept_valid_rows"],
            ).as_dict()
            self.stdout.write(
                f"{file.name}: {report['rows']} rows; created {report['created']}, updated "
                f"{report['updated']}, unchanged {report['unchanged']}; "
                f"{report['error_count']} error(s), {report['skipped_count']} skipped, "
                f"{report['mismatch_count']} percentage mismatch(es) (tolerance "
                f"{report['tolerance_pp']} pp)"
                + ("; dry run, nothing written" if report["dry_run"] else "")
            )
            if report["refused"]:
                self.stderr.write(f"  refused: {report['refused']}")
            for kind in ("errors", "skipped", "mismatches"):
                for entry in report[kind][:20]:
                    self.stdout.write(
                        f"  {kind[:-1] if kind != 'mismatches' else 'mismatch'}: "
                        f"{entry['sheet']} row {entry['row']} {entry['field']} "
                        f"{entry['value']!r}: {entry['message']}"
                    )
            if not report["imported"] and not report["dry_run"]:
                failed = True
        if failed:
            raise CommandError("Some file was not imported (see above).")
