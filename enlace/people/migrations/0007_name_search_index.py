"""An index for name search on either database (see enlace.people.search): a GIN trigram index
on search_text on PostgreSQL, an FTS5 trigram table kept by triggers on SQLite. Nothing on
other databases (search then scans, as before)."""

from django.db import migrations

from enlace.people import search


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in search.PG_CREATE:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for statement in search.SQLITE_TABLES + search.SQLITE_TRIGGERS:
            schema_editor.execute(statement)
        search.sqlite_rebuild(schema_editor.connection)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in search.PG_DROP:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for statement in search.SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_personindex_fingerprint"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
