"""The database refuses to change or delete audit rows (enlace.audit.immutability).

On SQLite, a later migration that rebuilds an audit table (Django copies it into a new table
for most column changes) drops these triggers with the old table: it must install them again
(enlace/audit/tests/test_immutability.py fails otherwise)."""

from django.db import migrations

from enlace.audit import immutability


def install(apps, schema_editor):
    immutability.install(schema_editor)


def uninstall(apps, schema_editor):
    immutability.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_return_purpose"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
