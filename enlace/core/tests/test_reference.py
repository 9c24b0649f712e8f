import pytest

from enlace.core.models import Country, Currency

pytestmark = pytest.mark.django_db


def test_every_iso_country_and_currency_is_loaded():
    import pycountry

    assert Country.objects.count() == len(pycountry.countries)
    assert Currency.objects.count() == len(pycountry.currencies)


@pytest.mark.parametrize(
    ("code", "es", "en", "pt", "fr"),
    [
        ("MX", "México", "Mexico", "México", "Mexique"),
        ("HT", "Haití", "Haiti", "Haiti", "Haïti"),
        ("US", "Estados Unidos", "United States", "Estados Unidos", "États-Unis"),
    ],
)
def test_country_names_in_four_languages(code, es, en, pt, fr):
    c = Country.objects.get(code=code)
    assert (c.name_es, c.name_en, c.name_pt, c.name_fr) == (es, en, pt, fr)


def test_name_follows_the_active_language():
    from django.utils import translation

    c = Country.objects.get(code="MX")
    with translation.override("fr"):
        assert c.name == "Mexique"
    with translation.override("es"):
        assert str(c) == "México"


def test_currency_names():
    usd = Currency.objects.get(code="USD")
    assert usd.name_es == "Dólar estadounidense"
    assert usd.name_fr == "Dollar américain"


@pytest.mark.parametrize(
    ("code", "lang", "name"),
    [
        # pycountry's Spanish catalogue misspells or leaves these in English / long form.
        ("CI", "es", "Costa de Marfil"),
        ("SR", "es", "Surinam"),
        ("BF", "es", "Burkina Faso"),
        ("DZ", "es", "Argelia"),
        ("BO", "es", "Bolivia"),
        ("VE", "es", "Venezuela"),
        ("TN", "es", "Túnez"),
        ("FK", "es", "Islas Malvinas (Falkland)"),
        ("IR", "pt", "Irã"),
        ("LA", "fr", "Laos"),
    ],
)
def test_wrong_catalogue_names_are_fixed(code, lang, name):
    assert getattr(Country.objects.get(code=code), f"name_{lang}") == name


def test_no_spanish_name_keeps_a_known_misspelling():
    spanish = set(Country.objects.values_list("name_es", flat=True))
    assert not spanish & {"Costa de Marfíl", "Surinám", "Burquina Faso", "Algeria", "Tunez"}
