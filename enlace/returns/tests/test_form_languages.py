"""The language fields of the return forms list the names in the reader's language."""

from django.utils.translation import override


def test_a_forms_language_list_is_in_the_readers_language():
    # The return form's language fields listed their names once, at import, in Spanish.
    from enlace.returns.forms import _language

    field = _language("Language")
    with override("ht"):
        names = dict(field.choices)
    assert names["sqi"] == "Albanais"  # pycountry has no Kreyòl names: French, as for records
    with override("pt"):
        assert dict(field.choices)["deu"] == "Alemão"
