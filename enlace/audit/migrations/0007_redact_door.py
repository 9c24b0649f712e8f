"""PostgreSQL: the one rewrite of audit rows the application's role may do, as a function
owned by the role that migrates (enlace.audit.immutability.redact_changes). Nothing on SQLite."""

from django.db import migrations

from enlace.audit import immutability


def install(apps, schema_editor):
    immutability.install_redact(schema_editor)


def uninstall(apps, schema_editor):
    immutability.uninstall_redact(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_immutable"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
