"""The DataBank corridor series: the real export (vendored) imports whole, idempotently, with
its non-country rows reported; a broken file imports nothing."""

from decimal import Decimal
from pathlib import Path

import pytest

from enlace.audit.models import ChangeEvent
from enlace.remittances import selectors
from enlace.remittances.importers import import_corridor_series
from enlace.remittances.models import Corridor, CorridorQuarter

pytestmark = pytest.mark.django_db

REAL = Path(__file__).resolve().parents[1] / "data" / "rpw" / "rpw_corridors_2011Q1-2020Q3.csv"


@pytest.fixture(scope="module")
def raw():
    return REAL.read_bytes()


def _count_figures(raw: bytes) -> tuple[int, int]:
    """Figures and corridors with data in the file, counted independently of the importer."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    figures, corridors = 0, 0
    for row in rows[1:]:
        if len(row) < 7 or row[3] != "ATCR.CORR" or {row[1], row[5]} & {"ANT", "KSV"}:
            continue
        n = sum(1 for c in row[6:] if c not in ("..", ""))
        figures += n
        corridors += 1 if n else 0
    return figures, corridors


def test_the_real_export_imports_whole_and_again_unchanged(raw):
    assert raw[:3] == b"\xef\xbb\xbf"  # the BOM is there, as published
    figures, corridors = _count_figures(raw)
    report = import_corridor_series(raw, file_name=REAL.name)
    assert report.imported, report.as_dict()
    assert report.error_count == 0
    assert report.created == figures == CorridorQuarter.objects.count()
    assert Corridor.objects.filter(quarters__isnull=False).distinct().count() == corridors
    assert "12/07/2020" in report.source and "remittanceprices.worldbank.org" in report.source
    # rows with data whose code is not a country today are skipped and said so
    skipped = {e["value"] for e in report.skipped}
    assert skipped <= {"ANT", "KSV"}
    # a figure from the file: United States → Guatemala, 2020Q3
    us_gt = {p.quarter: p.average_total_cost_pct for p in selectors.corridor_series("US", "GT")}
    assert len(us_gt) > 20
    assert us_gt["2011Q1"] == Decimal("5.996666")  # the file's 5.996666431427, at 6 places
    assert us_gt["2013Q2"] == Decimal("4.911765")
    assert ChangeEvent.objects.filter(record_type="remittances.corridor_series").count() == 1

    again = import_corridor_series(raw, file_name=REAL.name)
    assert again.imported
    assert (again.created, again.updated, again.unchanged) == (0, 0, figures)
    assert CorridorQuarter.objects.count() == figures
    assert {
        p.quarter: p.average_total_cost_pct for p in selectors.corridor_series("US", "GT")
    } == us_gt


def test_lac_corridors_come_from_the_file(raw):
    import_corridor_series(raw)
    ranked = selectors.lac_corridors_ranked()
    assert len(ranked) == 41  # SOURCE.md: 41 corridors into Latin America and the Caribbean
    assert all(r.corridor.receiving_id in selectors.regions.LAC for r in ranked)
    costs = [r.average_total_cost_pct for r in ranked]
    assert costs == sorted(costs)


def _line(sending, receiving, *values):
    return ",".join(
        [
            sending,
            sending,
            "Average Total Cost to remit in corridor",
            "ATCR.CORR",
            receiving,
            receiving,
            *values,
        ]
    )


HEADER = (
    "\ufeffSending Countries Name,Sending Countries Code,Series Name,Series Code,"
    "Receiving Countries  Name,Receiving Countries  Code,2019Q4 [YR2019Q4],2020Q1 [YR2020Q1]"
)
FOOTER = [
    "",
    "",
    "",
    "Data from database: Remittance Prices Worldwide (Corridors)",
    "Last Updated: 12/07/2020",
]


def test_a_changed_value_is_updated_not_duplicated():
    first = "\n".join([HEADER, _line("USA", "GTM", "5.0", ".."), *FOOTER])
    second = "\n".join([HEADER, _line("USA", "GTM", "4.5", "4.25"), *FOOTER])
    assert import_corridor_series(first).created == 1
    report = import_corridor_series(second)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert [
        (p.quarter, p.average_total_cost_pct) for p in selectors.corridor_series("US", "GT")
    ] == [
        ("2019Q4", Decimal("4.5")),
        ("2020Q1", Decimal("4.25")),
    ]


def test_an_error_row_imports_nothing_and_is_reported():
    text = "\n".join(
        [
            HEADER,
            _line("USA", "GTM", "5.0", ".."),
            _line("USA", "HND", "abc", "6"),
            _line("LCN", "MEX", "7", ".."),  # a regional aggregate: skipped, not an error
            *FOOTER,
        ]
    )
    report = import_corridor_series(text)
    assert not report.imported
    assert report.error_count == 1
    assert report.errors[0]["row"] == 3 and report.errors[0]["value"] == "abc"
    assert report.skipped[0]["value"] == "LCN"
    assert CorridorQuarter.objects.count() == 0
    partial = import_corridor_series(text, accept_valid_rows=True)
    assert partial.imported and partial.created == 1


def test_a_file_of_another_layout_is_refused():
    report = import_corridor_series("a,b,c\n1,2,3\n")
    assert report.refused and not report.imported


def _file_series(raw: bytes, sending: str, receiving: str) -> dict[str, Decimal]:
    """One corridor's figures read straight from the file (alpha-3 codes), not by the importer."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    quarters = [h.split(" ")[0] for h in rows[0][6:]]
    for row in rows[1:]:
        if len(row) > 6 and (row[1], row[5], row[3]) == (sending, receiving, "ATCR.CORR"):
            return {q: Decimal(v) for q, v in zip(quarters, row[6:], strict=True) if v != ".."}
    raise AssertionError(f"{sending} → {receiving} is not in the file")


def test_the_real_file_s_figures_appear_on_the_corridor_pages(raw):
    """Done-when of issue 14: the full corridor file imports and its figures are what the
    public corridor page, its CSV and the LAC ranking show."""
    import csv
    import io
    import re

    from django.test import Client

    assert import_corridor_series(raw).imported
    expected = _file_series(raw, "USA", "GTM")
    client = Client()

    page = client.get("/remittances/corridors/US/GT/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body
    shown = {  # the table beside the chart (Spanish by default: a decimal comma)
        q: Decimal(v.replace(",", "."))
        for q, v in re.findall(
            r'<th scope="row">(\d{4}Q\d)</th><td class="num">([\d,.]+)</td>', body
        )
    }
    assert shown == {q: v.quantize(Decimal("0.01")) for q, v in expected.items()}

    download = client.get("/remittances/corridors/US/GT/series.csv")
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))[1:]
    six = Decimal("0.000001")  # the column keeps six decimal places of the file's float32 digits
    assert {r[2]: Decimal(r[3]) for r in rows} == {q: v.quantize(six) for q, v in expected.items()}
    assert {(r[0], r[1]) for r in rows} == {("US", "GT")}

    ranking = client.get("/remittances/corridors/")
    assert ranking.status_code == 200
    latest = expected[max(expected)].quantize(Decimal("0.01"))
    assert str(latest).replace(".", ",") in ranking.content.decode()
