from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "enlace.inbox"
    label = "inbox"
    verbose_name = _("Inbox")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from enlace.core.jobs import job_finished

        from . import services, slots

        job_finished.connect(services.on_job_finished, dispatch_uid="inbox.job_finished")
        slots.register()
