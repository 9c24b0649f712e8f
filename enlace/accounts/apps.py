from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "enlace.accounts"
    label = "accounts"
    verbose_name = _("Accounts and offices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import slots

        slots.register()
