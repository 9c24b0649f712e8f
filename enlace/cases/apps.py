from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "enlace.cases"
    label = "cases"
    verbose_name = _("Cases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from enlace.access.grants import on_consent_revoked
        from enlace.people.services import on_person_anonymised

        from . import exports, slots  # noqa: F401 - exports registers its job function
        from .services import case_texts_anonymise, referrals_revoke_for_consent

        on_consent_revoked(referrals_revoke_for_consent)
        on_person_anonymised(case_texts_anonymise)
        slots.register()
