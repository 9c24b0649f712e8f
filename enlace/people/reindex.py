"""The relink's side of the registry index: bring every person's index row and blocking keys
up to date, rewriting only what changed, and say which blocking keys' candidate sets changed
so tracing re-matches only the requests that hold them.

Each PersonIndex row keeps a fingerprint of what it was made from (matching.index_fingerprint):
a person whose fingerprint is current costs one hash and is not written. The rest is written
in bulk:

- PostgreSQL, few stale people: COPY into temporary staging tables, then one transaction
  deletes the keys that went, inserts the keys that came and upserts the index rows. A second
  relink with nothing changed writes nothing, so the tables do not grow.
- PostgreSQL, many stale people (first relink, new engine version, `full=True`): COPY every
  person into new tables, index them, and swap them for the live ones in a short transaction.
  The old tables are dropped: no dead rows are left, and readers are blocked only for the swap.
- Other databases (SQLite): matching.write_entries in batches.
"""

import hashlib
import json
import os
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from multiprocessing import get_context
from typing import Any, NamedTuple
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone

from .matching import (
    LINKAGE_FIELDS,
    fingerprint_prefix,
    index_fingerprint,
    linkage_input,
    make_entry,
    write_entries,
)
from .models import IdentityDocument, Person, PersonIndex, PersonKey

BATCH = 2000
# Above this share of stale people a PostgreSQL relink rebuilds the tables and swaps them in.
REBUILD_SHARE = 0.3
# Rows the services wrote after a relink started are newer than what it read: it leaves them
# as they are. (A save begun before the start and committed after the relink read that person
# can be overwritten by the older row; its fingerprint then differs from the person's input,
# so the next relink repairs it.)

Progress = Callable[[int, int], None]


@dataclass
class Reindexed:
    """What a relink did to the index."""

    indexed: int = 0  # people whose index row was rewritten
    skipped: int = 0  # people whose index was current
    # Blocking keys whose candidate sets may have changed; None: too many to list.
    changed_keys: set[str] | None = field(default_factory=set)
    mode: str = "none"  # "none", "merge", "rebuild" or "orm"


def reindex_people(*, full: bool = False, progress: Progress | None = None) -> Reindexed:
    """Bring the whole registry's index up to date; `full` rewrites every person."""
    total = Person.objects.count()
    report = progress or (lambda done, total: None)
    if connection.vendor != "postgresql":
        return _orm(full, total, report)
    # Every person is hashed (an edit made outside the services shows only that way); the
    # count of rows made by another engine only chooses between merging and rebuilding.
    stale = total if full else _stale_count()
    if stale > REBUILD_SHARE * total and _may_swap() and not _referenced_from_elsewhere():
        return _pg_rebuild(total, report)
    return _pg_merge(full, total, report)


def _stale_count() -> int:
    """People with no index row or one made by another engine version (a lower bound of the
    stale: an edited person with a current prefix is found only by hashing)."""
    current = PersonIndex.objects.filter(fingerprint__startswith=fingerprint_prefix()).count()
    return Person.objects.count() - current


Item = tuple[UUID, dict[str, Any], bool, str]  # person, linkage input, searchable, fingerprint


class _Row(NamedTuple):
    """A person as linkage_input reads it (LINKAGE_FIELDS, "id" as "pk"), with the stored
    fingerprint."""

    pk: UUID
    created: datetime
    given_names: str
    first_surname: str
    second_surname: str
    sex: str
    birth_date: date | None
    birth_date_precision: str
    estimated_age: int | None
    age_reported_on: date | None
    birth_place: str
    mother_name: str
    refuses_tracing: bool
    index_fingerprint: str | None


assert _Row._fields[1:-1] == LINKAGE_FIELDS[1:]  # noqa: S101 - kept in step with matching


Page = tuple[list[_Row], dict[UUID, list[str]], dict[UUID, list[str]]]


def _pages() -> Iterator[tuple[Page, int]]:
    """Keyset pages of BATCH people (rows, nationality codes, document numbers) with the
    people seen so far, in primary-key order. Plain rows and one query per related table:
    model instances and related managers per person cost more than the linkage itself."""
    nationality = Person.nationalities.through
    last: UUID | None = None
    seen = 0
    while True:
        page = Person.objects.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        people = list(page.values_list(*LINKAGE_FIELDS)[:BATCH])
        if not people:
            return
        # The related rows by the page's key range, not a list of 2000 ids (cheaper to send
        # and plan), and not joined to the page: PostgreSQL merge-joins the index from its
        # first row, which made every page slower than the one before.
        within = {"person_id__lte": people[-1][0]}
        if last is not None:
            within["person_id__gt"] = last
        stored = dict(PersonIndex.objects.filter(**within).values_list("person_id", "fingerprint"))
        rows = [_Row(*person, stored.get(person[0])) for person in people]  # type: ignore[call-arg]
        codes: dict[UUID, list[str]] = defaultdict(list)
        for pid, code in nationality.objects.filter(**within).values_list(
            "person_id", "country_id"
        ):
            codes[pid].append(code)
        numbers: dict[UUID, list[str]] = defaultdict(list)
        for pid, number in IdentityDocument.objects.filter(**within).values_list(
            "person_id", "number"
        ):
            numbers[pid].append(number)
        seen += len(rows)
        last = rows[-1].pk
        yield (rows, dict(codes), dict(numbers)), seen


def _stale(page: Page, everyone: bool) -> list[Item]:
    """The linkage inputs of the page's people whose fingerprint is not current."""
    rows, codes, numbers = page
    items: list[Item] = []
    for row in rows:
        raw = linkage_input(row, codes.get(row.pk, []), numbers.get(row.pk, []))  # type: ignore[arg-type]
        searchable = not row.refuses_tracing
        fingerprint = index_fingerprint(raw, searchable)
        if everyone or fingerprint != row.index_fingerprint:
            items.append((row.pk, raw, searchable, fingerprint))
    return items


def _orm(full: bool, total: int, report: Progress) -> Reindexed:
    out = Reindexed(mode="orm")
    assert out.changed_keys is not None  # noqa: S101
    for page, seen in _pages():
        items = _stale(page, full)
        if items:
            out.changed_keys |= write_entries([make_entry(*item) for item in items])
        out.indexed += len(items)
        out.skipped = seen - out.indexed
        report(seen, total)
    return out


# ------------------------------------------------------------------ PostgreSQL


def _escape(text: str) -> str:
    """A value in COPY's text format (str.replace: a translate table is ten times slower)."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


# Below this many people hashing and linkage run in this process; above, in a pool of
# processes (one per core), while this one reads the registry and writes by COPY.
POOL_FROM = 20_000


def _encode(items: list[Item]) -> tuple[str, str]:
    """COPY text of the index rows and the key rows of a batch (runs in a pool worker)."""
    now = timezone.now().isoformat()
    index_lines = []
    key_lines: list[str] = []
    for person_id, raw, searchable, fingerprint in items:
        entry = make_entry(person_id, raw, searchable, fingerprint)
        normalized = _escape(json.dumps(entry.record.to_dict()))
        flag = "t" if searchable else "f"
        pid = str(person_id)
        index_lines.append(f"{pid}\t{normalized}\t{flag}\t{fingerprint}\t{now}\n")
        key_lines.extend(f"{pid}\t{_escape(k)}\n" for k in entry.keys)
    return "".join(index_lines), "".join(key_lines)


def _copy_text(cur: Any, table: str, columns: list[str], text: str) -> None:
    """COPY text-format rows into a table through the Django cursor's psycopg connection."""
    if not text:
        return
    cols = ", ".join(f'"{c}"' for c in columns)
    with cur.connection.cursor() as raw, raw.copy(f'COPY "{table}" ({cols}) FROM STDIN') as cp:
        cp.write(text)


INDEX_COLUMNS = ["person_id", "normalized", "searchable", "fingerprint", "updated"]


def _encode_page(page: Page, everyone: bool) -> tuple[int, str, str]:
    """(stale people, COPY text of their index rows, of their keys): a pool worker's job."""
    items = _stale(page, everyone)
    return (len(items), *_encode(items))


def _write_stale(
    cur: Any,
    tables: tuple[str, str],
    *,
    everyone: bool,
    total: int,
    report: Progress,
) -> tuple[int, int]:
    """Stream the stale people into the index and key tables by COPY; (written, seen).

    Hashing and linkage run in a pool of processes (one per core) while this one reads
    pages and writes; a small registry is done in this process."""
    index_table, key_table = tables
    written = seen = 0
    pool = None
    if total >= POOL_FROM:
        pool = ProcessPoolExecutor(max_workers=os.cpu_count() or 2, mp_context=get_context("fork"))
    try:
        encoded: Iterator[tuple[tuple[int, str, str], int]]
        if pool is None:
            encoded = ((_encode_page(page, everyone), n) for page, n in _pages())
        else:
            encoded = _pooled(pool, everyone)
        for (count, index_text, key_text), n in encoded:
            _copy_text(cur, index_table, INDEX_COLUMNS, index_text)
            _copy_text(cur, key_table, ["person_id", "key"], key_text)
            written += count
            seen = n
            report(seen, total)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return written, seen


def _pooled(
    pool: ProcessPoolExecutor, everyone: bool
) -> Iterator[tuple[tuple[int, str, str], int]]:
    """Encode pages in the pool, a few ahead, yielding results in order."""
    pending: deque[tuple[Future[tuple[int, str, str]], int]] = deque()
    for page, n in _pages():
        pending.append((pool.submit(_encode_page, page, everyone), n))
        if len(pending) > 4:
            future, seen = pending.popleft()
            yield future.result(), seen
    while pending:
        future, seen = pending.popleft()
        yield future.result(), seen


def _db_now(cur: Any) -> datetime:
    cur.execute("SELECT clock_timestamp()")  # now() is the transaction's start
    return cur.fetchone()[0]


def _pg_merge(full: bool, total: int, report: Progress) -> Reindexed:
    """Stage the stale people's rows by COPY, then merge: only changed keys are touched."""
    out = Reindexed(mode="merge")
    with connection.cursor() as cur:
        started = _db_now(cur)
        cur.execute("DROP TABLE IF EXISTS relink_index, relink_key")
        cur.execute(
            "CREATE TEMP TABLE relink_index (person_id uuid PRIMARY KEY, normalized jsonb, "
            "searchable boolean, fingerprint varchar(32), updated timestamptz)"
        )
        cur.execute("CREATE TEMP TABLE relink_key (person_id uuid, key varchar(64))")
        out.indexed, seen = _write_stale(
            cur,
            ("relink_index", "relink_key"),
            everyone=full,
            total=total,
            report=report,
        )
        out.skipped = seen - out.indexed
        cur.execute("CREATE INDEX ON relink_key (person_id, key)")
        cur.execute("ANALYZE relink_index, relink_key")
        with transaction.atomic():
            out.changed_keys = _merge(cur, started)
        cur.execute("DROP TABLE relink_index, relink_key")
    return out


def _merge(cur: Any, started: datetime) -> set[str]:
    """Apply the staged rows; return the keys whose candidate sets changed.

    People saved (re-indexed online) since the relink started, or deleted meanwhile, are left
    as they are: their live rows are newer than the staged ones."""
    cur.execute("DROP TABLE IF EXISTS relink_target")
    cur.execute(
        "CREATE TEMP TABLE relink_target AS SELECT s.person_id FROM relink_index s "
        "WHERE EXISTS (SELECT 1 FROM people_person p WHERE p.id = s.person_id) "
        "AND NOT EXISTS (SELECT 1 FROM people_personindex i WHERE i.person_id = s.person_id "
        "AND i.updated >= %s AND i.fingerprint LIKE %s AND i.fingerprint <> s.fingerprint)",
        [started, fingerprint_prefix() + "%"],
    )
    cur.execute(
        "DELETE FROM people_personkey k USING relink_target t WHERE k.person_id = t.person_id "
        "AND NOT EXISTS (SELECT 1 FROM relink_key s "
        "WHERE s.person_id = k.person_id AND s.key = k.key) RETURNING k.key"
    )
    changed = {row[0] for row in cur.fetchall()}
    cur.execute(
        "INSERT INTO people_personkey (person_id, key) SELECT DISTINCT s.person_id, s.key "
        "FROM relink_key s JOIN relink_target t ON t.person_id = s.person_id "
        "WHERE NOT EXISTS (SELECT 1 FROM people_personkey k "
        "WHERE k.person_id = s.person_id AND k.key = s.key) RETURNING key"
    )
    changed |= {row[0] for row in cur.fetchall()}
    # Every key of a person whose record or searchable flag changed: its score changed.
    cur.execute(
        "SELECT DISTINCT k.key FROM relink_key k JOIN relink_index s ON s.person_id = k.person_id "
        "JOIN relink_target t ON t.person_id = s.person_id "
        "LEFT JOIN people_personindex i ON i.person_id = s.person_id "
        "WHERE i.person_id IS NULL OR i.normalized IS DISTINCT FROM s.normalized "
        "OR i.searchable IS DISTINCT FROM s.searchable"
    )
    changed |= {row[0] for row in cur.fetchall()}
    cur.execute(
        "INSERT INTO people_personindex (person_id, normalized, searchable, fingerprint, updated) "
        "SELECT s.person_id, s.normalized, s.searchable, s.fingerprint, s.updated "
        "FROM relink_index s JOIN relink_target t ON t.person_id = s.person_id "
        "ON CONFLICT (person_id) DO UPDATE SET normalized = EXCLUDED.normalized, "
        "searchable = EXCLUDED.searchable, fingerprint = EXCLUDED.fingerprint, "
        "updated = EXCLUDED.updated"
    )
    cur.execute("DROP TABLE relink_target")
    return changed


def _may_swap() -> bool:
    """Only the tables' owner may drop and rename them: the application's own role (which may
    not, `enlace db_roles`) merges instead; `enlace relink` run as the owner rebuilds."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT bool_and(pg_has_role(current_user, relowner, 'USAGE')) FROM pg_class "
            "WHERE oid IN (%s::regclass, %s::regclass)",
            [PersonIndex._meta.db_table, PersonKey._meta.db_table],
        )
        return bool(cur.fetchone()[0])


def _referenced_from_elsewhere() -> bool:
    """A table another table points at cannot be swapped (its foreign keys would follow the
    old table): then the relink merges instead."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT 1 FROM pg_constraint WHERE contype = 'f' AND confrelid IN (%s::regclass, "
            "%s::regclass)",
            [PersonIndex._meta.db_table, PersonKey._meta.db_table],
        )
        return cur.fetchone() is not None


def _pg_rebuild(total: int, report: Progress) -> Reindexed:
    """Write every person into new tables, index them, and swap them in."""
    out = Reindexed(mode="rebuild")
    live = [PersonIndex._meta.db_table, PersonKey._meta.db_table]
    shadow = {t: _shadow_name(t) for t in live}
    with connection.cursor() as cur:
        if connection.in_atomic_block:  # (tests) no pending deferred checks block ALTER TABLE
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        started = _db_now(cur)
        for table in live:
            cur.execute(f'DROP TABLE IF EXISTS "{shadow[table]}"')
            cur.execute(
                f'CREATE TABLE "{shadow[table]}" (LIKE "{table}" INCLUDING DEFAULTS '
                "INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING STORAGE)"
            )
        out.indexed, _seen = _write_stale(
            cur,
            (shadow[live[0]], shadow[live[1]]),
            everyone=True,
            total=total,
            report=report,
        )
        cur.execute("SET maintenance_work_mem = '512MB'")  # sorts for the indexes in memory
        renames = [r for table in live for r in _shadow_indexes(cur, table, shadow[table])]
        cur.execute("RESET maintenance_work_mem")
        for table in live:
            if not connection.in_atomic_block:
                cur.execute(f'VACUUM (ANALYZE) "{shadow[table]}"')
            else:
                cur.execute(f'ANALYZE "{shadow[table]}"')
        out.changed_keys = _rebuilt_keys(cur, live, shadow)
        with transaction.atomic():
            _swap(cur, live, shadow, renames, started)
        for table in live:
            for name in _not_valid_constraints(cur, table):
                cur.execute(f'ALTER TABLE "{table}" VALIDATE CONSTRAINT "{name}"')
    return out


# Beyond this many changed (person, key) rows a rebuild reports "everything changed".
MAX_CHANGED_ROWS = 200_000


def _rebuilt_keys(cur: Any, live: list[str], shadow: dict[str, str]) -> set[str] | None:
    """The keys whose candidate sets differ between the live tables and the rebuilt ones:
    (person, key) rows gone or new, and every key of a person whose record changed. None
    when there are too many to be worth listing (a new engine version changes them all).

    Both key tables are indexed on (key, person), so the anti-joins are merge joins over
    the indexes; the LIMIT stops them early when everything changed."""
    index, keys = live
    cur.execute(
        f'SELECT s.key FROM "{shadow[keys]}" s WHERE NOT EXISTS '  # nosec B608 # our tables  # noqa: S608
        f'(SELECT 1 FROM "{keys}" l WHERE l.key = s.key AND l.person_id = s.person_id) '
        f'UNION ALL SELECT l.key FROM "{keys}" l WHERE NOT EXISTS '
        f'(SELECT 1 FROM "{shadow[keys]}" s WHERE s.key = l.key AND s.person_id = l.person_id) '
        f'UNION ALL SELECT k.key FROM "{shadow[keys]}" k JOIN "{shadow[index]}" s '
        f'ON s.person_id = k.person_id LEFT JOIN "{index}" l ON l.person_id = s.person_id '
        "WHERE l.person_id IS NULL OR l.normalized IS DISTINCT FROM s.normalized "
        "OR l.searchable IS DISTINCT FROM s.searchable LIMIT %s",
        [MAX_CHANGED_ROWS + 1],
    )
    rows = cur.fetchall()
    if len(rows) > MAX_CHANGED_ROWS:
        return None
    return {row[0] for row in rows}


def _shadow_name(table: str) -> str:
    return f"{table}__rebuild"[:63]


def _short(name: str, suffix: str) -> str:
    digest = hashlib.blake2b(name.encode(), digest_size=4).hexdigest()
    return f"rb_{digest}_{suffix}"


Rename = tuple[str, str, str, str]  # (live table, "index" or "constraint", temporary, live name)


def _shadow_indexes(cur: Any, table: str, shadow: str) -> list[Rename]:
    """Build the live table's indexes and foreign keys on the shadow under temporary names.

    Returns what to rename after the swap. Foreign keys are added NOT VALID (nothing is
    scanned now) and validated after the swap."""
    renames: list[Rename] = []
    cur.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid), x.indisunique, c.conname, c.contype "
        "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.contype IN ('p', 'u') "
        "WHERE x.indrelid = %s::regclass ORDER BY i.relname",
        [table],
    )
    for n, (name, definition, unique, conname, contype) in enumerate(cur.fetchall()):
        tmp = _short(shadow, f"i{n}")
        body = definition.split(" USING ", 1)[1]
        kind = "UNIQUE INDEX" if unique else "INDEX"
        cur.execute(f'CREATE {kind} "{tmp}" ON "{shadow}" USING {body}')
        if conname:
            what = "PRIMARY KEY" if contype == "p" else "UNIQUE"
            cur.execute(f'ALTER TABLE "{shadow}" ADD CONSTRAINT "{tmp}" {what} USING INDEX "{tmp}"')
            renames.append((table, "constraint", tmp, conname))
        else:
            renames.append((table, "index", tmp, name))
    cur.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [table],
    )
    for n, (name, definition) in enumerate(cur.fetchall()):
        tmp = _short(shadow, f"f{n}")
        cur.execute(f'ALTER TABLE "{shadow}" ADD CONSTRAINT "{tmp}" {definition} NOT VALID')
        renames.append((table, "constraint", tmp, name))
    return renames


def _swap(
    cur: Any,
    live: list[str],
    shadow: dict[str, str],
    renames: list[Rename],
    started: datetime,
) -> None:
    """Carry over what the registry's own saves wrote meanwhile (people edited or created
    while the rebuild read the registry), drop the rows of people deleted meanwhile, and put
    the shadows in the live tables' place."""
    index, keys = live
    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cur.execute(f'LOCK TABLE "{index}", "{keys}" IN ACCESS EXCLUSIVE MODE')
    # Saved by the services meanwhile: written since the rebuild started, by this engine,
    # and not what the rebuild wrote.
    recent = (
        f'SELECT l.person_id FROM "{index}" l JOIN "{shadow[index]}" s USING (person_id) '  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
        "WHERE l.updated >= %s AND l.fingerprint LIKE %s AND l.fingerprint <> s.fingerprint "
        f'UNION SELECT l.person_id FROM "{index}" l WHERE l.updated >= %s AND NOT EXISTS '
        f'(SELECT 1 FROM "{shadow[index]}" s WHERE s.person_id = l.person_id)'
    )
    cur.execute("DROP TABLE IF EXISTS relink_recent")
    cur.execute(
        "CREATE TEMP TABLE relink_recent AS " + recent,
        [started, fingerprint_prefix() + "%", started],
    )
    cur.execute(
        "INSERT INTO relink_recent SELECT s.person_id "  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
        f'FROM "{shadow[index]}" s WHERE NOT EXISTS '
        "(SELECT 1 FROM people_person p WHERE p.id = s.person_id)"
    )
    cur.execute("SELECT count(*) FROM relink_recent")
    if cur.fetchone()[0]:
        cols = "person_id, normalized, searchable, fingerprint, updated"
        for table, columns in ((index, cols), (keys, "person_id, key")):
            cur.execute(
                f'DELETE FROM "{shadow[table]}" WHERE person_id IN '  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
                "(SELECT person_id FROM relink_recent)"
            )
            cur.execute(
                f'INSERT INTO "{shadow[table]}" ({columns}) SELECT {columns} '  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
                f'FROM "{table}" WHERE person_id IN (SELECT person_id FROM relink_recent)'
            )
    for table in live:
        cur.execute(f'DROP TABLE "{table}"')
        cur.execute(f'ALTER TABLE "{shadow[table]}" RENAME TO "{table}"')
        cur.execute(
            "SELECT s.oid::regclass::text, a.attname FROM pg_depend d "
            "JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
            "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
            "WHERE d.refobjid = %s::regclass",
            [table],
        )
        for sequence, column in cur.fetchall():  # an identity column's own sequence
            cur.execute(f'ALTER SEQUENCE {sequence} RENAME TO "{table}_{column}_seq"')
    for table, kind, tmp, name in renames:
        if kind == "index":
            cur.execute(f'ALTER INDEX "{tmp}" RENAME TO "{name}"')
        else:
            cur.execute(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{tmp}" TO "{name}"')
    cur.execute("DROP TABLE relink_recent")
    if connection.in_atomic_block:
        cur.execute("SET CONSTRAINTS ALL DEFERRED")


def _not_valid_constraints(cur: Any, table: str) -> list[str]:
    cur.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND NOT convalidated",
        [table],
    )
    return [row[0] for row in cur.fetchall()]


def index_changed_since(when: datetime) -> int:
    """How many people's index rows were written after `when` (new or edited people)."""
    return PersonIndex.objects.filter(updated__gt=when).count()


def training_sample(limit: int, seed: int = 42) -> list[dict[str, Any]]:
    """Normalised records of up to `limit` people, chosen by a seeded hash of their id
    (md5 in PostgreSQL, blake2b here elsewhere).

    The same people are chosen run after run (a new person displaces at most one), so the
    model learnt from the sample moves only as much as the registry does."""
    if connection.vendor == "postgresql":  # one query, the order computed by the server
        with connection.cursor() as cur:
            cur.execute(
                "SELECT normalized FROM people_personindex "
                "ORDER BY md5(person_id::text || %s), person_id LIMIT %s",
                [str(seed), limit],
            )
            return [json.loads(n) if isinstance(n, str) else n for (n,) in cur.fetchall()]
    ids = list(PersonIndex.objects.values_list("person_id", flat=True))
    if len(ids) > limit:
        salt = str(seed).encode()

        def rank(pk: UUID) -> bytes:
            return hashlib.blake2b(pk.bytes, digest_size=8, salt=salt[:16]).digest()

        ids = sorted(ids, key=rank)[:limit]
    records: list[dict[str, Any]] = []
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        records.extend(
            PersonIndex.objects.filter(person_id__in=chunk)
            .order_by("person_id")
            .values_list("normalized", flat=True)
        )
    return records
