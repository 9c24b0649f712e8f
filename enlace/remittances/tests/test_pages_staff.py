"""The staff pages: who reaches them (rules.py), the quote list's filters, sorting and pages, the
quote form (validation next to the fields, 409 on a stale edit), the change history and the
providers."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils.translation import gettext as _

from enlace.accounts.models import Office, Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, SAME_COUNTRY, make_user
from enlace.audit.models import ChangeEvent
from enlace.remittances.models import Provider, Quote

from .factories import corridor, provider, quote

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def focal(network):
    """The national focal point of Mexico (own country of the network)."""
    return login(network.user(Role.NATIONAL_FOCAL_POINT, SAME_COUNTRY))


@pytest.fixture
def secretariat(db):
    office = Office.objects.create(
        name="Secretaría regional",
        kind=Office.Kind.SECRETARIAT,
        country_id="CR",
        host_country_id="CR",
    )
    return login(make_user("analista.sec", office, Role.ANALYST))


@pytest.fixture
def quotes():
    us_mx, us_gt = corridor("US", "MX"), corridor("US", "GT")
    made = [
        quote(f"Envíos {i:02d}", us_mx, collected_on=dt.date(2024, 8, 1 + i)) for i in range(30)
    ]
    made.append(quote("Remesas Guate", us_gt))
    made.append(quote("Demo Uno", us_mx, is_demonstration=True, product="demo"))
    return made


LIST = "/remittances/quotes/"


@pytest.mark.parametrize(
    ("role", "relation", "status"),
    [
        (Role.OFFICER, OWN_OFFICE, 404),
        (Role.SUPERVISOR, OWN_OFFICE, 404),
        (Role.TRAFFICKING_FOCAL_POINT, SAME_COUNTRY, 404),
        (Role.ASSOCIATION_REP, OWN_OFFICE, 404),
        (Role.ANALYST, SAME_COUNTRY, 404),  # an analyst outside the secretariat
        (Role.NATIONAL_FOCAL_POINT, SAME_COUNTRY, 200),
        (Role.ADMINISTRATOR, OTHER_COUNTRY, 200),
    ],
)
def test_who_reaches_the_quote_pages(network, quotes, role, relation, status):
    client = login(network.user(role, relation))
    for path in (LIST, "/remittances/quotes/new/", "/remittances/providers/"):
        assert client.get(path).status_code == status, path
    edit = f"/remittances/quotes/{quotes[0].pk}/"
    assert client.get(edit).status_code == status


def test_anonymous_is_sent_to_log_in(quotes):
    response = Client().get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_focal_point_lists_its_country_corridors_only(network, focal, quotes):
    body = focal.get(LIST, {"sort": "provider", "page": "2"}).content.decode()
    assert "Envíos 29" in body
    assert ">Remesas Guate</a>" not in body  # US → GT: not Mexico's
    gt_quote = next(q for q in quotes if q.provider.name == "Remesas Guate")
    assert focal.get(f"/remittances/quotes/{gt_quote.pk}/").status_code == 404
    assert focal.get(f"/remittances/quotes/{gt_quote.pk}/history/").status_code == 404


def test_secretariat_sees_every_corridor_and_the_import(secretariat, quotes):
    body = secretariat.get(LIST).content.decode()
    assert "/remittances/import/" in body
    body = secretariat.get(LIST, {"provider": str(provider("Remesas Guate").pk)}).content.decode()
    assert ">Remesas Guate</a>" in body and ">Envíos 01</a>" not in body


def test_quote_list_filters_sort_and_pages_keep_the_filters(focal, quotes):
    us_mx = corridor("US", "MX")
    response = focal.get(LIST, {"corridor": us_mx.pk, "sort": "provider"})
    body = response.content.decode()
    names = re.findall(r'/remittances/quotes/[0-9a-f-]+/">([^<]+)</a>', body)
    assert names == sorted(names) and len(names) == 25
    nxt = re.search(r'href="(\?[^"]*page=2[^"]*)"', body).group(1).replace("&amp;", "&")
    assert f"corridor={us_mx.pk}" in nxt and "sort=provider" in nxt
    demo = focal.get(LIST, {"demonstration": "yes"}).content.decode()
    assert ">Demo Uno</a>" in demo and ">Envíos 01</a>" not in demo
    assert focal.get(LIST, {"period": "2024-3"}).status_code == 400
    assert focal.get(LIST, {"sort": "fee"}).status_code == 400
    assert focal.get(LIST, {"corridor": "nonsense"}).status_code == 400


def _form(prov: Provider, **changes) -> dict:
    data = {
        "provider": str(prov.pk),
        "sending": "US",
        "receiving": "MX",
        "collected_on": "2024-09-02",
        "period": "",
        "usd_band": "200",
        "amount": "200",
        "currency": "",
        "fee": "5",
        "applied_rate": "17.00",
        "interbank_rate": "17.34",
        "receiving_currency": "",
        "speed": "same_day",
        "funding_method": "cash",
        "pickup_method": "cash",
        "product": "",
        "transparent": "on",
        "source": "authority",
        "source_detail": "",
        "note": "",
    }
    data.update(changes)
    return data


def test_quote_form_shows_the_services_messages_next_to_the_fields(focal, quotes):
    prov = provider("Envíos 01")
    response = focal.post(
        "/remittances/quotes/new/",
        _form(prov, fee="-1", applied_rate="0", collected_on="2999-01-01"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert str(_("The fee cannot be negative (enter 0 for no fee).")) in form.errors["fee"]
    assert str(_("An exchange rate must be more than zero.")) in form.errors["applied_rate"]
    assert str(_("The collection date cannot be in the future.")) in form.errors["collected_on"]
    # Another country's corridor is refused to Mexico's focal point.
    response = focal.post("/remittances/quotes/new/", _form(prov, sending="US", receiving="GT"))
    assert response.status_code == 400


def test_quote_entered_corrected_and_its_history(focal, quotes):
    prov = provider("Envíos 01")
    response = focal.post("/remittances/quotes/new/", _form(prov))
    assert response.status_code == 302
    saved = Quote.objects.get(provider=prov, collected_on=dt.date(2024, 9, 2))
    assert saved.period == "2024Q3"
    page = focal.get(response["Location"]).content.decode()
    assert "4,46" in page or "4.46" in page  # the worked example's total cost, computed
    response = focal.post(f"/remittances/quotes/{saved.pk}/", _form(prov, fee="6", version="1"))
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.version == 2 and str(saved.fee.normalize()) == "6"
    assert ChangeEvent.objects.filter(record_id=str(saved.pk)).count() == 2
    history = focal.get(f"/remittances/quotes/{saved.pk}/history/").content.decode()
    assert '<span class="before">5' in history and '<span class="after">6' in history


def test_stale_quote_edit_is_a_409_that_keeps_the_input(focal, quotes):
    prov = provider("Envíos 01")
    target = quotes[1]
    assert (
        focal.post(
            f"/remittances/quotes/{target.pk}/", _form(prov, fee="7", version="1")
        ).status_code
        == 302
    )
    response = focal.post(f"/remittances/quotes/{target.pk}/", _form(prov, fee="8", version="1"))
    assert response.status_code == 409
    body = response.content.decode()
    assert 'name="fee" value="8"' in body
    assert 'name="version" value="2"' in body  # saving again keeps the editor's value on purpose
    target.refresh_from_db()
    assert str(target.fee.normalize()) == "7"


def test_providers_created_edited_and_duplicates_refused(focal):
    response = focal.post(
        "/remittances/providers/new/", {"name": "Envíos del Sur", "kind": "mto", "website": ""}
    )
    assert response.status_code == 302
    prov = Provider.objects.get(name="Envíos del Sur")
    response = focal.post("/remittances/providers/new/", {"name": "ENVIOS DEL SUR", "kind": "bank"})
    assert response.status_code == 400
    assert str(_("A provider with this name already exists.")) in response.content.decode()
    response = focal.post(
        f"/remittances/providers/{prov.pk}/",
        {"name": "Envíos del Sur", "kind": "bank", "version": "1"},
    )
    assert response.status_code == 302
    prov.refresh_from_db()
    assert prov.kind == "bank" and prov.version == 2
    stale = focal.post(
        f"/remittances/providers/{prov.pk}/",
        {"name": "Envíos del Sur", "kind": "fintech", "version": "1"},
    )
    assert stale.status_code == 409
    assert "Envíos del Sur" in focal.get("/remittances/providers/").content.decode()


def test_navigation_item_for_the_quote_editors_only(network):
    label = str(_("Remittances"))
    focal = login(network.user(Role.NATIONAL_FOCAL_POINT, SAME_COUNTRY))
    officer = login(network.user(Role.OFFICER, OWN_OFFICE))
    assert f'href="/remittances/quotes/">{label}' in focal.get("/").content.decode()
    assert 'href="/remittances/quotes/"' not in officer.get("/").content.decode()


def test_the_guide_is_on_the_help_page_in_spanish_and_english(network):
    client = login(network.user(Role.OFFICER, OWN_OFFICE))
    assert "/help/remittances/" in client.get("/help/").content.decode()
    spanish = client.get("/help/remittances/").content.decode()
    assert "Remesas: comparar el costo de enviar dinero" in spanish
    assert "/help/img/remittances-compare.png" in spanish
    english = client.get("/help/remittances/", {"lang": "en"}).content.decode()
    assert "Remittances: comparing the cost of sending money" in english
