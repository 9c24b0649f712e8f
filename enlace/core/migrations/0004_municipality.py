"""Municipalities of the countries of origin (core.Municipality), loaded from data/municipalities.csv."""

import django.db.models.deletion
from django.db import migrations, models


def load(apps, schema_editor):
    # The loader reads the data file and takes the (historical) model class.
    from enlace.core.reference import load_municipalities

    load_municipalities(apps.get_model("core", "Municipality"))


class Migration(migrations.Migration):
    dependencies = [("core", "0003_country_name_fixes")]
    operations = [
        migrations.CreateModel(
            name="Municipality",
            fields=[
                (
                    "id",
                    models.CharField(
                        max_length=16, primary_key=True, serialize=False, verbose_name="identifier"
                    ),
                ),
                (
                    "subdivision",
                    models.CharField(
                        db_index=True, max_length=6, verbose_name="ISO 3166-2 subdivision"
                    ),
                ),
                (
                    "subdivision_name",
                    models.CharField(max_length=120, verbose_name="department or state"),
                ),
                ("code", models.CharField(max_length=10, verbose_name="national code")),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "municipality_2024",
                    models.CharField(
                        blank=True, max_length=120, verbose_name="municipality since 2024"
                    ),
                ),
                (
                    "country",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.country",
                        verbose_name="country",
                    ),
                ),
            ],
            options={
                "verbose_name": "municipality",
                "verbose_name_plural": "municipalities",
                "ordering": ["country_id", "subdivision_name", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("country", "code"), name="municipality_unique_code"
                    )
                ],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
