"""Links between cases: each kind links what it should and nothing else; the incremental update
on save equals the full recompute."""

from typing import Any

import pytest

from enlace.trafficking import links, services
from enlace.trafficking.links import CaseData, PerpetratorRow, detect_links, names_strength
from enlace.trafficking.models import CaseKey, CaseLink

from .conftest import PERPETRATOR_NAME


@pytest.fixture
def save(world, django_capture_on_commit_callbacks):
    """Open a case as a focal point and run the on_case_saved hooks (after commit). The
    world's case was opened without them (its transaction never commits in a test): index it."""
    links.links_refresh_case(world.case.pk)

    def make(world: Any, who: str = "tfp_gt", **parts: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return services.case_create(
                actor=world.actor(who), kind="trafficking", summary="Caso vinculado", **parts
            )

    return make


def kinds_between(a: Any, b: Any) -> set[str]:
    x, y = sorted([a.pk, b.pk], key=str)
    return set(CaseLink.objects.filter(case_a=x, case_b=y).values_list("kind", flat=True))


def person(given: str, surnames: str, *aliases: str) -> dict[str, Any]:
    return {"given_names": given, "surnames": surnames, "aliases": list(aliases)}


def test_a_phone_written_two_ways_links_two_guatemalan_cases(world, save):
    # The world's case has "+502 5555 1234"; a GT focal point types it the local way.
    other = save(world, identifiers=[{"kind": "phone", "value": "5555-1234"}])
    assert kinds_between(world.case, other) == {"phone"}


def test_different_numbers_do_not_link(world, save):
    other = save(world, identifiers=[{"kind": "phone", "value": "5555-1235"}])
    assert kinds_between(world.case, other) == set()


@pytest.mark.parametrize(
    ("kind", "value"),
    [("vehicle", "C987XYZ"), ("place", "finca la esperanza")],
)
def test_a_vehicle_or_a_place_written_differently_links(world, save, kind, value):
    other = save(world, identifiers=[{"kind": kind, "value": value}])
    assert kinds_between(world.case, other) == {kind}


def test_a_bank_account_links_only_the_same_account(world, save):
    a = save(world, identifiers=[{"kind": "bank_account", "value": "GT-0012 3456"}])
    b = save(world, identifiers=[{"kind": "bank_account", "value": "gt00123456"}])
    c = save(world, identifiers=[{"kind": "bank_account", "value": "GT00123457"}])
    assert kinds_between(a, b) == {"bank_account"}
    assert kinds_between(a, c) == kinds_between(b, c) == set()


def test_the_same_route_segment_links_but_one_shared_stop_does_not(world, save):
    # The world's route: GT Huehuetenango -> MX Comitán -> US Phoenix.
    same = save(
        world,
        route=[
            {"country": "HN", "place": "San Pedro Sula"},
            {"country": "GT", "place": "HUEHUETENANGO"},
            {"country": "MX", "place": "Comitan"},
        ],
    )
    one_stop = save(
        world,
        route=[
            {"country": "GT", "place": "Huehuetenango"},
            {"country": "MX", "place": "Tapachula"},
        ],
    )
    reversed_ = save(
        world,
        route=[
            {"country": "MX", "place": "Comitán"},
            {"country": "GT", "place": "Huehuetenango"},
        ],
    )
    assert kinds_between(world.case, same) == {"route"}
    assert kinds_between(world.case, one_stop) == set()
    assert kinds_between(world.case, reversed_) == set()


def test_a_perpetrator_known_by_an_alias_in_another_case_links(world, save):
    a = save(world, perpetrators=[person("Ubaldino", "Quetzalcoatl", "Juan Carlos Méndez Ruiz")])
    b = save(world, perpetrators=[person("Juan Carlos", "Mendez Ruiz")])
    assert kinds_between(a, b) == {"perpetrator"}
    link = CaseLink.objects.get(kind="perpetrator", case_a__in=[a, b], case_b__in=[a, b])
    assert link.strength >= links.NAME_THRESHOLD


def test_the_world_perpetrator_by_full_name_links_but_a_nickname_alone_does_not(world, save):
    # The world's perpetrator has one surname (Ubaldino Quetzalcoatl, alias El Zopilote).
    nickname = save(world, perpetrators=[person("", "", "El Zopilote")])
    assert kinds_between(world.case, nickname) == set()
    same = save(world, perpetrators=[person(*PERPETRATOR_NAME)])
    # A rare given name and one surname: the engine says 0.89 (see NAME_THRESHOLD): no link.
    assert kinds_between(world.case, same) == set()


def test_a_common_name_alone_does_not_link_unless_the_engine_is_sure(world, save):
    a = save(world, perpetrators=[person("José", "García")])
    b = save(world, perpetrators=[person("Jose", "Garcia")])
    assert kinds_between(a, b) == set()
    # Even with both surnames a frequent name is not enough for the engine (0.89)...
    common_a = save(world, perpetrators=[person("José", "García López")])
    common_b = save(world, perpetrators=[person("Jose", "Garcia Lopez")])
    assert kinds_between(common_a, common_b) == set()
    # ... a rare one is (0.99): that is a link.
    rare_a = save(world, perpetrators=[person("Rigoberto", "Tun Ixcoy")])
    rare_b = save(world, perpetrators=[person("RIGOBERTO", "TUN IXCOY")])
    assert kinds_between(rare_a, rare_b) == {"perpetrator"}
    assert kinds_between(a, common_a) == set()


def test_the_threshold_sits_between_what_the_engine_says_of_the_name_pairs():
    def rows(given: str, surnames: str) -> list[Any]:
        return links.name_records("x", [PerpetratorRow(given, surnames)])

    rare = names_strength(rows("Rigoberto", "Tun Ixcoy"), rows("RIGOBERTO", "TUN IXCOY"))
    assert rare is not None and rare > 0.95
    same = names_strength(rows("Juan Carlos", "Méndez Ruiz"), rows("Juan Carlos", "Mendez Ruiz"))
    assert same is not None and same > links.NAME_THRESHOLD
    assert names_strength(rows("José", "García"), rows("Jose", "Garcia")) is None
    # No blocking key at all for a frequent given name and one surname: none at any threshold.
    assert names_strength(rows("José", "García"), rows("Jose", "Garcia"), threshold=0.2) is None
    # Just under the threshold: a frequent name with both surnames, contained given names.
    for pair in (
        (rows("José", "García López"), rows("Jose", "Garcia Lopez")),
        (rows("Juan Carlos", "Méndez Ruiz"), rows("Juan", "Méndez Ruiz")),
    ):
        assert names_strength(*pair) is None
        lower = names_strength(*pair, threshold=0.8)
        assert lower is not None and 0.8 <= lower < links.NAME_THRESHOLD


def test_an_edit_removes_a_link_and_the_index_follows(
    world, save, django_capture_on_commit_callbacks
):
    other = save(world, identifiers=[{"kind": "phone", "value": "5555-1234"}])
    assert kinds_between(world.case, other) == {"phone"}
    with django_capture_on_commit_callbacks(execute=True):
        services.case_update(
            actor=world.actor("tfp_gt"),
            case=other,
            version=other.version,
            identifiers=[{"kind": "vehicle", "value": "P-123ABC"}],
        )
    assert kinds_between(world.case, other) == set()
    assert set(CaseKey.objects.filter(case=other).values_list("kind", flat=True)) == {"vehicle"}


def test_the_index_holds_no_readable_value(world):
    links.links_refresh_case(world.case.pk)
    stored = list(CaseKey.objects.filter(case=world.case).values_list("key", flat=True))
    assert stored
    assert not any("5555" in k or "quetz" in k.lower() or "huehue" in k.lower() for k in stored)


def test_incremental_updates_equal_the_full_recompute(world, save):
    save(world, identifiers=[{"kind": "phone", "value": "5555 1234"}])
    save(
        world,
        perpetrators=[person("Juan Carlos", "Méndez Ruiz")],
        identifiers=[{"kind": "vehicle", "value": "P 555 XYZ"}],
    )
    save(world, perpetrators=[person("Pedro", "Alvarado", "Juan Carlos Mendes Ruiz")])
    save(world, identifiers=[{"kind": "vehicle", "value": "p555xyz"}])
    save(
        world,
        route=[{"country": "GT", "place": "Huehuetenango"}, {"country": "MX", "place": "Comitán"}],
    )
    save(world, identifiers=[{"kind": "place", "value": "Otra finca"}])

    def snapshot() -> set[tuple[Any, ...]]:
        return set(CaseLink.objects.values_list("case_a", "case_b", "kind", "strength"))

    def index() -> set[tuple[Any, ...]]:
        return set(CaseKey.objects.values_list("case", "kind", "key"))

    incremental, keys = snapshot(), index()
    assert len({k for _a, _b, k, _s in incremental}) == 4  # phone, vehicle, perpetrator, route
    assert links.links_rebuild() == {"cases": 7, "links": len(incremental)}
    assert snapshot() == incremental
    assert index() == keys


def test_detection_on_plain_rows_groups_by_key_not_pairs():
    cases = [
        CaseData("a", identifiers=(("phone", "+50255551234"),)),
        CaseData("b", identifiers=(("phone", "+50255551234"), ("vehicle", "P1"))),
        CaseData("c", identifiers=(("vehicle", "P1"),)),
        CaseData("d", identifiers=(("vehicle", "P2"),)),
    ]
    assert detect_links(cases) == {
        ("a", "b", "phone"): 1.0,
        ("b", "c", "vehicle"): 1.0,
    }


def test_the_rebuild_command_runs_the_job(world, save):
    from django.core.management import call_command

    other = save(world, identifiers=[{"kind": "phone", "value": "5555-1234"}])
    CaseLink.objects.all().delete()
    call_command("trafficking_links", "--rebuild", "--now")
    assert kinds_between(world.case, other) == {"phone"}
