"""The importers on small slices of the real files: a file with errors imports nothing and
says which row, column and why (in the reader's language); the caller may ask for the valid
rows; a re-import changes nothing and a changed figure is updated; both Missing Migrants
layouts land in one table."""

import gzip

import pytest
from django.utils.translation import gettext, override

from enlace.indicators.importers import DATA, import_source
from enlace.indicators.importers.base import decode
from enlace.indicators.models import Area, MigrantStock, MissingMigrantsIncident, SourceImport

pytestmark = pytest.mark.django_db

UNDESA = DATA / "undesa" / "ims2020_by_sex_destination_origin.csv.gz"
MM_OLD = DATA / "missing_migrants" / "missing_migrants_global_2014-2019_old_schema.csv"
MM_CURRENT = DATA / "missing_migrants" / "missing_migrants_global_2026Q1_current_schema.csv"


def head(path, lines: int) -> list[str]:
    text = decode(path.read_bytes())
    return text.splitlines()[:lines]


def test_a_file_with_errors_imports_nothing_and_reports_each_row():
    lines = head(UNDESA, 40)
    lines[4] = lines[4].rsplit(",", 1)[0] + ",abc"  # row 5: the figure
    lines[8] = lines[8].replace(",all,", ",x,")  # row 9: the sex
    raw = gzip.compress("\n".join(lines).encode())
    with override("es"):
        report = import_source("undesa", raw, file_name="broken.csv.gz")
        expected = gettext("Sex must be all, female or male.")
    assert not report.imported
    assert report.error_count == 2
    assert [(e["row"], e["column"]) for e in report.errors] == [
        (5, "migrant_stock"),
        (9, "sex"),
    ]
    assert report.errors[1]["message"] == expected
    assert MigrantStock.objects.count() == 0 and Area.objects.count() == 0
    assert SourceImport.objects.count() == 0

    valid = import_source("undesa", raw, accept_valid_rows=True)
    assert valid.imported and valid.created == 37 and valid.error_count == 2
    assert MigrantStock.objects.count() == 37


def test_a_file_of_another_layout_is_refused():
    report = import_source("undesa", MM_OLD.read_bytes())
    assert report.refused and not report.imported
    assert "destination_m49" in report.refused
    assert import_source("missing_migrants", UNDESA.read_bytes()[:5000]).refused


def test_reimport_changes_nothing_and_a_changed_figure_is_updated():
    lines = head(UNDESA, 30)
    first = import_source("undesa", "\n".join(lines))
    assert first.created == 29
    again = import_source("undesa", "\n".join(lines))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 29)
    cells = lines[1].split(",")
    cells[-1] = "12345.0"
    lines[1] = ",".join(cells)
    changed = import_source("undesa", "\n".join(lines))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 28)
    assert MigrantStock.objects.filter(stock=12345).count() == 1
    assert MigrantStock.objects.count() == 29


def test_both_missing_migrants_layouts():
    old = import_source("missing_migrants", "\n".join(head(MM_OLD, 21)))
    current = import_source("missing_migrants", "\n".join(head(MM_CURRENT, 21)))
    assert old.imported and current.imported
    assert old.created == current.created == 20
    first = MissingMigrantsIncident.objects.get(incident_id="52682")
    assert (first.date.isoformat(), first.dead, first.missing, first.males) == (
        "2020-01-05",
        4,
        1,
        5,
    )
    assert first.females is None  # an empty count stays unknown
    assert first.layout == "old" and first.region == "Mediterranean"
    assert round(first.latitude, 3) == 38.611
    new = MissingMigrantsIncident.objects.get(incident_id="2026.MMP0001")
    assert (new.date.isoformat(), new.country_of_origin, new.layout) == (
        "2026-01-01",
        "Iraq",
        "current",
    )
    assert new.route == "Türkiye-Europe land route"


def test_missing_migrants_bad_cells_are_reported():
    lines = head(MM_CURRENT, 6)
    lines[2] = lines[2].replace('"Fri, 01/02/2026 - 12:00"', '"someday"')
    report = import_source("missing_migrants", "\n".join(lines))
    assert not report.imported
    assert [(e["row"], e["column"]) for e in report.errors] == [(3, "Incident Date")]
    assert MissingMigrantsIncident.objects.count() == 0


def test_the_demo_loader_imports_once_and_skips_a_file_already_imported(tmp_path, monkeypatch):
    from enlace.indicators import importers
    from enlace.indicators.slots import demo

    (tmp_path / "undesa").mkdir()
    (tmp_path / "undesa" / "small.csv").write_text("\n".join(head(UNDESA, 11)))
    monkeypatch.setattr(importers, "DATA", tmp_path)
    small = importers.SourceFiles("undesa", importers.undesa.import_file, ("undesa/small.csv",))
    monkeypatch.setattr(importers, "SOURCES", {"undesa": small})
    assert demo() == []
    assert MigrantStock.objects.count() == 10 and SourceImport.objects.count() == 1
    assert importers.load_vendored() == []  # same digest: skipped, nothing read again
    assert SourceImport.objects.count() == 1
