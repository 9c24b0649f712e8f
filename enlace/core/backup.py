"""One archive holding the database and the private files (`enlace backup`, `enlace restore`).

The archive is a gzipped tar:

- ``manifest.json``: the engine, how the database was dumped, the applied migrations, a
  checksum of every table (its rows in primary-key order, as the database prints them, hashed
  with SHA-256) and the SHA-256 of every private file;
- the database: ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the
  site runs), ``database.pgdump`` (``pg_dump --format=custom``) or ``tables/*.copy`` (PostgreSQL
  without pg_dump: every table through ``COPY … TO STDOUT`` in one REPEATABLE READ transaction);
- ``private/…``: MEDIA_ROOT (uploads, imports, exports waiting for download).

On PostgreSQL the checksums and the dump read the same snapshot: the checksums are computed in
a REPEATABLE READ, READ ONLY transaction that exports its snapshot (``pg_export_snapshot()``) and
pg_dump reads that snapshot (``--snapshot``), so writes during the backup are in neither or both.

A restore goes into an empty database only, and checks every table's checksum against the
manifest before it reports success (RestoreError otherwise)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 # pg_dump and pg_restore, with argument lists, never a shell
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES_DIR = "private"
SQLITE_MEMBER = "database.sqlite3"
PGDUMP_MEMBER = "database.pgdump"
COPY_DIR = "tables"


class BackupError(Exception):
    """The backup could not be made (nothing was written where it was asked)."""


class RestoreError(Exception):
    """The archive cannot be restored here, or what was restored differs from the archive."""


@dataclass
class Report:
    path: Path
    engine: str
    method: str
    tables: int
    rows: int
    files: int
    mismatches: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- checksums


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    # A virtual table (full-text search) keeps its rows in shadow tables, which are hashed.
    return [
        name
        for name, sql in cursor.fetchall()
        if not (sql or "").upper().startswith("CREATE VIRTUAL TABLE")
    ]


def _sqlite_rows(cursor: Any, table: str) -> Iterator[str]:
    cursor.execute(f"PRAGMA table_info({_quote_ident(table)})")
    columns = cursor.fetchall()  # (cid, name, type, notnull, default, pk)
    names = [c[1] for c in columns]
    keys = [c[1] for c in sorted(columns, key=lambda c: c[5]) if c[5]]
    order = ", ".join(_quote_ident(k) for k in keys) if keys else "rowid"
    # quote() prints each value as an SQL literal with its storage class: no client converter
    # (dates, booleans) changes what is hashed.
    values = " || char(31) || ".join(f"quote({_quote_ident(n)})" for n in names)
    # Identifiers from the database's own catalogue, quoted.
    cursor.execute(f"SELECT {values} FROM {_quote_ident(table)} ORDER BY {order}")  # nosec B608 # quoted catalogue names  # noqa: S608
    for (row,) in cursor:
        yield row


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [name for (name,) in cursor.fetchall()]


def _pg_rows(cursor: Any, table: str) -> Iterator[str]:
    cursor.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey, a.attnum)",
        [_quote_ident(table)],
    )
    keys = [k for (k,) in cursor.fetchall()]
    order = ", ".join(f"t.{_quote_ident(k)}" for k in keys) if keys else 't::text COLLATE "C"'
    # The row as PostgreSQL prints it (a composite's text form): exact for every type.
    # Identifiers from the database's own catalogue, quoted.
    cursor.execute(f"SELECT t::text FROM {_quote_ident(table)} AS t ORDER BY {order}")  # nosec B608 # quoted catalogue names  # noqa: S608
    while chunk := cursor.fetchmany(2000):
        for (row,) in chunk:
            yield row


def _hash(rows: Iterator[str]) -> dict[str, Any]:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(row.encode("utf-8", "surrogatepass"))
        digest.update(b"\x1e")
        count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


def sqlite_checksums(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """{table: {"rows": n, "sha256": hex}} of every table of an SQLite database."""
    cursor = conn.cursor()
    tables = _sqlite_tables(cursor)
    return {table: _hash(_sqlite_rows(conn.cursor(), table)) for table in tables}


def pg_session(cursor: Any) -> None:
    # The printed form of dates and numbers depends on these: fix them for both ends.
    cursor.execute(
        "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; "
        "SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 1; "
        "SET LOCAL bytea_output = 'hex'"
    )


def _pg_checksums_in_transaction(connection: BaseDatabaseWrapper) -> dict[str, dict[str, Any]]:
    return pg_checksums(connection.connection)


def pg_checksums(raw: Any) -> dict[str, dict[str, Any]]:
    """{table: {"rows": n, "sha256": hex}} of every table, through a psycopg connection inside
    a transaction whose session settings pg_session fixed."""
    with raw.cursor() as cursor:
        tables = _pg_tables(cursor)
    result = {}
    for n, table in enumerate(tables):
        # A server-side cursor: a table of millions of rows is streamed, not loaded.
        with raw.cursor(name=f"enlace_checksum_{n}") as cursor:
            cursor.itersize = 2000
            result[table] = _hash(_pg_rows(cursor, table))
    return result


def table_checksums(using: str = "default") -> dict[str, dict[str, Any]]:
    """{table: {"rows": n, "sha256": hex}} of every table of a configured database."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return sqlite_checksums(connection.connection)
    if connection.vendor != "postgresql":
        raise BackupError(f"Unsupported database engine: {connection.vendor}")
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            pg_session(cursor)
        return _pg_checksums_in_transaction(connection)


def compare(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """The tables whose checksum or row count differs, or which are on one side only."""
    problems = []
    for table in sorted(set(expected) | set(actual)):
        if table not in actual:
            problems.append(f"{table}: missing after restore")
        elif table not in expected:
            problems.append(f"{table}: not in the archive")
        elif expected[table] != actual[table]:
            problems.append(
                f"{table}: {expected[table]['rows']} rows in the archive, "
                f"{actual[table]['rows']} restored, checksums differ"
            )
    return problems


# ---------------------------------------------------------------- files


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _private_files(root: Path) -> dict[str, Path]:
    if not root.is_dir():
        return {}
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            files[path.relative_to(root).as_posix()] = path
    return files


def _safe_relative(name: str) -> PurePosixPath:
    """A member name of the archive as a path that stays inside its directory."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise RestoreError(f"Unsafe path in the archive: {name!r}")
    return path


# ---------------------------------------------------------------- PostgreSQL tools


def _pg_tool(name: str) -> str | None:
    folder = os.environ.get("ENLACE_PG_BIN")
    if folder:
        candidate = Path(folder) / name
        return str(candidate) if candidate.exists() else None
    return shutil.which(name)


def _pg_env_args(db: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # nosec B603 # noqa: S603 - fixed tool, argument list, no shell
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


# ---------------------------------------------------------------- backup


def _applied_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _backup_sqlite(connection: BaseDatabaseWrapper, work: Path) -> tuple[str, dict[str, Any]]:
    if connection.in_atomic_block:
        # The copy would wait for this very transaction to end (it never would).
        raise BackupError("Run the backup outside a transaction.")
    connection.ensure_connection()
    target = sqlite3.connect(work / SQLITE_MEMBER)
    try:
        # One step (pages=-1): the copy is of one moment even while others write.
        connection.connection.backup(target)
        # The checksums are of the copy itself: what is in the archive.
        checksums = sqlite_checksums(target)
    finally:
        target.close()
    return "sqlite-backup", checksums


def _backup_postgresql(
    connection: BaseDatabaseWrapper, using: str, work: Path, method: str
) -> tuple[str, dict[str, Any]]:
    pg_dump = _pg_tool("pg_dump")
    if method == "auto":
        method = "pg_dump" if pg_dump else "copy"
    if method == "pg_dump" and pg_dump is None:
        raise BackupError("pg_dump was not found (PATH, or the folder in ENLACE_PG_BIN).")
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            pg_session(cursor)
            if method == "pg_dump" and pg_dump is not None:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                env, args = _pg_env_args(connection.settings_dict)
                _run(
                    [
                        pg_dump,
                        *args,
                        "--format=custom",
                        f"--snapshot={snapshot}",
                        f"--file={work / PGDUMP_MEMBER}",
                        "--dbname",
                        str(connection.settings_dict["NAME"]),
                    ],
                    env,
                )
            else:
                (work / COPY_DIR).mkdir()
                raw = connection.connection
                for table in _pg_tables(cursor):
                    sql = f"COPY {_quote_ident(table)} TO STDOUT"
                    with (
                        (work / COPY_DIR / f"{table}.copy").open("wb") as out,
                        raw.cursor() as copy_cursor,
                        copy_cursor.copy(sql) as copy,
                    ):
                        for data in copy:
                            out.write(data)
        checksums = _pg_checksums_in_transaction(connection)
    return method, checksums


def create_backup(
    destination: Path,
    *,
    using: str = "default",
    method: str = "auto",
    media_root: Path | None = None,
) -> Report:
    """Write the archive to `destination` (which must not exist) and return what it holds."""
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} exists already.")
    media = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="enlace-backup-") as tmp:
        work = Path(tmp)
        if connection.vendor == "sqlite":
            method, checksums = _backup_sqlite(connection, work)
        elif connection.vendor == "postgresql":
            method, checksums = _backup_postgresql(connection, using, work, method)
        else:
            raise BackupError(f"Unsupported database engine: {connection.vendor}")
        files = _private_files(media)
        manifest = {
            "format": FORMAT_VERSION,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "engine": connection.vendor,
            "method": method,
            "migrations": _applied_migrations(connection),
            "tables": checksums,
            "files": {name: _file_digest(path) for name, path in files.items()},
        }
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
            for path in sorted(work.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=path.relative_to(work).as_posix())
            for name, path in files.items():
                archive.add(path, arcname=f"{FILES_DIR}/{name}")
        os.chmod(partial, 0o600)  # protection data: readable by the owner only
        partial.rename(destination)
    return Report(
        path=destination,
        engine=connection.vendor,
        method=method,
        tables=len(checksums),
        rows=sum(t["rows"] for t in checksums.values()),
        files=len(files),
    )


# ---------------------------------------------------------------- restore


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise RestoreError("Not an Enlace backup: no manifest.json.")
    manifest = json.load(member)
    if manifest.get("format") != FORMAT_VERSION:
        raise RestoreError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def _extract(archive: tarfile.TarFile, name: str, target: Path) -> None:
    source = archive.extractfile(name)
    if source is None:
        raise RestoreError(f"{name} is missing from the archive.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        shutil.copyfileobj(source, out)


def _cache_tables() -> set[str]:
    """The tables of the database caches configured, found as `createcachetable` finds them."""
    from django.core.cache import caches
    from django.core.cache.backends.db import BaseDatabaseCache

    return {
        cache._table  # type: ignore[attr-defined]  # set by BaseDatabaseCache
        for cache in (caches[alias] for alias in settings.CACHES)
        if isinstance(cache, BaseDatabaseCache)
    }


def _database_tables(connection: BaseDatabaseWrapper) -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def _restore_sqlite(connection: BaseDatabaseWrapper, source: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(source)
    try:
        copy.backup(connection.connection)
    finally:
        copy.close()


def _restore_pg_dump(connection: BaseDatabaseWrapper, source: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    if not pg_restore:
        raise RestoreError(
            "This archive was made with pg_dump; pg_restore was not found (PATH, or ENLACE_PG_BIN)."
        )
    env, args = _pg_env_args(connection.settings_dict)
    connection.close()  # pg_restore works in its own session
    try:
        _run(
            [
                pg_restore,
                *args,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                str(connection.settings_dict["NAME"]),
                str(source),
            ],
            env,
        )
    except BackupError as error:
        raise RestoreError(str(error)) from error


def _restore_copy(
    connection: BaseDatabaseWrapper, using: str, archive: tarfile.TarFile, manifest: dict
) -> None:
    from django.core.management import call_command

    # The schema comes from this code's migrations, which must be the archive's.
    call_command("migrate", database=using, interactive=False, verbosity=0)
    applied = _applied_migrations(connection)
    if set(applied) != set(manifest["migrations"]):
        raise RestoreError(
            "This archive was made by another version of Enlace (its migrations differ); "
            "restore it with that version."
        )
    tables = list(manifest["tables"])
    present = set(_database_tables(connection))
    # `migrate` also made this process's database cache table (enlace.core.apps, for its own
    # CACHES); an archive made where the cache lived elsewhere has none. Its rows are transient
    # counters: the restored database is the archive's, and the next `migrate` makes the table
    # again where the cache needs it.
    for table in sorted((present - set(tables)) & _cache_tables()):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")  # nosec B608
        present.discard(table)
    if set(tables) != present:
        raise RestoreError("The tables made by the migrations differ from the archive's.")
    raw = connection.connection
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            # Rows the migrations inserted (reference data) are replaced by the archive's:
            # deleted with every foreign key checked at commit, once the archive's rows are in
            # (no TRUNCATE: it would reach the audit tables, which refuse it).
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in tables:
                sql = f"DELETE FROM {_quote_ident(table)}"  # nosec B608 # quoted catalogue names  # noqa: S608
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {_quote_ident(table)})")  # nosec B608 # quoted catalogue names  # noqa: S608
                if cursor.fetchone()[0]:
                    cursor.execute(sql)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in tables:
            source = archive.extractfile(f"{COPY_DIR}/{table}.copy")
            if source is None:
                raise RestoreError(f"{table} is missing from the archive.")
            sql = f"COPY {_quote_ident(table)} FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(sql) as copy:
                while data := source.read(1 << 20):
                    copy.write(data)
        with connection.cursor() as cursor:
            # Identity columns continue after the highest restored key.
            cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND is_identity = 'YES'"
            )
            for table, column in cursor.fetchall():
                highest = f"(SELECT max({_quote_ident(column)}) FROM {_quote_ident(table)})"  # nosec B608 # quoted catalogue names  # noqa: S608
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), "
                    f"COALESCE({highest}, 1), {highest} IS NOT NULL)",
                    [_quote_ident(table), column],
                )


def restore_backup(
    source: Path, *, using: str = "default", media_root: Path | None = None
) -> Report:
    """Restore the archive into the (empty) database and MEDIA_ROOT, then check every table's
    checksum and every file's digest against the manifest. Raises RestoreError on any
    difference (the report lists them) or if the database or MEDIA_ROOT is not empty."""
    source = Path(source)
    media = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    connection = connections[using]
    with tarfile.open(source, "r:gz") as archive:
        manifest = read_manifest(archive)
        if manifest["engine"] != connection.vendor:
            raise RestoreError(
                f"The archive is of a {manifest['engine']} database; "
                f"this one is {connection.vendor}."
            )
        if _database_tables(connection):
            raise RestoreError(
                "The database is not empty: restore into a new, empty database "
                "(do not run migrate first)."
            )
        if _private_files(media):
            raise RestoreError(f"{media} is not empty: restore into an empty folder.")
        names = set(archive.getnames())
        with tempfile.TemporaryDirectory(prefix="enlace-restore-") as tmp:
            work = Path(tmp)
            method = manifest["method"]
            if method == "sqlite-backup":
                _extract(archive, SQLITE_MEMBER, work / SQLITE_MEMBER)
                _restore_sqlite(connection, work / SQLITE_MEMBER)
            elif method == "pg_dump":
                _extract(archive, PGDUMP_MEMBER, work / PGDUMP_MEMBER)
                _restore_pg_dump(connection, work / PGDUMP_MEMBER)
            elif method == "copy":
                _restore_copy(connection, using, archive, manifest)
            else:
                raise RestoreError(f"Unknown dump method {method!r}.")
        mismatches = compare(manifest["tables"], table_checksums(using))
        for name, digest in manifest["files"].items():
            member = f"{FILES_DIR}/{name}"
            if member not in names:
                mismatches.append(f"{member}: missing from the archive")
                continue
            target = media.joinpath(*_safe_relative(name).parts)
            _extract(archive, member, target)
            if _file_digest(target) != digest:
                mismatches.append(f"{member}: digest differs")
    report = Report(
        path=source,
        engine=manifest["engine"],
        method=manifest["method"],
        tables=len(manifest["tables"]),
        rows=sum(t["rows"] for t in manifest["tables"].values()),
        files=len(manifest["files"]),
        mismatches=mismatches,
    )
    if mismatches:
        raise RestoreError("The restore differs from the archive:\n" + "\n".join(mismatches[:50]))
    return report
