"""`kill -9` of the process running a people import, mid-way: the import is one transaction, so
not one of its people (nor its audit row) is left behind, and the same job reruns cleanly to the
full count, once.

The import runs in a child process (`manage.py shell -c`, as the task worker would run the job)
on a file database: the test's SQLite database copied to a file, or the PostgreSQL test
database itself. The child prints a line per person it creates; the test kills it with SIGKILL
after KILL_AFTER of ROWS."""

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import build_network
from enlace.core.models import Job
from enlace.people import imports

ROOT = Path(__file__).resolve().parents[3]
ROWS = 300
KILL_AFTER = 100
HEADER = ["Nombres", "Primer apellido", "Sexo", "Fecha de nacimiento", "Nacionalidad"]

CHILD = """
import json, os
from django.conf import settings
settings.MEDIA_ROOT = os.environ["TEST_MEDIA_ROOT"]
from enlace.core.jobs import run_job
from enlace.people import imports, services  # imports registers the job functions
create = services.person_create
def counted(**kwargs):
    person = create(**kwargs)
    print("created", flush=True)
    return person
services.person_create = counted
run_job.call(os.environ["TEST_JOB_ID"], json.loads(os.environ["TEST_JOB_KWARGS"]))
print("finished", flush=True)
"""


def _register() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(ROWS):
        writer.writerow([f"Kill{n:04d}{'abcdefghij'[n % 10] * 3}", f"Zz{n * 7919:07d}", "F",
                         f"19{50 + n % 50}-0{1 + n % 9}-1{n % 10}", "MX"])  # fmt: skip
    return out.getvalue().encode()


class Database:
    """Queries on the database the child writes to, from a connection of the test's own."""

    def __init__(self, sqlite_file: Path | None):
        self.sqlite_file = sqlite_file

    def scalar(self, sql: str, params: list | None = None):
        if self.sqlite_file:
            db = sqlite3.connect(self.sqlite_file)
            try:
                return db.execute(sql.replace("%s", "?"), params or []).fetchone()[0]
            finally:
                db.close()
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            return cursor.fetchone()[0]


def _child_env(tmp_path: Path, sqlite_file: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    db = connection.settings_dict
    if sqlite_file:
        url = f"sqlite:///{sqlite_file}"
    else:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "ENLACE_VAR_DIR": str(tmp_path),
    }


def _start(job_id: str, kwargs: dict, env: dict[str, str], media: Path):
    env = env | {
        "TEST_JOB_ID": job_id,
        "TEST_JOB_KWARGS": json.dumps(kwargs),
        "TEST_MEDIA_ROOT": str(media),
    }
    return subprocess.Popen(  # noqa: S603 - a fixed command line
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", CHILD],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_kill_9_mid_import_leaves_no_partial_rows_and_the_job_reruns(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "private"
    network = build_network()
    actor = actor_for(network.user(Role.OFFICER))
    check = imports.import_upload(
        actor=actor, upload=SimpleUploadedFile("registro.csv", _register())
    )  # the dry run runs here (immediate task backend)
    check.refresh_from_db()
    assert (check.status, check.result["valid"]) == (Job.Status.SUCCEEDED, ROWS), check.result
    with mock.patch("enlace.core.jobs.run_job") as queued:
        run = imports.import_start(
            actor=actor, check_job_id=check.pk, valid_only=False, with_duplicates=True
        )
    (job_id, kwargs), _ = queued.enqueue.call_args
    assert job_id == str(run.pk)

    sqlite_file = None
    if connection.vendor == "sqlite":  # the child needs a file: copy the test database
        sqlite_file = tmp_path / "enlace.sqlite3"
        target = sqlite3.connect(sqlite_file)
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        target.close()
    db = Database(sqlite_file)
    env = _child_env(tmp_path, sqlite_file)
    people = "SELECT count(*) FROM people_person"
    imported = "SELECT count(*) FROM audit_changeevent WHERE action = 'people_import'"
    status = "SELECT status FROM core_job WHERE id = %s"
    job_key = run.pk.hex if sqlite_file else run.pk
    before = db.scalar(people)

    child = _start(job_id, kwargs, env, settings.MEDIA_ROOT)
    created = 0
    started = time.monotonic()
    for line in child.stdout:
        created += line.strip() == "created"
        if created >= KILL_AFTER or time.monotonic() - started > 300:
            break
    assert created >= KILL_AFTER, child.stderr.read()
    child.send_signal(signal.SIGKILL)  # kill -9: no exception handler, no finally, no rollback
    assert child.wait(timeout=30) == -signal.SIGKILL

    # What the killed process wrote in its transaction is gone: no person, no audit row.
    assert db.scalar(people) == before
    assert db.scalar(imported) == 0
    if sqlite_file:
        assert db.scalar("PRAGMA integrity_check") == "ok"
    # The job is left as the kill found it (running), and its file is still kept for a rerun.
    assert db.scalar(status, [job_key]) == Job.Status.RUNNING
    assert any((settings.MEDIA_ROOT / imports.FOLDER).iterdir())

    # The same job again, to its end: every row once.
    rerun = _start(job_id, kwargs, env, settings.MEDIA_ROOT)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    assert out.split().count("created") == ROWS and "finished" in out
    assert db.scalar(people) == before + ROWS
    assert db.scalar(imported) == 1
    assert db.scalar(status, [job_key]) == Job.Status.SUCCEEDED
