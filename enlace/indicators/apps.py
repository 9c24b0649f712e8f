from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "enlace.indicators"
    label = "indicators"
    verbose_name = _("Indicators")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import panels, slots

        slots.register()  # pages, navigation, help, demo data of the official sources
        panels.register()  # the home panels that read their aggregates from protection.py
