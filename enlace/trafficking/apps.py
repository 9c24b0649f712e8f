from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraffickingConfig(AppConfig):
    name = "enlace.trafficking"
    label = "trafficking"
    verbose_name = _("Trafficking and smuggling")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from enlace.people.services import on_protection_check

        from . import services, slots

        # A victim or smuggled person named in a case has their identity protected.
        on_protection_check(services.victim_is_listed)
        # The countries on a case's route are alerted when it is opened or changed.
        from . import alerts

        services.on_case_saved(alerts.on_case_saved)
        services.on_cases_saved_in_bulk(alerts.on_cases_saved_in_bulk)
        slots.register()
        # Links between cases (enlace.trafficking.links): kept current as cases are saved.
        from . import (  # noqa: F401  (links_jobs registers the rebuild job)
            htcds_io,
            links,
            links_jobs,
        )

        services.on_case_saved(links.on_case_saved)
        services.on_cases_saved_in_bulk(links.on_cases_saved_in_bulk)
