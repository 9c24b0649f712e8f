"""What every importer of an official source shares: the report, the decoding of a file (plain
or gzip), and the all-or-nothing, idempotent write.

An importer reads the whole file first into (key, values) tuples, reporting each bad cell with
its row (as a spreadsheet numbers it: the header is row 1), column and a translated message.
A file with any error imports nothing, unless the caller asks for the valid rows. Then, in one
transaction, the rows are compared with the stored ones by key: new keys are inserted, changed
values updated, the rest left as they are (so a re-import of the same file changes nothing), all
with bulk statements in batches.
"""

import csv
import gzip
import hashlib
import io
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from ..models import SourceImport

BATCH = 5000
MAX_REPORTED = 500  # errors listed (all are counted)

Record = tuple[tuple[Any, ...], tuple[Any, ...]]
BAD: Any = object()  # what a cell reader returns for a cell it reported as an error


class Refused(Exception):
    """The file cannot be read as this source at all (wrong layout, not text)."""


@dataclass
class Report:
    source: str
    file_name: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    aggregates: int = 0  # rows about a regional aggregate or unspecified place (flagged)
    error_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    imported: bool = False
    refused: str = ""
    seconds: float = 0.0

    def error(self, row: int, column: str, value: Any, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(
                {"row": row, "column": column, "value": str(value)[:80], "message": str(message)}
            )

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        return _(
            "%(source)s: %(rows)s rows read, %(created)s added, %(updated)s changed, "
            "%(unchanged)s unchanged, %(errors)s errors (%(seconds).1f s)."
        ) % {
            "source": self.source,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.error_count,
            "seconds": self.seconds,
        }


def decode(raw: bytes | str) -> str:
    """The file's text: gunzipped when it is gzip, UTF-8 (a BOM dropped)."""
    if isinstance(raw, str):
        return raw.lstrip("\ufeff")
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise Refused(_("The gzip file is damaged.")) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused(_("The file is not UTF-8 text.")) from exc


def dict_rows(text: str, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, row) of a CSV with a header holding every `required` column."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise Refused(_("The file is empty."))
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise Refused(_("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)})
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        values = [c.strip() for c in cells]
        values += [""] * (len(header) - len(values))  # a short row: its missing cells are empty
        yield number, dict(zip(header, values, strict=False))


def whole(
    report: Report, row: int, column: str, text: str, *, blank: int | None = 0, signed: bool = False
) -> Any:
    """A count written as "12" or "12.0" (negative only when `signed`); `blank` for an empty
    cell; BAD (reported) if bad."""
    if text == "":
        if blank is None:
            return None
        return blank
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if value != value or abs(value) > 10**13 or value != int(value) or (value < 0 and not signed):
        report.error(row, column, text, _("Not a whole number (0 or more)."))
        return BAD
    return int(value)


def decimal(report: Report, row: int, column: str, text: str, places: int) -> Any:
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or abs(value) >= Decimal(10) ** 12:
        report.error(row, column, text, _("Not a number."))
        return BAD
    return value.quantize(Decimal(1).scaleb(-places))


def _alpha2_by_numeric() -> dict[int, tuple[str, str]]:
    return {int(c.numeric): (c.alpha_2, c.alpha_3) for c in pycountry.countries}


ALPHA2_BY_NUMERIC = _alpha2_by_numeric()
ALPHA2_BY_ALPHA3 = {c.alpha_3: c.alpha_2 for c in pycountry.countries}


def alpha2_of_alpha3(code: str) -> str:
    """ISO alpha-2 of an alpha-3 code; "" for a code that is no country (UNHCR "UKN", World Bank
    aggregates such as "LCN")."""
    return ALPHA2_BY_ALPHA3.get(code.upper(), "")


def sha256(raw: bytes | str) -> str:
    data = raw.encode() if isinstance(raw, str) else raw
    return hashlib.sha256(data).hexdigest()


def already_imported(source: str, raw: bytes) -> bool:
    return SourceImport.objects.filter(source=source, sha256=sha256(raw)).exists()


def _inserter(
    model: type[models.Model], fields: Sequence[str]
) -> Callable[[list[tuple[Any, ...]]], None]:
    """An INSERT of many rows at once (executemany: several times faster than bulk_create for
    hundreds of thousands of rows, which builds a model instance per row). Values go through
    each field's get_db_prep_value where they need it (dates, decimals)."""
    meta = model._meta
    concrete = {f.attname: f for f in meta.concrete_fields} | {
        f.name: f for f in meta.concrete_fields
    }
    columns = [str(concrete[f].column) for f in fields]
    qn = connection.ops.quote_name
    # Table and column names come from the model's meta, quoted; the values are parameters.
    names = ", ".join(qn(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {qn(meta.db_table)} ({names}) VALUES ({marks})"  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
    prep = [
        (i, concrete[f])
        for i, f in enumerate(fields)
        if isinstance(concrete[f], models.DateField | models.DecimalField)
    ]

    def insert(rows: list[tuple[Any, ...]]) -> None:
        if prep:
            rows = [list(r) for r in rows]  # type: ignore[misc]
            for r in rows:
                for i, f in prep:
                    r[i] = f.get_db_prep_value(r[i], connection)  # type: ignore[index]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    return insert


def write(
    model: type[models.Model],
    key_fields: Sequence[str],
    value_fields: Sequence[str],
    records: Iterable[Record],
    report: Report,
) -> None:
    """Insert the new keys, update the changed values, count the unchanged (one pass)."""
    existing: dict[tuple[Any, ...], tuple[int, tuple[Any, ...]]] = {}
    n = len(key_fields)
    for row in model._default_manager.values_list("pk", *key_fields, *value_fields).iterator(
        chunk_size=BATCH
    ):
        existing[tuple(row[1 : n + 1])] = (row[0], tuple(row[n + 1 :]))
    fields = (*key_fields, *value_fields)
    create: list[tuple[Any, ...]] = []
    update: list[models.Model] = []
    insert = _inserter(model, fields)

    def flush(final: bool = False) -> None:
        if create and (final or len(create) >= BATCH):
            insert(create)
            create.clear()
        if update and (final or len(update) >= BATCH):
            model._default_manager.bulk_update(update, list(value_fields), batch_size=1000)
            update.clear()

    for key, values in records:
        found = existing.get(key)
        if found is None:
            create.append(key + values)
            report.created += 1
            existing[key] = (0, values)  # a repeated key in the file is counted once
        elif found[1] != values:
            obj = model(pk=found[0], **dict(zip(fields, key + values, strict=True)))
            update.append(obj)
            report.updated += 1
        else:
            report.unchanged += 1
        flush()
    flush(final=True)


def run(
    source: str,
    raw: bytes | str,
    parse: Callable[[str, Report], list[Record]],
    store: Callable[[list[Record], Report], None],
    *,
    file_name: str = "",
    accept_valid_rows: bool = False,
    dry_run: bool = False,
) -> Report:
    """Read, check, and (unless there are errors or it is a dry run) store in one transaction."""
    started = time.perf_counter()
    report = Report(source, file_name=file_name)
    try:
        records = parse(decode(raw), report)
    except (Refused, csv.Error) as exc:
        report.refused = str(exc)
        report.seconds = time.perf_counter() - started
        return report
    if (report.error_count and not accept_valid_rows) or dry_run:
        report.seconds = time.perf_counter() - started
        return report
    with transaction.atomic():
        store(records, report)
        SourceImport.objects.create(
            source=source,
            file_name=file_name[:200],
            sha256=sha256(raw),
            rows=report.rows,
            created=report.created,
            updated=report.updated,
        )
    report.imported = True
    report.seconds = time.perf_counter() - started
    return report
