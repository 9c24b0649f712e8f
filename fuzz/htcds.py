"""Fuzz the HTCDS workbook import (enlace.trafficking.htcds_io.import_htcds) as a trafficking
focal point: the dry run on every input, and on one input in four the real import inside a
transaction that is then rolled back. import_htcds reports refusals and row errors in its
report; a crash is any exception out of it, and a dry run must leave the database unchanged."""

from __future__ import annotations

import sys
from typing import Any

import common

TEMPLATE = "enlace/trafficking/tests/data/htcds/htcds-spreadsheet-2.0.xlsx"


class Rollback(Exception):
    pass


def vocabulary(htcds_io: Any, columns: Any) -> dict[str, list[str]]:
    from enlace.trafficking import htcds

    out: dict[str, list[str]] = {}
    for column in columns:
        if column.kind in ("choice", "multi"):
            names = (
                list(htcds.BY_NAME[column.picklist].value_names)
                if column.picklist
                else list(column.choices)
            )
            if column.kind == "multi" and len(names) > 1:
                names.append(f"{names[0]}; {names[-1]}")
            out[column.name] = names
        elif column.kind in ("country", "countries"):
            out[column.name] = ["MX", "GT", "mx", "MX;GT", "XX", "SV, HN"]
        elif column.kind == "date":
            out[column.name] = ["2024-01-31", "31/01/2024", "2024-02-30", "0001-01-01"]
        elif column.kind == "bool":
            out[column.name] = ["TRUE", "no", "sí", "x"]
        elif column.kind in ("int", "decimal"):
            out[column.name] = ["0", "3", "100001", "-1", "2.5", "1e3"]
        elif column.kind == "gender":
            out[column.name] = list(htcds.GENDER_TO_SEX)
        elif column.kind == "id":
            out[column.name] = ["00000000-0000-0000-0000-000000000000", "not-a-uuid"]
        elif column.name == htcds_io.KEY:
            out[column.name] = ["C-1", "C-2", "c-1", ""]
    return out


def main() -> None:
    common.setup_django()
    from django.db import connection, transaction

    from enlace.accounts.actor import actor_for
    from enlace.accounts.models import Role
    from enlace.accounts.testing import build_network
    from enlace.trafficking import htcds_io
    from enlace.trafficking.models import TraffickingCase

    actor = actor_for(build_network().user(Role.TRAFFICKING_FOCAL_POINT))
    labels = htcds_io._known_labels()
    htcds_io._known_labels = lambda: labels  # a per-file constant (four catalogues), kept once
    sheets = {htcds_io.MAIN_SHEET: htcds_io.MAIN_COLUMNS, **htcds_io.SHEETS}
    vocab = {title: vocabulary(htcds_io, cols) for title, cols in sheets.items()}
    headers = {title: [c.name for c in cols] for title, cols in sheets.items()}

    def seeds() -> list[bytes]:
        raw = (common.ROOT / TEMPLATE).read_bytes()
        return [b"\x00" + raw, b"\x01" + bytes(range(256)), b"\x02" * 64]

    def build(data: bytes) -> tuple[bytes, int]:
        import atheris

        if not data or data[0] == common.RAW:
            return data[1:], 0
        fdp = atheris.FuzzedDataProvider(data[1:])
        cells = common.Cells(fdp)
        flags = fdp.ConsumeIntInRange(0, 7)
        built: list[tuple[str, list[list[Any]]]] = []
        titles = list(sheets)
        for _ in range(fdp.ConsumeIntInRange(1, 3)):
            title = cells.pick(titles) if fdp.ConsumeIntInRange(0, 9) else cells.text([])
            if any(t == title for t, _rows in built):
                continue
            header = headers.get(title, headers[htcds_io.MAIN_SHEET])
            # Most sheets carry a few of their columns (the key first), not all sixty.
            chosen = [h for h in header if fdp.ConsumeIntInRange(0, 3) == 0]
            key = [htcds_io.KEY] if htcds_io.KEY in header and fdp.ConsumeBool() else []
            rows = cells.grid(key + chosen, vocab.get(title, {}), typed=True, max_rows=4)
            if fdp.ConsumeIntInRange(0, 3) == 0:  # the template's label row
                rows.insert(1, [str(c) for c in rows[0]])
            built.append((title[:31] or "Sheet1", rows))
        return common.xlsx_bytes(built), flags

    def test_one(data: bytes) -> None:
        raw, flags = build(data)
        before = common.row_counts(TraffickingCase)
        report = htcds_io.import_htcds(actor, raw, dry_run=True, accept_valid_rows=bool(flags & 1))
        assert isinstance(report["errors"], list)
        assert not report["imported"]
        assert common.row_counts(TraffickingCase) == before
        if flags & 6 == 6:  # the real import, rolled back
            try:
                with transaction.atomic():
                    htcds_io.import_htcds(
                        actor, raw, dry_run=False, accept_valid_rows=bool(flags & 1)
                    )
                    raise Rollback
            except Rollback:
                pass
            connection.run_on_commit = []

    if "--write-seeds" not in sys.argv:
        common.instrument(htcds_io)
    common.main(test_one, seeds)


if __name__ == "__main__":
    main()
