"""Writes: validation against the HTCDS catalogue, stale edits (409), the audit trail, the
victims' identity protection, identifiers normalised, and the on_case_saved hooks."""

import pytest
from django.db import transaction
from django.http import Http404

from enlace.audit.models import ChangeEvent
from enlace.core.errors import StaleEdit, ValidationFailed
from enlace.people import services as people_services
from enlace.trafficking import services
from enlace.trafficking.identifiers import normalise
from enlace.trafficking.models import Identifier, TraffickingCase

from .conftest import ALIAS, PERPETRATOR_NAME, VICTIM_NAME


def test_create_writes_the_case_its_rows_and_an_audit_row(world):
    case = world.case
    assert case.reference.startswith("TP-GT-")
    assert case.owner_office == world.offices["gt"]
    assert [s.country_id for s in case.route.order_by("position")] == ["GT", "MX", "US"]
    victim = case.victims.get()
    assert victim.methods_of_control == ["DebtBondage"]
    event = ChangeEvent.objects.get(record_id=str(case.pk), action="trafficking_case_create")
    assert event.changes["victims"] == ["", "1"]
    # The history never carries a name: it is read more widely than the identities.
    assert VICTIM_NAME[0] not in str(event.changes)
    assert PERPETRATOR_NAME[0] not in str(event.changes)


def test_a_victim_s_identity_becomes_protected_through_people_s_service(world):
    officer = world.actor("officer_gt_consulate")
    person = people_services.person_create(
        actor=officer, data={"given_names": "Nemesia", "first_surname": "Tun", "sex": "F"}
    )
    assert person.identity_protection == ""
    # A focal point may name only people they can see: flagged first by the registering office.
    people_services.vulnerability_add(actor=officer, person=person, kind="trafficking_victim")
    people_services.vulnerability_remove(actor=officer, person=person, kind="trafficking_victim")
    person.refresh_from_db()
    assert person.identity_protection == ""
    people_services.vulnerability_add(actor=officer, person=person, kind="trafficking_victim")
    services.case_update(
        actor=world.actor("tfp_gt"),
        case=world.case,
        version=world.case.version,
        victims=[{"person": world.person.pk}, {"person": person.pk}],
    )
    # The flag goes, the case keeps the identity protected.
    people_services.vulnerability_remove(actor=officer, person=person, kind="trafficking_victim")
    person.refresh_from_db()
    assert person.identity_protection == "trafficking"


def test_stale_edit_is_refused_and_changes_nothing(world):
    tfp = world.actor("tfp_gt")
    fresh = services.case_update(
        actor=tfp, case=world.case, version=world.case.version, data={"summary": "Nuevo"}
    )
    assert fresh.version == world.case.version + 1
    with pytest.raises(StaleEdit), transaction.atomic():
        services.case_update(
            actor=tfp, case=world.case, version=world.case.version, data={"summary": "Viejo"}
        )
    assert TraffickingCase.objects.get(pk=world.case.pk).summary == "Nuevo"


@pytest.mark.parametrize(
    "key",
    ["tfp_mx", "tfp_hn", "nfp_gt", "officer_gt", "officer_gt_consulate", "analyst", "admin"],
)
def test_only_focal_points_of_the_owner_country_edit(world, key):
    with pytest.raises(Http404):
        services.case_update(
            actor=world.actor(key), case=world.case, version=world.case.version, data={}
        )


@pytest.mark.parametrize("key", ["nfp_gt", "officer_gt", "analyst", "admin"])
def test_only_trafficking_focal_points_open_cases(world, key):
    with pytest.raises(Http404):
        services.case_create(actor=world.actor(key), kind="trafficking", summary="x")


@pytest.mark.parametrize(
    ("rows", "key"),
    [
        ({"victims": [{"person": "x", "methods_of_control": ["Beating"]}]}, "victims.0."),
        ({"perpetrators": [{"given_names": "A", "role_in_process": ["Boss"]}]}, "perpetrators.0."),
        ({"route": [{"country": "XX"}]}, "route.0.country"),
        ({"route": [{"country": "MX", "transport": "rocket"}]}, "route.0.transport"),
        ({"identifiers": [{"kind": "phone", "value": "12"}]}, "identifiers.0.value"),
        ({"events": [{"type": "Holiday"}]}, "events.0.type"),
        ({"incidents": [{"kind": "death"}]}, "incidents"),  # trafficking: no incidents
        ({"status": "Open"}, "status"),
    ],
)
def test_invalid_input_names_the_row_and_field(world, rows, key):
    with pytest.raises(ValidationFailed) as exc, transaction.atomic():
        services.case_create(actor=world.actor("tfp_gt"), kind="trafficking", summary="x", **rows)
    assert any(k.startswith(key) for k in exc.value.errors), exc.value.errors


def test_a_person_out_of_reach_is_refused_as_a_victim(world):
    # The MX focal point cannot see the GT-registered victim: the same error as a missing one.
    with pytest.raises(ValidationFailed) as exc, transaction.atomic():
        services.case_create(
            actor=world.actor("tfp_mx"),
            kind="trafficking",
            summary="x",
            victims=[{"person": world.person.pk}],
        )
    assert "victims.0.person" in exc.value.errors


def test_smuggling_fees_and_incidents(world):
    case = services.case_create(
        actor=world.actor("tfp_gt"),
        kind="smuggling",
        summary="Abandono",
        victims=[{"person": world.person.pk, "fee_paid": "3500.50", "fee_currency": "usd"}],
        incidents=[{"kind": "abandonment", "persons_affected": 12, "deaths": 1}],
    )
    assert case.reference.startswith("SM-GT-")
    victim = case.victims.get()
    assert (str(victim.fee_paid), victim.fee_currency) == ("3500.50", "USD")
    assert case.incidents.get().deaths == 1
    with pytest.raises(ValidationFailed), transaction.atomic():
        services.case_create(
            actor=world.actor("tfp_gt"),
            kind="smuggling",
            summary="x",
            victims=[{"person": world.person.pk, "fee_paid": "10", "fee_currency": "XYZ"}],
        )


def test_phone_numbers_written_differently_normalise_the_same(world):
    assert normalise("phone", "+502 5555 1234", region="GT") == "+50255551234"
    assert normalise("phone", "55551234", region="GT") == "+50255551234"
    assert normalise("vehicle", "c-987 xyz", region="GT") == "C987XYZ"
    assert normalise("bank_account", "gt12 3456-78", region="GT") == "GT12345678"
    assert normalise("place", "Finca  LA Esperanza", region="GT") == "finca la esperanza"
    phone = world.case.identifiers.get(kind=Identifier.Kind.PHONE)
    assert phone.normalised == "+50255551234"
    assert phone.perpetrator is not None
    assert ALIAS in phone.perpetrator.aliases


def test_hooks_run_after_commit_with_created_and_changed_route(
    world, django_capture_on_commit_callbacks
):
    calls = []

    def hook(actor, case, created, changed_route):
        calls.append((case.pk, created, changed_route))

    services.on_case_saved(hook)
    try:
        tfp = world.actor("tfp_gt")
        with django_capture_on_commit_callbacks(execute=True):
            services.case_update(
                actor=tfp, case=world.case, version=world.case.version, data={"summary": "S"}
            )
        with django_capture_on_commit_callbacks(execute=True):
            services.case_update(
                actor=tfp,
                case=world.case,
                version=world.case.version + 1,
                route=[{"country": "GT"}, {"country": "HN"}],
            )
        with django_capture_on_commit_callbacks(execute=True):
            made = services.case_create(
                actor=tfp, kind="trafficking", summary="x", route=[{"country": "GT"}]
            )
    finally:
        services.CASE_SAVED_HOOKS.remove(hook)
    assert calls == [
        (world.case.pk, False, False),
        (world.case.pk, False, True),
        (made.pk, True, True),
    ]
