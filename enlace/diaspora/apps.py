from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiasporaConfig(AppConfig):
    name = "enlace.diaspora"
    label = "diaspora"
    verbose_name = _("Diaspora associations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import slots

        slots.register()
