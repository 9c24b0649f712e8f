"""The shared checks: one text validator, one partial-date parser, one optimistic lock."""

import datetime as dt

import pytest

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.core.errors import StaleEdit, ValidationFailed
from enlace.core.validation import (
    DatePrecision,
    check_text,
    format_partial_date,
    lock_for_edit,
    parse_date,
    parse_partial_date,
)
from enlace.people import services as people_services
from enlace.people.models import Person


def _errors(call):
    with pytest.raises(ValidationFailed) as info:
        call()
    return info.value.errors


def test_text_is_kept_exactly_and_checked():
    assert check_text("name", "  Ana  ", limit=10) == "  Ana  "
    assert check_text("name", None, limit=10) == ""
    assert "name" in _errors(lambda: check_text("name", "x" * 11, limit=10))
    assert "name" in _errors(lambda: check_text("name", "a\x00b", limit=10))
    assert "name" in _errors(lambda: check_text("name", 12, limit=10))
    assert "name" in _errors(lambda: check_text("name", "   ", limit=10, required=True))


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("1999", dt.date(1999, 1, 1), DatePrecision.YEAR),
        ("1999-07", dt.date(1999, 7, 1), DatePrecision.MONTH),
        ("1999-07-14", dt.date(1999, 7, 14), DatePrecision.EXACT),
        ("", None, DatePrecision.EXACT),
    ],
)
def test_partial_dates_round_trip(text, date, precision):
    assert parse_partial_date("birth_date", text) == (date, precision)
    assert format_partial_date(date, precision) == text


@pytest.mark.parametrize("text", ["14/07/1999", "1999-02-30", "1850", "2999-01-01"])
def test_partial_date_errors_name_the_field(text):
    assert list(_errors(lambda: parse_partial_date("last_seen", text))) == ["last_seen"]


def test_exact_dates():
    assert parse_date("due", "2026-01-31") == dt.date(2026, 1, 31)
    assert parse_date("due", "") is None
    assert list(_errors(lambda: parse_date("due", "31/01/2026"))) == ["due"]


@pytest.mark.django_db
def test_lock_for_edit_refuses_a_stale_or_unreadable_version(network):
    officer = actor_for(network.user(Role.OFFICER))
    person = people_services.person_create(actor=officer, data={"given_names": "Ana"})
    assert lock_for_edit(Person.objects, person.pk, person.version).pk == person.pk
    assert lock_for_edit(Person.objects, person.pk, str(person.version)).pk == person.pk
    for stale in (person.version + 1, "not-a-number", [1]):
        with pytest.raises(StaleEdit):
            lock_for_edit(Person.objects, person.pk, stale)


@pytest.mark.django_db
def test_every_app_reports_the_same_mistake_the_same_way(network):
    """A NUL in a person's name, a case summary and a tracing request: one message."""
    from enlace.cases import services as case_services
    from enlace.tracing import services as tracing_services

    officer = actor_for(network.user(Role.OFFICER))
    person = people_services.person_create(actor=officer, data={"given_names": "Ana"})
    person_error = _errors(
        lambda: people_services.person_create(actor=officer, data={"given_names": "A\x00"})
    )["given_names"]
    case_error = _errors(
        lambda: case_services.case_open(
            actor=officer, person=person, case_type="detention", summary="A\x00"
        )
    )["summary"]
    tracing_error = _errors(
        lambda: tracing_services.request_create(
            actor=officer,
            data={
                "requester_name": "A\x00",
                "requester_relation": "mother",
                "requester_consent": True,
                "given_names": "Ana",
            },
        )
    )["requester_name"]
    assert person_error == case_error == tracing_error
