"""Indicators over a network-sized world (issue 16): the full set of protection indicators
(`enlace.indicators.protection.count_rows()` and the disclosure-controlled release built from
it) over 1,000,000 protection cases, against the same counts as plain DuckDB GROUP BYs in the
same run.

    PYTHONPATH=$PWD .venv/bin/python bench/indicators.py                  # 1M cases, SQLite
    PYTHONPATH=$PWD .venv/bin/python bench/indicators.py --cases 20000    # a quick look
    PYTHONPATH=$PWD .venv/bin/python bench/indicators.py --release-years 2025   # one year's release
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/enlace_bench_ind \\
        PYTHONPATH=$PWD .venv/bin/python bench/indicators.py               # on PostgreSQL

World (seeded, deterministic): 40 offices (four in each of ten countries of the region),
--cases protection cases of 0.7 x as many persons (every person has a case, some several),
with sex and birth dates (some only an estimated age, some neither), case types, statuses,
opening and closing dates over 2020-2026, an art. 36 log for each detention (notification
delays, some never notified), tracing requests (5 % of the cases), their confirmed matches and
reunifications, assisted returns (3 %), and trafficking and smuggling cases with their victims
and forms of exploitation (about 1.5 %). Written straight into the tables (executemany in
batches on SQLite, COPY on PostgreSQL); the database (SQLite: --workdir, default
var/bench-indicators/) is kept and reused when it holds the same world.

The two ways, each in its own subprocess (seconds = wall time of the call, peak = the
process's peak resident set, VmHWM, beside a process that only sets Django up):

- DuckDB: the tables a count needs are first exported to Parquet through the same database
  connection (timed and reported apart: DuckDB has no scanner for the database here, the
  sqlite/postgres extensions would be downloaded at run time); then one plain SQL statement
  per indicator over typed views of the files: ROW_NUMBER() over each person's records of the
  year (the first one counts) and a GROUP BY of the cells (country, sex, age group, quarter;
  for a duration, the cell's histogram of days as count_rows() gives it), written from the
  definitions, not from the app's code;
- ours: `protection.count_rows()` as the app calls it, then the full release (disclosure
  control over the whole cube, `releases.publish` of every year 2020-2026, or of
  --release-years) as the daily job publishes it once the year is over. Each published cell
  of the release is checked against DuckDB's counts (the true count of the cell, rounded to
  base 5).

The raw counts of both ways must be equal, cell by cell (the run fails loudly if not).
Target: ours within 3x of DuckDB. Ratios, not absolute times, are the point: the machine is
shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

META = "bench_indicators_meta"
GENERATOR_VERSION = 2  # bump when the world changes: a kept database is then rebuilt
COUNTRIES = ["MX", "GT", "HN", "SV", "CO", "VE", "PE", "EC", "DO", "HT"]
HOSTS = ["US", "MX", "CR", "PA"]
# Naive datetimes meaning UTC (TIME_ZONE = "UTC"): written as Django writes them.
START = dt.datetime(2020, 1, 1)  # noqa: DTZ001
NOW = dt.datetime(2026, 12, 1)  # noqa: DTZ001 - the world's "today": nothing happens after it
SPAN = int((NOW - START).total_seconds())
CASE_TYPES = {  # share of the cases (the mix of a consular network's protection work)
    "detention": 18,
    "hospital": 7,
    "death": 3,
    "missing_person": 4,
    "labour": 11,
    "unaccompanied_child": 5,
    "family_custody": 8,
    "gbv": 6,
    "possible_trafficking": 3,
    "documents": 22,
    "voluntary_return": 6,
    "other": 7,
}
OPEN_STATUSES = ["open", "assessment", "case_plan", "in_progress", "reopened"]
EXPLOITATION = [
    "ForcedLabour",
    "SexualExploitation",
    "ChildLabour",
    "ForcedMarriage",
    "Servitude",
    "ForcedBegging",
    "Other",
]
EXPLOITATION_WEIGHTS = [40, 35, 8, 4, 6, 4, 3]
RETURN_OUTCOMES = ["sustainable", "partial", "not_reintegrated", "lost_contact", "remigrated"]
GIVEN = ["María", "José", "Ana", "Juan", "Rosa", "Luis", "Carmen", "Carlos", "Elena", "Jorge"]
SURNAMES = ["García", "Hernández", "López", "Pérez", "Cruz", "Ramírez", "Flores", "Tzul", "Coc"]
BATCH = 20_000
# HTCDS vic_TypeOfExploitation values (enlace.trafficking.htcds, from IOM's Human Trafficking
# Case Data Standard): the reference lists them itself.
HTCDS_FORMS = [
    "ForcedLabour", "SexualExploitation", "ChildLabour", "ForcedMarriage", "Servitude",
    "ForcedMilitaryByNonStateActors", "OrganRemoval", "ForcedBegging", "ForcedAdoption",
    "Surrogacy", "Other",
]  # fmt: skip


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def machine() -> str:
    cpu = "?"
    mem = 0.0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except OSError:
        pass
    import duckdb

    return (
        f"nproc {os.cpu_count()}, CPU {cpu}, RAM {mem:.1f} GiB, Python "
        f"{platform.python_version()}, duckdb {duckdb.__version__}, load average "
        f"{os.getloadavg()[0]:.1f} at the start"
    )


def peak_mib() -> float:
    """Peak resident set of this process (VmHWM: per address space, so reset at exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ---------------------------------------------------------------- writing the world


class Table:
    """Rows of one model's table as tuples in its concrete columns' order: a template row of
    the fields' defaults (as the database stores them) with the given columns set per row."""

    def __init__(self, model: Any, **constants: Any) -> None:
        from django.db import connection

        self.model = model
        self.sqlite = connection.vendor == "sqlite"
        self.fields = list(model._meta.concrete_fields)
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        template: list[Any] = []
        for f in self.fields:
            value = constants[f.attname] if f.attname in constants else f.get_default()
            template.append(self.prep(value))
        self.template = template
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0

    def prep(self, value: Any) -> Any:
        """The value as the backend stores it (Django's own adaptations, done by hand: the
        field's get_db_prep_save per value would double the load time)."""
        if isinstance(value, uuid.UUID):
            return value.hex if self.sqlite else value
        if isinstance(value, dt.datetime):  # naive, meaning UTC
            return str(value) if self.sqlite else value.replace(tzinfo=dt.UTC)
        if isinstance(value, dt.date):
            return value.isoformat() if self.sqlite else value
        if isinstance(value, (dict, list)):
            return json.dumps(value)
        return value

    def add(self, **values: Any) -> None:
        row = self.template.copy()
        for name, value in values.items():
            row[self.index[name]] = self.prep(value)
        self.rows.append(tuple(row))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            write_rows(self.model._meta.db_table, [f.column for f in self.fields], self.rows)
            self.written += len(self.rows)
            self.rows = []


def write_rows(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite":
        cols = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        raw.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', rows)
    else:
        cols = ", ".join(f'"{c}"' for c in columns)
        with raw.cursor() as cur, cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as cp:
            for row in rows:
                cp.write_row(row)


def ids(prefix: int) -> Callable[[int], uuid.UUID]:
    """Deterministic ids: the table's prefix and a serial number."""
    return lambda n: uuid.UUID(int=(prefix << 96) | n)


def world_tables() -> list[Any]:
    from enlace.accounts.models import Office
    from enlace.cases.models import Case, DetentionLog
    from enlace.people.models import Person
    from enlace.returns.models import Return
    from enlace.tracing.models import Reunification, TracingMatch, TracingRequest
    from enlace.trafficking.models import TraffickingCase, Victim

    return [
        Reunification,
        TracingMatch,
        TracingRequest,
        Victim,
        TraffickingCase,
        Return,
        DetentionLog,
        Case,
        Person.nationalities.through,
        Person,
        Office,
    ]


def wipe() -> None:
    """Empty the tables the world fills (a bench database: nothing else lives there)."""
    from django.db import connection

    with connection.cursor() as cur:
        for model in world_tables():
            cur.execute(f'DELETE FROM "{model._meta.db_table}"')


def loaded_spec() -> dict[str, Any] | None:
    from django.db import connection

    if META not in connection.introspection.table_names():
        return None
    with connection.cursor() as cur:
        cur.execute(f"SELECT spec FROM {META}")
        row = cur.fetchone()
    return json.loads(row[0]) if row else None


def save_spec(spec: dict[str, Any]) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {META} (spec text)")
        cur.execute(f"DELETE FROM {META}")
        cur.execute(f"INSERT INTO {META} VALUES (%s)", [json.dumps(spec)])


def generate(cases_n: int, seed: int) -> dict[str, int]:
    """Write the world into the default database; returns the rows written per table."""
    from django.db import connection, transaction

    from enlace.accounts.models import Office
    from enlace.cases.models import Case, DetentionLog
    from enlace.people.models import Person
    from enlace.returns.models import Return
    from enlace.tracing.models import Reunification, TracingMatch, TracingRequest
    from enlace.trafficking.models import TraffickingCase, Victim

    rng = random.Random(seed)
    people_n = max(1, cases_n * 7 // 10)
    counts: dict[str, int] = {}

    def moment() -> dt.datetime:
        return START + dt.timedelta(seconds=rng.randrange(SPAN))

    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cur:
                cur.execute("PRAGMA defer_foreign_keys = ON")
        wipe()
        # Offices: a foreign ministry and consulates for each country.
        office_t = Table(Office, is_active=True, version=1)
        office_id = ids(1)
        offices: list[tuple[uuid.UUID, str]] = []
        for c in COUNTRIES:
            for i, host in enumerate(HOSTS):
                pk = office_id(len(offices))
                office_t.add(
                    id=pk,
                    created=START,
                    modified=START,
                    name=f"{'Cancillería' if host == c else 'Consulado'} bench {c}-{host}-{i}",
                    kind="foreign_ministry" if host == c else "consulate",
                    country_id=c,
                    host_country_id=host,
                    city=f"Ciudad {i}",
                )
                offices.append((pk, c))
        office_t.flush()
        weights = [rng.paretovariate(1.5) for _ in offices]  # some offices far busier

        # Persons: sex and birth date (6 % only an estimated age, 3 % neither).
        person_t = Table(Person, version=1, birth_date_precision="day")
        nat_t = Table(Person.nationalities.through)
        person_id = ids(2)
        person_office: list[int] = []
        person_born: list[dt.date | None] = []
        nat_fields = {f.attname for f in nat_t.fields}
        nat_id = "id" in nat_fields
        for n in range(people_n):
            o = rng.choices(range(len(offices)), weights)[0]
            created = moment()
            sex = rng.choices("FMXU", [47, 48, 1, 4])[0]
            r = rng.random()
            born: dt.date | None = None
            estimated = reported = None
            if r < 0.91:
                born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 60))
                if rng.random() < 0.12:  # children and adolescents
                    born = dt.date(2004, 1, 1) + dt.timedelta(days=rng.randrange(365 * 15))
            elif r < 0.97:
                estimated = rng.randrange(8, 70)
                reported = created.date()
            given, surname = rng.choice(GIVEN), rng.choice(SURNAMES)
            person_t.add(
                id=person_id(n),
                created=created,
                modified=created,
                owner_office_id=offices[o][0],
                given_names=given,
                first_surname=surname,
                sex=sex,
                birth_date=born,
                estimated_age=estimated,
                age_reported_on=reported,
                search_text=f"{given} {surname}".lower(),
            )
            country = offices[o][1] if rng.random() < 0.9 else rng.choice(COUNTRIES)
            if nat_id:
                nat_t.add(id=n + 1, person_id=person_id(n), country_id=country)
            else:
                nat_t.add(person_id=person_id(n), country_id=country)
            person_office.append(o)
            person_born.append(born)
        person_t.flush()
        nat_t.flush()
        counts["persons"] = person_t.written
        log(f"{people_n:,} persons")

        # Cases: every person has one, some several (the rest drawn at random).
        case_t = Table(Case, version=1, risk_level="medium")
        det_t = Table(DetentionLog)
        case_id = ids(3)
        types, type_w = list(CASE_TYPES), list(CASE_TYPES.values())
        by_type: dict[str, list[int]] = {t: [] for t in types}
        case_person: list[int] = []
        case_created: list[dt.datetime] = []
        det_n = 0
        for n in range(cases_n):
            p = n if n < people_n else rng.randrange(people_n)
            o = person_office[p] if rng.random() < 0.9 else rng.randrange(len(offices))
            kind = rng.choices(types, type_w)[0]
            created = moment()
            closed_at = None
            if rng.random() < 0.75:
                closed_at = created + dt.timedelta(seconds=int(rng.expovariate(1 / 90) * 86400))
                if closed_at >= NOW:
                    closed_at = None
            status = "closed" if closed_at else rng.choice(OPEN_STATUSES)
            case_t.add(
                id=case_id(n),
                created=created,
                modified=closed_at or created,
                reference=f"BI-{offices[o][1]}-{n:07d}",
                owner_office_id=offices[o][0],
                person_id=person_id(p),
                case_type=kind,
                summary="Bench",
                status=status,
                closed_at=closed_at,
            )
            by_type[kind].append(n)
            case_person.append(p)
            case_created.append(created)
            if kind == "detention":
                arrest = created.date() - dt.timedelta(days=rng.randrange(4))
                notified = None
                if rng.random() < 0.88:
                    notified = arrest + dt.timedelta(days=min(60, int(rng.expovariate(1 / 4))))
                det_t.add(
                    id=det_n + 1,
                    case_id=case_id(n),
                    arrest_date=arrest,
                    informed_of_rights=rng.choice([True, False, None]),
                    notified_on=notified,
                )
                det_n += 1
        case_t.flush()
        det_t.flush()
        counts["cases"] = case_t.written
        counts["detention logs"] = det_t.written
        log(f"{cases_n:,} cases, {det_n:,} art. 36 logs")

        # Tracing: requests (5 % of the cases), a third matched to a registered person (most
        # confirmed), half of the confirmed ones with a reunification.
        req_t = Table(TracingRequest, version=1, requester_consent=True, normalized={})
        match_t = Table(TracingMatch, repeat_requests=1, explanation=[])
        reu_t = Table(Reunification, version=1)
        req_id, match_id, reu_id = ids(4), ids(5), ids(6)
        m = 0
        for n in range(max(1, cases_n // 20)):
            o = rng.choices(range(len(offices)), weights)[0]
            created = moment()
            sought_born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 74))
            precision = rng.random()
            born_text = (
                sought_born.isoformat()
                if precision < 0.6
                else str(sought_born.year)
                if precision < 0.85
                else ""
            )
            status = rng.choices(
                ["open", "match_confirmed", "reunified", "closed", "withdrawn"], [40, 15, 20, 20, 5]
            )[0]
            req_t.add(
                id=req_id(n),
                created=created,
                modified=created,
                reference=f"BT-{offices[o][1]}-{n:07d}",
                office_id=offices[o][0],
                status=status,
                requester_name="Familiar",
                requester_relation=rng.choice(["mother", "father", "sibling", "spouse"]),
                given_names=rng.choice(GIVEN),
                first_surname=rng.choice(SURNAMES),
                sex=rng.choices("FMU", [48, 48, 4])[0],
                birth_date=born_text,
            )
            if status in ("match_confirmed", "reunified") or rng.random() < 0.1:
                decided = created + dt.timedelta(days=rng.randrange(1, 120))
                decided = min(decided, NOW - dt.timedelta(days=1))
                confirmed = status in ("match_confirmed", "reunified")
                match_t.add(
                    id=match_id(m),
                    created=decided,
                    modified=decided,
                    request_id=req_id(n),
                    person_id=person_id(rng.randrange(people_n)),
                    status="confirmed" if confirmed else rng.choice(["proposed", "rejected"]),
                    match_probability=0.97,
                    match_weight=12.5,
                    request_fingerprint="b" * 64,
                    person_fingerprint="b" * 64,
                    decided_at=decided if confirmed else None,
                )
                if confirmed and (status == "reunified" or rng.random() < 0.3):
                    done = status == "reunified"
                    reunion = decided.date() + dt.timedelta(days=rng.randrange(5, 90))
                    reu_t.add(
                        id=reu_id(m),
                        created=decided,
                        modified=decided,
                        match_id=match_id(m),
                        status="completed" if done else "in_preparation",
                        relationship_verified=done,
                        requester_consent=True,
                        person_consent=True,
                        reunion_date=min(reunion, NOW.date()) if done else None,
                    )
                m += 1
        req_t.flush()
        match_t.flush()
        reu_t.flush()
        counts["tracing requests"] = req_t.written
        counts["tracing matches"] = match_t.written
        counts["reunifications"] = reu_t.written
        log(f"{req_t.written:,} tracing requests, {reu_t.written:,} reunifications")

        # Returns: the persons of voluntary-return cases (and a few others): 3 % of the cases.
        ret_t = Table(Return, version=1)
        ret_id = ids(7)
        sources = by_type["voluntary_return"] + rng.sample(range(cases_n), k=min(cases_n, 100))
        for n, c in enumerate(sources[: max(1, cases_n * 3 // 100)]):
            p = case_person[c]
            o = person_office[p]
            created = case_created[c] + dt.timedelta(days=rng.randrange(30))
            created = min(created, NOW - dt.timedelta(days=1))
            state = rng.choices(
                ["requested", "counselling", "travel_plan", "departed", "closed", "withdrawn"],
                [10, 10, 10, 10, 55, 5],
            )[0]
            departed = arrived = None
            if state in ("departed", "closed"):
                departed = min(
                    created.date() + dt.timedelta(days=rng.randrange(10, 90)), NOW.date()
                )
                arrived = departed + dt.timedelta(days=1) if departed < NOW.date() else None
            born = person_born[p]
            ret_t.add(
                id=ret_id(n),
                created=created,
                modified=created,
                reference=f"RT-{offices[o][1]}-{n:07d}",
                person_id=person_id(p),
                protection_case_id=case_id(c),
                owner_office_id=offices[o][0],
                origin_country_id=offices[o][1],
                status=state,
                declared_child=bool(born and (created.date() - born).days < 18 * 365),
                departed_on=departed,
                arrived_on=arrived,
                outcome=rng.choice(RETURN_OUTCOMES) if state == "closed" else "",
                ended_at=(
                    min(NOW, dt.datetime.combine(arrived, dt.time(12)) + dt.timedelta(days=180))
                    if state == "closed" and arrived
                    else None
                ),
            )
        ret_t.flush()
        counts["returns"] = ret_t.written
        log(f"{ret_t.written:,} returns")

        # Trafficking and smuggling: most possible-trafficking cases lead to one, with the
        # case's person as victim (or smuggled person) and sometimes others with them.
        traf_t = Table(TraffickingCase, version=1, status="Active")
        vic_t = Table(Victim)
        traf_id, vic_id = ids(8), ids(9)
        v = 0
        for n, c in enumerate(by_type["possible_trafficking"]):
            if rng.random() < 0.3:
                continue
            p = case_person[c]
            o = person_office[p]
            kind = "trafficking" if rng.random() < 0.7 else "smuggling"
            created = min(case_created[c] + dt.timedelta(days=rng.randrange(20)), NOW)
            traf_t.add(
                id=traf_id(n),
                created=created,
                modified=created,
                reference=f"{'TP' if kind == 'trafficking' else 'SM'}-{offices[o][1]}-{n:07d}",
                kind=kind,
                owner_office_id=offices[o][0],
                status=rng.choice(["Active", "Active", "Closed"]),
                summary="Bench",
            )
            victims = [p] + [rng.randrange(people_n) for _ in range(int(rng.expovariate(1.5)))]
            for q in dict.fromkeys(victims):
                forms = (
                    sorted(
                        set(rng.choices(EXPLOITATION, EXPLOITATION_WEIGHTS, k=rng.randint(1, 2)))
                    )
                    if kind == "trafficking"
                    else []
                )
                vic_t.add(
                    id=vic_id(v),
                    created=created,
                    modified=created,
                    case_id=traf_id(n),
                    person_id=person_id(q),
                    protection_case_id=case_id(c) if q == p else None,
                    type_of_exploitation=forms,
                    recruitment_websites_and_apps=[],
                    method_of_recruitment=[],
                    methods_of_control=[],
                    type_of_sex_exploitation=[],
                    exploitation_websites_and_apps=[],
                )
                v += 1
        traf_t.flush()
        vic_t.flush()
        counts["trafficking cases"] = traf_t.written
        counts["victims"] = vic_t.written
        log(f"{traf_t.written:,} trafficking cases, {vic_t.written:,} victims")
        # As the services keep it: a person with a trafficking case has a protected identity.
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE people_person SET identity_protection = 'trafficking' WHERE id IN "
                "(SELECT person_id FROM trafficking_victim)"
            )
    return counts


# ---------------------------------------------------------------- export for DuckDB

# The columns each count reads, table by table (text on the way out: DuckDB casts them).
EXPORT: dict[str, list[str]] = {
    "accounts_office": ["id", "country_id", "host_country_id"],
    "people_person": ["id", "sex", "birth_date", "estimated_age", "age_reported_on"],
    "people_person_nationalities": ["person_id", "country_id"],
    "cases_case": [
        "id", "person_id", "owner_office_id", "case_type", "status", "created", "closed_at",
    ],
    "cases_detentionlog": ["id", "case_id", "arrest_date", "notified_on"],
    "tracing_tracingrequest": ["id", "office_id", "status", "sex", "birth_date", "created"],
    "tracing_tracingmatch": ["id", "request_id", "person_id", "status", "created", "decided_at"],
    "tracing_reunification": ["id", "match_id", "status", "reunion_date", "created"],
    "returns_return": [
        "id", "person_id", "owner_office_id", "origin_country_id", "status", "outcome",
        "created", "departed_on", "arrived_on", "ended_at", "declared_child",
    ],
    "trafficking_traffickingcase": ["id", "kind", "owner_office_id", "status", "created"],
    "trafficking_victim": ["id", "case_id", "person_id", "type_of_exploitation"],
}  # fmt: skip
DATETIMES = {"created", "closed_at", "decided_at", "ended_at"}


def export(out: Path) -> dict[str, int]:
    """Write the EXPORT columns of each table to out/<table>.parquet through the app's
    database connection; returns the rows per table."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from django.db import connection

    out.mkdir(parents=True, exist_ok=True)
    (out / "vendor").write_text(connection.vendor)
    connection.ensure_connection()
    rows: dict[str, int] = {}
    for table, columns in EXPORT.items():
        if connection.vendor == "sqlite":
            sql = f"SELECT {', '.join(columns)} FROM {table}"
            cur = connection.connection.execute(sql)
            data = cur.fetchall()
            arrays = {
                c: pa.array([None if r[i] is None else str(r[i]) for r in data], pa.string())
                for i, c in enumerate(columns)
            }
            result = pa.table(arrays)
        else:
            import pyarrow.csv as pacsv

            exprs = ", ".join(
                f"({c} AT TIME ZONE 'UTC')::text AS {c}" if c in DATETIMES else f"{c}::text AS {c}"
                for c in columns
            )
            buf = bytearray()
            with (
                connection.connection.cursor() as cur,
                cur.copy(
                    f"COPY (SELECT {exprs} FROM {table}) TO STDOUT (FORMAT csv, HEADER)"
                ) as cp,
            ):
                for block in cp:
                    buf += block
            types = dict.fromkeys(columns, pa.string())
            result = pacsv.read_csv(
                pa.py_buffer(bytes(buf)),
                convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=True),
            )
        pq.write_table(result, out / f"{table}.parquet")
        rows[table] = result.num_rows
    return rows


# ---------------------------------------------------------------- the two ways

Key = tuple[str, str, str, str, str]  # indicator, country, sex, age, period
Histogram = tuple[tuple[int, int], ...] | None  # (days, persons) by days, None: no duration
Cell = tuple[int, Histogram]  # persons, and their days as count_rows() gives them

# The reference, written from the definitions in enlace.indicators.protection (not from its
# code): each person counted once per calendar year and indicator, in the cell of their first
# record of the year (country, quarter, age group on that record's date); durations in whole
# days. Plain DuckDB: typed views over the Parquet files, one window + GROUP BY per indicator.
VIEWS = """
CREATE VIEW office AS SELECT id, country_id AS country FROM accounts_office;
CREATE VIEW person AS SELECT id, sex, CAST(birth_date AS DATE) AS born,
    CAST(estimated_age AS INTEGER) AS estimated, CAST(age_reported_on AS DATE) AS reported
    FROM people_person;
CREATE VIEW cases AS SELECT id, person_id, owner_office_id, case_type, status,
    CAST(created AS TIMESTAMP) AS created, CAST(closed_at AS TIMESTAMP) AS closed_at
    FROM cases_case;
CREATE VIEW detention AS SELECT CAST(id AS BIGINT) AS id, case_id,
    CAST(arrest_date AS DATE) AS arrest_date,
    CAST(notified_on AS DATE) AS notified_on FROM cases_detentionlog;
CREATE VIEW request AS SELECT id, office_id, sex, CAST(created AS TIMESTAMP) AS created
    FROM tracing_tracingrequest;
CREATE VIEW reunion AS SELECT r.id, m.person_id, m.request_id,
    CAST(r.reunion_date AS DATE) AS reunion_date
    FROM tracing_reunification r JOIN tracing_tracingmatch m ON m.id = r.match_id
    WHERE r.status = 'completed';
CREATE VIEW returns AS SELECT id, person_id, owner_office_id, status, outcome,
    CAST(created AS TIMESTAMP) AS created, CAST(departed_on AS DATE) AS departed_on,
    CAST(ended_at AS TIMESTAMP) AS ended_at FROM returns_return;
CREATE VIEW victim AS SELECT v.id, v.person_id, c.kind, c.owner_office_id,
    CAST(c.created AS TIMESTAMP) AS created, v.type_of_exploitation AS forms
    FROM trafficking_victim v JOIN trafficking_traffickingcase c ON c.id = v.case_id;
"""


def age_sql(on: str) -> str:
    """Age in whole years on `on` of the person joined as p: from the birth date, else the
    estimated age plus the calendar years since it was reported; NULL if neither."""
    return (
        f"CASE WHEN p.born IS NOT NULL THEN year({on}) - year(p.born) - CASE WHEN "
        f"month({on}) < month(p.born) OR (month({on}) <= month(p.born) AND day({on}) < "
        f"day(p.born)) THEN 1 ELSE 0 END WHEN p.estimated IS NOT NULL THEN p.estimated + "
        f"coalesce(year({on}) - year(p.reported), 0) END"
    )


# Age groups: children under 12, adolescents 12-17, then adults by broad band (the issue's
# "age groups where the source allows"; the same bands as the app's figures).
AGE_GROUP_SQL = (
    "CASE "
    + " ".join(
        f"WHEN age <= {hi} THEN '{lo}-{hi}'"
        for lo, hi in ((0, 11), (12, 17), (18, 24), (25, 34), (35, 49), (50, 59))
    )
    + " WHEN age IS NOT NULL THEN '60+' ELSE 'unknown' END"
)


def days_sql(start: str, end: str, vendor: str) -> str:
    """Whole days between two dates or datetimes, as the database the app runs on counts
    them: SQLite truncates the difference of the two Julian days (julianday() keeps
    milliseconds: the same double arithmetic here), PostgreSQL subtracts calendar dates."""
    if vendor == "sqlite":
        jd = "((epoch_ms(CAST({} AS TIMESTAMP)) + 210866760000000) / 86400000.0)"
        return f"CAST(trunc({jd.format(end)} - {jd.format(start)}) AS INTEGER)"
    return f"datediff('day', CAST({start} AS DATE), CAST({end} AS DATE))"


def first_of_year(
    indicator: str,
    source: str,
    *,
    on: str,
    country: str,
    sex: str,
    age: str,
    person: str = "r.person_id",
    pk: str = "r.id",
    category: str = "''",
    days: str = "NULL",
) -> str:
    """One indicator: the first record of each person, year and category; persons by cell."""
    return f"""
    WITH rec AS (
        SELECT {person} AS who, {on} AS t, {pk} AS pk, {category} AS category,
               {country} AS country, coalesce({sex}, 'U') AS sex, {age} AS age,
               {days} AS days
        {source} AND {on} IS NOT NULL
    ), firsts AS (
        SELECT *, row_number() OVER (
            PARTITION BY who, year(t), category ORDER BY t, pk) AS n
        FROM rec
    )
    SELECT {indicator} AS indicator, country, sex, {AGE_GROUP_SQL} AS age_group,
           year(t) || '-Q' || quarter(t) AS period, days, count(*) AS persons
    FROM firsts WHERE n = 1
    GROUP BY ALL
    """


def reference_sql(vendor: str) -> list[str]:
    join_p = "JOIN person p ON p.id = r.person_id"
    join_o = "JOIN office o ON o.id = r.owner_office_id"
    forms = ", ".join(f"('{f}')" for f in HTCDS_FORMS)
    return [
        first_of_year(
            "'cases.opened.' || category",
            f"FROM cases r {join_p} {join_o} WHERE TRUE",
            on="r.created", country="o.country", sex="p.sex", age=age_sql("r.created"),
            category="r.case_type",
        ),
        first_of_year(
            "'cases.closed.' || category",
            f"FROM cases r {join_p} {join_o} WHERE r.status = 'closed'",
            on="r.closed_at", country="o.country", sex="p.sex", age=age_sql("r.closed_at"),
            category="r.case_type", days=days_sql("r.created", "r.closed_at", vendor),
        ),
        first_of_year(
            "CASE WHEN days IS NULL THEN 'art36.pending' ELSE 'art36.notified' END",
            "FROM detention d JOIN cases r ON r.id = d.case_id "
            f"{join_p} {join_o} WHERE TRUE",
            on="d.arrest_date", country="o.country", sex="p.sex", age=age_sql("d.arrest_date"),
            pk="d.id", days=days_sql("d.arrest_date", "d.notified_on", vendor),
        ),
        first_of_year(
            "'tracing.requests'",
            "FROM request r JOIN office o ON o.id = r.office_id WHERE TRUE",
            on="r.created", country="o.country", sex="r.sex", age="NULL", person="r.id",
        ),
        first_of_year(
            "'tracing.reunifications'",
            "FROM reunion r JOIN tracing_tracingrequest q ON q.id = r.request_id "
            f"JOIN office o ON o.id = q.office_id {join_p} WHERE TRUE",
            on="r.reunion_date", country="o.country", sex="p.sex",
            age=age_sql("r.reunion_date"),
        ),
        first_of_year(
            "'returns.requested'",
            f"FROM returns r {join_p} {join_o} WHERE TRUE",
            on="r.created", country="o.country", sex="p.sex", age=age_sql("r.created"),
        ),
        first_of_year(
            "'returns.departed'",
            f"FROM returns r {join_p} {join_o} WHERE TRUE",
            on="r.departed_on", country="o.country", sex="p.sex", age=age_sql("r.departed_on"),
        ),
        first_of_year(
            "'returns.outcome.' || category",
            f"FROM returns r {join_p} {join_o} WHERE r.status = 'closed' AND r.outcome <> ''",
            on="r.ended_at", country="o.country", sex="p.sex", age=age_sql("r.ended_at"),
            category="r.outcome",
        ),
        # A victim counts under "all" and under each form of exploitation recorded for them.
        first_of_year(
            "'trafficking.' || split_part(category, '/', 1) || '.' || split_part(category, '/', 2)",
            "FROM (SELECT *, 'all' AS form FROM victim UNION ALL "
            f"SELECT v.*, f.form FROM victim v JOIN (VALUES {forms}) f(form) "
            "ON contains(v.forms, '\"' || f.form || '\"')) r "
            f"{join_p} {join_o} WHERE TRUE",
            on="r.created", country="o.country", sex="p.sex", age=age_sql("r.created"),
            category="r.kind || '/' || r.form",
        ),
    ]  # fmt: skip


def duckdb_counts(parquet: Path) -> dict[Key, Cell]:
    """The reference: the same cells as plain DuckDB GROUP BYs over the exported tables."""
    import duckdb

    vendor = (parquet / "vendor").read_text()
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    for table in EXPORT:
        path = parquet / f"{table}.parquet"
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
    con.execute(VIEWS)
    counts: dict[Key, Cell] = {}
    for sql in reference_sql(vendor):
        # Each cell once: its persons and, for a duration, their histogram by days.
        cells = f"""
        SELECT indicator, country, sex, age_group, period, sum(persons)::BIGINT,
               CASE WHEN count(days) > 0 THEN list([days, persons] ORDER BY days) END
        FROM ({sql}) GROUP BY ALL"""
        for indicator, country, sex, age, period, persons, days in con.execute(cells).fetchall():
            histogram = tuple((d, n) for d, n in days) if days is not None else None
            counts[(indicator, country, sex, age, period)] = (persons, histogram)
    con.close()
    return counts


def our_counts() -> dict[Key, Cell]:
    """Ours, as the app calls it."""
    from enlace.indicators import protection

    counts: dict[Key, Cell] = {}
    for r in protection.count_rows():
        key = (r.indicator, r.country, r.sex, r.age_group, r.period)
        if key in counts:
            raise AssertionError(f"count_rows() gives the cell {key} twice")
        counts[key] = (r.persons, r.days)
    return counts


def our_release(method: str = "suppression", years: Iterable[int] | None = None) -> list[Any]:
    """The full release (every year of the world, disclosure control over the whole cube of
    each), as the daily job publishes it once the year is over (publish_indicators): computed
    and stored (any earlier one dropped first, so that it is computed again)."""
    from enlace.indicators import releases

    years = years or range(START.year, NOW.year + 1)
    out = []
    for year in years:
        releases.ProtectionRelease.objects.filter(year=year, method=method).delete()
        out.append(releases.publish(year, method, today=dt.date(year + 1, 1, 1)))
    return out


def release_errors(
    released: list[Any], ref: dict[Key, Cell], limit: int = 20
) -> tuple[int, list[str]]:
    """Check every published cell of suppression releases against DuckDB's counts: its value
    must be the true count (leaves summed to the cell's margins, the year = its quarters)
    rounded to base 5, and at least the threshold unless it is a true zero. Returns (cells
    checked, errors)."""
    from collections import Counter

    from enlace.core.disclosure import DISCLOSURE_THRESHOLD, rounded

    truth: Counter[tuple[str, ...]] = Counter()
    for (indicator, country, sex, age, period), (n, _days) in ref.items():
        for c in (country, ""):
            for x in (sex, ""):
                for a in (age, ""):
                    for p in (period, period[:4]):
                        truth[(indicator, c, x, a, p)] += n
    checked, errors = 0, []
    for release in released:
        for indicator, cells in release.cells.items():
            for where, (value, _accuracy, _median) in cells.items():
                country, sex, age, period = where.split("|")
                n = truth[(indicator, country, sex, age, period)]
                checked += 1
                # A true zero may be published (ind-protection's rule since cd4fbd2: never a
                # partner, no one to single out); anything else rests on >= 10 persons.
                if value != rounded(n) or 0 < n < DISCLOSURE_THRESHOLD:
                    errors.append(
                        f"{release.year} {indicator} {where}: published {value}, true {n}"
                    )
    return checked, errors[:limit]


def differences(ours: dict[Key, Cell], ref: dict[Key, Cell], limit: int = 20) -> list[str]:
    """Cells where the two disagree, in persons or in their days (a cell missing on one side
    counts as 0 there)."""
    out = []
    for key in sorted(set(ours) | set(ref)):
        a, b = ours.get(key, (0, None)), ref.get(key, (0, None))
        if a != b:
            out.append(f"{key}: ours {a}, DuckDB {b}")
    return out[:limit] if limit else out


# ---------------------------------------------------------------- running


def setup_django(work: Path) -> str:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["ENLACE_VAR_DIR"] = str(work)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'bench.sqlite3'}")
    import django

    django.setup()
    from django.db import connection

    return connection.vendor


def worker(side: str, work: Path, result: Path, years: list[int] | None = None) -> None:
    """One way in its own process: prints a JSON line of its figures, pickles its counts."""
    import pickle

    out: dict[str, Any] = {"side": side}
    if side == "duckdb":
        start, cpu = time.perf_counter(), time.process_time()
        counts = duckdb_counts(work / "parquet")
        out["seconds"] = time.perf_counter() - start
        out["cpu"] = time.process_time() - cpu  # every thread of the process
        out["cells"] = len(counts)
        result.write_bytes(pickle.dumps(counts))
    else:
        setup_django(work)
        out["base_mib"] = peak_mib()
        if side == "export":
            start = time.perf_counter()
            out["rows"] = export(work / "parquet")
            out["seconds"] = time.perf_counter() - start
        elif side == "ours":
            from django.db import connection as django_connection
            from django.db.backends.signals import connection_created

            queries: list[tuple[str, float, int]] = []
            server: dict[int, list[int]] = {}
            clock = query_clock(queries, server)

            def clocked(sender: Any, connection: Any, **kwargs: Any) -> None:
                # Every connection, the worker threads' too (enlace.core.counting.run_counts).
                if clock not in connection.execute_wrappers:
                    connection.execute_wrappers.append(clock)

            connection_created.connect(clocked)
            clocked(None, django_connection)
            start, cpu = time.perf_counter(), time.process_time()
            counts = our_counts()
            out["seconds"] = time.perf_counter() - start
            out["cpu"] = time.process_time() - cpu
            out["server_cpu"] = sum(b - a for a, b in server.values()) / os.sysconf("SC_CLK_TCK")
            out["threads"] = len({thread for _name, _sec, thread in queries})
            out["queries"] = queries
            out["cells"] = len(counts)
            result.write_bytes(pickle.dumps(counts))
        elif side == "release":
            import pickle

            start = time.perf_counter()
            released = our_release(years=years)
            out["seconds"] = time.perf_counter() - start
            out["cells"] = sum(len(c) for r in released for c in r.cells.values())
            ref = pickle.loads((result.parent / "duckdb.pickle").read_bytes())  # noqa: S301
            out["checked"], out["errors"] = release_errors(released, ref)
    out["peak_mib"] = peak_mib()
    print(json.dumps(out))


def backend_ticks(ctx: Any) -> tuple[int, int] | None:
    """(PostgreSQL backend's pid, its user + system CPU in clock ticks) of the connection of
    an execute wrapper's context, read in /proc (the server is on this machine); None on
    SQLite (its work is this process's)."""
    info = getattr(ctx["connection"].connection, "info", None)
    pid = getattr(info, "backend_pid", None)
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return pid, int(fields[11]) + int(fields[12])


def query_clock(
    queries: list[tuple[str, float, int]], server: dict[int, list[int]] | None = None
) -> Callable[..., Any]:
    """A connection.execute_wrapper: each query's time, named by the selector that ran it; with
    `server`, each PostgreSQL backend's CPU ticks before its first and after its last query."""
    import inspect
    import threading

    def clock(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        names = [f.function for f in inspect.stack(0)[2:14] if f.function.endswith("_counts")]
        if server is not None and (ticks := backend_ticks(ctx)):
            server.setdefault(ticks[0], [ticks[1], ticks[1]])
        start = time.perf_counter()
        try:
            return execute(sql, params, many, ctx)
        finally:
            name = next((n for n in names if n != "first_of_year_counts"), "?")
            queries.append((name, time.perf_counter() - start, threading.get_ident()))
            if server is not None and (ticks := backend_ticks(ctx)):
                server[ticks[0]][1] = ticks[1]

    return clock


def run_worker(
    side: str, work: Path, result: Path, years: list[int] | None = None
) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", side, "--workdir", str(work)]
    command += ["--result", str(result)]
    if years:
        command += ["--release-years", ",".join(map(str, years))]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the {side} worker failed ({done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="protection cases")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs of each count (best kept; the release: 1)"
    )
    parser.add_argument("--workdir", help="default var/bench-indicators (kept between runs)")
    parser.add_argument("--reload", action="store_true", help="rebuild the world even if kept")
    parser.add_argument(
        "--release-years",
        help=f"years of the release timed, e.g. 2025 (default every year, {START.year}-{NOW.year})",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    work = Path(args.workdir or ROOT / "var" / "bench-indicators").resolve()
    work.mkdir(parents=True, exist_ok=True)
    years = [int(y) for y in args.release_years.split(",")] if args.release_years else None
    if args.worker:
        worker(args.worker, work, Path(args.result), years)
        return
    vendor = setup_django(work)
    from django.core.management import call_command

    print(f"machine: {machine()}\ndatabase: {vendor}\ncommand: {' '.join(sys.argv)}\n")
    call_command("migrate", "--noinput", verbosity=0)
    spec = {"cases": args.cases, "seed": args.seed, "version": GENERATOR_VERSION}
    if args.reload or loaded_spec() != spec:
        log(f"writing the world ({args.cases:,} cases)")
        start = time.perf_counter()
        written = generate(args.cases, args.seed)
        save_spec(spec)
        log(f"written in {time.perf_counter() - start:.0f} s: {written}")
    else:
        log("the database holds this world already: kept")
    from django.db import connection

    if vendor == "postgresql":  # as autovacuum leaves a loaded database: planner statistics
        connection.ensure_connection()
        connection.connection.autocommit = True
        with connection.connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    connection.close()

    with tempfile.TemporaryDirectory() as tmp:
        res = Path(tmp)
        runs: dict[str, list[dict[str, Any]]] = {}
        for side in ["idle", "export", "duckdb", "ours", "release"]:
            for i in range(args.repeats if side in ("duckdb", "ours") else 1):
                log(f"{side} {i + 1}")
                got = run_worker(side, work, res / f"{side}.pickle", years)
                log(json.dumps({k: v for k, v in got.items() if k != "queries"}))
                runs.setdefault(side, []).append(got)
        import pickle

        ours = pickle.loads((res / "ours.pickle").read_bytes())  # noqa: S301 - our own file
        ref = pickle.loads((res / "duckdb.pickle").read_bytes())  # noqa: S301
    report(args, vendor, runs, ours, ref, years)


def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return min(runs, key=lambda r: r.get("seconds", 0))


def report(
    args: Any,
    vendor: str,
    runs: dict[str, list[dict[str, Any]]],
    ours: dict,
    ref: dict,
    years: list[int] | None,
) -> None:
    span = ", ".join(map(str, years)) if years else f"{START.year}-{NOW.year}"
    export_run = runs["export"][0]
    duck, mine, rel = best(runs["duckdb"]), best(runs["ours"]), best(runs["release"])
    base = runs["idle"][0]["peak_mib"]
    rows = sum(export_run["rows"].values())
    cpu_ours = f"{mine['cpu']:.2f}"
    if mine["server_cpu"]:
        cpu_ours = (
            f"{mine['cpu'] + mine['server_cpu']:.2f} ({mine['cpu']:.2f} client + "
            f"{mine['server_cpu']:.2f} server)"
        )
    lines = [
        f"World: {args.cases:,} protection cases; {rows:,} rows exported over "
        f"{len(export_run['rows'])} tables ({export_run['rows']['people_person']:,} persons).",
        f"Best of {args.repeats} runs of each count, the release once ({span}), each run "
        f"in its own process; peak RSS of a process that only sets Django up: {base:.0f} MiB.",
        "",
        "| way | seconds | ratio to DuckDB | CPU seconds | peak MiB | cells |",
        "|---|---:|---:|---:|---:|---:|",
        f"| export to Parquet (for DuckDB, once) | {export_run['seconds']:.2f} | | | "
        f"{export_run['peak_mib']:.0f} | {rows:,} rows |",
        f"| DuckDB GROUP BYs (Parquet → counts) | {duck['seconds']:.2f} | 1.00 | "
        f"{duck['cpu']:.2f} (all its threads) | {duck['peak_mib']:.0f} | {duck['cells']:,} |",
        f"| DuckDB incl. the export | {duck['seconds'] + export_run['seconds']:.2f} | "
        f"{(duck['seconds'] + export_run['seconds']) / duck['seconds']:.2f} | | | |",
        f"| ours: protection.count_rows() ({mine['threads']} thread(s)) | {mine['seconds']:.2f} | "
        f"{mine['seconds'] / duck['seconds']:.2f} | {cpu_ours} | {mine['peak_mib']:.0f} | "
        f"{mine['cells']:,} |",
        f"| ours: the release of {span} (counts + disclosure control, "
        f"stored) | {rel['seconds']:.2f} | {rel['seconds'] / duck['seconds']:.2f} | | "
        f"{rel['peak_mib']:.0f} | {rel['cells']:,} published |",
    ]
    by_selector: dict[str, float] = {}
    for name, seconds, _thread in mine["queries"]:
        by_selector[name] = by_selector.get(name, 0.0) + seconds
    in_sql = sum(by_selector.values())
    lines += [
        "",
        f"Where count_rows() spends its {mine['seconds']:.2f} s (that run; queries on "
        "several connections at once add up to more than the wall time): "
        + ", ".join(f"{name} {sec:.2f} s" for name, sec in by_selector.items())
        + f" in {len(mine['queries'])} queries ({in_sql:.2f} s).",
    ]
    diff = differences(ours, ref)
    ratio = mine["seconds"] / duck["seconds"]
    lines += [
        "",
        f"same raw counts (ours vs DuckDB, {len(set(ours) | set(ref)):,} cells): "
        f"{'yes' if not diff else 'NO'}; count_rows / DuckDB = {ratio:.2f}x (target <= 3x: "
        f"{'met' if ratio <= 3 else 'NOT met'}); count_rows / (export + DuckDB) = "
        f"{mine['seconds'] / (duck['seconds'] + export_run['seconds']):.2f}x",
    ]
    lines.append(
        f"release check: {rel['checked']:,} published cells, each the DuckDB count of its cell "
        f"rounded to base 5 and >= 10 (or a true 0): {'yes' if not rel['errors'] else 'NO'}"
    )
    print("\n".join(lines))
    if diff:
        sys.exit("ours and DuckDB disagree:\n" + "\n".join(diff))
    if rel["errors"]:
        sys.exit("the release disagrees with DuckDB's counts:\n" + "\n".join(rel["errors"]))


if __name__ == "__main__":
    main()
