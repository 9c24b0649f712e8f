from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TracingConfig(AppConfig):
    name = "enlace.tracing"
    label = "tracing"
    verbose_name = _("Family tracing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from enlace.access.grants import on_consent_revoked
        from enlace.people.matching import on_person_indexed
        from enlace.people.services import on_tracing_refused

        from . import services, slots, tasks

        on_person_indexed(tasks.enqueue_person_match)
        on_tracing_refused(services.on_tracing_refused)
        on_consent_revoked(services.on_consent_revoked)
        slots.register()
