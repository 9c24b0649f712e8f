"""Fuzz the importers of the official sources behind the indicators (enlace.indicators.importers:
UN DESA, UNHCR, Missing Migrants, KNOMAD, WDI) as dry runs. Each reports refusals (Refused, bad
CSV) and row errors in its Report; a crash is any exception out of import_source."""

from __future__ import annotations

import sys

import common


def main() -> None:
    common.setup_django()
    from enlace.indicators import importers
    from enlace.indicators.importers import base, missing_migrants, remittance_flows, undesa, unhcr

    names = sorted(importers.SOURCES)
    samples = {
        name: [
            common.csv_head(str((importers.DATA / f).relative_to(common.ROOT)), 15)
            for f in importers.SOURCES[name].files
        ]
        for name in names
    }
    tables = {name: [common.csv_table(s) for s in found] for name, found in samples.items()}

    def seeds() -> list[bytes]:
        return [
            bytes([0, i]) + sample for i, name in enumerate(names) for sample in samples[name]
        ] + [bytes([1, i]) + b"\x00" * 40 for i in range(len(names))]

    def test_one(data: bytes) -> None:
        import atheris

        if len(data) < 2:
            return
        name = names[data[1] % len(names)]
        if data[0] == common.RAW:
            raw = data[2:]
        else:
            fdp = atheris.FuzzedDataProvider(data[2:])
            cells = common.Cells(fdp)
            header, vocab = cells.pick(tables[name])
            raw = common.csv_bytes(cells, cells.grid(header, vocab, typed=False, max_rows=6))
            if fdp.ConsumeIntInRange(0, 7) == 0:
                import gzip

                raw = gzip.compress(raw, mtime=0)
        report = importers.import_source(name, raw, dry_run=True, file_name="fuzz.csv")
        assert not report.imported
        assert isinstance(report.summary(), str)

    if "--write-seeds" not in sys.argv:
        common.instrument(base, missing_migrants, remittance_flows, undesa, unhcr)
    common.main(test_one, seeds)


if __name__ == "__main__":
    main()
