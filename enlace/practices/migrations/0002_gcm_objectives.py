"""The 23 objectives of the Global Compact for Safe, Orderly and Regular Migration (A/RES/73/195,
paragraph 16), from enlace/practices/data/gcm_objectives.csv (its source in data/SOURCE.md)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "gcm_objectives.csv"


def forwards(apps, schema_editor):
    GcmObjective = apps.get_model("practices", "GcmObjective")
    with DATA.open(encoding="utf-8", newline="") as f:
        rows = [
            GcmObjective(
                number=int(row["number"]),
                title_en=row["title_en"],
                title_es=row["title_es"],
                title_fr=row["title_fr"],
                title_pt=row["title_pt"],
            )
            for row in csv.DictReader(f)
        ]
    GcmObjective.objects.bulk_create(rows, ignore_conflicts=True)


def backwards(apps, schema_editor):
    apps.get_model("practices", "GcmObjective").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
