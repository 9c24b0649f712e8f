"""Full-text search of the practices on either database, one behaviour for the caller
(selectors.search_practices): accents and case ignored, word forms found through stemming in
the language of each version of the practice (Spanish, English, Portuguese, French).

A practice is indexed with the title, summary and description of every language version (the
original and each translation), each stemmed in its own language; a search word is stemmed in
every language, and a practice matches when, for each search word, one of its stems is one of
the practice's. Snowball stems are not idempotent ("familiares" → "familiar" → "famili"), so
both sides keep the stem and the stem of the stem: "reunificacion familiares" then meets
"Reunificación familiar".

- PostgreSQL: a tsvector per practice in practices_practice_search (GIN index), written with
  the text-search configurations practices_es/_en/_pt/_fr: each the language's own
  (spanish, english, portuguese, french stemming) with `unaccent` before the stemmer
  (migration 0003 makes the extension, the configurations and the table, on PostgreSQL
  only). The search words are stemmed by the same configurations (one query), then matched
  with @@.
- SQLite: an FTS5 table practices_practice_fts (tokenizer unicode61 remove_diacritics 2, made
  by migration 0003 on SQLite only) holds the stems, computed in Python with the Snowball
  stemmers (the `snowballstemmer` package: SQLite has no Spanish stemmer), for the indexed
  text and for the search words, the same way.

The service writes the index on every change of a practice's text (index_practice).
"""

import re
from collections.abc import Iterable, Sequence
from uuid import UUID

import snowballstemmer
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q
from django.db.models.expressions import RawSQL

from enlace.core.text import fold

STEMMERS = {"es": "spanish", "en": "english", "pt": "portuguese", "fr": "french"}
PG_CONFIGS = {lang: f"practices_{lang}" for lang in STEMMERS}
PG_TABLE = "practices_practice_search"
FTS_TABLE = "practices_practice_fts"

# Words that say nothing about a practice in any of the four languages: left out of a search
# (both databases), so that "reunificación de familias" does not ask for "de".
STOPWORDS = frozenset(
    (
        *("a", "al", "an", "and", "as", "at", "aux", "by", "com", "con", "da", "das", "de"),
        *("del", "des", "do", "dos", "du", "e", "el", "em", "en", "et", "for", "from", "in"),
        *("la", "las", "le", "les", "los", "na", "nas", "no", "nos", "o", "of", "on", "or"),
        *("os", "para", "pela", "pelo", "per", "por", "pour", "sin", "sur", "the", "to", "u"),
        *("un", "una", "une", "uno", "unos", "uma", "y"),
    )
)

_WORD = re.compile(r"\w+")

# ---------------------------------------------------------------- PostgreSQL


def _pg_stems_sql(lang: str, arg: str) -> str:
    """A tsvector of `arg`'s stems and their stems, in the language's configuration."""
    cfg = f"'{PG_CONFIGS[lang]}'::regconfig"
    return (
        f"(to_tsvector({cfg}, {arg}) || to_tsvector({cfg}, "
        f"array_to_string(tsvector_to_array(to_tsvector({cfg}, {arg})), ' ')))"
    )


def _pg_index(
    connection: BaseDatabaseWrapper, pk: UUID, versions: Sequence[tuple[str, str]]
) -> None:
    parts, params = [], []
    for lang, text in versions:
        parts.append(_pg_stems_sql(lang, "%s::text"))
        params += [text, text]
    vector = " || ".join(parts) if parts else "''::tsvector"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PG_TABLE} (practice_id, vector) VALUES (%s, {vector}) "  # nosec B608 # fixed SQL  # noqa: S608
            "ON CONFLICT (practice_id) DO UPDATE SET vector = EXCLUDED.vector",
            [pk, *params],
        )


def _pg_terms(connection: BaseDatabaseWrapper, words: Sequence[str]) -> list[set[str]]:
    """Each word's stems in the four configurations (a word they all drop gives none)."""
    every = " || ".join(_pg_stems_sql(lang, "t.w") for lang in STEMMERS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT tsvector_to_array({every}) FROM unnest(%s::text[]) "  # nosec B608 # fixed SQL  # noqa: S608
            "WITH ORDINALITY AS t(w, n) ORDER BY t.n",
            [list(words)],
        )
        return [set(row[0]) for row in cursor.fetchall()]


def _tsquery_lexeme(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


# ---------------------------------------------------------------- SQLite


def _stems(word: str, lang: str) -> set[str]:
    stemmer = snowballstemmer.stemmer(STEMMERS[lang])
    first = stemmer.stemWord(word)
    return {first, stemmer.stemWord(first)}


def document_terms(versions: Iterable[tuple[str, str]]) -> str:
    """The stems FTS5 indexes for a practice: every word of each version, folded (no accents,
    lower case) and stemmed in the version's language, with the stem of its stem."""
    terms: set[str] = set()
    for lang, text in versions:
        for word in _WORD.findall(fold(text)):
            terms |= _stems(word, lang)
    return " ".join(sorted(terms))


def _python_terms(words: Sequence[str]) -> list[set[str]]:
    return [set().union(*(_stems(w, lang) for lang in STEMMERS)) for w in words]


def _fts_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _sqlite_index(
    connection: BaseDatabaseWrapper, pk: UUID, versions: Sequence[tuple[str, str]]
) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE practice_id = %s", [pk.hex])  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (practice_id, terms) VALUES (%s, %s)",  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
            [pk.hex, document_terms(versions)],
        )


# ---------------------------------------------------------------- both


def search_words(q: str) -> list[str]:
    """The words of a search, folded, without the STOPWORDS."""
    return [w for w in _WORD.findall(fold(q)) if w not in STOPWORDS]


def index_practice(pk: UUID, versions: Sequence[tuple[str, str]], using: str = "default") -> None:
    """(Re)write a practice's entry: `versions` are (language, its title, summary and
    description) for the original and each translation."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        _pg_index(connection, pk, versions)
    elif connection.vendor == "sqlite":
        _sqlite_index(connection, pk, versions)


def text_matches(q: str, using: str = "default") -> Q | None:
    """A filter for the practices that match every word of `q` (None: nothing to search for,
    e.g. only stop words; the caller then does not filter). A search that cannot match gives a
    filter that matches nothing."""
    words = search_words(q)
    if not words:
        return None
    connection = connections[using]
    if connection.vendor == "postgresql":
        terms = [t for t in _pg_terms(connection, words) if t]
        if not terms:
            return None
        tsquery = " & ".join(
            "(" + " | ".join(_tsquery_lexeme(t) for t in sorted(group)) + ")" for group in terms
        )
        return Q(
            pk__in=RawSQL(  # fixed SQL; the words are a parameter
                "SELECT practice_id FROM practices_practice_search "
                "WHERE vector @@ to_tsquery('simple', %s)",
                (tsquery,),
            )
        )
    if connection.vendor == "sqlite":
        match = " AND ".join(
            "(" + " OR ".join(_fts_string(t) for t in sorted(group)) + ")"
            for group in _python_terms(words)
        )
        return Q(
            pk__in=RawSQL(  # fixed SQL; the words are a parameter
                "SELECT practice_id FROM practices_practice_fts "
                "WHERE practices_practice_fts MATCH %s",
                (f"terms : ({match})",),
            )
        )
    return Q(pk__in=[])  # another database: no full-text index to search
