"""What the importer fuzzers share: Django on an in-memory SQLite database (migrated once per
process), the seed corpus taken from the repository's real sample files, and builders that turn
the fuzzer's bytes into CSV text or an .xlsx workbook shaped like the importer's input.

Each harness reads its first byte as a mode: 0 hands the rest of the input to the importer as
the file itself (any bytes: encodings, broken zips); any other value builds a file from the
rest (a known header, cells drawn from the sample files' values, random text, numbers, dates,
formulas), so that most inputs get past the header checks and reach the per-row code.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import sys
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
RAW = 0  # the mode byte that hands the input over unchanged


def setup_django() -> None:
    """Django with the test settings on a private in-memory SQLite database, migrated."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import translation

    call_command("migrate", verbosity=0, interactive=False)
    translation.activate("en")


def instrument(*modules: Any) -> None:
    """Coverage feedback from the importer's own code only (instrumenting all of Django and
    openpyxl would make every input several times slower)."""
    import atheris

    for module in modules:
        for value in list(vars(module).values()):
            targets = [value]
            if isinstance(value, type) and value.__module__ == module.__name__:
                targets = [v for v in vars(value).values() if callable(v)]
            for fn in targets:
                code = getattr(fn, "__code__", None)
                if code is not None and getattr(fn, "__module__", None) == module.__name__:
                    atheris.instrument_func(fn)


# ---------------------------------------------------------------- seeds from the repository


def csv_head(relative: str, lines: int = 25) -> bytes:
    """The first lines of a sample CSV (gzipped or not) of the repository."""
    raw = (ROOT / relative).read_bytes()
    if relative.endswith(".gz"):
        raw = gzip.decompress(raw)
    return b"".join(raw.splitlines(keepends=True)[:lines])


def csv_table(raw: bytes) -> tuple[list[str], dict[str, list[str]]]:
    """A sample's header and the distinct values of each column (the fuzzer's vocabulary)."""
    text = raw.decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0] if rows else []
    vocab: dict[str, list[str]] = {h: [] for h in header}
    for row in rows[1:]:
        for h, v in zip(header, row, strict=False):
            if v and v not in vocab[h] and len(vocab[h]) < 40:
                vocab[h].append(v)
    return header, vocab


def write_seeds(folder: Path, seeds: Iterable[bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(seeds):
        (folder / f"seed-{i:03d}").write_bytes(seed)


# ---------------------------------------------------------------- files built from fuzz bytes

_TRICKY = [
    "",
    " ",
    "=1+1",
    '=HYPERLINK("http://x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    "'=1",
    "_x0000_",
    "_x005F_x0041_",
    "NaN",
    "inf",
    "-0",
    "1e999",
    "9" * 30,
    "0.5",
    "1,5",
    "2024-02-30",
    "31/12/1999",
    "1999-12-31",
    "TRUE",
    "FALSE",
    "MX",
    "mx; gt",
    "XX",
    "<script>alert(1)</script>",
    "\u202e\u0000\ufeff",
    "𝕏" * 3,
    "a" * 300,
    "\r\n",
    '"',
    ";",
]


class Cells:
    """Draws cells from a FuzzedDataProvider."""

    def __init__(self, fdp: Any) -> None:
        self.fdp = fdp

    def pick(self, options: list[Any]) -> Any:
        return options[self.fdp.ConsumeIntInRange(0, len(options) - 1)] if options else ""

    def text(self, vocab: list[str]) -> str:
        kind = self.fdp.ConsumeIntInRange(0, 5)
        if kind <= 2 and vocab:
            return str(self.pick(vocab))
        if kind == 3:
            return str(self.pick(_TRICKY))
        return self.fdp.ConsumeUnicodeNoSurrogates(self.fdp.ConsumeIntInRange(0, 40))

    def value(self, vocab: list[str]) -> Any:
        """A typed cell for a workbook: text, number, bool, date serial or formula."""
        kind = self.fdp.ConsumeIntInRange(0, 9)
        if kind <= 5:
            return self.text(vocab)
        if kind == 6:
            return self.fdp.ConsumeRegularFloat()
        if kind == 7:
            return self.fdp.ConsumeBool()
        if kind == 8:
            return ("int", self.fdp.ConsumeIntInRange(-10_000, 10**12))
        return ("formula", self.text(vocab))

    def grid(
        self, header: list[str], vocab: dict[str, list[str]], typed: bool, max_rows: int = 8
    ) -> list[list[Any]]:
        columns = list(header)
        if columns and self.fdp.ConsumeIntInRange(0, 7) == 0:  # a column dropped, doubled, moved
            i = self.fdp.ConsumeIntInRange(0, len(columns) - 1)
            j = self.fdp.ConsumeIntInRange(0, len(columns) - 1)
            action = self.fdp.ConsumeIntInRange(0, 2)
            if action == 0:
                columns.pop(i)
            elif action == 1:
                columns.insert(j, columns[i])
            else:
                columns[i], columns[j] = columns[j], columns[i]
        if self.fdp.ConsumeIntInRange(0, 7) == 0:
            columns.append(self.text([]))
        rows: list[list[Any]] = [list(columns)]
        for _ in range(self.fdp.ConsumeIntInRange(0, max_rows)):
            draw = self.value if typed else self.text
            rows.append([draw(vocab.get(c, [])) for c in columns])
        return rows


def csv_bytes(cells: Cells, rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    delimiter = cells.pick([",", ";", "\t", "|"])
    csv.writer(out, delimiter=delimiter, lineterminator=cells.pick(["\r\n", "\n"])).writerows(rows)
    text = out.getvalue()
    encoding = cells.pick(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"])
    return text.encode(encoding, errors="replace")


def _cell_xml(ref: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, tuple) and value[0] == "int":
        return f'<c r="{ref}"><v>{value[1]}</v></c>'
    if isinstance(value, tuple):  # a formula
        return f'<c r="{ref}"><f>{_xml_text(value[1])}</f></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_xml_text(value)}</t></is></c>'


def _xml_text(text: str) -> str:
    from enlace.core.text import xlsx_escape

    return escape(xlsx_escape(str(text)))


def _column(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def xlsx_bytes(sheets: list[tuple[str, list[list[Any]]]]) -> bytes:
    """A minimal .xlsx (inline strings, no styles) written directly: openpyxl's writer would
    cost more than the import under test."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        entries = "".join(
            f'<sheet name="{escape(title, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
            for i, (title, _rows) in enumerate(sheets, start=1)
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats'
            '.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships"><sheets>{entries}</sheets></workbook>',
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        for i, (_title, rows) in enumerate(sheets, start=1):
            body = "".join(
                f'<row r="{r}">'
                + "".join(_cell_xml(f"{_column(c)}{r}", v) for c, v in enumerate(row))
                + "</row>"
                for r, row in enumerate(rows, start=1)
            )
            z.writestr(
                f"xl/worksheets/sheet{i}.xml",
                '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                'openxmlformats.org/spreadsheetml/2006/main">'
                f"<sheetData>{body}</sheetData></worksheet>",
            )
    return buffer.getvalue()


def row_counts(*models: Any) -> tuple[int, ...]:
    """The number of rows of each model's table, in one plain query: what a dry run must leave
    unchanged (the ORM's count() compiled a query per table per input, a fifth of the rpw
    harness's time)."""
    from django.db import connection

    if not models:
        return ()
    quote = connection.ops.quote_name
    table = "(SELECT COUNT(*) FROM {})"  # model tables only, never input
    counts = [table.format(quote(m._meta.db_table)) for m in models]
    sql = "SELECT " + ", ".join(counts)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


class InputHang(Exception):
    """One input used more than FUZZ_CPU_TIMEOUT seconds of CPU time."""


def cpu_limited(test_one: Callable[[bytes], None], seconds: float) -> Callable[[bytes], None]:
    """test_one with a per-input limit on the process's CPU time (ITIMER_PROF): libFuzzer's own
    -timeout counts wall-clock time, which on a shared machine at `nice 19` also counts the
    time other processes had the CPU and so reports slow-but-finite inputs as hangs. An input
    that spins past the limit raises InputHang from wherever it is, which libFuzzer records as
    a crash with that traceback and the input (run.py counts it as a hang). Code stuck inside
    one C call never sees the signal: libFuzzer's wall-clock -timeout still catches that."""
    import signal

    if seconds <= 0 or not hasattr(signal, "setitimer"):
        return test_one

    def expired(signum: int, frame: Any) -> None:
        raise InputHang(f"more than {seconds:g} s of CPU time on one input")

    signal.signal(signal.SIGPROF, expired)

    def limited(data: bytes) -> None:
        signal.setitimer(signal.ITIMER_PROF, seconds)
        try:
            test_one(data)
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)

    return limited


def main(test_one: Callable[[bytes], None], seeds: Callable[[], Iterable[bytes]]) -> None:
    """Run under atheris; `--write-seeds DIR` writes the seed corpus instead, and so does the
    environment's FUZZ_SEED_DIR before fuzzing (make fuzz passes it as a corpus folder).
    FUZZ_CPU_TIMEOUT (seconds, default 10; 0 turns it off) bounds each input's CPU time."""
    if len(sys.argv) == 3 and sys.argv[1] == "--write-seeds":
        write_seeds(Path(sys.argv[2]), seeds())
        return
    if os.environ.get("FUZZ_SEED_DIR"):
        write_seeds(Path(os.environ["FUZZ_SEED_DIR"]), seeds())
    import atheris

    limit = float(os.environ.get("FUZZ_CPU_TIMEOUT", "10"))
    atheris.Setup(sys.argv, cpu_limited(test_one, limit))
    atheris.Fuzz()
