# The app's first migration, empty: the official sources' tables (0002_sources) and the
# releases of protection figures (0002_releases) are added by separate migrations.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []
    operations: list[migrations.operations.base.Operation] = []
