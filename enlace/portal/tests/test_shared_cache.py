"""The lock-out holds across web processes: the counts live in the cache every process shares
(settings' ENLACE_CACHE_URL, by default Django's database cache with an atomic increment,
enlace.core.cache). Each "process" here is a thread of its own, with its own cache client (the
cache handler is per thread) and its own database connection."""

import datetime as dt
import threading

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections
from django.test import RequestFactory, override_settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from config.settings.base import cache_config
from enlace.portal import lockout

SHARED = cache_config("db://enlace_cache_test")
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def in_process(work):
    """Run work() as another web process would: a fresh cache client, its own connection."""
    out = {}

    def run():
        try:
            out["value"] = work(caches["default"])
        except BaseException as exc:
            out["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out.get("value")


def request(ip="203.0.113.7"):
    return RequestFactory().post("/portal/follow/", REMOTE_ADDR=ip)


@pytest.fixture
def shared_cache():
    with override_settings(CACHES=SHARED, ENLACE_PORTAL_FOLLOW_FAILURES_PER_CODE="5/15m"):
        call_command("createcachetable", verbosity=0)
        yield
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE enlace_cache_test")


def test_the_default_cache_is_one_every_process_shares():
    for url in ("db://enlace_cache", "db://"):
        cache = cache_config(url)["default"]
        assert cache["BACKEND"] == "enlace.core.cache.SharedDatabaseCache"
        assert cache["LOCATION"] == "enlace_cache"
    assert cache_config("redis://cache:6379/1")["default"]["LOCATION"] == "redis://cache:6379/1"
    with pytest.raises(ValueError):
        cache_config("memcached://x")


def test_failures_counted_by_two_processes_lock_the_code_for_both(shared_cache):
    code = "ABCD-EFGH-JKMN-PQRS-TUVW"
    clients = []

    def fail(times):
        def work(cache):
            clients.append(cache)
            for _i in range(times):
                lockout.record_failure(request(), code)
            return lockout.is_locked(request(), code)

        return work

    assert in_process(fail(3)) is False  # process A: three wrong secrets
    assert in_process(fail(2)) is True  # process B: two more → the fifth locks
    assert clients[0] is not clients[1]  # two separate cache clients
    # A third process that never saw a failure refuses too; another code is not locked.
    assert in_process(lambda cache: lockout.is_locked(request(), code)) is True
    assert in_process(lambda cache: lockout.is_locked(request(), "ZZZZ" * 5)) is False


def test_the_shared_increment_is_atomic_and_keeps_the_expiry(shared_cache):
    cache = caches["default"]
    cache.add("n", 0, 900)  # a 15-minute window, as the per-code lock-out's

    def bump(_cache):
        for _i in range(10):
            caches["default"].incr("n")

    # The race needs a database that several connections write at once: the test suite's
    # SQLite is in memory, where a second writer gets "table is locked" at once instead of
    # waiting (a file database, as deployed, waits: transaction_mode IMMEDIATE, timeout 20 s).
    # There the four "processes" take turns; on PostgreSQL (CI's second suite) they race.
    concurrent = not (connection.vendor == "sqlite" and connection.is_in_memory_db())
    threads = [threading.Thread(target=in_process, args=(bump,)) for _i in range(4)]
    for t in threads:
        t.start()
        if not concurrent:
            t.join()
    for t in threads:
        t.join()
    assert cache.get("n") == 40  # no count lost between "processes"
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM enlace_cache_test")
        (expires,) = cursor.fetchone()
    if isinstance(expires, str):
        expires = parse_datetime(expires)
    if timezone.is_naive(expires):
        expires = timezone.make_aware(expires, dt.UTC)
    # Kept: Django's own incr would have reset it to the default timeout (300 s).
    assert expires > timezone.now() + dt.timedelta(seconds=600)
    with pytest.raises(ValueError):
        cache.incr("missing")
