import pytest
from django.db import transaction
from django.test import override_settings

from .world import World, build_world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> World:
    """The world, built once for this package inside a transaction that is rolled back at the end;
    each test still runs in its own savepoint (pytest-django's `db`)."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
