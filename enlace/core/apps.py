from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "enlace.core"
    label = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import tasks  # noqa: F401 - registers job functions

        post_migrate.connect(create_cache_table, sender=self)
        from .slots import NavItem, register_nav, signed_in

        register_nav(NavItem("core.home", _("Home"), "core:home", signed_in, 0))
        register_nav(NavItem("core.jobs", _("Jobs"), "core:jobs", signed_in, 90))
        # Officers get the user guides; the API documentation is linked from the help page,
        # for the roles that use the API (enlace.access.slots).
        register_nav(NavItem("core.help", _("Help"), "core:help", signed_in, 95))


def create_cache_table(using: str = "default", verbosity: int = 1, **_kwargs: Any) -> None:
    """`migrate` makes the database cache's table too (settings' ENLACE_CACHE_URL=db://…), so no
    deploy can forget `createcachetable`; nothing when the cache is elsewhere."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))
