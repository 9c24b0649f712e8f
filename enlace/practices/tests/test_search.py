"""Full-text search of the library (enlace.practices.search) through the one selector
(search_practices), the same answers on SQLite (FTS5 with Python Snowball stems) and on
PostgreSQL (tsvector with unaccent and each language's configuration): run this file with
DATABASE_URL set to a PostgreSQL database too."""

import pytest
from django.db import connection

from enlace.practices import services
from enlace.practices.selectors import search_practices

pytestmark = pytest.mark.django_db

FAMILY = "Reunificación familiar de niñas, niños y adolescentes no acompañados"


@pytest.fixture
def library(pw):
    pw.published()
    pw.published(
        title="Protocolo de visitas consulares a personas detenidas",
        summary="Visitas a centros de detención con una lista de verificación.",
        description="Notificación consular, defensa y salud.",
        countries=["MX", "US"],
        themes=["consular"],
        target_groups=["detained"],
        gcm_objectives=[13],
        translations={
            "en": {
                "title": "Protocol for consular visits to detained migrants",
                "summary": "Visits to detention centres.",
                "description": "",
            }
        },
    )
    pw.published(
        language="en",
        title="Remittance cost comparison desk",
        summary="People compare the total cost of sending money home.",
        description="Fees and exchange-rate margins explained.",
        countries=["US"],
        themes=["remittances"],
        target_groups=["workers"],
        gcm_objectives=[20],
        translations={},
    )
    pw.submitted(title="Reunificación familiar en borrador enviado", translations={})
    pw.draft(title="Reunificación familiar todavía en borrador", translations={})
    return pw


def titles(q="", filters=None, language="es"):
    return [p.title for p in search_practices(q=q, filters=filters or {}, language=language)]


@pytest.mark.parametrize(
    "q",
    [
        "reunificacion familiares",  # no accent, another word form
        "Reunificación familiar",
        "REUNIFICACIÓN",
        "reunificación familias",  # another form of the second word
        "family reunification",  # the English translation
        "reunificação familiar",  # the Portuguese translation
        "unaccompanied children",
        "niños no acompañados",
        "nino acompanado",
    ],
)
def test_word_forms_accents_and_translations_find_the_family_practice(library, q):
    assert titles(q) == [FAMILY]


def test_every_word_must_match(library):
    assert titles("reunificación detención") == []
    assert titles("zzzqx") == []


def test_a_search_of_stop_words_only_filters_nothing(library):
    assert len(titles("de la")) == 3


def test_only_published_practices_are_found(library):
    assert titles("borrador") == []
    assert len(titles()) == 3


def test_filters_by_country_theme_target_group_and_objective(library):
    assert titles(filters={"country": "GT"}) == [FAMILY]
    assert titles(filters={"country": "us"}) == [
        "Protocolo de visitas consulares a personas detenidas",
        "Remittance cost comparison desk",
    ]
    assert titles(filters={"theme": "remittances"}) == ["Remittance cost comparison desk"]
    assert titles(filters={"target_group": "detained"}) == [
        "Protocolo de visitas consulares a personas detenidas"
    ]
    assert titles(filters={"gcm": 14}) == [FAMILY]
    assert titles("reunificación", {"theme": "consular"}) == []


def test_results_in_the_readers_language_first(library):
    # Spanish reader: the two written in Spanish, then the English one.
    assert titles(language="es")[-1] == "Remittance cost comparison desk"
    # English reader: the one written in English, then those translated into English.
    assert titles(language="en")[0] == "Remittance cost comparison desk"
    # Portuguese reader: the family practice has a Portuguese translation.
    assert titles(language="pt")[0] == FAMILY


def test_the_index_follows_every_edit(library):
    pw = library
    draft = pw.draft(title="Albergues temporales en la frontera sur", translations={})
    services.practice_update(
        actor=pw.author,
        practice=draft,
        version=draft.version,
        data={
            **{k: getattr(draft, k) for k in ("language", "summary", "description")},
            "title": "Casas de acogida en la frontera sur",
            "contact_name": "X",
            "contact_email": "x@example.org",
            "translations": {
                "fr": {
                    "title": "Maisons d'accueil à la frontière sud",
                    "summary": "S",
                    "description": "",
                }
            },
        },
    )
    draft.refresh_from_db()
    draft = services.practice_submit(actor=pw.author, practice=draft, version=draft.version)
    services.practice_review(actor=pw.analyst, practice=draft, version=draft.version, publish=True)
    assert titles("acogida") == ["Casas de acogida en la frontera sur"]
    assert titles("albergues") == []  # the old title is no longer indexed
    assert titles("maisons accueil") == ["Casas de acogida en la frontera sur"]


def test_search_reads_the_vendors_index(library, django_assert_max_num_queries):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert titles("reunificacion") == [FAMILY]
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    if connection.vendor == "sqlite":
        assert "practices_practice_fts" in sql and "MATCH" in sql
    else:
        assert "practices_practice_search" in sql and "@@" in sql
