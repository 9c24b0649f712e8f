"""Schema changes as the database's owner role, the application as a role that may not.

On PostgreSQL the web processes and task workers connect with DATABASE_URL, as a role that may
read and write the ordinary tables but only read and add audit rows (`enlace db_roles`). The
commands that create or change tables (`migrate`, `createcachetable`, `restore`) and
`db_roles` itself must run as the role that owns the tables: with ENLACE_OWNER_DATABASE_URL set
they switch the connection to it for their own duration. Unset (the default, and SQLite), every
command uses DATABASE_URL as before (docs/operator.md, "PostgreSQL roles")."""

from collections.abc import Iterator
from contextlib import contextmanager

import dj_database_url
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

# What the owner's URL may change: who connects, and through which address.
_CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")


@contextmanager
def owner_connection(alias: str = "default") -> Iterator[None]:
    """Run the block connected as ENLACE_OWNER_DATABASE_URL's role (if set), then go back."""
    url = getattr(settings, "ENLACE_OWNER_DATABASE_URL", "")
    if not url:
        yield
        return
    connection = connections[alias]
    owner = dj_database_url.parse(url)
    current = connection.settings_dict
    if owner["ENGINE"] != current["ENGINE"] or owner["NAME"] != current["NAME"]:
        raise ImproperlyConfigured(
            "ENLACE_OWNER_DATABASE_URL must name the same database as DATABASE_URL "
            f"({current['NAME']!r}), with the owner role's user and password."
        )
    saved = {key: current.get(key) for key in _CREDENTIALS}
    connection.close()
    current.update({key: owner.get(key) for key in _CREDENTIALS})
    try:
        yield
    finally:
        connection.close()
        current.update(saved)
