"""The person's fields are listed once (people/fields.py): the form, the API and the services
take the same writable fields, and what is shown follows the same lists."""

import pytest

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.people import services
from enlace.people.api import PersonWriteSerializer
from enlace.people.fields import FIREWALLED, IDENTITY, WRITABLE
from enlace.people.forms import PersonForm
from enlace.people.present import person_fields

pytestmark = pytest.mark.django_db


def test_form_and_api_take_exactly_the_writable_fields():
    form_only = {"nationalities", "photo", "confirm_duplicate", "version"}
    api_only = {"nationality", "nationalities", "version"}
    assert set(PersonForm().fields) - form_only == set(WRITABLE)
    assert set(PersonWriteSerializer().fields) - api_only == set(WRITABLE)


def test_every_writable_field_reaches_the_record_and_the_owner_sees_it(network):
    officer = actor_for(network.user(Role.OFFICER))
    data = {
        "given_names": "Ana",
        "first_surname": "Pérez",
        "second_surname": "Luna",
        "other_names": "Anita",
        "sex": "F",
        "gender_identity": "mujer",
        "birth_date": "1990-04",
        "estimated_age": None,
        "birth_place": "Tegucigalpa",
        "languages": "spa",
        "phone": "+52 55 1234 5678",
        "email": "ana@example.org",
        "address": "Calle 1",
        "migratory_status": "irregular",
        "migratory_status_notes": "sin documentos",
        "mother_name": "Rosa",
        "refuses_tracing": True,
    }
    assert set(data) == set(WRITABLE)
    person = services.person_create(actor=officer, data=data)
    shown = person_fields(officer, person)
    for field in (*IDENTITY, *FIREWALLED):
        assert field in shown
    assert shown["birth_date"] == "1990-04"
    assert shown["phone"] == "+525512345678"
    assert shown["refuses_tracing"] is True
    focal_point = actor_for(network.user(Role.NATIONAL_FOCAL_POINT))
    assert not set(FIREWALLED) & set(person_fields(focal_point, person))
