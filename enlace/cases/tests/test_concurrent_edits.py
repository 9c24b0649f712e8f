"""20 editors save the same version of a case at the same moment: exactly one edit is stored,
the 19 others get StaleEdit (the 409 of the pages and the API), and nothing is lost or mixed.

A real transaction per thread (transactional test, run in the serial pass). On PostgreSQL the
threads race on SELECT … FOR UPDATE; on SQLite on the database's single write lock
(transaction_mode IMMEDIATE)."""

import threading

import pytest
from django.db import close_old_connections, connection

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import build_network
from enlace.audit.models import ChangeEvent
from enlace.cases import services
from enlace.cases.models import Case
from enlace.core.validation import StaleEdit
from enlace.people import services as people_services

EDITORS = 20

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_twenty_concurrent_edits_of_one_version_one_succeeds_none_lost():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "SQLite's in-memory test database is shared between threads through shared-cache "
            "table locks, which fail at once instead of waiting (SQLITE_LOCKED): the race is "
            "run on PostgreSQL (the CI suite's second pass)"
        )
    network = build_network()
    officer = actor_for(network.user(Role.OFFICER))
    person = people_services.person_create(
        actor=officer,
        data={"given_names": "Ana", "first_surname": "Ruiz", "sex": "F", "birth_date": "1990"},
        nationalities=["MX"],
    )
    case = services.case_open(
        actor=officer, person=person, case_type="detention", summary="Original"
    )
    version = Case.objects.get(pk=case.pk).version
    start = threading.Barrier(EDITORS)
    outcomes: dict[int, str] = {}

    def edit(n: int) -> None:
        try:
            stale = Case.objects.get(pk=case.pk)  # every editor loaded the same version
            start.wait(timeout=60)
            services.case_update(
                actor=actor_for(network.user(Role.OFFICER)),
                case=stale,
                version=version,
                data={"summary": f"Edit number {n}"},
            )
            outcomes[n] = "saved"
        except StaleEdit:
            outcomes[n] = "stale"
        except Exception as error:
            outcomes[n] = f"error: {error!r}"
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(outcomes) == EDITORS
    saved = [n for n, outcome in outcomes.items() if outcome == "saved"]
    assert sorted(set(outcomes.values())) == ["saved", "stale"], outcomes
    assert len(saved) == 1, outcomes
    stored = Case.objects.get(pk=case.pk)
    # The one edit that was accepted is the one stored, whole, with one version step and one
    # audit row: no edit was lost after being told it was saved, none half applied.
    assert stored.summary == f"Edit number {saved[0]}"
    assert stored.version == version + 1
    updates = ChangeEvent.objects.filter(
        record_type="cases.case", record_id=str(case.pk), action="case_update"
    )
    assert list(updates.values_list("changes", flat=True)) == [
        {"summary": ["Original", f"Edit number {saved[0]}"]}
    ]
