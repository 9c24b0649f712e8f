from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemittancesConfig(AppConfig):
    name = "enlace.remittances"
    label = "remittances"
    verbose_name = _("Remittances")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import panels, slots, tasks  # noqa: F401 - tasks registers the import job

        slots.register()
        panels.register()
