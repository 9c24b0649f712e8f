"""PostgreSQL's role split (`enlace db_roles`): the application's role, connecting with its own
login, reads and adds audit rows but cannot update, delete or truncate them, not even after
setting the trigger's escape `enlace.audit_purge`; privacy's anonymisation still blanks a
person's names in the change history through the owner's function; the role does its ordinary
work (people, cases, reads, relinking); the schema commands run as the owner when
ENLACE_OWNER_DATABASE_URL is set, and later tables are granted by default privileges.

Roles are cluster-wide: each test makes a role with a name of its own and drops it after."""

import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import build_network
from enlace.audit.immutability import AUDIT_TABLES, audit_purge
from enlace.audit.models import AccessEvent, ChangeEvent
from enlace.core.dbowner import owner_connection

POSTGRESQL = connection.vendor == "postgresql"


def needs_postgresql(test):
    """PostgreSQL only, in real transactions: the role's own connection sees committed rows."""
    skip = pytest.mark.skipif(
        not POSTGRESQL,
        reason="SQLite has no database roles: the role split is PostgreSQL's (docs/security.en.md)",
    )
    return skip(pytest.mark.django_db(transaction=True, serialized_rollback=True)(test))


def _url(user: str) -> str:
    db = connection.settings_dict
    return f"postgres://{quote(user)}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _owner_sql(sql: str) -> None:
    """A statement on a connection of its own, as the test database's owner (cleanup)."""
    db = connection.settings_dict
    with psycopg.connect(_url(db["USER"]), autocommit=True) as raw:
        raw.execute(sql)


@pytest.fixture
def app_role() -> Iterator[str]:
    name = f"enlace_app_t{uuid.uuid4().hex[:12]}"
    yield name
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
        made = cursor.fetchone() is not None
    if made:
        _owner_sql(f'DROP OWNED BY "{name}"')  # its grants and default privileges here
        _owner_sql(f'DROP ROLE "{name}"')


@contextmanager
def connected_as(role: str) -> Iterator[None]:
    """The default connection logs in as `role` (its own login, not SET ROLE) for the block."""
    saved = connection.settings_dict["USER"], connection.settings_dict["PASSWORD"]
    connection.close()
    connection.settings_dict["USER"], connection.settings_dict["PASSWORD"] = role, ""
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["USER"], connection.settings_dict["PASSWORD"] = saved


def _current_user() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


def _denied(sql: str, *, escape: bool) -> None:
    """`sql` fails with "permission denied", after setting the trigger's escape if asked."""
    with pytest.raises(DatabaseError, match="permission denied for table"):  # noqa: SIM117
        with transaction.atomic(), connection.cursor() as cursor:
            if escape:
                cursor.execute("SELECT set_config('enlace.audit_purge', 'on', true)")
            cursor.execute(sql)


def _person(actor, given: str):
    from enlace.people import services as people_services

    return people_services.person_create(
        actor=actor,
        data={"given_names": given, "first_surname": "Quispe", "sex": "F", "birth_date": "1990"},
        nationalities=["PE"],
    )


@needs_postgresql
def test_the_app_role_adds_audit_rows_but_cannot_alter_them(app_role):
    from enlace.cases import services as case_services
    from enlace.cases.selectors import case_read
    from enlace.people import services as people_services
    from enlace.people.reindex import reindex_people

    network = build_network()
    officer = actor_for(network.user(Role.OFFICER))
    person = _person(officer, "Rosa Elvira")  # written as the owner, before the split
    people_services.person_update(
        actor=officer, person=person, version=person.version, data={"given_names": "Rosa Elena"}
    )
    out = io.StringIO()
    call_command("db_roles", app_role=app_role, stdout=out)
    assert "cannot update, delete or truncate audit rows" in out.getvalue()
    counts = {t: _count(t) for t in AUDIT_TABLES}

    with connected_as(app_role):
        assert _current_user() == app_role
        # Ordinary work: register a person, open and read a case (each writes audit rows).
        other = _person(officer, "Ana Lucía")
        case = case_services.case_open(
            actor=officer, person=other, case_type="detention", summary="Detenida en la frontera"
        )
        case_read(actor=officer, case_id=case.pk)
        assert AccessEvent.objects.filter(record_id=str(case.pk)).exists()  # SELECT, INSERT
        assert ChangeEvent.objects.filter(record_id=str(other.pk), action="person_create")
        # No way to alter an audit row: raw SQL, with or without the trigger's escape, ORM,
        # audit_purge().
        for table in AUDIT_TABLES:
            for escape in (False, True):
                _denied(f"UPDATE {table} SET record_id = 'forged'", escape=escape)  # noqa: S608
                _denied(f"DELETE FROM {table}", escape=escape)  # noqa: S608
                _denied(f"TRUNCATE {table}", escape=escape)
        with pytest.raises(DatabaseError, match="permission denied"):  # noqa: SIM117
            with transaction.atomic():
                ChangeEvent.objects.filter(record_id=str(person.pk)).update(changes={})
        with pytest.raises(DatabaseError, match="permission denied"), audit_purge():
            AccessEvent.objects.all().delete()
        # Privacy's anonymisation redacts the names in the history through the one door.
        done = people_services.person_anonymise(actor=officer, person=person)
        assert done["history_rows"] >= 2  # person_create and the edit of the names
        # Relinking the registry works too: merged, since only the owner may swap tables.
        assert reindex_people(full=True).mode == "merge"

    assert _current_user() != app_role
    history = ChangeEvent.objects.filter(record_type="people.person", record_id=str(person.pk))
    names = [h.changes["given_names"] for h in history if "given_names" in h.changes]
    assert names and all(v == ["…", "…"] for v in names)
    assert "Rosa" not in str(list(history.values_list("changes", flat=True)))
    assert {h.action for h in history} >= {"person_create", "person_update"}  # rows kept
    for table in AUDIT_TABLES:  # nothing deleted, the app's own rows added
        assert _count(table) > counts[table]
        assert _count(table, "record_id = 'forged'") == 0


def _count(table: str, where: str = "TRUE") -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE {where}")  # noqa: S608
        return cursor.fetchone()[0]


@needs_postgresql
def test_schema_commands_run_as_the_owner_and_later_tables_are_granted(app_role, settings):
    owner = connection.settings_dict["USER"]
    call_command("db_roles", app_role=app_role, stdout=io.StringIO())
    table = f"enlace_cache_t{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {"BACKEND": "enlace.core.cache.SharedDatabaseCache", "LOCATION": table}
    }
    try:
        with connected_as(app_role):
            # As the application's role alone: no table of its own, no grants to give.
            with pytest.raises(CommandError, match="permission denied for schema"):
                call_command("createcachetable", verbosity=0)
            with pytest.raises(CommandError, match="does not own Enlace's tables"):
                call_command("db_roles", app_role=app_role, stdout=io.StringIO())
            settings.ENLACE_OWNER_DATABASE_URL = _url(owner)
            with owner_connection():
                assert _current_user() == owner
            assert _current_user() == app_role  # back once the block ends
            call_command("createcachetable", verbosity=0)  # a later "migration", as the owner
            call_command("db_roles", app_role=app_role, stdout=io.StringIO())
            assert _current_user() == app_role
            # The new table was granted by default privileges: the app role uses it.
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT tableowner FROM pg_tables WHERE tablename = '{table}'")  # noqa: S608
                assert cursor.fetchone()[0] == owner
                cursor.execute(
                    f"INSERT INTO {table} VALUES ('k', 'v', now())"  # noqa: S608
                )
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    finally:
        _owner_sql(f"DROP TABLE IF EXISTS {table}")


@needs_postgresql
def test_db_roles_refuses_a_role_that_could_alter_audit_rows(app_role):
    owner = connection.settings_dict["USER"]
    with pytest.raises(CommandError, match="owns the tables"):
        call_command("db_roles", app_role=owner, stdout=io.StringIO())
    _owner_sql(f'CREATE ROLE "{app_role}" LOGIN')
    _owner_sql("GRANT DELETE ON audit_accessevent TO PUBLIC")
    try:
        with pytest.raises(CommandError, match="still has DELETE on audit_accessevent"):
            call_command("db_roles", app_role=app_role, stdout=io.StringIO())
    finally:
        _owner_sql("REVOKE DELETE ON audit_accessevent FROM PUBLIC")


@pytest.mark.skipif(POSTGRESQL, reason="the SQLite answer")
def test_db_roles_says_sqlite_has_no_roles():
    with pytest.raises(CommandError, match="SQLite has no roles"):
        call_command("db_roles", app_role="enlace_app")
