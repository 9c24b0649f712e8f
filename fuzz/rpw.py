"""Fuzz the World Bank RPW imports (enlace.remittances.importers): the provider-level dataset
as CSV or .xlsx and the DataBank corridor series CSV, as dry runs (the provider import writes
its quotes and rolls them back). Both report refusals and row errors in their Report; a crash
is any exception out of them, and a dry run must leave the database unchanged."""

from __future__ import annotations

import sys

import common

PROVIDERS = "enlace/remittances/tests/data/rpw_providers_from_2016Q2.csv"
CORRIDORS = "enlace/remittances/data/rpw/rpw_corridors_2011Q1-2020Q3.csv"


def main() -> None:
    common.setup_django()
    from enlace.remittances import importers
    from enlace.remittances.models import CorridorQuarter, Quote

    providers = common.csv_head(PROVIDERS, 12)
    corridors = common.csv_head(CORRIDORS, 12)
    tables = [common.csv_table(providers), common.csv_table(corridors)]

    def seeds() -> list[bytes]:
        return [b"\x00" + providers, b"\x00" + corridors, b"\x01" * 40, b"\x02" * 40]

    def build(data: bytes) -> tuple[bytes, int]:
        import atheris

        if not data or data[0] == common.RAW:
            return data[1:], data[0] if data else 0
        fdp = atheris.FuzzedDataProvider(data[1:])
        cells = common.Cells(fdp)
        which = fdp.ConsumeIntInRange(0, 2)
        header, vocab = tables[1 if which == 2 else 0]
        rows = cells.grid(header, vocab, typed=which == 1, max_rows=6)
        if which == 1:
            return common.xlsx_bytes([(cells.text([]) or "Dataset", rows)]), which
        return common.csv_bytes(cells, rows), which

    def test_one(data: bytes) -> None:
        raw, which = build(data)
        before = common.row_counts(Quote, CorridorQuarter)
        accept = bool(len(data) % 2)
        if which == 2 or (which == 0 and b"[YR" in raw[:2000]):
            report = importers.import_corridor_series(raw, dry_run=True, accept_valid_rows=accept)
        else:
            report = importers.import_provider_quotes(raw, dry_run=True, accept_valid_rows=accept)
        assert not report.imported
        assert isinstance(report.as_dict(), dict)
        assert common.row_counts(Quote, CorridorQuarter) == before

    if "--write-seeds" not in sys.argv:
        common.instrument(importers)
    common.main(test_one, seeds)


if __name__ == "__main__":
    main()
