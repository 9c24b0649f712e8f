"""Entering and correcting quotes: validation per field, the currency rule, the change history
and the version (409)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from enlace.accounts.models import Role
from enlace.audit.models import ChangeEvent
from enlace.core.errors import StaleEdit, ValidationFailed
from enlace.remittances import services
from enlace.remittances.models import Provider, Quote

from .factories import provider

pytestmark = pytest.mark.django_db
D = Decimal


def _data(prov, **extra):
    return {
        "provider": prov.pk,
        "sending": "US",
        "receiving": "MX",
        "collected_on": "2026-11-16",
        "amount": "200",
        "fee": "5",
        "applied_rate": "17.00",
        "interbank_rate": "17.34",
        "speed": "same_day",
        **extra,
    }


def test_create_defaults_and_audit(focal_mx):
    prov = provider("Envíos Norte")
    quote = services.quote_create(actor=focal_mx, data=_data(prov))
    assert quote.currency_id == "USD"  # the sending country's
    assert quote.receiving_currency_id == "MXN"
    assert quote.period == "2026Q4"  # the date's quarter
    assert str(services.quote_figures(quote)["total_cost_pct"]) == "4.46"
    event = ChangeEvent.objects.get(record_id=str(quote.pk))
    assert event.action == "create" and event.actor == focal_mx.user
    assert event.changes["fee"] == ["None", "5"]


def test_a_stated_currency_is_kept(focal_mx):
    quote = services.quote_create(
        actor=focal_mx, data=_data(provider("Norte"), sending="MX", receiving="GT", currency="usd")
    )
    assert quote.currency_id == "USD"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("fee", "-1"),
        ("amount", "0"),
        ("applied_rate", "0"),
        ("interbank_rate", "-17"),
        ("fee", "abc"),
        ("collected_on", "2026-02-30"),
        ("speed", "warp"),
        ("period", "2026Q5"),
        ("currency", "XXZ"),
        ("amount", "1e20"),
    ],
)
def test_invalid_fields_are_refused_by_name(focal_mx, field, value):
    with pytest.raises(ValidationFailed) as err:
        services.quote_create(actor=focal_mx, data=_data(provider("Norte"), **{field: value}))
    assert field in err.value.errors
    assert Quote.objects.count() == 0


def test_a_future_date_is_refused(focal_mx):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as err:
        services.quote_create(
            actor=focal_mx, data=_data(provider("Norte"), collected_on=tomorrow.isoformat())
        )
    assert "collected_on" in err.value.errors


def test_corridor_out_of_the_focal_point_s_country_is_refused(focal_mx, analyst):
    data = _data(provider("Norte"), sending="US", receiving="GT")
    with pytest.raises(ValidationFailed):
        services.quote_create(actor=focal_mx, data=data)
    assert services.quote_create(actor=analyst, data=data).corridor.receiving_id == "GT"


def test_others_may_not_write(world):
    for role in (Role.OFFICER, Role.SUPERVISOR, Role.ASSOCIATION_REP, Role.ANALYST):
        with pytest.raises(Http404):
            services.quote_create(actor=world.actor(role), data=_data(provider("Norte")))


def test_update_bumps_version_audits_and_refuses_stale(focal_mx):
    quote = services.quote_create(actor=focal_mx, data=_data(provider("Norte")))
    updated = services.quote_update(actor=focal_mx, quote=quote, data={"fee": "6"}, version=1)
    assert updated.version == 2 and updated.fee == D("6")
    assert updated.applied_rate == D("17")  # untouched fields kept
    event = ChangeEvent.objects.get(record_id=str(quote.pk), action="update")
    assert event.changes == {"fee": ["5.0000", "6"]} or event.changes["fee"][1] == "6"
    with pytest.raises(StaleEdit):
        services.quote_update(actor=focal_mx, quote=quote, data={"fee": "7"}, version=1)
    assert Quote.objects.get(pk=quote.pk).fee == D("6")


def test_duplicate_quote_is_a_clear_error(focal_mx):
    prov = provider("Norte")
    services.quote_create(actor=focal_mx, data=_data(prov))
    with pytest.raises(ValidationFailed) as err:
        services.quote_create(actor=focal_mx, data=_data(prov))
    assert "product" in err.value.errors


def test_focal_point_cannot_correct_another_country_s_quote(focal_mx, focal_gt, analyst):
    quote = services.quote_create(
        actor=analyst, data=_data(provider("Norte"), sending="US", receiving="GT")
    )
    with pytest.raises(Http404):
        services.quote_update(actor=focal_mx, quote=quote, data={"fee": "1"}, version=1)
    assert services.quote_update(actor=focal_gt, quote=quote, data={"fee": "1"}, version=1).fee == 1


def test_provider_create_update_unique_and_audited(focal_mx):
    prov = services.provider_create(actor=focal_mx, data={"name": "Western Prueba", "kind": "mto"})
    with pytest.raises(ValidationFailed):
        services.provider_create(actor=focal_mx, data={"name": "WESTERN-prueba", "kind": "bank"})
    updated = services.provider_update(
        actor=focal_mx, provider=prov, data={"kind": "fintech"}, version=1
    )
    assert updated.kind == "fintech" and updated.version == 2
    with pytest.raises(StaleEdit):
        services.provider_update(actor=focal_mx, provider=prov, data={"kind": "bank"}, version=1)
    actions = list(
        ChangeEvent.objects.filter(record_id=str(prov.pk))
        .order_by("at")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]
    assert Provider.objects.count() == 1


def test_the_change_history_names_the_quote_for_its_editors(focal_mx, focal_gt):
    from enlace.core.slots import record_names

    quote = services.quote_create(actor=focal_mx, data=_data(provider("Envíos Norte")))
    namer = record_names("remittances.quote")
    assert namer.names(focal_mx, [str(quote.pk)], "view") == {
        str(quote.pk): ("Envíos Norte, US → MX, 2026-11-16, USD 200", False)
    }
    assert namer.names(focal_gt, [str(quote.pk)], "view") == {}
