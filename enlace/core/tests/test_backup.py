"""`enlace backup` / `enlace restore` (enlace.core.backup): the round trip into an empty
database gives every table the same checksum (rows in key order, hashed), on SQLite (online
backup API) and on PostgreSQL (pg_dump with the checksums' snapshot, and COPY), with the private
files; a restore that differs from its manifest, or into a database in use, fails."""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import build_network
from enlace.cases import services as case_services
from enlace.cases.selectors import case_read
from enlace.core import backup
from enlace.people import services as people_services

ROOT = Path(__file__).resolve().parents[3]
# Tables that must hold rows in the round trip, so an empty restore cannot pass.
FILLED = [
    "accounts_user",
    "accounts_office",
    "people_person",
    "cases_case",
    "audit_accessevent",
    "audit_changeevent",
    "django_migrations",
]


def _fill(media: Path) -> None:
    network = build_network()
    officer = actor_for(network.user(Role.OFFICER))
    for n, name in enumerate(["José Ñandú", "Zoë O'Brien", "Ana\ttab"]):
        person = people_services.person_create(
            actor=officer,
            data={"given_names": name, "first_surname": "Pérez", "sex": "F", "birth_date": "1990"},
            nationalities=["MX"],
        )
        case = case_services.case_open(
            actor=officer, person=person, case_type="detention", summary=f"Caso {n} \\ «x»"
        )
        case_read(actor=officer, case_id=case.pk)
    (media / "attachments" / "sub").mkdir(parents=True)
    (media / "attachments" / "sub" / "pasaporte ñ.pdf").write_bytes(os.urandom(5000))
    (media / "imports").mkdir()
    (media / "imports" / "people.csv").write_text("given_names\nAna\n", encoding="utf-8")


def _manage(*args: str, database_url: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": database_url,
        "ENLACE_VAR_DIR": str(var_dir),
    }
    return subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def _pg_url(name: str) -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(name)}"


def _pg_admin(sql: str) -> None:
    with connection.cursor() as cursor:  # autocommit: CREATE/DROP DATABASE
        cursor.execute(sql)


def _restored_checksums(target: str) -> dict:
    """The target's checksums, computed here from a connection of the test's own."""
    if connection.vendor == "sqlite":
        db = sqlite3.connect(target)
        try:
            return backup.sqlite_checksums(db)
        finally:
            db.close()
    with psycopg.connect(_pg_url(target)) as raw:
        with raw.cursor() as cursor:
            backup.pg_session(cursor)
        return backup.pg_checksums(raw)


def _round_trip(tmp_path, settings, method: str):
    media = tmp_path / "source-private"
    settings.MEDIA_ROOT = media
    _fill(media)
    archive = tmp_path / "enlace.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), method=method, stdout=out)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["tables"] == backup.table_checksums()  # the archive is of this database

    var_dir = tmp_path / "restored"
    if connection.vendor == "sqlite":
        target = str(var_dir / "enlace.sqlite3")
        var_dir.mkdir()
        url = f"sqlite:///{target}"
    else:
        target = f"{connection.settings_dict['NAME']}_restore"
        _pg_admin(f'DROP DATABASE IF EXISTS "{target}"')
        _pg_admin(f'CREATE DATABASE "{target}"')
        url = _pg_url(target)
    try:
        result = _manage("restore", str(archive), database_url=url, var_dir=var_dir)
        assert result.returncode == 0, result.stderr
        assert "with equal checksums" in result.stdout
        restored = _restored_checksums(target)
    finally:
        if connection.vendor == "postgresql":
            _pg_admin(f'DROP DATABASE IF EXISTS "{target}"')
    return manifest, restored, media, var_dir / "private"


def _assert_equal(manifest, restored, media: Path, restored_media: Path) -> None:
    assert len(manifest["tables"]) > 100
    for table in FILLED:
        assert manifest["tables"][table]["rows"] > 0, table
    assert restored == manifest["tables"]  # every table, rows and checksum
    files = sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file())
    assert files and sorted(manifest["files"]) == [f.as_posix() for f in files]
    for name in files:
        assert (restored_media / name).read_bytes() == (media / name).read_bytes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_round_trip_gives_every_table_the_same_checksum(tmp_path, settings):
    method = "auto"
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not on PATH (the COPY method is tested below)")
    manifest, restored, media, restored_media = _round_trip(tmp_path, settings, method)
    assert manifest["method"] == ("sqlite-backup" if connection.vendor == "sqlite" else "pg_dump")
    _assert_equal(manifest, restored, media, restored_media)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_round_trip_through_copy_on_postgresql(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the COPY method is PostgreSQL's fallback when pg_dump is missing")
    manifest, restored, media, restored_media = _round_trip(tmp_path, settings, "copy")
    assert manifest["method"] == "copy"
    _assert_equal(manifest, restored, media, restored_media)


def _tamper(archive: Path, table: str) -> Path:
    tampered = archive.with_name("tampered.tar.gz")
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["tables"][table]["sha256"] = "0" * 64
                data = json.dumps(manifest).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return tampered


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_that_differs_from_the_manifest_fails(tmp_path, settings):
    if connection.vendor != "sqlite":
        pytest.skip("the check is the same code on both engines; SQLite is the quick one")
    settings.MEDIA_ROOT = tmp_path / "private"
    _fill(settings.MEDIA_ROOT)
    archive = tmp_path / "enlace.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    (tmp_path / "restored").mkdir()
    result = _manage(
        "restore",
        str(_tamper(archive, "cases_case")),
        database_url=f"sqlite:///{tmp_path / 'restored' / 'enlace.sqlite3'}",
        var_dir=tmp_path / "restored",
    )
    assert result.returncode != 0
    assert "cases_case: 3 rows in the archive, 3 restored, checksums differ" in result.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_database_in_use(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "private"
    archive = tmp_path / "enlace.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(archive))
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(archive))


def test_checksums_compare_names_every_difference():
    a = {"x": {"rows": 1, "sha256": "a"}, "y": {"rows": 2, "sha256": "b"}}
    b = {"x": {"rows": 1, "sha256": "a"}, "y": {"rows": 3, "sha256": "c"}, "z": a["x"]}
    assert backup.compare(a, a) == []
    assert backup.compare(a, b) == [
        "y: 2 rows in the archive, 3 restored, checksums differ",
        "z: not in the archive",
    ]
    assert backup.compare(b, a) == [
        "y: 3 rows in the archive, 2 restored, checksums differ",
        "z: missing after restore",
    ]
