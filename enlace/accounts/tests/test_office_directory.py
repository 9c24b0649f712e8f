"""The office directory: administrators keep each office's contact details (validated), and
the directory links only the office pages its reader can open."""

import pytest
from django.conf import settings
from django.test import Client

from enlace.accounts.models import Office, Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, SAME_COUNTRY
from enlace.audit.models import ChangeEvent

pytestmark = pytest.mark.django_db


def _web(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _form(office: Office, **changes: str) -> dict:
    data = {
        "phone": "(55) 5063 3000",  # local to the host country (Mexico)
        "email": "consulado@example.org",
        "address": "Av. Insurgentes 1, Ciudad de México",
        "opening_hours": "Lunes a viernes, 9:00 a 15:00",
        "version": Office.objects.get(pk=office.pk).version,
    }
    return data | changes


def test_administrator_keeps_the_contact_details(network):
    office = network.offices[OTHER_COUNTRY]  # hosted in Mexico
    admin = _web(network.user(Role.ADMINISTRATOR))
    url = f"/accounts/offices/{office.pk}/edit/"
    assert admin.get(url).status_code == 200
    response = admin.post(url, _form(office))
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.phone == "+52 55 5063 3000"  # read in the host country, stored international
    assert office.opening_hours == "Lunes a viernes, 9:00 a 15:00"
    assert office.version == 2
    event = ChangeEvent.objects.get(record_id=str(office.pk), action="office_contact_update")
    assert event.changes["phone"] == ["", "+52 55 5063 3000"]
    # Shown on the office's page.
    body = admin.get(f"/accounts/offices/{office.pk}/members/").content.decode()
    assert "+52 55 5063 3000" in body and "Av. Insurgentes 1" in body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "hola", "This is not a phone number."),
        ("phone", "+52 55 1", "This phone number is not valid."),
        ("email", "not-an-address", "Enter a valid email address."),
    ],
)
def test_bad_contact_details_are_refused_with_a_message(network, field, value, message):
    office = network.offices[OTHER_COUNTRY]
    response = _web(network.user(Role.ADMINISTRATOR)).post(
        f"/accounts/offices/{office.pk}/edit/", _form(office, **{field: value})
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    office.refresh_from_db()
    assert office.version == 1 and office.phone == ""


def test_stale_contact_edit_is_a_409_keeping_the_input(network):
    office = network.offices[OWN_OFFICE]
    admin = _web(network.user(Role.ADMINISTRATOR))
    url = f"/accounts/offices/{office.pk}/edit/"
    stale = _form(office, address="Mi dirección")
    assert admin.post(url, _form(office, phone="+1 213 351 6800")).status_code == 302
    response = admin.post(url, stale)
    assert response.status_code == 409
    assert 'value="Mi dirección"' in response.content.decode()
    office.refresh_from_db()
    assert office.address == "Av. Insurgentes 1, Ciudad de México"


def test_only_administrators_edit_contact_details(network):
    office = network.offices[OWN_OFFICE]
    for role in (Role.SUPERVISOR, Role.OFFICER, Role.NATIONAL_FOCAL_POINT):
        client = _web(network.user(role))
        assert client.get(f"/accounts/offices/{office.pk}/edit/").status_code == 404
        assert client.post(f"/accounts/offices/{office.pk}/edit/", _form(office)).status_code == 404
    office.refresh_from_db()
    assert office.version == 1


def test_directory_links_only_the_office_pages_the_reader_can_open(network):
    """Every link of the directory opens (200); an office the reader cannot open is not a link."""
    for role in Role:
        client = _web(network.user(role))
        body = client.get("/accounts/offices/").content.decode()
        for relation, office in network.offices.items():
            link = f"/accounts/offices/{office.pk}/members/"
            opens = client.get(link).status_code == 200
            assert (link in body) == opens, (role, relation)
            assert office.name in body
    # Officers open their own office only; administrators every office; national focal
    # points the offices of their country.
    officer = _web(network.user(Role.OFFICER)).get("/accounts/offices/").content.decode()
    assert f"/accounts/offices/{network.offices[OTHER_COUNTRY].pk}/members/" not in officer
    nfp = _web(network.user(Role.NATIONAL_FOCAL_POINT)).get("/accounts/offices/").content.decode()
    assert f"/accounts/offices/{network.offices[SAME_COUNTRY].pk}/members/" in nfp


def test_django_admin_form_checks_the_phone(network):
    from enlace.accounts.admin import OfficeAdminForm

    office = network.offices[OTHER_COUNTRY]
    fields = {
        "name": office.name,
        "kind": office.kind,
        "country": office.country_id,
        "host_country": office.host_country_id,
        "city": office.city,
        "is_active": True,
    }
    bad = OfficeAdminForm(data={**fields, "phone": "hola"}, instance=office)
    assert not bad.is_valid() and "phone" in bad.errors
    good = OfficeAdminForm(data={**fields, "phone": "55 5063 3000"}, instance=office)
    assert good.is_valid(), good.errors
    assert good.save().phone == "+52 55 5063 3000"
