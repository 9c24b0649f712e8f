"""Load every ISO 3166-1 country and ISO 4217 currency from pycountry (names in es/en/pt/fr)."""

from django.db import migrations


def load(apps, schema_editor):
    # The loader is a pure function of pycountry that takes the (historical) model classes.
    from enlace.core.reference import load_reference_data

    load_reference_data(apps.get_model("core", "Country"), apps.get_model("core", "Currency"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
