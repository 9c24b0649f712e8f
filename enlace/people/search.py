"""Name search through an index on either database.

Person.search_text holds the folded names (enlace.core.text.fold: lower case, no accents, single
spaces). A search folds its words the same way and asks that each one appears in it:

- a word of 3 characters or more anywhere in the names (a substring: "arci" finds García);
- a word of 1 or 2 characters at the start of a name ("j perez" finds Juan Pérez, not Benjamín
  Pérez). Trigram indexes cannot look up fewer than 3 characters, and as a substring such a word
  would match nearly everyone anyway.

PostgreSQL answers with a GIN trigram index (pg_trgm, migration people 0007) on search_text:
`LIKE '%word%'` and `LIKE '% wo%'` are index look-ups, and `LIKE 'wo%'` uses the B-tree pattern
index that db_index gives the column. SQLite answers with an FTS5 table with the trigram
tokenizer (people_person_search_fts), which triggers keep in step with people_person, so every
writer (services, bulk loads, raw SQL) is covered. It indexes " " + search_text, so that a word's
start is the 3-character sequence " wo".

Callers keep the firewall: they add identity_visible(actor) next to these filters, so a name is
matched only where the searcher may see it.
"""

from collections.abc import Sequence

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q
from django.db.models.expressions import RawSQL

from enlace.core.text import fold

# Trigram indexes (pg_trgm, FTS5's trigram tokenizer) find sequences of this many characters.
TRIGRAM = 3

SEARCH_TABLE = "people_person_search"
FTS_TABLE = "people_person_search_fts"

# SQLite: a plain table maps a stable integer key (FTS5's rowid) to the person, and an
# external-content FTS5 table indexes its text. A rowid of people_person itself would not do:
# its primary key is a UUID, so its implicit rowid may change on VACUUM.
SQLITE_TABLES = [
    """CREATE TABLE IF NOT EXISTS people_person_search (
        id INTEGER PRIMARY KEY,
        person_id char(32) NOT NULL UNIQUE,
        text TEXT NOT NULL
    )""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS people_person_search_fts USING fts5(
        text, content='people_person_search', content_rowid='id', tokenize='trigram'
    )""",
]

# Triggers on people_person are dropped whenever Django's SQLite schema editor rebuilds the
# table (an AlterField, say); ensure_sqlite_search() puts them back after every migrate.
SQLITE_TRIGGERS = [
    # people_person_search -> its FTS5 index (external content: FTS5 is told each change).
    """CREATE TRIGGER IF NOT EXISTS people_person_search_fts_ai
        AFTER INSERT ON people_person_search BEGIN
        INSERT INTO people_person_search_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS people_person_search_fts_ad
        AFTER DELETE ON people_person_search BEGIN
        INSERT INTO people_person_search_fts(people_person_search_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS people_person_search_fts_au
        AFTER UPDATE ON people_person_search BEGIN
        INSERT INTO people_person_search_fts(people_person_search_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
        INSERT INTO people_person_search_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    # people_person -> people_person_search.
    """CREATE TRIGGER IF NOT EXISTS people_person_search_text_ai
        AFTER INSERT ON people_person BEGIN
        INSERT INTO people_person_search(person_id, text) VALUES (new.id, ' ' || new.search_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS people_person_search_text_au
        AFTER UPDATE OF id, search_text ON people_person BEGIN
        UPDATE people_person_search SET person_id = new.id, text = ' ' || new.search_text
        WHERE person_id = old.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS people_person_search_text_ad
        AFTER DELETE ON people_person BEGIN
        DELETE FROM people_person_search WHERE person_id = old.id;
    END""",
]
SQLITE_PERSON_TRIGGERS = (
    "people_person_search_text_ai",
    "people_person_search_text_au",
    "people_person_search_text_ad",
)

SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_PERSON_TRIGGERS),
    "DROP TABLE IF EXISTS people_person_search_fts",
    "DROP TABLE IF EXISTS people_person_search",
]

# PostgreSQL: trigram indexes. search_text is folded already, so plain LIKE (Django's
# `contains`) can use it; the case reference is searched with `icontains`, UPPER(...) LIKE.
PG_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS people_person_search_text_trgm "
    "ON people_person USING gin (search_text gin_trgm_ops)",
]
PG_DROP = [
    "DROP INDEX IF EXISTS people_person_search_text_trgm",
    "DROP EXTENSION IF EXISTS pg_trgm",
]


def sqlite_rebuild(connection: BaseDatabaseWrapper) -> None:
    """Fill the SQLite search tables from people_person (after creating them, or after the
    triggers were lost and writes may have gone unseen)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM people_person_search")
        cursor.execute(
            "INSERT INTO people_person_search(person_id, text) "
            "SELECT id, ' ' || search_text FROM people_person"
        )
        cursor.execute(
            "INSERT INTO people_person_search_fts(people_person_search_fts) VALUES ('rebuild')"
        )


def ensure_sqlite_search(connection: BaseDatabaseWrapper) -> bool:
    """Put back the triggers on people_person where a table rebuild dropped them, and refill
    the index, whose writes they would have caught. Acts only where migration people 0007 made
    the search table (so a migration back before it stays undone). Returns whether it acted."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        if SEARCH_TABLE not in connection.introspection.table_names(cursor):
            return False
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)",
            SQLITE_PERSON_TRIGGERS,
        )
        if cursor.fetchone()[0] == len(SQLITE_PERSON_TRIGGERS):
            return False
        for statement in SQLITE_TRIGGERS:
            cursor.execute(statement)
    sqlite_rebuild(connection)
    return True


def search_words(text: str) -> list[str]:
    """The words of a search, folded as search_text is."""
    return fold(text).split()


def _word_start(word: str, prefix: str) -> Q:
    """The word starts one of the names (for words too short for a trigram)."""
    field = f"{prefix}search_text"
    return Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})


def _fts_phrase(word: str) -> str:
    """An FTS5 string: inside double quotes everything is literal but the quote, doubled."""
    return '"' + word.replace('"', '""') + '"'


def name_matches(words: Sequence[str], *, using: str = "default", prefix: str = "") -> Q:
    """Filter for people (or `prefix` + person fields) whose names hold every word (folded,
    see search_words), through the database's name index. Add identity_visible(actor)."""
    q = Q()
    if connections[using].vendor == "sqlite":
        indexed = [w for w in words if len(w) >= TRIGRAM - 1]  # " wo" is a trigram
        if indexed:
            match = " AND ".join(_fts_phrase(w if len(w) >= TRIGRAM else f" {w}") for w in indexed)
            q &= Q(
                **{
                    f"{prefix}pk__in": RawSQL(  # fixed SQL; the words are a parameter
                        "SELECT s.person_id FROM people_person_search s WHERE s.id IN "
                        "(SELECT rowid FROM people_person_search_fts "
                        "WHERE people_person_search_fts MATCH %s)",
                        (match,),
                    )
                }
            )
        for word in words:
            if len(word) < TRIGRAM - 1:
                q &= _word_start(word, prefix)
        return q
    for word in words:
        if len(word) >= TRIGRAM:
            q &= Q(**{f"{prefix}search_text__contains": word})
        else:
            q &= _word_start(word, prefix)
    return q
