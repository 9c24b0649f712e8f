from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from enlace.linkage.cli import COLUMNS_HELP, link_files


class Command(BaseCommand):
    help = (
        "Link two CSV files of people; writes left_id,right_id,match_probability,match_weight "
        f"(10 best per left record). The {COLUMNS_HELP}."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--left", required=True, type=Path)
        parser.add_argument("--right", required=True, type=Path)
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--model", type=Path, help="a saved model JSON (else trained here)")
        parser.add_argument("--save-model", type=Path, help="write the trained model here")
        parser.add_argument("--memory-limit", default="4GB")
        parser.add_argument(
            "--pairwise",
            action="store_true",
            help="each pair's own probability (default: a left record's candidates share it, "
            "as at most one of them is the person sought)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        for key in ("left", "right"):
            if not opts[key].is_file():
                raise CommandError(f"{opts[key]}: no such file")
        try:
            summary = link_files(
                opts["left"],
                opts["right"],
                opts["out"],
                opts["model"],
                memory_limit=opts["memory_limit"],
                save_model=opts["save_model"],
                pairwise=opts["pairwise"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(summary))
