from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "enlace.privacy"
    label = "privacy"
    verbose_name = _("Data protection")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import slots

        slots.register()  # navigation, the consent ledger's hooks in people and the portal
