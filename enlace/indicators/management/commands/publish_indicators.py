"""Daily: publish the figures from Enlace's records that are due (enlace.indicators.releases):
each quarter once it is over, frozen from then on; the differentially private release of a year
once the year is over. Schedule it once a day (docs/operator.md), or enqueue
enlace.indicators.tasks.publish_indicators. Safe to run again: nothing published changes."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from enlace.indicators import releases


class Command(BaseCommand):
    help = (
        "Publish the protection figures that are due: each quarter once it is over (suppression), "
        "a year once it is over (dp). Published figures never change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="only this year (default: this and last)")
        parser.add_argument(
            "--method",
            choices=[m.value for m in releases.ProtectionRelease.Method],
            help="only this method (default: both)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = [options["year"]] if options["year"] else None
        methods = [options["method"]] if options["method"] else None
        for release in releases.publish_due(years=years, methods=methods):
            self.stdout.write(
                f"{release.year} {release.method}: published through Q{release.through}"
            )
