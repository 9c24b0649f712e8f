from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from enlace.linkage.cli import COLUMNS_HELP, dedupe_file


class Command(BaseCommand):
    help = (
        f"Find duplicates within one CSV file of people; writes id,cluster_id. The {COLUMNS_HELP}."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--input", required=True, type=Path)
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--model", type=Path, help="a saved model JSON (else trained here)")
        parser.add_argument("--threshold", type=float, default=0.5)
        parser.add_argument("--memory-limit", default="4GB")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["input"].is_file():
            raise CommandError(f"{opts['input']}: no such file")
        try:
            summary = dedupe_file(
                opts["input"],
                opts["out"],
                opts["model"],
                threshold=opts["threshold"],
                memory_limit=opts["memory_limit"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(summary))
