"""Reload the countries so the names fixed in enlace.core.reference.NAME_FIXES reach the table."""

from django.db import migrations


def load(apps, schema_editor):
    # The loader is a pure function of pycountry that takes the (historical) model classes.
    from enlace.core.reference import load_reference_data

    load_reference_data(apps.get_model("core", "Country"), apps.get_model("core", "Currency"))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
