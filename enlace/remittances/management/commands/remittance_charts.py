"""Draw the corridor charts ahead (every corridor with a World Bank series, in every interface
language) so that no visitor waits for the first drawing; run it after an import."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from enlace.remittances.charts import warm_corridor_charts
from enlace.remittances.models import SERIES_AVERAGE_TOTAL_COST, CorridorQuarter


class Command(BaseCommand):
    help = "Draw and cache the corridor charts of the remittance pages."

    def handle(self, *args: Any, **options: Any) -> None:
        pairs = sorted(
            set(
                CorridorQuarter.objects.filter(series_code=SERIES_AVERAGE_TOTAL_COST).values_list(
                    "corridor__sending_id", "corridor__receiving_id"
                )
            )
        )
        languages = [code for code, _name in settings.LANGUAGES]
        drawn = warm_corridor_charts(pairs, languages)
        self.stdout.write(f"{drawn} charts drawn for {len(pairs)} corridors")
