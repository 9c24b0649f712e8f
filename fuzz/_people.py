"""The people register import (enlace.people.imports): reading the file, checking every row as
the person form and services do, and the within-file duplicate check. A crash is any exception
other than ImportRefused (the importer's refusal, shown to the user)."""

from __future__ import annotations

import io
from typing import Any

import common

SAMPLE = [
    ["María José", "López", "Quispe", "F", "1990-07-14", "GT", "(213) 555-0143"],
    ["Juan", "Pérez", "", "hombre", "14/02/1985", "MX, GT", ""],
    ["Ana", "Lopez", "Quispe", "mujer", "1990", "gt", "+52 55 1234 5678"],
]
VOCAB = {
    "sex": ["F", "M", "X", "U", "mujer", "hombre", "otro", "?"],
    "birth_date": ["1990-07-14", "14/02/1985", "1990", "1990-07", "2999-01-01", "00/00/0000"],
    "nationalities": ["MX", "GT", "MX, GT", "mx;gt/sv", "XX", "MEX"],
    "phone": ["(213) 555-0143", "+52 55 1234 5678", "0", "+999"],
    "email": ["a@b.org", "not-an-email", "@"],
    "given_names": ["María José", "Juan", "Ana", " "],
    "first_surname": ["López", "Pérez", "Lopez"],
}


def setup(fmt: str) -> Any:
    common.setup_django()
    from enlace.accounts.actor import actor_for
    from enlace.accounts.models import Role
    from enlace.accounts.testing import build_network
    from enlace.people import imports

    officer = actor_for(build_network().user(Role.OFFICER))
    # Per-file constants, rebuilt by each import (a few ms each): kept once here so the inputs
    # per second go to the per-row code.
    aliases = imports.header_aliases()
    imports.header_aliases = lambda: aliases
    scorer = imports.active_scorer()
    imports.active_scorer = lambda: scorer
    language_headers = []
    from django.utils.translation import override

    for language in imports.LANGUAGES:
        with override(language):
            language_headers.append(imports.headers())
    return officer, imports, language_headers


def harness(fmt: str) -> None:
    officer = imports = None
    headers: list[list[str]] = []

    def seeds() -> list[bytes]:
        from openpyxl import Workbook

        with_header = [headers[1], *[r + [""] * (len(headers[1]) - len(r)) for r in SAMPLE]]
        if fmt == "csv":
            template = imports.template_file("csv")[0]
            body = io.StringIO()
            import csv

            csv.writer(body).writerows(with_header)
            return [b"\x00" + template, b"\x00" + body.getvalue().encode("utf-8")]
        book = Workbook()
        for row in with_header:
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        return [b"\x00" + imports.template_file("xlsx")[0], b"\x00" + out.getvalue()]

    def build(data: bytes) -> bytes:
        import atheris

        if not data or data[0] == common.RAW:
            return data[1:]
        cells = common.Cells(atheris.FuzzedDataProvider(data[1:]))
        header = cells.pick(headers)
        from enlace.people.imports import COLUMNS

        vocab = {label: VOCAB.get(field, []) for label, field in zip(header, COLUMNS, strict=False)}
        rows = cells.grid(header, vocab, typed=fmt == "xlsx", max_rows=5)
        if fmt == "csv":
            return common.csv_bytes(cells, rows)
        return common.xlsx_bytes([(cells.text([]) or "People", rows)])

    def test_one(data: bytes) -> None:
        raw = build(data)
        try:
            rows, ignored = imports.read_rows(raw, fmt)
        except imports.ImportRefused as exc:
            assert str(exc)
            return
        assert all(isinstance(i, str) for i in ignored)
        valid = {}
        for number, values in rows:
            checked, messages = imports.check_row(officer, values)
            assert all(len(m) == 2 and all(isinstance(t, str) for t in m) for m in messages)
            if not messages:
                valid[number] = checked
        found = imports._within_file(valid)
        assert set(found) <= set(valid)

    officer, imports, headers = setup(fmt)
    if "--write-seeds" not in __import__("sys").argv:
        import enlace.linkage.normalize as normalize

        common.instrument(imports, normalize)
    common.main(test_one, seeds)
