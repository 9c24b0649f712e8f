from unittest import mock

import pytest
from django.http import Http404

from enlace.accounts import services
from enlace.accounts.actor import actor_for
from enlace.accounts.models import Membership, Role, User
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, SAME_COUNTRY, assert_matrix
from enlace.audit.immutability import audit_purge
from enlace.audit.models import AccessEvent, ChangeEvent

pytestmark = pytest.mark.django_db


def test_change_is_written_with_the_act(network):
    actor = actor_for(network.user(Role.SUPERVISOR))
    target = User.objects.create_user(username="t1", password="x")
    membership = services.membership_create(
        actor=actor, office_id=network.offices[OWN_OFFICE].pk, user=target, role=Role.OFFICER
    )
    event = ChangeEvent.objects.get(record_id=str(membership.pk))
    assert event.actor == actor.user
    assert event.action == "membership_create"
    assert event.owner_office == network.offices[OWN_OFFICE]


def test_act_is_rolled_back_if_the_audit_row_fails(network):
    actor = actor_for(network.user(Role.SUPERVISOR))
    target = User.objects.create_user(username="t2", password="x")
    with (
        mock.patch("enlace.accounts.services.change_record", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        services.membership_create(
            actor=actor,
            office_id=network.offices[OWN_OFFICE].pk,
            user=target,
            role=Role.OFFICER,
        )
    assert not Membership.objects.filter(user=target).exists()


def test_reading_members_is_logged(network, client):
    office = network.offices[OWN_OFFICE]
    user = network.user(Role.OFFICER)
    client.force_login(user)
    client.get(f"/accounts/offices/{office.pk}/members/")
    event = AccessEvent.objects.get(actor=user)
    assert event.record_id == str(office.pk)
    assert event.owner_office == office


def test_matrix_record_history_page(network, client):
    office = network.offices[OWN_OFFICE]
    client.force_login(network.user(Role.OFFICER))
    client.get(f"/accounts/offices/{office.pk}/members/")  # creates an access event

    def expected(role: str, relation: str) -> int:
        if role == Role.ADMINISTRATOR:
            return 200
        if role == Role.SUPERVISOR and relation == OWN_OFFICE:
            return 200
        if role == Role.NATIONAL_FOCAL_POINT and relation in (OWN_OFFICE, SAME_COUNTRY):
            return 200
        return 404

    assert_matrix(
        users=network.users,
        request=lambda c: c.get(f"/audit/accounts.office/{office.pk}/"),
        expected=expected,
        api=False,
    )


def test_history_shows_who_viewed(network, client):
    office = network.offices[OWN_OFFICE]
    viewer = network.user(Role.OFFICER)
    client.force_login(viewer)
    client.get(f"/accounts/offices/{office.pk}/members/")
    client.force_login(network.user(Role.SUPERVISOR))
    html = client.get(f"/audit/accounts.office/{office.pk}/").content.decode()
    assert viewer.username in html


def test_history_of_unknown_record_is_404_even_for_admin(network):
    from enlace.access.history import record_history

    with pytest.raises(Http404):
        record_history(
            actor=actor_for(network.user(Role.ADMINISTRATOR, OTHER_COUNTRY)),
            record_type="accounts.office",
            record_id="nope",
        )


def test_free_text_purposes_of_old_rows_are_mapped_to_the_fixed_list(network):
    import importlib

    from django.apps import apps

    old = ["case page", "api read", "download 1234", "export of 3 cases", "tracing match review"]
    old += ["because I was curious"]
    for purpose in old:
        AccessEvent.objects.create(record_type="cases.case", record_id="1", purpose=purpose)
    migration = importlib.import_module("enlace.audit.migrations.0002_access_purpose_denied")
    # The migration ran before 0006_immutable made audit rows unchangeable; run it as then.
    with audit_purge():
        migration.map_purposes(apps, None)
    assert list(AccessEvent.objects.order_by("pk").values_list("purpose", flat=True)) == [
        "view",
        "view",
        "download",
        "export",
        "tracing",
        "view",
    ]
