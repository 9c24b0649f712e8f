"""The database itself refuses to change or delete audit rows (enlace.audit.immutability), on
SQLite and on PostgreSQL; audit_purge() is the one deliberate way through, and a read's audit
row lives and dies with the read's transaction."""

import pytest
from django.db import DatabaseError, connection, transaction

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OWN_OFFICE
from enlace.audit import services
from enlace.audit.immutability import audit_purge
from enlace.audit.models import AccessEvent, ChangeEvent, Purpose

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(network):
    actor = actor_for(network.user(Role.OFFICER))
    office = network.offices[OWN_OFFICE]
    access = services.access_record(
        actor=actor, obj=office, owner_office=office, purpose=Purpose.VIEW
    )
    change = services.change_record(
        actor=actor, obj=office, owner_office=office, action="edit", changes={"name": ["a", "b"]}
    )
    return access, change


def _refused(statement):
    # A savepoint of its own: the refused statement leaves the test's transaction usable.
    with (
        pytest.raises(DatabaseError, match="audit rows are never changed"),
        transaction.atomic(),
    ):
        statement()


@pytest.mark.parametrize("model", [AccessEvent, ChangeEvent])
def test_orm_update_and_delete_of_an_audit_row_fail(rows, model):
    row = model.objects.get()
    _refused(lambda: model.objects.filter(pk=row.pk).update(record_id="forged"))
    _refused(lambda: model.objects.filter(pk=row.pk).delete())
    row.record_type = "forged"
    _refused(lambda: row.save())
    _refused(lambda: model.objects.all().delete())
    assert model.objects.get(pk=row.pk).record_type == "accounts.office"


@pytest.mark.parametrize("table", ["audit_accessevent", "audit_changeevent"])
def test_raw_sql_update_and_delete_fail(rows, table):
    def run(sql):
        return lambda: connection.cursor().execute(sql)

    _refused(run(f"UPDATE {table} SET record_id = 'forged'"))  # noqa: S608
    _refused(run(f"DELETE FROM {table}"))  # noqa: S608
    if connection.vendor == "postgresql":
        # (The test's own inserts leave foreign-key checks pending, which TRUNCATE refuses
        # before any trigger runs: check them first.)
        _refused(run(f"SET CONSTRAINTS ALL IMMEDIATE; TRUNCATE {table}"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE record_id != 'forged'")  # noqa: S608
        assert cursor.fetchone()[0] == 1


def test_audit_purge_is_the_one_way_through(rows):
    access, change = rows
    with audit_purge():
        ChangeEvent.objects.filter(pk=change.pk).update(changes={})  # anonymised
        AccessEvent.objects.filter(pk=access.pk).delete()  # past its retention
    assert not AccessEvent.objects.filter(pk=access.pk).exists()
    assert ChangeEvent.objects.get(pk=change.pk).changes == {}
    # …and only inside it: the next statement is refused again.
    _refused(lambda: ChangeEvent.objects.filter(pk=change.pk).delete())


def test_the_purge_permission_ends_with_its_transaction(rows):
    access, _change = rows
    with pytest.raises(RuntimeError), audit_purge():
        AccessEvent.objects.filter(pk=access.pk).delete()
        raise RuntimeError
    assert AccessEvent.objects.filter(pk=access.pk).exists()  # rolled back
    _refused(lambda: AccessEvent.objects.filter(pk=access.pk).delete())


def test_a_read_and_its_audit_row_commit_or_roll_back_together(network):
    """The read's AccessEvent is written in the read's own transaction: visible inside it,
    gone with it when the transaction fails after the read."""
    from enlace.cases import services as case_services
    from enlace.cases.selectors import case_read
    from enlace.people import services as people_services

    officer = actor_for(network.user(Role.OFFICER))
    person = people_services.person_create(
        actor=officer,
        data={"given_names": "Ana", "first_surname": "Ruiz", "sex": "F", "birth_date": "1990"},
        nationalities=["MX"],
    )
    case = case_services.case_open(
        actor=officer, person=person, case_type="detention", summary="Detenida"
    )
    reads = AccessEvent.objects.filter(record_type="cases.case", record_id=str(case.pk))
    before = reads.count()

    class Failed(Exception):
        pass

    with pytest.raises(Failed), transaction.atomic():
        case_read(actor=officer, case_id=case.pk)
        assert reads.count() == before + 1  # written by the read, in its transaction
        raise Failed
    assert reads.count() == before  # rolled back with it

    with transaction.atomic():
        case_read(actor=officer, case_id=case.pk)
    assert reads.count() == before + 1  # committed with it
