"""Name search through the index (enlace.people.search), on SQLite and on PostgreSQL: the same
answers as a scan (every word, accents and case ignored, substrings of 3+ characters, shorter
words at the start of a name), every writer reaches the index, a protected identity is never
matched, and the plan reads the index."""

import importlib
from types import ModuleType, SimpleNamespace
from uuid import UUID

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enlace.accounts.actor import Actor, actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OWN_OFFICE, SAME_COUNTRY, Network
from enlace.cases import services as case_services
from enlace.cases.filters import CaseFilter
from enlace.cases.models import Case
from enlace.people import search
from enlace.people import services as people_services
from enlace.people.models import Person
from enlace.people.selectors import person_search

pytestmark = pytest.mark.django_db


def _officer(network: Network) -> Actor:
    return actor_for(network.user(Role.OFFICER, OWN_OFFICE))


def _add(network: Network, given: str, first: str = "", second: str = "") -> Person:
    return people_services.person_create(
        actor=_officer(network),
        data={"given_names": given, "first_surname": first, "second_surname": second},
    )


def _people(actor: Actor, q: str) -> set[str]:
    return {p.given_names for p in person_search(Person.objects.all(), q, actor=actor)}


def _cases(actor: Actor, q: str) -> set[str]:
    qs = Case.objects.all()
    return {c.reference for c in CaseFilter({}, queryset=qs, actor=actor).filter_q(qs, "q", q)}


@pytest.fixture
def names(network: Network) -> Network:
    _add(network, "José María", "Hernández", "Ordóñez")
    _add(network, "Benjamín", "Pérez")
    _add(network, "Juan", "Pérez", "Quispe")
    _add(network, "Ana", "O'Brien")
    return network


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("hernandez", {"José María"}),
        ("HERNÁNDEZ", {"José María"}),  # case and accents ignored
        ("nánd", {"José María"}),  # a substring inside a name
        ("jose ordo", {"José María"}),  # every word, in any name
        ("ordo jose", {"José María"}),
        ("jose quispe", set()),  # one word missing: no match
        ("pérez", {"Benjamín", "Juan"}),
        ("j perez", {"Juan"}),  # a short word: the start of a name (not benJamín)
        ("pe", {"Benjamín", "Juan"}),
        ("ez", set()),  # not the start of any name
        ("q", {"Juan"}),
        ("o'b", {"Ana"}),  # punctuation is literal, in SQL LIKE and in an FTS5 string
        ('"', set()),
        ("%", set()),
        ("_", set()),
        ("zzqzz", set()),
    ],
)
def test_every_word_matches_folded_names(names, q, found):
    assert _people(_officer(names), q) == found


def test_edits_deletions_and_bulk_writes_reach_the_index(network):
    officer = _officer(network)
    person = _add(network, "Yolanda", "Quispe")
    people_services.person_update(
        actor=officer, person=person, version=person.version, data={"first_surname": "Mamani"}
    )
    assert _people(officer, "quispe") == set()
    assert _people(officer, "yolanda mamani") == {"Yolanda"}
    Person.objects.filter(pk=person.pk).update(search_text="rosa tzul")  # a raw write too
    assert _people(officer, "yolanda") == set()
    assert _people(officer, "tzul") == {"Yolanda"}
    Person.objects.bulk_create(
        [Person(owner_office=officer.office, given_names="Noemí", search_text="noemi ixcoy")]
    )
    assert _people(officer, "ixco") == {"Noemí"}
    Person.objects.filter(pk=person.pk).delete()
    assert _people(officer, "tzul") == set()


def test_a_word_may_be_in_the_name_or_in_the_reference(network):
    officer = _officer(network)
    person = _add(network, "Yolanda", "Quispe")
    case = case_services.case_open(
        actor=officer, person=person, case_type="labour", summary="Explotación laboral"
    )
    ref = case.reference.lower()  # MX-2026-000001
    assert _cases(officer, f"quispe {ref}") == {case.reference}
    assert _cases(officer, ref[3:].upper()) == {case.reference}
    assert _cases(officer, "yol qui") == {case.reference}
    assert _cases(officer, "quispe zz-") == set()
    other = case_services.case_open(
        actor=officer, person=_add(network, "Rosa", "Tzul"), case_type="labour", summary="Otra"
    )
    assert _cases(officer, f"tzul {ref}") == set()  # each word in a different case
    assert _cases(officer, f"tzul {other.reference}") == {other.reference}
    assert _cases(officer, "2026") == {case.reference, other.reference}
    # Short words: the start of a part of the reference, as of a name.
    assert _cases(officer, ref[:2]) == {case.reference, other.reference}
    assert _cases(officer, "20") == {case.reference, other.reference}
    assert _cases(officer, "26") == set()
    assert _cases(officer, f"q {ref[:2]}") == {case.reference}


@pytest.mark.parametrize("q", ["y", "yo", "yol", "yolanda", "olan", "yolanda quispe", "quis"])
def test_a_protected_identity_is_never_matched(network, q):
    """A national focal point of the country sees a trafficking victim's record but not her
    name: the index must not make her name findable, with short or long words."""
    officer = _officer(network)
    person = _add(network, "Yolanda", "Quispe")
    case = case_services.case_open(
        actor=officer, person=person, case_type="possible_trafficking", summary="Indicios"
    )
    focal = actor_for(network.user(Role.NATIONAL_FOCAL_POINT, SAME_COUNTRY))
    assert _people(officer, q) == {"Yolanda"}  # the owner office finds her
    assert _people(focal, q) == set()
    assert _cases(focal, q) == set()
    assert _cases(focal, case.reference) == {case.reference}  # the reference stays searchable


def _plan(sql: str, params: tuple | None) -> str:
    prefix = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


def _fill_postgresql(office_id: UUID, n: int = 20_000) -> None:
    """Enough people and cases of the searcher's office, none protected, for PostgreSQL's
    planner to weigh an index against a scan as it would in an office (a handful of rows are
    read faster by a scan, whatever the query's shape)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO people_person (id, created, modified, given_names, first_surname,"
            " second_surname, other_names, sex, gender_identity, birth_date_precision,"
            " birth_place, languages, phone, email, address, photo, migratory_status,"
            " migratory_status_notes, refuses_tracing, search_text, version, owner_office_id,"
            " mother_name, identity_protection)"
            " SELECT gen_random_uuid(), now(), now(), 'x', 'y', '', '', '', '', '', '', '', '',"
            " '', '', '', '', '', false, 'filler ' || md5(i::text), 1, %s, '', ''"
            " FROM generate_series(1, %s) i",
            [office_id, n],
        )
        cursor.execute(
            "INSERT INTO cases_case (id, created, modified, reference, case_type, summary,"
            " status, risk_level, closure_reason, version, owner_office_id, person_id)"
            " SELECT gen_random_uuid(), now(), now(), 'FL-' || md5(id::text), 'labour', '',"
            " 'open', '', '', 1, owner_office_id, id FROM people_person"
            " WHERE search_text LIKE 'filler %%'"
        )
        # As autovacuum would: move the new entries from the GIN pending lists into the index.
        for index in ("people_person_search_text_trgm", "cases_case_reference_trgm"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE people_person")
        cursor.execute("ANALYZE cases_case")


def test_the_search_reads_the_name_index(names):
    officer = _officer(names)
    if connection.vendor == "postgresql":
        _fill_postgresql(officer.require_office().pk)
    people = person_search(Person.objects.all(), "hernandez jo", actor=officer)
    qs = Case.objects.all()
    with CaptureQueriesContext(connection) as asked:  # the references are asked first
        cases = CaseFilter({}, queryset=qs, actor=officer).filter_q(qs, "q", "hernandez mx")
    people_plan = _plan(*people.query.sql_with_params())
    cases_plan = _plan(*cases.query.sql_with_params())
    (probe,) = asked.captured_queries
    reference_plan = _plan(probe["sql"], None)  # as sent, parameters in place
    if connection.vendor == "postgresql":
        assert "Bitmap Index Scan on people_person_search_text_trgm" in people_plan, people_plan
        assert "Bitmap Index Scan on people_person_search_text_trgm" in cases_plan, cases_plan
        assert "Bitmap Index Scan on cases_case_reference_trgm" in reference_plan, reference_plan
    elif connection.vendor == "sqlite":
        # M: FTS5 answers a MATCH through its index (a scan would show no M).
        assert "people_person_search_fts VIRTUAL TABLE INDEX 0:M" in people_plan, people_plan
        assert "people_person_search_fts VIRTUAL TABLE INDEX 0:M" in cases_plan, cases_plan
    else:
        pytest.skip(f"no name index on {connection.vendor}")


def test_sqlite_puts_back_triggers_a_table_rebuild_dropped(network):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    officer = _officer(network)
    assert search.ensure_sqlite_search(connection) is False  # nothing missing
    with connection.cursor() as cursor:
        for name in search.SQLITE_PERSON_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    _add(network, "Rosa", "Tzul")  # unseen by the index
    assert _people(officer, "tzul") == set()
    assert search.ensure_sqlite_search(connection) is True
    assert _people(officer, "tzul") == {"Rosa"}


def _migration(name: str) -> ModuleType:
    return importlib.import_module(f"enlace.{name}")


def test_the_migrations_undo_and_redo(names):
    """Backwards then forwards, as `migrate people 0006` and back would run them."""
    people = _migration("people.migrations.0007_name_search_index")
    cases = _migration("cases.migrations.0004_reference_search_index")
    with connection.cursor() as cursor:
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no DDL with deferred FK checks
        cases.backwards(None, editor)
        people.backwards(None, editor)
        tables = connection.introspection.table_names(cursor)
        assert search.SEARCH_TABLE not in tables
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
            assert cursor.fetchone()[0] == 0
        assert search.ensure_sqlite_search(connection) is False  # does not undo the undoing
        people.forwards(None, editor)
        cases.forwards(None, editor)
    assert _people(_officer(names), "hernan") == {"José María"}  # refilled from the table
    test_the_search_reads_the_name_index(names)
