"""Every importer accepts or refuses any input without an unhandled exception (a refusal or a
per-row, per-field error in its report instead) and writes nothing when it refuses the file or
finds an error (all-or-nothing): people (CSV, XLSX), HTCDS workbooks, the World Bank RPW files
and the official sources behind the indicators. `make fuzz` runs the same properties with the
"fuzz" profile, beside atheris (fuzz/)."""

import csv
import functools
import gzip
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.audit.models import ChangeEvent
from enlace.indicators import importers as indicator_importers
from enlace.indicators.models import SourceImport
from enlace.people import imports as people_imports
from enlace.people.models import Person
from enlace.remittances import importers as rpw
from enlace.remittances.models import CorridorQuarter, Provider, Quote
from enlace.trafficking import htcds_io
from enlace.trafficking.models import TraffickingCase

pytestmark = pytest.mark.django_db

TRICKY = st.sampled_from(
    ["", " ", "=1+1", "+1", "-1", "@A1", "\t=1", "'=1", "_x0000_", "NaN", "1e999", "2024-02-30",
     "31/12/1999", "TRUE", "MX", "mx; gt", "XX", "<b>x</b>", "\u202e", "a" * 300, "\r", '"']
)  # fmt: skip
CELL = st.one_of(TRICKY, st.text(max_size=30))
XCELL = st.one_of(
    CELL,
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
)


def _grid(header, cell=CELL):
    """A header drawn from the importer's columns (some dropped, one unknown maybe) and rows."""
    return st.tuples(
        st.lists(st.sampled_from(header), min_size=1, max_size=len(header), unique=True).map(list),
        st.lists(st.lists(cell, max_size=12), max_size=5),
        st.booleans(),
    ).map(lambda t: [t[0] + (["Unknown column"] if t[2] else []), *t[1]])


def _csv(rows, delimiter=","):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode("utf-8")


def _xlsx(sheets):
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(
                [v.replace("\x00", "") if isinstance(v, str) else v for v in row]
            )  # openpyxl itself refuses to write control characters: _illegal ones go
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_safe(rows):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return [
        [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row] for row in rows
    ]


# ---------------------------------------------------------------- people


PEOPLE_HEADER = [*list(people_imports.COLUMNS), "Nombres", "Primer apellido", "Sexo"]


@given(rows=_grid(PEOPLE_HEADER), fmt=st.sampled_from(["csv", "xlsx"]))
def test_people_rows_are_read_and_checked_or_refused(network, rows, fmt):
    actor = actor_for(network.user(Role.OFFICER))
    raw = _csv(rows) if fmt == "csv" else _xlsx([("People", _xlsx_safe(rows))])
    try:
        read, ignored = people_imports.read_rows(raw, fmt)
    except people_imports.ImportRefused as exc:
        assert str(exc)
        return
    assert all(isinstance(text, str) for text in ignored)
    for _number, values in read:
        _data, messages = people_imports.check_row(actor, values)
        for label, message in messages:  # each error names its column and says why
            assert label and message
    assert not Person.objects.exists()


# ---------------------------------------------------------------- HTCDS


HTCDS_MAIN = [c.name for c in htcds_io.MAIN_COLUMNS]


@given(
    main=_grid(HTCDS_MAIN, XCELL),
    extra=st.sampled_from(list(htcds_io.SHEETS)),
    extra_rows=_grid([htcds_io.KEY, *[c.name for c in htcds_io.SHEETS[htcds_io.EVENTS]]], XCELL),
    accept=st.booleans(),
)
def test_htcds_import_reports_or_imports_never_crashes(network, main, extra, extra_rows, accept):
    actor = actor_for(network.user(Role.TRAFFICKING_FOCAL_POINT))
    raw = _xlsx([("Sheet1", _xlsx_safe(main)), (extra, _xlsx_safe(extra_rows))])
    before = (TraffickingCase.objects.count(), ChangeEvent.objects.count())
    report = htcds_io.import_htcds(actor, raw, dry_run=False, accept_valid_rows=accept)
    for error in report["errors"]:
        assert error["sheet"] and error["row"] and error["field"] and error["message"]
    if report["refused"] or (report["errors"] and not accept) or not report["imported"]:
        assert (TraffickingCase.objects.count(), ChangeEvent.objects.count()) == before


@given(raw=st.binary(max_size=400))
def test_htcds_any_bytes_are_refused_not_a_crash(network, raw):
    actor = actor_for(network.user(Role.TRAFFICKING_FOCAL_POINT))
    report = htcds_io.import_htcds(actor, raw, dry_run=False)
    assert report["refused"]
    assert not TraffickingCase.objects.exists()


# ---------------------------------------------------------------- RPW (remittances)


RPW_HEADER = [*rpw.PROVIDER_COLUMNS, "cc1 fx margin", "cc1 total cost %"]


@given(
    rows=_grid(RPW_HEADER),
    fmt=st.sampled_from(["csv", "xlsx"]),
    accept=st.booleans(),
)
def test_rpw_provider_quotes_report_or_import(rows, fmt, accept):
    raw = _csv(rows) if fmt == "csv" else _xlsx([("Dataset", _xlsx_safe(rows))])
    before = (Quote.objects.count(), Provider.objects.count())
    report = rpw.import_provider_quotes(raw, file_name="p.csv", accept_valid_rows=accept)
    if report.refused or (report.error_count and not accept):
        assert not report.imported
        assert (Quote.objects.count(), Provider.objects.count()) == before


@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300)))
def test_rpw_any_text_reports_never_crashes(raw):
    before = (Quote.objects.count(), CorridorQuarter.objects.count())
    for importer in (rpw.import_provider_quotes, rpw.import_corridor_series):
        report = importer(raw)
        if report.refused or report.error_count:
            assert (Quote.objects.count(), CorridorQuarter.objects.count()) == before


# ---------------------------------------------------------------- indicators' sources


@functools.cache
def _sample_header(name):
    relative = indicator_importers.SOURCES[name].files[0]
    raw = (indicator_importers.DATA / relative).read_bytes()
    if relative.endswith(".gz"):
        raw = gzip.decompress(raw)
    lines = raw[:20000].decode("utf-8-sig", errors="ignore").splitlines()
    start = next((i for i, line in enumerate(lines) if '"Country Name"' in line), 0)
    return lines[: start + 1], next(csv.reader([lines[start]]))


@pytest.mark.parametrize("source", sorted(indicator_importers.SOURCES))
@given(data=st.data())
def test_indicator_sources_report_or_import(source, data):
    preamble, header = _sample_header(source)
    rows = data.draw(_grid(header))
    body = "\n".join([*preamble[:-1], _csv(rows).decode()])
    raw = body.encode("utf-8")
    if data.draw(st.booleans()):
        raw = gzip.compress(raw, mtime=0)
    before = SourceImport.objects.count()
    report = indicator_importers.import_source(source, raw, file_name="x.csv")
    if report.refused or report.error_count:
        assert not report.imported
        assert SourceImport.objects.count() == before
    for error in report.errors:
        assert error["row"] and error["column"] and error["message"]


# ---------------------------------------------------------------- regressions found by fuzzing


def test_wdi_short_row_is_a_row_error_not_a_crash():
    """fuzz/indicators.py: a row shorter than the header raised KeyError('Indicator Code')."""
    raw = b'"Country Name","Country Code","Indicator Code","2020"\n"Mexico","MEX"\n'
    report = indicator_importers.import_source("wdi_paid", raw)
    assert not report.refused
    assert report.error_count == 1
    assert report.errors[0]["column"] == "Indicator Code"
    assert not report.imported


def test_rpw_csv_with_a_lone_carriage_return_is_refused_not_a_crash():
    """fuzz/rpw.py: a lone CR inside an unquoted field raised csv.Error out of the import."""
    from django.utils.translation import gettext

    raw = b"peri\rod,firm\n2020Q1,a\n"
    for importer in (rpw.import_provider_quotes, rpw.import_corridor_series):
        report = importer(raw)
        assert not report.imported
        assert report.refused == gettext("This file is not a CSV file.")


def test_rpw_blank_interbank_rate_is_a_row_error_not_an_assertion():
    """fuzz/rpw.py: a blank "inter lcu bank fx" cell reached an assert (500 on the import page)."""
    from pathlib import Path

    from django.utils.translation import gettext

    sample = Path(rpw.__file__).parent / "tests" / "data" / "rpw_providers_from_2016Q2.csv"
    rows = list(csv.reader(io.StringIO(sample.read_text(encoding="utf-8-sig"))))
    column = [rpw._key(h) for h in rows[0]].index("interlcubankfx")
    rows[1][column] = ""
    report = rpw.import_provider_quotes(_csv(rows[:2]), file_name="p.csv")
    assert not report.imported
    assert any(
        e["row"] == 2 and e["message"] == gettext("This field is required.") for e in report.errors
    ), report.errors
    assert not Quote.objects.exists()


def _rpw_sample_rows():
    from pathlib import Path

    sample = Path(rpw.__file__).parent / "tests" / "data" / "rpw_providers_from_2016Q2.csv"
    rows = list(csv.reader(io.StringIO(sample.read_text(encoding="utf-8-sig"))))
    return rows, [rpw._key(h) for h in rows[0]]


def test_rpw_speed_with_thousands_of_digits_is_read_not_a_crash():
    """A "speed actual" cell of more than 4,300 digits raised ValueError (Python's limit on
    int() of a decimal string) out of parse_speed: any number of days that long is "6 days or
    more", and leading zeros still read as the number."""
    from enlace.remittances.models import Speed

    assert rpw.parse_speed("9" * 5000 + " days") == Speed.SIX_DAYS_OR_MORE
    assert rpw.parse_speed("0" * 5000 + "3 days") == Speed.TWO_TO_FIVE_DAYS
    rows, keys = _rpw_sample_rows()
    rows[1][keys.index("speedactual")] = "9" * 5000 + " days"
    report = rpw.import_provider_quotes(_csv(rows[:2]), file_name="p.csv")
    assert report.imported, report.errors
    assert set(Quote.objects.values_list("speed", flat=True)) == {Speed.SIX_DAYS_OR_MORE}


@pytest.mark.parametrize("column", ["cc1lcuamount", "interlcubankfx"])
def test_rpw_tiny_divisor_is_a_row_error_not_a_decimal_overflow(column):
    """An amount or interbank rate like 1E-999999 made fee / amount (or applied / interbank)
    overflow decimal's exponent range: decimal.Overflow out of the import."""
    rows, keys = _rpw_sample_rows()
    rows[1][keys.index(column)] = "1E-999999"
    report = rpw.import_provider_quotes(_csv(rows[:2]), file_name="p.csv")
    assert not report.imported
    assert any(e["row"] == 2 for e in report.errors), report.errors
    assert not Quote.objects.exists()
