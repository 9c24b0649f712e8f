"""Common keys (links.HUB_CAP): a key held by more cases than the cap links none of them, the
incremental refresh and the full recompute agree as a key crosses the cap either way, and the
network page counts the common keys without naming them."""

from typing import Any

import pytest
from django.test import Client
from django.utils.translation import gettext

from enlace.trafficking import links, services
from enlace.trafficking.links import HUB_CAP, CaseData, detect_links
from enlace.trafficking.models import CaseKey, CaseLink

CROSSING = [("GT", "Tecún Umán"), ("MX", "Ciudad Hidalgo")]


def test_a_route_segment_of_more_cases_than_the_cap_links_none():
    hubs: dict[str, int] = {}
    busy = [CaseData(f"c{i:03d}", route=tuple(CROSSING)) for i in range(HUB_CAP + 1)]
    assert detect_links(busy, hubs=hubs) == {}
    assert hubs == {"route": 1}
    # At the cap it still links every pair; two cases, one link.
    assert len(detect_links(busy[:HUB_CAP])) == HUB_CAP * (HUB_CAP - 1) // 2
    assert detect_links(busy[:2]) == {("c000", "c001", "route"): 1.0}


def test_a_common_key_does_not_hide_another_shared_key():
    phone = (("phone", "+50255551234"),)
    busy = [CaseData(f"c{i:03d}", route=tuple(CROSSING)) for i in range(HUB_CAP + 1)]
    busy[0] = CaseData("c000", identifiers=phone, route=tuple(CROSSING))
    busy[1] = CaseData("c001", identifiers=phone, route=tuple(CROSSING))
    assert detect_links(busy) == {("c000", "c001", "phone"): 1.0}


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(links, "HUB_CAP", 3)
    return 3


@pytest.fixture
def save(world, django_capture_on_commit_callbacks):
    links.links_refresh_case(world.case.pk)

    def make(**parts: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return services.case_create(
                actor=world.actor("tfp_gt"), kind="smuggling", summary="Cruce", **parts
            )

    return make


def _state() -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    return (
        set(CaseLink.objects.values_list("case_a", "case_b", "kind", "strength")),
        set(CaseKey.objects.values_list("case", "kind", "key")),
    )


def _same_as_rebuild() -> set[tuple[Any, ...]]:
    incremental = _state()
    links.links_rebuild()
    assert _state() == incremental
    return incremental[0]


def test_incremental_and_rebuild_agree_as_a_key_crosses_the_cap(
    world, save, small_cap, django_capture_on_commit_callbacks
):
    route = [{"country": c, "place": p} for c, p in CROSSING]
    made = [save(route=route) for _ in range(small_cap)]
    assert len(_same_as_rebuild()) == 3  # three cases on the crossing: three links
    # A fourth case makes the crossing common: no route link at all (not only the new one's).
    fourth = save(route=route, identifiers=[{"kind": "vehicle", "value": "P-123ABC"}])
    assert _same_as_rebuild() == set()
    # A case sharing the vehicle still links to the fourth: another key is not hidden.
    fifth = save(identifiers=[{"kind": "vehicle", "value": "p 123 abc"}])
    a, b = sorted([fourth.pk, fifth.pk], key=str)
    assert _same_as_rebuild() == {(a, b, "vehicle", 1.0)}
    # The fourth case changes its route: the crossing is back to three cases, linked again.
    with django_capture_on_commit_callbacks(execute=True):
        services.case_update(
            actor=world.actor("tfp_gt"),
            case=fourth,
            version=fourth.version,
            route=[{"country": "GT", "place": "El Carmen"}, {"country": "MX", "place": "Talismán"}],
        )
    found = _same_as_rebuild()
    assert {(x, y, k) for x, y, k, _s in found if k == "route"} == {
        (*sorted([p.pk, q.pk], key=str), "route") for i, p in enumerate(made) for q in made[i + 1 :]
    }


def test_an_import_past_the_cap_agrees_with_the_rebuild(world, small_cap):
    links.links_refresh_case(world.case.pk)
    made = [
        services.case_create(
            actor=world.actor("tfp_gt"),
            kind="smuggling",
            summary="Cruce",
            identifiers=[{"kind": "place", "value": "Terminal de buses"}],
        )
        for _ in range(5)
    ]
    links.links_refresh_cases([c.pk for c in made[:2]])
    assert len(_state()[0]) == 1
    links.links_refresh_cases([c.pk for c in made[2:]])  # five holders now: common
    assert _same_as_rebuild() == set()


def test_the_network_page_counts_common_keys(world, save, small_cap):
    route = [{"country": c, "place": p} for c, p in CROSSING]
    for _ in range(small_cap + 1):
        save(route=route)
    client = Client()
    client.force_login(world.users["tfp_gt"])
    page = client.get("/trafficking/network/").content.decode()
    assert 'id="common-keys"' in page
    assert f"{gettext('Route segments')} 1" in page
    assert "Tecún" not in page.split('id="common-keys"')[1].split("</p>")[0]
    # A reader who sees none of these cases is told nothing about them.
    client.force_login(world.users["tfp_hn"])
    assert 'id="common-keys"' not in client.get("/trafficking/network/").content.decode()
