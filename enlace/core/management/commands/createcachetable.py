"""Django's `createcachetable`, run as the owner role when ENLACE_OWNER_DATABASE_URL is set
(enlace.core.dbowner)."""

from typing import Any

from django.core.management.commands import createcachetable

from enlace.core.dbowner import owner_connection


class Command(createcachetable.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        with owner_connection(options["database"]):
            super().handle(*args, **options)
