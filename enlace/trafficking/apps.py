from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraffickingConfig(AppConfig):
    name = "enlace.trafficking"
    label = "trafficking"
    verbose_name = _("Trafficking and smuggling")
    default_auto_field = "django.db.models.BigAutoField"
