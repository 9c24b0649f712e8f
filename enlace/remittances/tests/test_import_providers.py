"""The provider-level RPW dataset: both sheets' layouts (CSV and xlsx), numbers as text, Excel
dates, RPW periods, yes/no/Yes; the file's percentages checked against the formulas;
idempotent; all-or-nothing with a per-row report."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from enlace.audit.models import ChangeEvent
from enlace.remittances import selectors
from enlace.remittances.importers import (
    MISMATCH_TOLERANCE_PP,
    import_provider_quotes,
    parse_period,
    parse_speed,
)
from enlace.remittances.models import Corridor, Provider, Quote, QuoteSource

pytestmark = pytest.mark.django_db
D = Decimal
SAMPLE = Path(__file__).parent / "data" / "rpw_providers_from_2016Q2.csv"


def test_the_sample_imports_two_bands_per_row():
    report = import_provider_quotes(SAMPLE.read_bytes(), file_name=SAMPLE.name)
    assert report.imported, report.as_dict()
    assert (report.rows, report.created, report.error_count) == (4, 7, 0)
    assert Provider.objects.count() == 4 and Corridor.objects.count() == 3
    worked = Quote.objects.get(provider__name="Envíos Catracho Prueba", usd_band=200)
    assert (worked.amount, worked.fee, worked.applied_rate, worked.interbank_rate) == (
        D("200"),
        D("5"),
        D("17"),
        D("17.34"),
    )
    assert str(worked.total_cost_pct.quantize(D("0.01"))) == "4.46"
    assert (worked.period, worked.collected_on, worked.currency_id) == (
        "2024Q3",
        dt.date(2024, 8, 14),
        "USD",
    )
    assert worked.source == QuoteSource.RPW and worked.rpw_id == "9001"
    assert worked.speed == "same_day" and worked.pickup_method == "cash"
    assert worked.transparent and worked.receiving_currency_id == "HNL"
    bank = Quote.objects.get(provider__name="Banco Prueba Chapín", usd_band=500)
    assert bank.transparent is False and bank.speed == "2_5_days"
    assert Provider.objects.get(name="Banco Prueba Chapín").kind == "bank"
    # numbers as text with a decimal comma, an Excel serial date, "No", a 2024_4Q period
    giro = Quote.objects.get(provider__name="Giros Prueba SA", usd_band=200)
    assert (giro.amount, giro.fee, giro.currency_id) == (D("185.50"), D("3"), "EUR")
    assert (giro.collected_on, giro.period, giro.transparent) == (
        dt.date(2024, 11, 15),
        "2024Q4",
        False,
    )
    # the file's 3.50 % for row 4 (sheet row) is not what fee + margin give: reported
    assert report.counts["mismatches"] == 1
    mismatch = report.mismatches[0]
    assert (mismatch["row"], mismatch["field"], mismatch["value"], mismatch["recomputed"]) == (
        4,
        "cc1 total cost %",
        "3.50",
        "4.16",
    )
    assert ChangeEvent.objects.filter(record_type="remittances.provider_quotes").count() == 1
    # and the comparison reads them
    rows = selectors.compare("US", "GT", None).rows
    assert [r.provider for r in rows] == ["Envíos Rápidos Prueba", "Banco Prueba Chapín"]


def test_reimport_is_idempotent_and_updates_changed_values():
    raw = SAMPLE.read_bytes()
    import_provider_quotes(raw)
    ids = set(Quote.objects.values_list("pk", flat=True))
    again = import_provider_quotes(raw)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    changed = raw.replace(b"USD,10,7.60,2.94,7.94,500", b"USD,12,7.60,2.94,8.94,500")
    third = import_provider_quotes(changed)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 6)
    assert set(Quote.objects.values_list("pk", flat=True)) == ids
    q = Quote.objects.get(provider__name="Banco Prueba Chapín", usd_band=200)
    assert q.fee == D("12") and q.version == 2


BAD = (
    "period,date,source_code,destination_code,firm,firm_type,speed actual,cc1 lcu amount,"
    "cc1 lcu code,cc1 lcu fee,cc1 lcu fx rate,inter lcu bank fx,transparent\n"
    """2024_3Q,2024-08-14,USA,GTM,Alfa Prueba,MTO,Same day,200,USD,5,7.6,7.8,yes
2024_3Q,2024-08-14,USA,GTM,Beta Prueba,MTO,Same day,200,USD,-1,7.6,7.8,yes
2024_3Q,2024-08-14,USA,GTM,Gama Prueba,MTO,Same day,200,USD,5,0,7.8,yes
2024_9Q,2024-08-14,USA,QQQ,Delta Prueba,MTO,someday,200,USD,5,7.6,7.8,maybe
2024_3Q,2024-08-14,USA,GTM,ALFA  prueba,MTO,Same day,200,USD,5,7.6,7.8,yes
"""
)


def test_rows_in_error_import_nothing_and_each_is_reported():
    report = import_provider_quotes(BAD)
    assert not report.imported
    assert Quote.objects.count() == 0 and Provider.objects.count() == 0
    by_row = {}
    for e in report.errors:
        by_row.setdefault(e["row"], set()).add(e["field"])
    assert by_row == {
        3: {"cc1 lcu fee"},
        4: {"cc1 lcu fx rate"},
        5: {"period", "destination_code", "speed actual", "transparent"},
        6: {"firm"},  # the same provider (name folded), corridor, date, band and product as row 2
    }
    partial = import_provider_quotes(BAD, accept_valid_rows=True)
    assert partial.imported and partial.created == 1
    assert Quote.objects.get().provider.name == "Alfa Prueba"


def test_dry_run_writes_nothing():
    report = import_provider_quotes(SAMPLE.read_bytes(), dry_run=True)
    assert report.created == 7 and not report.imported
    assert Quote.objects.count() == 0


PRE_2016 = [
    "id",
    "period",
    "date",
    "source_code",
    "source_name",
    "destination_code",
    "destination_name",
    "firm",
    "firm_type",
    "product",
    "sending location",
    "coverage",
    "pick-up method",
    "speed actual",
    "cc1 lcu amount",
    "cc1 denomination amount",
    "cc1 lcu code",
    "cc1 lcu fee",
    "cc1 lcu fx rate",
    "cc1 fx margin",
    "cc1 total cost %",
    "cc2 lcu amount",
    "cc2 denomination amount",
    "cc2 lcu code",
    "cc2 lcu fee",
    "cc2 lcu fx rate",
    "cc2 fx margin",
    "cc2 total cost %",
    "inter lcu bank fx",
    "transparent",
    "note1",
    "note2",
    "corridor",
]


def _workbook() -> bytes:
    book = Workbook()
    terms = book.active
    terms.title = "Terms of Use"
    terms.append(["The World Bank, Remittance Prices Worldwide"])
    old = book.create_sheet("Dataset (up to Q1 2016)")
    old.append(PRE_2016)
    old.append(
        [
            1,
            "2011_1Q",
            dt.datetime(2011, 2, 1),  # noqa: DTZ001 - Excel datetimes are naive
            "USA",
            "United States",
            "MEX",
            "Mexico",
            "Remesas Prueba",
            "Money Transfer Operator",
            "Account to cash",
            "Los Angeles",
            "",
            "Cash",
            "Next day",
            200,
            200,
            "USD",
            10,
            11.9,
            1.5,
            6.5,
            500,
            500,
            "USD",
            12,
            11.95,
            1.09,
            3.49,
            12.0806,
            "Yes",
            "",
            "",
            "USAMEX",
        ]
    )
    new = book.create_sheet("Dataset (from Q2 2016)")
    header = [
        c
        for c in PRE_2016
        if c not in ("product", "sending location", "coverage", "note1", "pick-up method")
    ]
    new.append([*header, "payment instrument", "access point", "pickup method", None, None])
    new.append(
        [
            2,
            "2025_3Q",
            dt.datetime(2025, 7, 20),  # noqa: DTZ001
            "USA",
            "United States",
            "MEX",
            "Mexico",
            "Remesas Prueba",
            "Money Transfer Operator",
            "6 days or more",
            "200",
            "200",
            "USD",
            "3.99",
            "18.40",
            "1.89",
            "3.89",
            "500",
            "500",
            "USD",
            "3.99",
            "18.45",
            "1.62",
            "2.42",
            "18.7539",
            "no",
            "",
            "USAMEX",
            "Debit card",
            "Online",
            "Mobile wallet",
            "helper",
            1,
        ]
    )
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_both_sheets_of_the_workbook():
    report = import_provider_quotes(_workbook(), file_name="rpw.xlsx")
    assert report.imported, report.as_dict()
    assert report.rows == 2 and report.created == 4
    assert Provider.objects.count() == 1  # one provider across both sheets
    old = Quote.objects.get(period="2011Q1", usd_band=200)
    assert (old.collected_on, old.speed, old.pickup_method, old.product) == (
        dt.date(2011, 2, 1),
        "next_day",
        "cash",
        "Account to cash · Cash",
    )
    new = Quote.objects.get(period="2025Q3", usd_band=500)
    assert (new.fee, new.applied_rate, new.transparent, new.speed) == (
        D("3.99"),
        D("18.45"),
        False,
        "6_days_or_more",
    )
    assert (new.funding_method, new.pickup_method) == ("debit_card", "mobile_wallet")
    assert report.counts.get("mismatches", 0) == 0, report.mismatches


def test_parsers():
    assert parse_period("2011_1Q") == "2011Q1"
    assert parse_period("2024Q3") == "2024Q3"
    assert parse_period("Q2 2016") == "2016Q2"
    assert parse_period("2024_5Q") is None
    assert parse_speed("Less than one hour") == "less_than_one_hour"
    assert parse_speed("3-5 days") == "2_5_days"
    assert parse_speed("More than 5 days") == "6_days_or_more"
    assert parse_speed("whenever") is None
    assert D("0.01") == MISMATCH_TOLERANCE_PP
