from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "enlace.audit"
    label = "audit"
    verbose_name = _("Audit")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .immutability import register_sqlite_function

        # The SQLite triggers that keep audit rows unchanged call this function.
        connection_created.connect(register_sqlite_function, dispatch_uid="enlace_audit_purge")
