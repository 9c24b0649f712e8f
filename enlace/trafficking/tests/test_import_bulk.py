"""An HTCDS import as one bulk write: ONE inbox item per office concerned for the whole file (no
identity in it), the links of every imported case brought up to date in one pass after commit,
and a bounded number of queries per imported case."""

import io
from typing import Any

from django.utils import translation
from openpyxl import load_workbook

from enlace.inbox.models import Item, Kind
from enlace.inbox.present import title
from enlace.trafficking import alerts, htcds_io, links
from enlace.trafficking.models import Alert, CaseKey, CaseLink, TraffickingCase

from .conftest import PHONE

# Queries per imported case (the difference between an import of 40 cases and one of 20, over
# 20): the case with its reference, route, perpetrator and identifier rows and its audit row,
# through the services, with three savepoints (the case's own, the services', the reference's).
# Measured 13.2 (304 and 568 queries in all). Before the bulk path each case also ran its own
# alerts and link refresh after commit: 78 per case on this workbook (main at a039881: 1,562
# and 3,127 queries).
QUERIES_PER_CASE = 14
FIXED_QUERIES = 45  # the workbook's checks, the alerts and the links pass, once per import


def _workbook(world: Any, n: int, *, prefix: str = "IMP") -> bytes:
    """n cases of GT's focal point on a route Honduras → Mexico; cases 2k and 2k+1 share a
    phone (written two ways), the first case also has the world case's phone, and the last two
    share a perpetrator with a rare name."""
    book = load_workbook(io.BytesIO(htcds_io._workbook_bytes()))
    sheet = book["Sheet1"]
    header = {c.value: c.column for c in sheet[1] if c.value}
    route, identifiers, perpetrators = book["Route"], book["Identifiers"], book["Perpetrators"]
    for i in range(n):
        key = f"{prefix}-{i}"
        sheet.cell(3 + i, header["enl_CaseReference"], key)
        sheet.cell(3 + i, header["cas_Status"], "Active")
        sheet.cell(3 + i, header["enl_Summary"], f"Caso importado {i}")
        route.append([key, 1, "HN", f"San Pedro Sula {i}"])
        route.append([key, 2, "MX", f"Tapachula {i}"])
        local = f"4{i // 2:07d}"
        written = f"+502 {local[:4]} {local[4:]}" if i % 2 else local
        identifiers.append([key, "phone", written])
    identifiers.append([f"{prefix}-0", "phone", PHONE])
    for i in (n - 2, n - 1):
        perpetrators.append([f"{prefix}-{i}", 1, "Rigoberto", "Tun Ixcoy"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(world: Any, raw: bytes, capture: Any) -> dict[str, Any]:
    with capture(execute=True):
        report = htcds_io.import_htcds(world.actor("tfp_gt"), raw, dry_run=False)
    assert report["imported"] and report["errors"] == [], report["errors"][:3]
    return report


def test_an_import_makes_one_inbox_item_per_office_concerned(
    world, django_capture_on_commit_callbacks
):
    report = _import(world, _workbook(world, 6), django_capture_on_commit_callbacks)
    assert report["created"] == 6
    items = Item.objects.filter(kind__startswith="trafficking_")
    # Honduras and Mexico: one item each for the whole file; Guatemala (the importer) none.
    assert sorted(items.values_list("kind", "office__country_id")) == [
        (Kind.TRAFFICKING_IMPORT_ALERT, "HN"),
        (Kind.TRAFFICKING_IMPORT_ALERT, "MX"),
    ]
    for item in items:
        assert item.params["count"] == "6"
        assert set(item.params) == {"office", "date", "count"}  # no reference, no identity
        with translation.override("en"):
            assert title(item).startswith(f"Cases imported by {world.offices['gt'].name} on ")
            assert title(item).endswith("whose route passes through your country: 6")
    # Each case still has its alert to acknowledge, on the alerts page of both offices.
    imported = TraffickingCase.objects.exclude(pk=world.case.pk)
    alerted = Alert.objects.filter(case__in=imported)
    assert alerted.count() == 12
    assert set(alerted.values_list("reason", flat=True)) == {Alert.Reason.IMPORTED}
    assert len(set(alerted.values_list("alerted_at", flat=True))) == 1


def test_a_changed_route_in_a_new_import_moves_the_alerts_and_says_so_once(
    world, django_capture_on_commit_callbacks
):
    raw = _workbook(world, 4)
    _import(world, raw, django_capture_on_commit_callbacks)
    # The same file again: nothing changed, nothing written, nobody told.
    before = Item.objects.count()
    report = _import(world, raw, django_capture_on_commit_callbacks)
    assert report["unchanged"] == 4 and Item.objects.count() == before
    # One case now goes through Guatemala and the United States instead of Mexico.
    book = load_workbook(io.BytesIO(raw))
    for row in book["Route"].iter_rows(min_row=3):
        if row[0].value == "IMP-1" and row[2].value == "MX":
            row[2].value = "US"
    out = io.BytesIO()
    book.save(out)
    report = _import(world, out.getvalue(), django_capture_on_commit_callbacks)
    assert report["updated"] == 1 and report["unchanged"] == 3
    case = TraffickingCase.objects.get(import_key="IMP-1")
    assert sorted(Alert.objects.filter(case=case).values_list("office__country_id", flat=True)) == [
        "HN"
    ]
    latest = Item.objects.filter(kind=Kind.TRAFFICKING_IMPORT_ALERT).order_by("created")
    assert sorted((i.office.country_id, i.params["count"]) for i in latest) == [
        ("HN", "1"),
        ("HN", "4"),
        ("MX", "4"),
    ]


def test_links_exist_after_an_import_as_a_rebuild_finds_them(
    world, django_capture_on_commit_callbacks
):
    links.links_refresh_case(world.case.pk)  # the world's case, indexed as its save would
    _import(world, _workbook(world, 6), django_capture_on_commit_callbacks)
    ref = dict(TraffickingCase.objects.values_list("import_key", "pk"))
    found = set(CaseLink.objects.values_list("case_a_id", "case_b_id", "kind"))

    def link(x: Any, y: Any, kind: str) -> tuple[Any, Any, str]:
        a, b = sorted([x, y], key=str)
        return (a, b, kind)

    expected = {link(ref[f"IMP-{2 * k}"], ref[f"IMP-{2 * k + 1}"], "phone") for k in range(3)}
    expected.add(link(ref["IMP-0"], world.case.pk, "phone"))
    expected.add(link(ref["IMP-4"], ref["IMP-5"], "perpetrator"))
    assert found == expected
    # The full recompute agrees, keys included.
    keys = set(CaseKey.objects.values_list("case_id", "kind", "key"))
    links.links_rebuild()
    assert set(CaseLink.objects.values_list("case_a_id", "case_b_id", "kind")) == found
    assert set(CaseKey.objects.values_list("case_id", "kind", "key")) == keys


def test_nothing_is_sent_or_linked_when_the_import_rolls_back(
    world, django_capture_on_commit_callbacks
):
    raw = _workbook(world, 4)
    book = load_workbook(io.BytesIO(raw))
    book["Route"].append(["IMP-3", 3, "XX", "Nowhere"])  # an invalid country: nothing imported
    out = io.BytesIO()
    book.save(out)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = htcds_io.import_htcds(world.actor("tfp_gt"), out.getvalue(), dry_run=False)
    assert report["errors"] and not report["imported"]
    assert callbacks == []
    assert not Item.objects.filter(kind=Kind.TRAFFICKING_IMPORT_ALERT).exists()
    assert TraffickingCase.objects.count() == 1


def test_imported_alerts_escalate_in_one_item_per_office(world, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    _import(world, _workbook(world, 4), django_capture_on_commit_callbacks)
    alert = Alert.objects.filter(office=world.offices["hn"]).first()
    alerts.alert_acknowledge(actor=world.actor("tfp_hn"), alert=alert)
    later = timezone.now() + dt.timedelta(days=alerts.escalation_days() + 1)
    assert alerts.alerts_escalate(now=later) == 3 + 4  # Honduras's three left, Mexico's four
    escalated = Item.objects.filter(kind=Kind.TRAFFICKING_IMPORT_ESCALATED)
    # One to each alerted office's focal points, one to Mexico's national focal points.
    assert sorted((i.office.country_id, i.roles, i.params["count"]) for i in escalated) == [
        ("HN", ",trafficking_focal_point,", "3"),
        ("MX", ",national_focal_point,", "4"),
        ("MX", ",trafficking_focal_point,", "4"),
    ]
    assert alerts.alerts_escalate(now=later) == 0  # once


def test_queries_per_imported_case_are_bounded(
    world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    counts = []
    for size in (20, 40):
        raw = _workbook(world, size, prefix=f"Q{size}")
        with django_assert_max_num_queries(FIXED_QUERIES + QUERIES_PER_CASE * size) as queries:
            report = _import(world, raw, django_capture_on_commit_callbacks)
        assert report["created"] == size
        counts.append(len(queries))
        # One item per office concerned (Honduras, Mexico) per import, whatever its size.
        assert Item.objects.filter(kind=Kind.TRAFFICKING_IMPORT_ALERT).count() == 2 * len(counts)
    assert (counts[1] - counts[0]) / 20 <= QUERIES_PER_CASE, counts
