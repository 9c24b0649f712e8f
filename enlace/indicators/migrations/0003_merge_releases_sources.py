# Joins the two migrations made side by side on 0001_initial: the official sources' tables
# (0002_sources) and the releases of protection figures (0002_releases). No operation.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_releases"),
        ("indicators", "0002_sources"),
    ]
    operations: list[migrations.operations.base.Operation] = []
