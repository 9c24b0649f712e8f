"""Haitian Creole (ht) is a language of the whole interface: chosen from the language links, the
pages, Django's own form errors and the dates are in Kreyòl; records and guides written in the
four working languages are read in French."""

import datetime as dt

from django.conf import settings
from django.test import Client
from django.utils import formats
from django.utils.translation import gettext, override

from enlace.core.help import guide_file


def test_ht_is_offered_and_chosen_from_the_language_links(db):
    assert "ht" in dict(settings.LANGUAGES)
    web = Client()
    response = web.get("/language/", {"language": "ht", "next": "/about/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ht"
    page = web.get("/about/")
    assert page["Content-Language"] == "ht"
    html = page.content.decode()
    assert '<html lang="ht"' in html
    assert "Kreyòl ayisyen" in html  # the language's own name in the language links


def test_djangos_own_messages_and_dates_are_in_kreyol():
    with override("ht"):
        required = gettext("This field is required.")
        assert required and required != "This field is required."
        assert formats.date_format(dt.date(2026, 12, 7)) == "7 desanm 2026"
        assert formats.number_format(1234.5, decimal_pos=1, use_l10n=True, force_grouping=True) == (
            "1\xa0234,5"
        )


def test_every_message_of_the_interface_has_a_kreyol_text():
    # The catalogue is complete (scripts/check_messages.py checks it too, with the .mo files).
    import polib

    po = polib.pofile(str(settings.LOCALE_PATHS[0] / "ht" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert missing == []


def test_guides_in_ht_are_read_in_french():
    with override("ht"):
        path, written_in = guide_file("remittances")
    assert written_in == "fr" and path.name.endswith(".fr.md")
