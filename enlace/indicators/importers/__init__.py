"""Importers of the official sources, one module each (see base.py for what they share).

SOURCES maps each source to its importer and its vendored file(s) under
enlace/indicators/data/ (each folder with its SOURCE.md). `import_source` imports one file;
`load_vendored` imports every vendored file whose digest is not imported yet (the demo loader
and `manage.py indicators_import` without a file).
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..models import (
    KNOMAD,
    MISSING_MIGRANTS,
    UNDESA,
    UNHCR_DEMOGRAPHICS,
    UNHCR_POPULATION,
    UNHCR_SOLUTIONS,
    WDI_PAID,
)
from . import missing_migrants, remittance_flows, undesa, unhcr
from .base import Report, already_imported

DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class SourceFiles:
    name: str
    importer: Callable[..., Report]
    files: tuple[str, ...]  # relative to DATA


SOURCES: dict[str, SourceFiles] = {
    s.name: s
    for s in (
        SourceFiles(
            UNDESA, undesa.import_file, ("undesa/ims2020_by_sex_destination_origin.csv.gz",)
        ),
        SourceFiles(
            UNHCR_POPULATION,
            unhcr.import_population,
            ("unhcr/unhcr_end_year_population_totals.csv.gz",),
        ),
        SourceFiles(
            UNHCR_DEMOGRAPHICS, unhcr.import_demographics, ("unhcr/unhcr_demographics.csv.gz",)
        ),
        SourceFiles(UNHCR_SOLUTIONS, unhcr.import_solutions, ("unhcr/unhcr_solutions.csv",)),
        SourceFiles(
            MISSING_MIGRANTS,
            missing_migrants.import_file,
            (
                "missing_migrants/missing_migrants_global_2014-2019_old_schema.csv",
                "missing_migrants/missing_migrants_global_2026Q1_current_schema.csv",
            ),
        ),
        SourceFiles(
            KNOMAD,
            remittance_flows.import_knomad,
            ("remittance_flows/knomad_bilateral_remittances_2017_long.csv",),
        ),
        SourceFiles(
            WDI_PAID,
            remittance_flows.import_wdi_paid,
            ("remittance_flows/wdi_personal_remittances_paid.csv",),
        ),
    )
}


def import_source(source: str, raw: bytes | str, **options: Any) -> Report:
    return SOURCES[source].importer(raw, **options)


def load_vendored(sources: list[str] | None = None, *, skip_loaded: bool = True) -> list[Report]:
    """Import the vendored files (all sources, or those named); a file whose digest was
    imported before is skipped when `skip_loaded` (its rows are there already)."""
    reports = []
    for name in sources or list(SOURCES):
        for relative in SOURCES[name].files:
            raw = (DATA / relative).read_bytes()
            if skip_loaded and already_imported(name, raw):
                continue
            reports.append(import_source(name, raw, file_name=Path(relative).name))
    return reports
