"""count_rows() runs its independent GROUP BY queries on several connections at once
(enlace.core.counting.run_counts) where that is safe, and gives the same rows as one after the
other; inside the caller's transaction (a test's, an atomic block) it stays on the caller's
connection, which alone sees the uncommitted rows."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.backends.signals import connection_created
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.test import override_settings

from enlace.core import counting
from enlace.indicators import protection

from .test_bench_smoke import load_bench


def _threads_of(run):
    """The threads that opened a database connection while `run()` ran, and its result."""
    opened: set[int] = set()

    def seen(sender, connection, **kwargs):
        opened.add(threading.get_ident())

    connection_created.connect(seen)
    try:
        result = run()
    finally:
        connection_created.disconnect(seen)
    return opened, result


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_and_sequential_counts_are_the_same_rows(monkeypatch):
    load_bench().generate(2000, seed=16)  # committed: every connection sees it
    default = connections["default"]  # the wrapper itself (django.db.connection is a proxy)
    if isinstance(default, SQLiteWrapper) and default.is_in_memory_db():
        # The suite's SQLite database lives in memory, where count_threads() says 1 (a file
        # database is what the app runs on). Shared-cache memory is readable from other
        # threads, so the parallel path is forced here to run it on SQLite too.
        assert counting.count_threads() == 1
        monkeypatch.setattr(
            counting, "count_threads", lambda using="default": min(settings.ENLACE_COUNT_THREADS, 2)
        )
    else:
        assert counting.count_threads() == 2
    with override_settings(ENLACE_COUNT_THREADS=1):
        sequential_threads, sequential = _threads_of(protection.count_rows)
    parallel_threads, parallel = _threads_of(protection.count_rows)
    assert len(sequential) > 1000
    assert parallel == sequential  # the same rows in the same order
    assert threading.get_ident() not in parallel_threads
    assert len(parallel_threads) == 2  # two worker threads, each its own connection
    assert sequential_threads <= {threading.get_ident()}
    # One year, as a release reads it.
    year = {"since": dt.date(2025, 1, 1), "until": dt.date(2025, 12, 31)}
    with override_settings(ENLACE_COUNT_THREADS=1):
        one_year = protection.count_rows(**year)
    assert protection.count_rows(**year) == one_year
    assert one_year and {r.period[:4] for r in one_year} == {"2025"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_query_fails_the_call_and_the_threads_end(monkeypatch):
    monkeypatch.setattr(counting, "count_threads", lambda using="default": 2)
    before = threading.active_count()

    def boom():
        raise ValueError("no such count")

    with pytest.raises(ValueError, match="no such count"):
        counting.run_counts([lambda: 1, boom, lambda: 3])
    assert counting.run_counts([lambda: 1, lambda: 2, lambda: 3]) == [1, 2, 3]
    assert threading.active_count() == before


@pytest.mark.django_db
def test_inside_a_transaction_every_query_runs_on_the_callers_connection():
    # The test's transaction holds the rows, invisible to any other connection: a count on
    # another thread would miss them.
    load_bench().generate(500, seed=3)
    assert connection.in_atomic_block
    assert counting.count_threads() == 1
    opened, rows = _threads_of(protection.count_rows)
    assert opened == set()  # no new connection, no other thread
    assert sum(r.persons for r in rows if r.indicator.startswith("cases.opened.")) > 0
    with transaction.atomic(), override_settings(ENLACE_COUNT_THREADS=4):
        assert counting.count_threads() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_setting_one_means_one_after_the_other():
    with override_settings(ENLACE_COUNT_THREADS=1):
        assert counting.count_threads() == 1
        threads = set()
        counting.run_counts([lambda: threads.add(threading.get_ident())] * 3)
        assert threads == {threading.get_ident()}
