"""Django's `migrate`, run as the owner role when ENLACE_OWNER_DATABASE_URL is set
(enlace.core.dbowner)."""

from typing import Any

from django.core.management.commands import migrate

from enlace.core.dbowner import owner_connection


class Command(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        with owner_connection(options["database"]):
            super().handle(*args, **options)
