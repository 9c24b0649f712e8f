"""Every vendored file imports (row counts read from the files themselves), regional aggregates
are flagged and stay out of totals and rankings, a re-import changes nothing, and the figures on
the pages, in the CSVs and from the API equal the source.

The files are imported once for this module (about 15 s) and removed at its end."""

import csv
import functools
import gzip
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils.formats import number_format
from django.utils.translation import gettext, override

from enlace.indicators import protection, sources
from enlace.indicators.importers import DATA, SOURCES, import_source
from enlace.indicators.importers.undesa import kind_of
from enlace.indicators.models import (
    Area,
    AreaKind,
    MigrantStock,
    MissingMigrantsIncident,
    RemittanceFlow,
    RemittancesPaid,
    SourceImport,
    UnhcrDemographics,
    UnhcrPopulation,
    UnhcrSolutions,
)

TABLES = (
    MigrantStock,
    Area,
    UnhcrPopulation,
    UnhcrDemographics,
    UnhcrSolutions,
    MissingMigrantsIncident,
    RemittanceFlow,
    RemittancesPaid,
    SourceImport,
)
UNDESA_FILE = DATA / "undesa" / "ims2020_by_sex_destination_origin.csv.gz"


def _clear() -> None:
    for model in TABLES:
        model.objects.all().delete()


def _csv_rows(relative: str) -> list[dict[str, str]]:
    path = DATA / relative
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


@functools.cache
def undesa_rows() -> list[dict[str, str]]:
    return _csv_rows("undesa/ims2020_by_sex_destination_origin.csv.gz")


def stock_in_file(destination: int, origin: int, year: int, sex: str) -> int:
    """The file's own figure, read with csv (not through the importer)."""
    for row in undesa_rows():
        if (
            int(float(row["destination_m49"])) == destination
            and int(float(row["origin_m49"])) == origin
            and int(row["year"]) == year
            and row["sex"] == sex
        ):
            return int(float(row["migrant_stock"]))
    raise AssertionError("not in the file")


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _clear()
        reports = {}
        for name, spec in SOURCES.items():
            for relative in spec.files:
                raw = (DATA / relative).read_bytes()
                reports[relative] = import_source(name, raw, file_name=relative)
        yield reports
        _clear()


@pytest.fixture
def data(loaded, db):
    cache.clear()
    return loaded


def test_every_vendored_file_imports_every_row(data):
    for relative, report in data.items():
        assert report.imported, (relative, report.refused, report.errors[:3])
        assert report.error_count == 0
        if relative.endswith("wdi_personal_remittances_paid.csv"):
            continue  # one row per economy × year with a figure (checked below)
        assert report.rows == len(_csv_rows(relative)), relative
    assert MigrantStock.objects.count() == len(undesa_rows()) == 232_517
    assert UnhcrPopulation.objects.count() == 120_338
    assert UnhcrSolutions.objects.count() == 18_899 - 2  # two places repeated in the file: summed
    demographics = _csv_rows("unhcr/unhcr_demographics.csv.gz")
    assert len(demographics) == 213_013
    keys = {
        (r["Year"], r["CountryOriginCode"], r["CountryAsylumCode"], r["Population.type"])
        for r in demographics
    }
    assert UnhcrDemographics.objects.count() == len(keys)  # summed over the locations
    assert MissingMigrantsIncident.objects.count() == 6_249 + 238
    assert RemittanceFlow.objects.count() == 12_077
    wdi = sum(
        1
        for line in list(
            csv.reader(io.StringIO((DATA / SOURCES["wdi_paid"].files[0]).read_text("utf-8-sig")))
        )[5:]
        for cell in line[4:]
        if cell.strip()
    )
    assert RemittancesPaid.objects.count() == wdi


def test_unhcr_totals_equal_the_file(data):
    rows = _csv_rows("unhcr/unhcr_end_year_population_totals.csv.gz")
    ven_2022 = sum(
        int(float(r["REF"]))
        for r in rows
        if r["CountryOriginCode"] == "VEN" and r["Year"] == "2022.0"
    )
    stored = sum(
        UnhcrPopulation.objects.filter(origin_iso2="VE", year=2022).values_list(
            "refugees", flat=True
        )
    )
    assert stored == ven_2022 > 0


def test_regional_aggregates_are_flagged_and_left_out_of_totals_and_rankings(data):
    assert Area.objects.get(m49=484).kind == AreaKind.COUNTRY
    assert Area.objects.get(m49=484).iso2 == "MX"
    assert Area.objects.get(m49=928).kind == AreaKind.AGGREGATE  # Melanesia
    assert Area.objects.get(m49=2003).kind == AreaKind.AREA  # "Other"
    flagged = {a.m49 for a in Area.objects.filter(kind=AreaKind.AGGREGATE)}
    assert flagged == {928, 954, 957}
    # Total of Mexican-born migrants: the file's rows of origin 484, aggregates left out.
    expected = sum(
        int(float(r["migrant_stock"]))
        for r in undesa_rows()
        if int(float(r["origin_m49"])) == 484
        and r["year"] == "2020"
        and r["sex"] == "female"
        and kind_of(int(float(r["destination_m49"]))) != AreaKind.AGGREGATE
    )
    assert sources.migrant_stock(origin="MX")["female"] == expected
    ranked = sources.region_profile("lac")["ranking"]
    assert ranked and all(len(r["code"]) == 2 for r in ranked)
    names = {r["code"] for r in sources.region_profile("americas")["destinations"]}
    assert names and all(Area.objects.get(iso2=c).kind == AreaKind.COUNTRY for c in names)


def test_a_reimport_changes_nothing(data):
    raw = UNDESA_FILE.read_bytes()
    before = MigrantStock.objects.count()
    report = import_source("undesa", raw, file_name=UNDESA_FILE.name)
    assert report.imported
    assert (report.created, report.updated, report.unchanged) == (0, 0, before)
    assert MigrantStock.objects.count() == before
    for relative in SOURCES["missing_migrants"].files:
        again = import_source("missing_migrants", (DATA / relative).read_bytes())
        assert again.created == again.updated == 0 and again.unchanged == again.rows


def test_both_missing_migrants_layouts_in_one_table(data):
    assert set(MissingMigrantsIncident.objects.values_list("layout", flat=True)) == {
        "old",
        "current",
    }
    old = _csv_rows(SOURCES["missing_migrants"].files[0])[0]
    stored = MissingMigrantsIncident.objects.get(incident_id=old["Web ID"])
    assert stored.dead == int(old["Number Dead"])
    assert stored.region == old["Region of Incident"]
    assert stored.route == old["Migration Route"]
    current = _csv_rows(SOURCES["missing_migrants"].files[1])[0]
    stored = MissingMigrantsIncident.objects.get(incident_id=current["Incident ID"])
    assert stored.country_of_origin == current["Country of Origin"]
    assert stored.region == current["Region"]
    assert stored.date.year == int(current["Year"])
    # The Americas' dead and missing by year equal the sums over both files' rows.
    regions = set(sources.AMERICAS_MM_REGIONS)
    by_year: Counter[int] = Counter()
    for relative, region_col, year_col in (
        (SOURCES["missing_migrants"].files[0], "Region of Incident", "Reported Year"),
        (SOURCES["missing_migrants"].files[1], "Region", "Year"),
    ):
        for r in _csv_rows(relative):
            if r[region_col] in regions:
                n = int(r["Number Dead"] or 0) + int(r["Minimum Estimated Number of Missing"] or 0)
                by_year[int(r[year_col])] += n
    shown = {r["year"]: r["dead_and_missing"] for r in sources.region_profile()["missing_migrants"]}
    assert shown == {y: n for y, n in by_year.items() if y in shown}
    assert sum(shown.values()) == sum(by_year.values())


def test_country_page_shows_the_source_figure_formatted(data):
    women = stock_in_file(840, 484, 2020, "female")  # Mexican-born women in the United States
    client = Client()
    body = client.get("/indicators/MX/").content.decode()
    with override("es"):
        assert number_format(women, 0, force_grouping=True) in body
        assert gettext("Where emigrants live") in body
    client.cookies["django_language"] = "en"
    body = client.get("/indicators/MX/").content.decode()
    assert f"{women:,}" in body
    assert "<svg" in body and 'role="img"' in body


def test_country_page_shows_the_latest_remittances_paid_from_wdi(data):
    rows = list(
        csv.reader(io.StringIO((DATA / SOURCES["wdi_paid"].files[0]).read_text("utf-8-sig")))
    )
    header = next(r for r in rows if r and r[0] == "Country Name")
    mexico = next(r for r in rows if len(r) > 1 and r[1] == "MEX")
    year, usd = next(
        (int(y), Decimal(v))
        for y, v in reversed(list(zip(header[4:], mexico[4:], strict=False)))
        if v.strip()
    )
    paid = sources.country_profile("MX")["paid"]
    assert paid["year"] == year
    assert paid["usd_million"] == (usd / 1_000_000).quantize(Decimal("0.1"))
    body = Client().get("/indicators/MX/").content.decode()
    with override("es"):
        assert number_format(paid["usd_million"], 1, force_grouping=True) in body


def test_region_page_and_the_americas(data):
    client = Client()
    response = client.get("/indicators/")
    assert response.status_code == 200
    body = response.content.decode()
    with override("es"):
        assert gettext("Latin America and the Caribbean") in body
    assert "/indicators/MX/" in body
    assert client.get("/indicators/", {"region": "americas"}).status_code == 200


def test_chart_csv_holds_the_table_and_is_spreadsheet_safe(data, monkeypatch):
    client = Client()
    response = client.get("/indicators/MX/destinations.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    women = stock_in_file(840, 484, 2020, "female")
    us = next(r for r in rows[1:] if r[2] == str(women))
    assert "International Migrant Stock 2020" in us[-1]
    assert client.get("/indicators/countries.csv", {"region": "lac"}).status_code == 200

    real = sources.country_profile

    def hostile(code, year=None):
        profile = real(code, year)
        profile["destinations"][0]["name"] = "=HYPERLINK(1)"
        return profile

    monkeypatch.setattr(sources, "country_profile", hostile)
    rows = list(
        csv.reader(
            io.StringIO(client.get("/indicators/MX/destinations.csv").content.decode("utf-8-sig"))
        )
    )
    assert rows[1][0] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/indicators/ZZ/", 404),
        ("/indicators/MEX/", 404),
        ("/indicators/MX/nothing.csv", 404),
        ("/indicators/ZZ/emigrants.csv", 404),
        ("/indicators/?region=mars", 400),
        ("/indicators/MX/?period=20x6", 400),
        ("/indicators/MX/?method=exact", 400),
        ("/indicators/MX/?period=2026&method=dp", 200),
    ],
)
def test_unknown_country_is_404_and_bad_parameters_400(data, path, status):
    assert Client().get(path).status_code == status


def test_protection_section_gets_the_period_and_method(data, monkeypatch):
    calls = []

    def sections(*, country, period, method):
        calls.append((country, period, method))
        return {"note": "x"}

    monkeypatch.setattr(protection, "page_sections", sections)
    body = Client().get("/indicators/GT/?period=2026&method=dp").content.decode()
    assert calls == [("GT", "2026", "dp")]
    with override("es"):
        assert gettext("Figures from Enlace's records") in body
    monkeypatch.setattr(protection, "page_sections", lambda **kw: None)
    body = Client().get("/indicators/GT/").content.decode()
    with override("es"):
        assert gettext("Figures from Enlace's records") not in body


def test_api_migrant_stock_equals_the_file(data):
    client = Client()
    url = "/api/v1/indicators/migrant-stock/"
    body = client.get(url, {"destination": "US", "origin": "MX", "year": "2020"}).json()
    assert body["female"] == stock_in_file(840, 484, 2020, "female")
    assert body["male"] == stock_in_file(840, 484, 2020, "male")
    assert body["all"] == stock_in_file(840, 484, 2020, "all")
    assert body["source"] == sources.SOURCE_UNDESA
    assert body["total"] == ""
    totals = client.get(url, {"destination": "us"}).json()
    assert totals["year"] == 2020 and totals["origin"] is None and totals["total"]
    assert totals["all"] > body["all"]
    old = client.get(url, {"destination": "US", "origin": "MX", "year": "1990"}).json()
    assert old["female"] == stock_in_file(840, 484, 1990, "female")


@pytest.mark.parametrize(
    "params",
    [
        {"destination": "ZZ"},
        {"origin": "MEX"},
        {"destination": "US", "year": "2021"},
        {"year": "latest"},
        {"origin": ""},  # sent empty: refused, not read as every origin (schemathesis ST201)
        {"destination": "US", "year": ""},
    ],
)
def test_api_bad_codes_and_years_are_400_with_a_message(data, params):
    response = Client().get("/api/v1/indicators/migrant-stock/", params)
    assert response.status_code == 400
    body = response.json()
    assert any(k in str(body) for k in params)


def test_pages_run_a_fixed_number_of_queries(data):
    """Aggregates in the database: the same queries for a large and a small country."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = []
    for code in ("MX", "BZ"):
        client.get(f"/indicators/{code}/")  # draws and caches the charts
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/indicators/{code}/").status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1] <= 30
