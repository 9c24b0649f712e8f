"""The database out of disk, memory or connections is a 503 with a clear message (pages and
API, enlace.core.errors) and a failed job that says so (enlace.core.jobs), on either engine.
The real thing on PostgreSQL (a full tablespace): test_disk_full.py."""

import sqlite3

import psycopg
import pytest
from django.db import IntegrityError, OperationalError
from django.utils import translation

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.core import jobs
from enlace.core.errors import (
    DATABASE_FULL,
    DATABASE_SHORT,
    SHORTAGE_MESSAGES,
    database_shortage,
    http_error,
)
from enlace.core.models import Job


def _wrapped(driver_error: Exception) -> Exception:
    """As Django raises it: its own class, the driver's error as the cause."""
    try:
        try:
            raise driver_error
        except Exception as exc:
            raise OperationalError(str(exc)) from exc
    except OperationalError as wrapped:
        return wrapped


def _sqlite_full() -> sqlite3.Error:
    """A real SQLITE_FULL: a database allowed two pages, then filled."""
    db = sqlite3.connect(":memory:")
    db.execute("PRAGMA max_page_count = 2")
    try:
        db.execute("CREATE TABLE t (x)")
        for _ in range(100):
            db.execute("INSERT INTO t VALUES (?)", ["x" * 4000])
    except sqlite3.Error as exc:
        return exc
    finally:
        db.close()
    raise AssertionError("SQLite never filled up")


def test_disk_full_out_of_memory_and_connections_are_503_on_both_engines():
    with translation.override("en"):
        full = http_error(_wrapped(psycopg.errors.DiskFull("could not extend file")))
        assert full is not None
        assert (full.status, full.body()) == (
            503,
            {"detail": str(SHORTAGE_MESSAGES[DATABASE_FULL])},
        )
        assert "no space left" in full.body()["detail"]
        for error in (psycopg.errors.OutOfMemory(), psycopg.errors.TooManyConnections()):
            short = http_error(_wrapped(error))
            assert short is not None
            assert (short.status, short.detail) == (503, SHORTAGE_MESSAGES[DATABASE_SHORT])
    assert database_shortage(_wrapped(_sqlite_full())) == DATABASE_FULL
    # Other database errors are not shortages: they stay errors (500) to be fixed.
    assert http_error(_wrapped(psycopg.errors.UniqueViolation())) is None
    assert http_error(IntegrityError("duplicate")) is None
    assert database_shortage(_wrapped(sqlite3.OperationalError("no such table: x"))) is None


@jobs.job_function("test_disk_full_job")
def _filling_job(job: Job) -> dict:
    raise _wrapped(psycopg.errors.DiskFull("could not extend file"))


@pytest.mark.django_db
def test_a_job_that_meets_a_full_database_ends_failed_and_says_so(network):
    actor = actor_for(network.user(Role.OFFICER))
    job = Job.objects.create(kind="test_disk_full_job", created_by=actor.user, office=actor.office)
    with pytest.raises(OperationalError):
        jobs.run_job.call(str(job.pk), {})
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.FAILED, DATABASE_FULL)
    with translation.override("en"):
        assert job.message_label == str(SHORTAGE_MESSAGES[DATABASE_FULL])
