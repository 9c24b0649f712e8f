"""The full-text index of the practices (enlace.practices.search): on PostgreSQL the unaccent
extension, the practices_es/_en/_pt/_fr text-search configurations and a tsvector table with a
GIN index; on SQLite an FTS5 table. Nothing on other databases.

The statements are written here rather than imported: a migration must not change when the app's
code does."""

from django.db import migrations

LANGS = {"es": "spanish", "en": "english", "pt": "portuguese", "fr": "french"}

PG_CREATE = ["CREATE EXTENSION IF NOT EXISTS unaccent"]
for _lang, _name in LANGS.items():
    PG_CREATE += [
        f"DROP TEXT SEARCH CONFIGURATION IF EXISTS practices_{_lang}",
        f"CREATE TEXT SEARCH CONFIGURATION practices_{_lang} (COPY = pg_catalog.{_name})",
        f"ALTER TEXT SEARCH CONFIGURATION practices_{_lang} "
        f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {_name}_stem",
    ]
PG_CREATE += [
    "CREATE TABLE IF NOT EXISTS practices_practice_search "
    "(practice_id uuid PRIMARY KEY, vector tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS practices_practice_search_vector "
    "ON practices_practice_search USING gin (vector)",
]
PG_DROP = ["DROP TABLE IF EXISTS practices_practice_search"] + [
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS practices_{lang}" for lang in LANGS
]
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS practices_practice_fts USING fts5("
    "practice_id UNINDEXED, terms, tokenize = 'unicode61 remove_diacritics 2')"
]
SQLITE_DROP = ["DROP TABLE IF EXISTS practices_practice_fts"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": PG_CREATE, "sqlite": SQLITE_CREATE}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("practices", "0002_gcm_objectives")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
