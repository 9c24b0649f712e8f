"""A trigram index for the case search on the reference (`icontains`, which PostgreSQL runs as
UPPER(reference::text) LIKE UPPER(...)). PostgreSQL only; pg_trgm comes with people 0007."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS cases_case_reference_trgm "
    "ON cases_case USING gin ((UPPER(reference::text)) gin_trgm_ops)"
)
DROP = "DROP INDEX IF EXISTS cases_case_reference_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_list_indexes"),
        ("people", "0007_name_search_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
