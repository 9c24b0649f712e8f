from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "enlace.portal"
    label = "portal"
    verbose_name = _("Public portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import info_slots, slots

        slots.register()  # intake: the inbox's triage, demo data, help entries
        info_slots.register()  # information: public navigation, help entries
