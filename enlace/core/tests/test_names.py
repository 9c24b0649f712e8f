import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from enlace.core.forms import CountriesField, LanguagesField
from enlace.core.names import collation_key, language_choices, language_names, sort_by_name


def test_accented_names_sort_with_their_letter_not_after_z():
    names = ["Zambie", "Émirats arabes unis", "Espagne", "Équateur", "Islas Åland", "Irlande"]
    assert sort_by_name(names) == [
        "Émirats arabes unis",
        "Équateur",
        "Espagne",
        "Irlande",
        "Islas Åland",
        "Zambie",
    ]
    assert collation_key("Ánh") < collation_key("Bao")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("es", "Español, K'iche', Alemán"),
        ("en", "Spanish, K'iche', German"),
        ("fr", "Espagnol, K'iche', Allemand"),
    ],
)
def test_language_codes_are_shown_as_names_in_the_readers_language(lang, expected):
    with translation.override(lang):
        # "es" (ISO 639-1) and "spa" (639-3) are the same language.
        assert language_names("es, quc, deu") == expected


def test_languages_the_catalogues_leave_in_english_get_our_own_name():
    with translation.override("en"):
        assert language_names("hat, pap") == "Haitian Creole, Papiamento"


def test_an_unknown_code_is_shown_as_recorded():
    with translation.override("es"):
        assert language_names("spa, xx9") == "Español, xx9"


def test_language_choices_are_named_sorted_and_keep_recorded_codes():
    with translation.override("es"):
        choices = language_choices(["xx9"])
    codes = [code for code, _name in choices]
    assert {"spa", "quc", "mam", "hat", "xx9"} <= set(codes)
    labels = [name for _code, name in choices]
    assert labels == sort_by_name(labels)
    assert labels.index("Alemán") < labels.index("Español") < labels.index("Inglés")


def test_languages_field_stores_codes_and_refuses_unknown_ones():
    field = LanguagesField(required=False)
    assert field.clean(["quc", "spa"]) == "quc, spa"
    with pytest.raises(ValidationError, match=r"klingon"):
        field.clean(["klingon"])


@pytest.mark.django_db
def test_countries_are_listed_by_name_in_the_readers_alphabet():
    field = CountriesField(required=False)
    with translation.override("fr"):
        labels = [label for _value, label in field.choices]
        assert labels.index("Émirats arabes unis") < labels.index("Espagne")
        assert labels.index("Espagne") < labels.index("Zambie")
    with translation.override("es"):
        labels = [label for _value, label in field.choices]
        assert labels.index("Islas Åland") < labels.index("Islas Bermudas")
        assert (
            labels.index("Argelia") < labels.index("Bolivia") < labels.index("Bosnia y Herzegovina")
        )
