"""The municipality reference data loaded by core's migration."""

import pytest

from enlace.core.models import Municipality
from enlace.core.reference import iter_municipalities

pytestmark = pytest.mark.django_db


def test_every_country_of_the_brief_is_loaded_with_its_official_count():
    counts = {c: Municipality.objects.filter(country_id=c).count() for c in ("SV", "GT", "HN")}
    assert counts == {"SV": 262, "GT": 340, "HN": 298}
    mexico = Municipality.objects.filter(country_id="MX")
    assert {s: mexico.filter(subdivision=s).count() for s in ("MX-ZAC", "MX-MIC", "MX-JAL")} == {
        "MX-ZAC": 58,
        "MX-MIC": 113,
        "MX-JAL": 125,
    }


def test_a_municipality_carries_its_national_code_and_department():
    intipuca = Municipality.objects.get(pk="SV-1407")
    assert (intipuca.name, intipuca.subdivision, intipuca.subdivision_name) == (
        "Intipucá",
        "SV-UN",
        "La Unión",
    )
    assert Municipality.objects.get(pk="MX-32020").name == "Jerez"
    assert Municipality.objects.get(pk="GT-1301").name == "Huehuetenango"
    assert Municipality.objects.get(pk="HN-0801").name == "Distrito Central"


def test_every_row_names_a_real_iso_subdivision_of_its_country():
    for row in iter_municipalities():
        assert row["subdivision"].startswith(row["country_id"] + "-")
        assert row["code"].isdigit()


def test_salvadoran_districts_name_the_municipality_they_belong_to_since_2024():
    salvadoran = Municipality.objects.filter(country_id="SV")
    assert salvadoran.values("municipality_2024").distinct().count() == 44
    assert not salvadoran.filter(municipality_2024="").exists()
    assert Municipality.objects.get(pk="SV-1407").municipality_2024 == "La Unión Sur"
    assert Municipality.objects.get(pk="SV-0614").municipality_2024 == "San Salvador Centro"
    assert not Municipality.objects.filter(country_id="GT").exclude(municipality_2024="").exists()
