"""PostgreSQL out of disk: the tables people are written to live in a small tablespace (an 8 MB
tmpfs) that a filler table fills up. A person saved through the page or the API answers 503
with a clear, translated message, never a 500; a people import (a job) ends failed with its own
message; every row committed before is intact (every table's checksum), nothing of the import is
left. Once the filler is dropped, the same import succeeds.

Needs root (to mount the tmpfs) and a PostgreSQL server on this machine (its OS user must own
the tablespace's folder): otherwise the test skips and says why. Everything it set up is undone
at the end, even on failure: the tables go back to the default tablespace, the filler and the
tablespace are dropped, the tmpfs unmounted."""

import csv
import io
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import build_network
from enlace.core import backup
from enlace.core.errors import DATABASE_FULL, SHORTAGE_MESSAGES
from enlace.core.models import Job
from enlace.people import imports
from enlace.people import services as people_services
from enlace.people.models import Person

POSTGRESQL = connection.vendor == "postgresql"
pytestmark = [
    pytest.mark.skipif(not POSTGRESQL, reason="a PostgreSQL tablespace on a small tmpfs"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZE = "8m"
# What a people import writes: the people, their nationalities, their index and blocking keys,
# and the change history.
TABLES = [
    "people_person",
    "people_person_nationalities",
    "people_personindex",
    "people_personkey",
    "audit_changeevent",
]
# Tables the failed actions may change: the jobs themselves and the inbox items telling their
# user that they ended, sessions, log-in records.
BOOKKEEPING = ("core_job", "inbox_item", "django_session", "axes_", "django_tasks")
ROWS = 300


def _admin() -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=True,
    )


def _undo(admin: psycopg.Connection, sql: str) -> None:
    """A clean-up step that must not stop the others."""
    try:
        admin.execute(sql)
    except psycopg.Error as error:
        print(f"clean-up: {sql}: {error}")


class SmallDisk:
    def __init__(self, admin: psycopg.Connection, tablespace: str):
        self.admin = admin
        self.tablespace = tablespace
        self.filler = f"enlace_filler_{uuid.uuid4().hex[:8]}"

    def fill(self) -> None:
        """Fill the tablespace to its last page: batches, then single rows, until disk full."""
        self.admin.execute(
            f"CREATE TABLE {self.filler} (pad text) TABLESPACE {self.tablespace}; "
            f"ALTER TABLE {self.filler} ALTER pad SET STORAGE PLAIN"
        )
        row = "(SELECT string_agg(md5(random()::text || g), '') FROM generate_series(1, 28) g)"
        for batch in (64, 1):
            for _ in range(10_000):
                try:
                    self.admin.execute(
                        f"INSERT INTO {self.filler} SELECT {row} FROM generate_series(1, {batch})"  # noqa: S608
                    )
                except psycopg.errors.DiskFull:
                    break
            else:
                raise AssertionError("the tablespace never filled up")

    def free(self) -> None:
        self.admin.execute(f"DROP TABLE IF EXISTS {self.filler}")

    def pack_new_rows_in_new_pages(self, on: bool) -> None:
        """fillfactor 10: a page more than a tenth full takes no new row, so even one new row
        needs a new page (the tables' last pages may have room for one)."""
        setting = "SET (fillfactor = 10)" if on else "RESET (fillfactor)"
        for table in TABLES:
            self.admin.execute(f"ALTER TABLE {table} {setting}")


@pytest.fixture
def small_disk() -> Iterator[SmallDisk]:
    if connection.settings_dict["HOST"] not in ("", "127.0.0.1", "localhost", "::1"):
        pytest.skip("the PostgreSQL server is not on this machine: its tmpfs cannot be mounted")
    try:
        server = pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("no 'postgres' OS user here: the PostgreSQL server is not on this machine")
    if not shutil.which("mount") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    folder = Path(tempfile.mkdtemp(prefix="enlace-disk-full-"))
    folder.chmod(0o755)
    mounted = subprocess.run(  # noqa: S603 - a fixed command line
        ["mount", "-t", "tmpfs", "-o",  # noqa: S607
         f"size={SIZE},mode=0700,uid={server.pw_uid},gid={server.pw_gid}", "tmpfs", str(folder)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    tablespace = f"enlace_small_{uuid.uuid4().hex[:8]}"
    admin = _admin()
    disk = SmallDisk(admin, tablespace)
    try:
        try:
            admin.execute(f"CREATE TABLESPACE {tablespace} LOCATION '{folder}'")
        except psycopg.Error as error:
            pytest.skip(f"cannot create a tablespace on the tmpfs: {error}")
        connection.close()  # ALTER TABLE … SET TABLESPACE waits for no lock of ours
        for table in TABLES:
            admin.execute(f"ALTER TABLE {table} SET TABLESPACE {tablespace}")
        yield disk
    finally:
        connection.close()
        _undo(admin, f"DROP TABLE IF EXISTS {disk.filler}")
        for table in TABLES:
            _undo(admin, f"ALTER TABLE {table} RESET (fillfactor)")
            _undo(admin, f"ALTER TABLE {table} SET TABLESPACE pg_default")
        _undo(admin, f"DROP TABLESPACE IF EXISTS {tablespace}")
        admin.close()
        subprocess.run(["umount", str(folder)], check=False)  # noqa: S603, S607
        folder.rmdir()


def _register(prefix: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Nombres", "Primer apellido", "Sexo", "Fecha de nacimiento", "Nacionalidad"])
    for n in range(ROWS):
        writer.writerow([f"{prefix}{n:04d}{'abcdefghij'[n % 10] * 3}", f"Zz{n * 7919:07d}", "F",
                         f"19{50 + n % 50}-0{1 + n % 9}-1{n % 10}", "MX"])  # fmt: skip
    return out.getvalue().encode()


def _checksums() -> dict:
    return {
        table: sums
        for table, sums in backup.table_checksums().items()
        if not table.startswith(BOOKKEEPING)
    }


def _import(api: APIClient, body: bytes) -> dict:
    """Upload a register, then import it, through the API; the job's final status."""
    upload = api.post(
        "/api/v1/people-imports/",
        {"file": SimpleUploadedFile("registro.csv", body)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert upload.status_code == 202, upload.content
    check = api.get(upload["Location"], HTTP_ACCEPT_LANGUAGE="en").json()
    assert (check["status"], check["valid"]) == ("succeeded", ROWS), check
    run = api.post(
        f"/api/v1/people-imports/{check['id']}/run/",
        {"with_duplicates": True},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert run.status_code == 202, run.content
    return api.get(run["Location"], HTTP_ACCEPT_LANGUAGE="en").json()


def test_a_full_database_is_a_clear_503_and_loses_nothing(small_disk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    network = build_network()
    user = network.user(Role.OFFICER)
    officer = actor_for(user)
    for n in range(20):  # committed before the disk fills
        people_services.person_create(
            actor=officer,
            data={"given_names": f"Antes {n}", "first_surname": "Ramos", "birth_date": "1980"},
            nationalities=["GT"],
        )
    api = APIClient()
    api.force_authenticate(user)
    page = Client()
    page.force_login(user)
    page.cookies["django_language"] = "en"
    with translation.override("en"):
        full = str(SHORTAGE_MESSAGES[DATABASE_FULL])
        import_full = str(imports._IMPORT_STAGES[DATABASE_FULL])
    people = Person.objects.count()

    small_disk.fill()
    small_disk.pack_new_rows_in_new_pages(True)
    before = _checksums()
    # One person, through the API and through the page: 503 with the message, no 500.
    resp = api.post(
        "/api/v1/people/",
        {"given_names": "Durante", "first_surname": "Lleno", "sex": "F"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert resp.status_code == 503, resp.content
    assert resp.json() == {"detail": full}
    shown = page.post(
        "/people/new/", {"given_names": "Durante", "first_surname": "Lleno", "sex": "F"}
    )
    assert shown.status_code == 503
    assert full in shown.content.decode()
    small_disk.pack_new_rows_in_new_pages(False)

    # A whole import: the job ends failed and says so; nothing of it is kept.
    failed = _import(api, _register("Lleno"))
    assert (failed["status"], failed["error"]) == ("failed", import_full), failed
    assert "imported" not in failed
    job = Job.objects.get(pk=failed["id"])
    assert job.status == Job.Status.FAILED
    assert Person.objects.count() == people
    assert _checksums() == before  # every committed row intact, no partial import

    # Space freed: the same import goes through.
    small_disk.free()
    done = _import(api, _register("Lleno"))
    assert (done["status"], done["imported"]) == ("succeeded", ROWS), done
    assert Person.objects.count() == people + ROWS
