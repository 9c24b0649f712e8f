from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "enlace.people"
    label = "people"
    verbose_name = _("People")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import slots

        slots.register()
        post_migrate.connect(_ensure_search_index, sender=self)


def _ensure_search_index(using: str = "default", **kwargs: Any) -> None:
    """SQLite drops the name-search triggers when a migration rebuilds people_person: put them
    back (and refill the index) after every migrate."""
    from .search import ensure_sqlite_search

    ensure_sqlite_search(connections[using])
