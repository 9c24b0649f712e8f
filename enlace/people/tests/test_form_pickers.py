"""The person form picks nationalities and languages by name, from filterable checkbox lists."""

import html as htmllib
import re

import pytest

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.people import services
from enlace.people.models import Person

pytestmark = pytest.mark.django_db


def _labels(html: str, name: str) -> list[str]:
    found = re.findall(
        rf'<label for="id_{name}_\d+"><input type="checkbox" name="{name}" value="[^"]*"'
        rf"[^>]*>\s*([^<]+)</label>",
        html,
    )
    return [htmllib.unescape(label.strip()) for label in found]


def test_registering_with_nationalities_and_languages_by_name(network, client):
    client.force_login(network.user(Role.OFFICER))
    page = client.get("/people/new/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    # No Ctrl-click multi-select: a fieldset of checkboxes with a filter box for enlace.js.
    assert "<select" not in page.split('name="nationalities"')[0].rsplit("<fieldset", 1)[-1]
    assert "<legend>Nacionalidades</legend>" in page
    assert "data-picker-filter" in page
    countries = _labels(page, "nationalities")
    assert len(countries) == 249
    assert countries.index("Argelia") < countries.index("Bolivia") < countries.index("Brasil")
    assert countries.index("Islas Åland") < countries.index("Islas Caimán")
    languages = _labels(page, "languages")
    assert "K'iche'" in languages and "Español" in languages
    assert "ISO 639" not in page

    resp = client.post(
        "/people/new/",
        {
            "given_names": "Ana",
            "first_surname": "Tzul",
            "sex": "F",
            "nationalities": ["GT", "MX"],
            "languages": ["quc", "spa"],
        },
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert resp.status_code == 302
    person = Person.objects.get(given_names="Ana")
    assert person.languages == "quc, spa"
    assert sorted(c.code for c in person.nationalities.all()) == ["GT", "MX"]
    detail = client.get(resp["Location"], HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "K&#x27;iche&#x27;, Español" in detail
    assert "Guatemala, México" in detail


def test_editing_shows_the_chosen_ones_first_and_keeps_an_unlisted_code(network, client):
    officer = network.user(Role.OFFICER)
    person = services.person_create(
        actor=actor_for(officer),
        data={"given_names": "Rosa", "languages": "spa, xx9"},
        nationalities=["VE"],
    )
    client.force_login(officer)
    page = client.get(f"/people/{person.pk}/edit/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    countries = _labels(page, "nationalities")
    assert countries[0] == "Venezuela"
    languages = _labels(page, "languages")
    assert languages[:2] == ["Español", "xx9"]
    assert re.search(r'value="xx9"[^>]*checked', page)


def test_an_unknown_language_is_a_clear_error_not_a_500(network, client):
    client.force_login(network.user(Role.OFFICER))
    resp = client.post(
        "/people/new/",
        {"given_names": "Ana", "sex": "F", "languages": ["klingon"]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert resp.status_code == 200
    assert re.search(r'class="error" role="alert">[^<]*klingon', resp.content.decode())
    assert not Person.objects.exists()
