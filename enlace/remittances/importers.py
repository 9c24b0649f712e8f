"""Imports of the World Bank's Remittance Prices Worldwide (RPW) data.

1. The corridor series as DataBank exports it ("Remittance Prices Worldwide (Corridors)",
   CSV): a UTF-8 BOM, one row per sending × series × receiving country with alpha-3 codes, one
   column per quarter ("2011Q1 [YR2011Q1]"), ".." for a missing figure, and 5 footer lines
   (blank lines, "Data from database: …", "Last Updated: …"). Codes that are not an ISO 3166
   country today (regional aggregates, the Netherlands Antilles "ANT", Kosovo "KSV") are
   skipped and reported. Each figure becomes a CorridorQuarter.
2. The provider-level RPW dataset (the workbook's "Dataset (up to Q1 2016)" and "Dataset (from
   Q2 2016)" sheets, or one of them saved as CSV): one row per firm × product × corridor ×
   quarter with the quote at USD 200 (cc1 …) and USD 500 (cc2 …). Each row becomes up to two
   Quotes (and their Provider and Corridor when new). The file's own `cc1 fx margin` and
   `cc1 total cost %` are compared with the ones recomputed by enlace.remittances.formulas;
   differences above MISMATCH_TOLERANCE_PP are reported (and the file's figures kept beside
   the quote), never silently used.

Both are idempotent (a re-import gives the same rows, with the values of the file: a
CorridorQuarter is keyed by corridor × series × quarter, a Quote by provider × corridor ×
collection date × USD band × product) and all-or-nothing: a file with any row in error imports
nothing and says which rows, unless `accept_valid_rows` is given (then the valid rows are
imported and the others reported). Row numbers are those a spreadsheet shows (header = 1).
"""

import csv
import datetime as dt
import io
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import pycountry
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from enlace.accounts.actor import Actor
from enlace.audit.models import ChangeEvent
from enlace.core.models import Country, Currency

from . import formulas, regions
from .models import (
    ATTRIBUTION,
    Corridor,
    CorridorQuarter,
    FundingMethod,
    PickupMethod,
    Provider,
    ProviderKind,
    Quote,
    QuoteSource,
    Speed,
)
from .services import QUOTE_FIELDS
from .services import provider_name_key as _provider_name_key

# The file's percentages are rounded (RPW publishes them to two decimals at most); a recomputed
# figure that differs by more than this many percentage points is reported as a mismatch.
MISMATCH_TOLERANCE_PP = Decimal("0.01")
MAX_REPORTED = 1000  # errors, skipped rows and mismatches listed (all are counted)
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug)
AMOUNT_POSITIVE = _lazy("The amount sent must be more than zero.")
FEE_NOT_NEGATIVE = _lazy("The fee cannot be negative (or is missing).")
RATE_POSITIVE = _lazy("An exchange rate must be more than zero.")


provider_name_key = lru_cache(maxsize=65536)(_provider_name_key)


class ImportRefused(Exception):
    """The file cannot be read at all (not a CSV/workbook of the expected layout)."""


@dataclass
class Report:
    """What an import found and did. `errors`, `skipped` and `mismatches` hold dicts with the
    sheet, row, field, value and message (in the reader's language)."""

    kind: str
    dry_run: bool = False
    accept_valid_rows: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    mismatches: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    imported: bool = False
    refused: str = ""
    source: str = ""

    def _add(self, bucket: list[dict[str, Any]], key: str, entry: dict[str, Any]) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1
        if len(bucket) < MAX_REPORTED:
            bucket.append(entry)

    def error(self, sheet: str, row: int, name: str, value: Any, message: Any) -> None:
        self._add(self.errors, "errors", _entry(sheet, row, name, value, message))

    def skip(self, sheet: str, row: int, name: str, value: Any, message: Any) -> None:
        self._add(self.skipped, "skipped", _entry(sheet, row, name, value, message))

    def mismatch(self, sheet: str, row: int, name: str, value: Any, recomputed: Any) -> None:
        entry = _entry(sheet, row, name, value, "")
        entry["recomputed"] = str(formulas.display(recomputed))
        entry["message"] = _(
            "The file says %(file)s, the World Bank formula gives %(ours)s (more than "
            "%(tol)s percentage points apart)."
        ) % {"file": entry["value"], "ours": entry["recomputed"], "tol": MISMATCH_TOLERANCE_PP}
        self._add(self.mismatches, "mismatches", entry)

    @property
    def error_count(self) -> int:
        return self.counts.get("errors", 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "accept_valid_rows": self.accept_valid_rows,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_count": self.error_count,
            "skipped_count": self.counts.get("skipped", 0),
            "mismatch_count": self.counts.get("mismatches", 0),
            "errors": self.errors,
            "skipped": self.skipped,
            "mismatches": self.mismatches,
            "imported": self.imported,
            "refused": self.refused,
            "source": self.source,
            "tolerance_pp": str(MISMATCH_TOLERANCE_PP),
        }


def _entry(sheet: str, row: int, name: str, value: Any, message: Any) -> dict[str, Any]:
    text = "" if value is None else str(value)
    return {
        "sheet": sheet,
        "row": row,
        "field": name,
        "value": text[:100],
        "message": str(message),
    }


class _Rollback(Exception):
    pass


def _audit(actor: Actor | None, report: Report, file_name: str) -> None:
    """One line in the change history per import: who imported which file, with its counts."""
    ChangeEvent.objects.create(
        actor=actor.user if actor else None,
        actor_office=actor.office if actor else None,
        record_type=f"remittances.{report.kind}",
        record_id=str(uuid.uuid4()),
        owner_office=None,
        action="import",
        changes={
            "file": [file_name],
            "created": [report.created],
            "updated": [report.updated],
            "unchanged": [report.unchanged],
        },
    )


def _decode(raw: bytes | str) -> str:
    if isinstance(raw, str):
        return raw.lstrip("\ufeff")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(_("The file is not text (UTF-8 or Windows-1252)."))


@lru_cache(maxsize=4096)
def _alpha2(code: Any) -> str | None:
    """An ISO 3166-1 country from an alpha-3 (or alpha-2) code; None for anything else."""
    text = str(code or "").strip().upper()
    if len(text) == 2 and pycountry.countries.get(alpha_2=text):
        return text
    if len(text) == 3:
        country = pycountry.countries.get(alpha_3=text)
        if country is not None:
            return str(country.alpha_2)
    return None


# ----------------------------------------------------------------- 1. DataBank corridor series

_QUARTER_HEADER = re.compile(r"^\s*(\d{4})\s*Q([1-4])\b")
MISSING = ("..", "")


def _databank_columns(header: list[str]) -> tuple[dict[str, int], list[tuple[int, str]]]:
    names = {
        re.sub(r"\s+", " ", h.strip().lstrip("\ufeff")).lower(): i for i, h in enumerate(header)
    }
    wanted = {
        "sending": "sending countries code",
        "series": "series code",
        "receiving": "receiving countries code",
    }
    found = {}
    for key, name in wanted.items():
        if name not in names:
            raise ImportRefused(
                _("This is not a DataBank corridor export: the column “%(name)s” is missing.")
                % {"name": name}
            )
        found[key] = names[name]
    quarters = []
    for i, h in enumerate(header):
        m = _QUARTER_HEADER.match(h)
        if m:
            quarters.append((i, f"{m.group(1)}Q{m.group(2)}"))
    if not quarters:
        raise ImportRefused(_("This DataBank export has no quarter columns (e.g. 2011Q1)."))
    return found, quarters


def import_corridor_series(
    raw: bytes | str,
    *,
    actor: Actor | None = None,
    file_name: str = "",
    dry_run: bool = False,
    accept_valid_rows: bool = False,
) -> Report:
    """Import a DataBank "Remittance Prices Worldwide (Corridors)" CSV export."""
    report = Report("corridor_series", dry_run=dry_run, accept_valid_rows=accept_valid_rows)
    try:
        rows = list(_csv_reader(_decode(raw)))
        if not rows:
            raise ImportRefused(_("The file is empty."))
        columns, quarters = _databank_columns(rows[0])
    except (ImportRefused, csv.Error) as exc:
        report.refused = str(exc)
        return report
    sheet = file_name or "CSV"
    last_updated = ""
    figures: dict[tuple[str, str, str, str], Decimal] = {}
    width = max(columns.values())
    for number, row in enumerate(rows[1:], start=2):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue  # the blank footer lines
        first = cells[0]
        if first.startswith(("Data from database", "Last Updated")) and not any(cells[1:]):
            if first.startswith("Last Updated"):
                last_updated = first.split(":", 1)[-1].strip()
            continue
        report.rows += 1
        if len(cells) <= width:
            report.error(sheet, number, "", ",".join(cells)[:60], _("The row is too short."))
            continue
        series = cells[columns["series"]]
        values: list[tuple[str, Decimal]] = []
        bad = False
        for index, quarter in quarters:
            text = cells[index] if index < len(cells) else ""
            if text in MISSING:
                continue
            try:
                value = Decimal(text)
            except InvalidOperation:
                value = Decimal("NaN")
            if not value.is_finite() or abs(value) >= 10**6:
                report.error(sheet, number, quarter, text, _("Not a number (or '..')."))
                bad = True
                continue
            values.append((quarter, value))
        if bad:
            continue
        if not values:
            report.counts["empty_rows"] = report.counts.get("empty_rows", 0) + 1
            continue
        codes = []
        for key in ("sending", "receiving"):
            code = _alpha2(cells[columns[key]])
            if code is None:
                report.skip(
                    sheet,
                    number,
                    key,
                    cells[columns[key]],
                    _(
                        "Not a country in ISO 3166-1 today (a regional aggregate or a former "
                        "code): row skipped."
                    ),
                )
                break
            codes.append(code)
        if len(codes) < 2:
            continue
        if codes[0] == codes[1]:
            report.skip(sheet, number, "receiving", cells[columns["receiving"]], _("Same country."))
            continue
        if not series:
            report.error(sheet, number, "series", "", _("The series code is missing."))
            continue
        for quarter, value in values:
            figures[(codes[0], codes[1], series, quarter)] = value
    report.source = (
        f"World Bank DataBank, Remittance Prices Worldwide (Corridors)"
        f"{', last updated ' + last_updated if last_updated else ''}. {ATTRIBUTION}"
    )
    if report.error_count and not accept_valid_rows:
        return report
    countries = set(Country.objects.values_list("code", flat=True))
    missing = {c for key in figures for c in key[:2] if c not in countries}
    if missing:
        report.refused = _("Countries missing from the reference data: %(codes)s.") % {
            "codes": ", ".join(sorted(missing))
        }
        return report
    try:
        with transaction.atomic():
            _write_series(figures, report)
            if dry_run:
                raise _Rollback
            _audit(actor, report, file_name)
    except _Rollback:
        return report
    report.imported = True
    return report


def _corridor_ids(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    pairs = set(pairs)
    Corridor.objects.bulk_create(
        [Corridor(sending_id=s, receiving_id=r) for s, r in pairs], ignore_conflicts=True
    )
    found: dict[tuple[str, str], int] = {}
    sendings = {s for s, _r in pairs}
    for pk, s, r in Corridor.objects.filter(sending_id__in=sendings).values_list(
        "pk", "sending_id", "receiving_id"
    ):
        if (s, r) in pairs:
            found[(s, r)] = pk
    return found


def _write_series(figures: dict[tuple[str, str, str, str], Decimal], report: Report) -> None:
    corridors = _corridor_ids((s, r) for s, r, _series, _q in figures)
    existing = {
        (cid, series, quarter): value
        for cid, series, quarter, value in CorridorQuarter.objects.filter(
            corridor_id__in=set(corridors.values())
        ).values_list("corridor_id", "series_code", "quarter", "average_total_cost_pct")
    }
    objs = []
    now = timezone.now()
    for (s, r, series, quarter), value in figures.items():
        key = (corridors[(s, r)], series, quarter)
        old = existing.get(key)
        if old is None:
            report.created += 1
        elif old.quantize(Decimal("0.000001")) == value.quantize(Decimal("0.000001")):
            report.unchanged += 1
            continue
        else:
            report.updated += 1
        objs.append(
            CorridorQuarter(
                corridor_id=key[0],
                series_code=series,
                quarter=quarter,
                average_total_cost_pct=value.quantize(Decimal("0.000001")),
                source=report.source[:300],
                imported=now,
            )
        )
    CorridorQuarter.objects.bulk_create(
        objs,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["corridor", "series_code", "quarter"],
        update_fields=["average_total_cost_pct", "source", "imported"],
    )


# ----------------------------------------------------------------- 2. provider-level RPW


def _key(name: Any) -> str:
    return re.sub(r"[^a-z0-9%]", "", str(name or "").lower())


# compact column key → our name
PROVIDER_COLUMNS = {
    "id": "id",
    "period": "period",
    "date": "date",
    "sourcecode": "source_code",
    "destinationcode": "destination_code",
    "firm": "firm",
    "firmtype": "firm_type",
    "speedactual": "speed",
    "product": "product",
    "paymentinstrument": "payment_instrument",
    "accesspoint": "access_point",
    "pickupmethod": "pickup_method",
    "pickuplocation": "pickup_location",
    "transparent": "transparent",
    "note1": "note1",
    "note2": "note2",
    "standardnote": "standard_note",
    "interlcubankfx": "interbank",
    **{
        f"cc{n}{suffix}": f"cc{n}_{name}"
        for n in (1, 2)
        for suffix, name in (
            ("lcuamount", "amount"),
            ("denominationamount", "denomination"),
            ("lcucode", "currency"),
            ("lcufee", "fee"),
            ("lcufxrate", "rate"),
            ("fxmargin", "fx_margin"),
            ("totalcost%", "total_cost"),
        )
    },
}
REQUIRED_COLUMNS = (
    "period",
    "source_code",
    "destination_code",
    "firm",
    "speed",
    "transparent",
    "interbank",
    "cc1_amount",
    "cc1_fee",
    "cc1_rate",
)
_PERIOD_RES = (
    re.compile(r"^(\d{4})\s*[_\- ]?\s*Q([1-4])$"),  # 2024Q3, 2024_Q3
    re.compile(r"^(\d{4})\s*[_\- ]\s*([1-4])\s*Q$"),  # 2011_1Q (RPW)
    re.compile(r"^Q([1-4])\s*[_\- ]?\s*(\d{4})$"),  # Q3 2024
)


@lru_cache(maxsize=4096)
def parse_period(value: Any) -> str | None:
    """RPW periods ("2011_1Q") and the like as "2011Q1"; None when not a quarter."""
    text = str(value or "").strip().upper()
    for i, regex in enumerate(_PERIOD_RES):
        m = regex.match(text)
        if m:
            year, q = (m.group(2), m.group(1)) if i == 2 else (m.group(1), m.group(2))
            return f"{year}Q{q}"
    return None


def parse_number(value: Any) -> Decimal | None:
    """A number from the file: a cell's number, or text ("1,234.5", "12,5", " 7 "); None when
    blank; InvalidOperation when not a number."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if not text or text in ("..", "-", "n/a", "N/A", "NA"):
            return None
        if "," in text and "." in text:
            text = text.replace(",", "")
        elif text.count(",") == 1:
            text = text.replace(",", ".")
        number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation
    return number


def parse_file_date(value: Any) -> dt.date | None:
    """Excel datetimes, Excel serial numbers and ISO text; None when blank."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = str(value).strip()
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    return dt.date.fromisoformat(text[:10])


def parse_transparent(value: Any) -> bool | None:
    text = str(value if value is not None else "").strip().lower()
    if text in ("yes", "y", "true", "1"):
        return True
    if text in ("no", "n", "false", "0"):
        return False
    return None


@lru_cache(maxsize=4096)
def parse_speed(value: Any) -> str | None:
    """RPW's speed texts ("Less than one hour", "Same day", "Next day", "2 days", "3-5 days",
    "6 days or more") as Speed values."""
    text = str(value or "").strip().lower()
    if not text:
        return None
    if "hour" in text or "minute" in text or "instant" in text:
        return Speed.LESS_THAN_ONE_HOUR
    if "same" in text:
        return Speed.SAME_DAY
    if "next" in text or re.fullmatch(r"1\s*days?", text):
        return Speed.NEXT_DAY
    # Any number of more than six digits is "more" days (and int() refuses over 4,300 digits).
    numbers = [int(n[-7:]) if len(n.lstrip("0")) <= 6 else 10**6 for n in re.findall(r"\d+", text)]
    if numbers and ("more" in text or "+" in text or max(numbers) > formulas.SMART_MAX_DAYS):
        return Speed.SIX_DAYS_OR_MORE
    if numbers and 2 <= max(numbers) <= formulas.SMART_MAX_DAYS:
        return Speed.TWO_TO_FIVE_DAYS
    return None


@lru_cache(maxsize=4096)
def provider_kind(value: Any) -> str:
    """RPW firm types as ProviderKind (anything unknown: other)."""
    text = str(value or "").lower()
    if "post" in text:
        return ProviderKind.POST_OFFICE
    if "mobile" in text:
        return ProviderKind.MOBILE_OPERATOR
    if "fintech" in text or "digital" in text or "online" in text:
        return ProviderKind.FINTECH
    if "bank" in text and "non" not in text:
        return ProviderKind.BANK
    if "mto" in text or "money transfer" in text or "non-bank" in text or "non bank" in text:
        return ProviderKind.MONEY_TRANSFER_OPERATOR
    return ProviderKind.OTHER


@lru_cache(maxsize=4096)
def funding_method(value: Any) -> str:
    text = str(value or "").lower()
    if not text:
        return ""
    for word, choice in (
        ("debit", FundingMethod.DEBIT_CARD),
        ("credit", FundingMethod.CREDIT_CARD),
        ("mobile", FundingMethod.MOBILE_MONEY),
        ("account", FundingMethod.BANK_ACCOUNT),
        ("bank", FundingMethod.BANK_ACCOUNT),
        ("cash", FundingMethod.CASH),
    ):
        if word in text:
            return choice
    return FundingMethod.OTHER


@lru_cache(maxsize=4096)
def pickup_method(value: Any) -> str:
    text = str(value or "").lower()
    if not text:
        return ""
    for word, choice in (
        ("mobile", PickupMethod.MOBILE_WALLET),
        ("wallet", PickupMethod.MOBILE_WALLET),
        ("home", PickupMethod.HOME_DELIVERY),
        ("door", PickupMethod.HOME_DELIVERY),
        ("account", PickupMethod.BANK_ACCOUNT),
        ("cash", PickupMethod.CASH),
    ):
        if word in text:
            return choice
    return PickupMethod.OTHER


@dataclass
class _Line:
    sheet: str
    row: int
    values: dict[str, Any]


def _read_csv(raw: bytes | str, sheet: str) -> Iterator[tuple[str, list[str], Iterator[_Line]]]:
    reader = _csv_reader(_decode(raw))
    header = next(reader, None)
    if header is None:
        raise ImportRefused(_("The file is empty."))
    yield sheet, header, _lines(sheet, header, reader, 2)


def _csv_reader(text: str) -> Iterator[list[str]]:
    """The CSV's rows; a file the csv module cannot split (a lone carriage return or a NUL
    inside a field) is refused, not a server error."""
    try:
        yield from csv.reader(io.StringIO(text))
    except csv.Error as exc:
        raise ImportRefused(_("This file is not a CSV file.")) from exc


def _lines(sheet: str, header: list[Any], rows: Iterable[Any], first: int) -> Iterator[_Line]:
    names = [PROVIDER_COLUMNS.get(_key(h)) for h in header]
    for number, row in enumerate(rows, start=first):
        if not any(row):  # a blank line (every cell empty)
            continue
        values: dict[Any, Any] = dict(zip(names, row, strict=False))
        values.pop(None, None)  # the columns the import does not read
        yield _Line(sheet, number, values)


def _read_workbook(raw: bytes) -> Iterator[tuple[str, list[str], Iterator[_Line]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportRefused(_("The file is not an Excel workbook (.xlsx).")) from exc
    for ws in book.worksheets:
        rows = ws.iter_rows(values_only=True)
        for number, header in enumerate(rows, start=1):
            keys = {PROVIDER_COLUMNS.get(_key(h)) for h in header}
            if {"period", "firm"} <= keys:
                yield ws.title, list(header), _lines(ws.title, list(header), rows, number + 1)
                break
            if number >= 10:  # terms, methodology, legend: no data sheet
                break


@dataclass
class _Planned:
    line: _Line
    band: int
    fields: dict[str, Any]
    provider_key: str
    provider_name: str
    provider_kind: str
    corridor: tuple[str, str]


def import_provider_quotes(
    raw: bytes | str,
    *,
    actor: Actor | None = None,
    file_name: str = "",
    dry_run: bool = False,
    accept_valid_rows: bool = False,
    is_demonstration: bool = False,
) -> Report:
    """Import the provider-level RPW dataset (xlsx workbook or CSV)."""
    report = Report("provider_quotes", dry_run=dry_run, accept_valid_rows=accept_valid_rows)
    report.source = f"World Bank RPW {file_name}".strip()[:300]
    is_xlsx = isinstance(raw, bytes) and raw[:2] == b"PK"
    planned: list[_Planned] = []
    seen: dict[tuple[Any, ...], tuple[str, int]] = {}
    currencies = set(Currency.objects.values_list("code", flat=True))
    countries = set(Country.objects.values_list("code", flat=True))
    today = timezone.localdate()
    try:
        sheets = _read_workbook(raw) if is_xlsx else _read_csv(raw, file_name or "CSV")  # type: ignore[arg-type]
        found_sheet = False
        for sheet, header, lines in sheets:
            found_sheet = True
            present = {PROVIDER_COLUMNS.get(_key(h)) for h in header}
            missing = [c for c in REQUIRED_COLUMNS if c not in present]
            if missing:
                raise ImportRefused(
                    _("Sheet “%(sheet)s” lacks the column(s): %(cols)s.")
                    % {"sheet": sheet, "cols": ", ".join(missing)}
                )
            for line in lines:
                report.rows += 1
                for item in _plan_line(line, report, currencies, countries, today):
                    key = (
                        item.provider_key,
                        item.corridor,
                        item.fields["collected_on"],
                        item.band,
                        item.fields["product"],
                    )
                    if key in seen:
                        first_sheet, first_row = seen[key]
                        report.error(
                            line.sheet,
                            line.row,
                            "firm",
                            item.provider_name,
                            _("The same quote as row %(row)d of “%(sheet)s”.")
                            % {"row": first_row, "sheet": first_sheet},
                        )
                        continue
                    seen[key] = (line.sheet, line.row)
                    item.fields["is_demonstration"] = is_demonstration
                    planned.append(item)
        if not found_sheet:
            raise ImportRefused(_("No sheet of the file has the RPW columns (period, firm …)."))
    except ImportRefused as exc:
        report.refused = str(exc)
        return report
    if report.error_count and not accept_valid_rows:
        return report
    bad_rows = {(e["sheet"], e["row"]) for e in report.errors}
    chosen = [p for p in planned if (p.line.sheet, p.line.row) not in bad_rows]
    try:
        with transaction.atomic():
            _write_quotes(chosen, report)
            if dry_run:
                raise _Rollback
            _audit(actor, report, file_name)
    except _Rollback:
        return report
    report.imported = True
    return report


def _plan_line(
    line: _Line, report: Report, currencies: set[str], countries: set[str], today: dt.date
) -> list[_Planned]:
    v = line.values
    errors_before = report.error_count

    def err(name: str, value: Any, message: Any) -> None:
        report.error(line.sheet, line.row, name, value, message)

    period = parse_period(v.get("period"))
    if period is None:
        err("period", v.get("period"), _("Not a quarter (e.g. 2011_1Q or 2024Q3)."))
    try:
        date = parse_file_date(v.get("date"))
    except (ValueError, OverflowError):
        err("date", v.get("date"), _("Not a date (YYYY-MM-DD or an Excel date)."))
        date = None
    if date is None and period is not None:
        year, q = int(period[:4]), int(period[5])
        date = dt.date(year, 3 * q - 2, 1)  # no date given: the quarter's first day
    if date is not None and date > today:
        err("date", v.get("date"), _("The collection date cannot be in the future."))
    codes = []
    for name in ("source_code", "destination_code"):
        code = _alpha2(v.get(name))
        if code is None or code not in countries:
            err(name, v.get(name), _("Not a country code (ISO 3166-1 alpha-3)."))
        codes.append(code)
    if codes[0] and codes[0] == codes[1]:
        err("destination_code", v.get("destination_code"), _("Same country."))
    firm = str(v.get("firm") or "").strip()
    if not provider_name_key(firm):
        err("firm", v.get("firm"), _("The firm's name is missing."))
    speed = parse_speed(v.get("speed"))
    if speed is None:
        err("speed actual", v.get("speed"), _("Unknown speed (e.g. Same day, 2-5 days)."))
    transparent = parse_transparent(v.get("transparent"))
    if transparent is None:
        err("transparent", v.get("transparent"), _("Write yes or no."))
    interbank = _number(v, "interbank", "inter lcu bank fx", err)
    if interbank is None:  # a blank cell (fuzz/rpw.py found it reached the assert below)
        err("inter lcu bank fx", v.get("interbank"), _("This field is required."))
    elif interbank <= 0:
        err("inter lcu bank fx", v.get("interbank"), _("An exchange rate must be more than zero."))
    product = " · ".join(
        str(v[k]).strip()
        for k in (
            "product",
            "payment_instrument",
            "access_point",
            "pickup_method",
            "pickup_location",
        )
        if v.get(k) not in (None, "") and str(v[k]).strip()
    )[:300]
    note = " ".join(
        str(v[k]).strip() for k in ("note1", "note2", "standard_note") if v.get(k) not in (None, "")
    )[:2000]
    bands = []
    for n, band in ((1, 200), (2, 500)):
        fee = _number(v, f"cc{n}_fee", f"cc{n} lcu fee", err)
        rate = _number(v, f"cc{n}_rate", f"cc{n} lcu fx rate", err)
        amount = _number(v, f"cc{n}_amount", f"cc{n} lcu amount", err)
        if n == 2 and fee is None and rate is None and amount is None:
            continue  # no USD 500 quote in this row
        for name, value, ok, message in (
            (
                f"cc{n} lcu amount",
                amount,
                amount is not None and amount > 0,
                AMOUNT_POSITIVE,
            ),
            (
                f"cc{n} lcu fee",
                fee,
                fee is not None and fee >= 0,
                FEE_NOT_NEGATIVE,
            ),
            (
                f"cc{n} lcu fx rate",
                rate,
                rate is not None and rate > 0,
                RATE_POSITIVE,
            ),
        ):
            if not ok:
                err(name, value, message)
        currency = str(v.get(f"cc{n}_currency") or "").strip().upper() or (
            regions.currency_of(codes[0]) if codes[0] else None
        )
        if currency not in currencies:
            err(
                f"cc{n} lcu code",
                v.get(f"cc{n}_currency"),
                _("Unknown currency code (ISO 4217, e.g. USD)."),
            )
        reported_margin = _number(v, f"cc{n}_fx_margin", f"cc{n} fx margin", err)
        reported_total = _number(v, f"cc{n}_total_cost", f"cc{n} total cost %", err)
        bands.append((n, band, fee, rate, amount, currency, reported_margin, reported_total))
    if report.error_count > errors_before:
        return []
    assert period and date and speed and transparent is not None and interbank  # noqa: S101
    receiving_currency = regions.currency_of(codes[1]) if codes[1] else None
    planned = []
    for n, band, fee, rate, amount, currency, reported_margin, reported_total in bands:
        assert fee is not None and rate is not None and amount is not None  # noqa: S101 - checked
        margin = formulas.fx_margin_pct(rate, interbank)
        total = formulas.fee_pct(fee, amount) + margin  # formulas.total_cost_pct, margin once
        if reported_margin is not None and abs(reported_margin - margin) > MISMATCH_TOLERANCE_PP:
            report.mismatch(line.sheet, line.row, f"cc{n} fx margin", reported_margin, margin)
        if reported_total is not None and abs(reported_total - total) > MISMATCH_TOLERANCE_PP:
            report.mismatch(line.sheet, line.row, f"cc{n} total cost %", reported_total, total)
        planned.append(
            _Planned(
                line=line,
                band=band,
                provider_key=provider_name_key(firm),
                provider_name=firm[:200],
                provider_kind=provider_kind(v.get("firm_type")),
                corridor=(codes[0], codes[1]),  # type: ignore[arg-type]
                fields={
                    "collected_on": date,
                    "period": period,
                    "usd_band": band,
                    "amount": amount,
                    "currency_id": currency,
                    "receiving_currency_id": receiving_currency
                    if receiving_currency in currencies
                    else None,
                    "fee": fee,
                    "applied_rate": rate,
                    "interbank_rate": interbank,
                    "speed": speed,
                    "funding_method": funding_method(v.get("payment_instrument")),
                    "pickup_method": pickup_method(v.get("pickup_method")),
                    "product": product,
                    "transparent": transparent,
                    "source": QuoteSource.RPW,
                    "source_detail": report.source,
                    "note": note,
                    "rpw_id": str(v.get("id") or "")[:40],
                    "reported_fx_margin_pct": _fit(reported_margin),
                    "reported_total_cost_pct": _fit(reported_total),
                },
            )
        )
    return planned


def _fit(value: Decimal | None) -> Decimal | None:
    if value is None or abs(value) >= 10**6:
        return None
    return value.quantize(Decimal("0.000001"))


def _number(v: dict[str, Any], key: str, label: str, err: Any) -> Decimal | None:
    try:
        number = parse_number(v.get(key))
    except (InvalidOperation, ValueError):
        err(label, v.get(key), _("Not a number."))
        return None
    # 10^12 and over, or nonzero under 10^-12 (more decimals than any field keeps): "1E-999999"
    # as an amount or interbank rate made fee / amount overflow decimal's exponent range.
    if number is not None and (
        abs(number) >= Decimal(10) ** 12 or (number and number.adjusted() < -12)
    ):
        err(label, v.get(key), _("This number is too long."))
        return None
    return number


QUOTE_UPDATE_FIELDS = [
    "period",
    "amount",
    "currency",
    "receiving_currency",
    "fee",
    "applied_rate",
    "interbank_rate",
    "speed",
    "funding_method",
    "pickup_method",
    "transparent",
    "source",
    "source_detail",
    "is_demonstration",
    "note",
    "rpw_id",
    "reported_fx_margin_pct",
    "reported_total_cost_pct",
    "modified",
    "version",
]
_COMPARED = [f for f in QUOTE_UPDATE_FIELDS if f not in ("modified", "source_detail", "version")]


def _comparable(name: str, value: Any) -> Any:
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _write_quotes(chosen: list[_Planned], report: Report) -> None:
    # Providers: new ones created; existing ones keep their name and kind.
    keys = {p.provider_key: p for p in chosen}
    providers = dict(Provider.objects.filter(name_key__in=list(keys)).values_list("name_key", "pk"))
    new = [
        Provider(name=p.provider_name, name_key=k, kind=p.provider_kind)
        for k, p in keys.items()
        if k not in providers
    ]
    Provider.objects.bulk_create(new, batch_size=1000)
    providers.update({p.name_key: p.pk for p in new})
    corridors = _corridor_ids(p.corridor for p in chosen)
    # What is stored already, by natural key, to tell created / updated / unchanged apart.
    attnames = [
        "currency_id"
        if f == "currency"
        else "receiving_currency_id"
        if f == "receiving_currency"
        else f
        for f in _COMPARED
    ]
    existing: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    versions: dict[tuple[Any, ...], int] = {}
    in_db = Quote.objects.filter(corridor_id__in=set(corridors.values())).values_list(
        "provider_id", "corridor_id", "collected_on", "usd_band", "product", "version", *attnames
    )
    for row in in_db.iterator(chunk_size=5000):
        existing[row[:5]] = tuple(_comparable(a, x) for a, x in zip(attnames, row[6:], strict=True))
        versions[row[:5]] = row[5]
    conn = connections[DEFAULT_DB_ALIAS]  # once: `connection` is looked up on each use
    now = conn.ops.adapt_datetimefield_value(timezone.now())
    native_uuid = conn.features.has_native_uuid_field
    provider_db = {pk: pk if native_uuid else pk.hex for pk in providers.values()}
    rows = []
    for p in chosen:
        f = p.fields
        key = (
            providers[p.provider_key],
            corridors[p.corridor],
            f["collected_on"],
            p.band,
            f["product"],
        )
        stored = dict(f)
        for name, places in _PLACES.items():
            if stored[name] is not None:
                stored[name] = stored[name].quantize(places)
        old = existing.get(key)
        if old is None:
            report.created += 1
        elif old == tuple(_comparable(a, stored[a]) for a in attnames):
            report.unchanged += 1
            continue
        else:
            report.updated += 1
        stored.update(
            id=uuid.uuid4() if native_uuid else uuid.uuid4().hex,
            created=now,
            modified=now,
            created_by_id=None,
            provider_id=provider_db[key[0]],
            corridor_id=key[1],
            version=versions.get(key, 0) + 1,
        )
        rows.append(tuple(stored[c] for c in _INSERT_COLUMNS))
    _upsert(rows)


# The quotes are written with one INSERT … ON CONFLICT DO UPDATE per batch (SQLite 3.24+ and
# PostgreSQL), the values already in the columns' form: the ORM's bulk_create prepares each value
# of each object one by one, which made the import several times slower (bench/remittances.py).
# `modified`, `version` and the figures follow the file; `created` and `id` stay as they were.
# The quote's own fields (the ones a person enters) and what only an import writes around them.
_INSERT_COLUMNS = (
    "id",
    "created",
    "modified",
    "created_by_id",
    *QUOTE_FIELDS,
    "version",
    "rpw_id",
    "reported_fx_margin_pct",
    "reported_total_cost_pct",
)
_CONFLICT = ("provider_id", "corridor_id", "collected_on", "usd_band", "product")
UPSERT_BATCH = 5000


def _conflict_clause() -> str:
    q = connection.ops.quote_name
    updated = [
        c for c in _INSERT_COLUMNS if c not in ("id", "created", "created_by_id", *_CONFLICT)
    ]
    return f"ON CONFLICT ({', '.join(q(c) for c in _CONFLICT)}) DO UPDATE SET " + ", ".join(  # nosec B608 # identifiers from the code, values passed as parameters
        f"{q(c)} = excluded.{q(c)}" for c in updated
    )


def _upsert(rows: list[tuple[Any, ...]]) -> None:
    """Write the rows, UPSERT_BATCH at a time: on PostgreSQL one statement per batch whose
    parameters are one array per column (unnest); elsewhere (SQLite) one prepared statement
    run for each row (executemany), which SQLite does in-process. The names in the SQL are the
    model's own; every value goes as a parameter."""
    q = connection.ops.quote_name
    table, columns = q(Quote._meta.db_table), ", ".join(q(c) for c in _INSERT_COLUMNS)
    if connection.vendor == "postgresql":
        by_column = {f.attname: f for f in Quote._meta.concrete_fields}
        types = [by_column[c].db_type(connection) for c in _INSERT_COLUMNS]
        arrays = ", ".join(f"%s::{t}[]" for t in types)
        sql = f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) {_conflict_clause()}"  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
        with connection.cursor() as cursor:
            for start in range(0, len(rows), UPSERT_BATCH):
                batch = rows[start : start + UPSERT_BATCH]
                cursor.execute(sql, [list(column) for column in zip(*batch, strict=True)])
        return
    values = ", ".join(["%s"] * len(_INSERT_COLUMNS))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({values}) {_conflict_clause()}"  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_BATCH):
            cursor.executemany(sql, rows[start : start + UPSERT_BATCH])


_PLACES = {
    "amount": Decimal("0.01"),
    "fee": Decimal("0.0001"),
    "applied_rate": Decimal("0.0000000001"),
    "interbank_rate": Decimal("0.0000000001"),
    "reported_fx_margin_pct": Decimal("0.000001"),
    "reported_total_cost_pct": Decimal("0.000001"),
}
