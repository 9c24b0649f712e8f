from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    name = "enlace.returns"
    label = "returns"
    verbose_name = _("Assisted voluntary return")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from enlace.access.grants import on_consent_revoked

        from . import panels, services, slots

        slots.register()
        panels.register()
        on_consent_revoked(services.on_consent_revoked)
