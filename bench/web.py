"""Web at national scale (issues 9 and 18): load a network-sized volume into PostgreSQL, serve it
with gunicorn and production settings, drive every module's main journeys with locust, time
single requests, an export and a relink.

    .venv/bin/python bench/web.py                       # 300k people, 200k cases, 60 s runs
    .venv/bin/python bench/web.py --people 20000 --cases 15000 --duration 20   # a quick look
    # issue 18's run: 1M people and 1M cases, 50 users for 60 s (the load takes an hour or more)
    .venv/bin/python bench/web.py --people 1000000 --cases 1000000 --users 50 --skip-relink \
        --skip-export --database-url postgres://postgres@127.0.0.1:5432/enlace_bench_web1m

Volume (scaled from --people/--cases): 40 offices in 10 countries of Latin America and the
Caribbean, one user per staff role (officer, supervisor, national focal point, trafficking focal
point) in each office, people with their tracing index (people_personindex, people_personkey),
cases, referrals (accepted ones with their access grant), tracing requests with their keys; then
(bench/web_modules.py) the other modules' records at proportionate sizes: trafficking cases with
victims, routes, alerts and identifiers, returns, rights requests, remittance quotes, practices,
migrant associations (with their offices and representatives), forums, inbox items, requests
from the public, a regional secretariat with its analysts, and the published indicators release.
The database (default enlace_bench_web) is kept between runs and reloaded only when its size
differs or with --reload (the modules' records alone when only theirs differ). Loading writes
rows with COPY.

Bench users keep the production second factor: each has a confirmed TOTP device; API tokens are
asked from POST /api/v1/auth/token/ with the password and a TOTP code, and the page sessions are
written as a verified log-in would leave them (the session store with django-otp's device mark),
so no log-in form and no failed-login limit is involved. Anonymous visitors of the public pages
each come from their own address (X-Real-IP, read as behind the reverse proxy).

Locust (bench/web_locust.py) walks each role's journeys and, about once in twenty requests,
probes a record the user must not see (another office's case, another country's trafficking
case, another office's return, rights request or request from the public): a probe answered 200
is a "cross-tenant 200". Prints per endpoint p50/p95/p99, failures and requests/s at each user
count with each p95 as a ratio to /api/v1/me/, the totals against the targets (0 errors, 0
cross-tenant 200s, every p95 within 3x me's), then single-request medians with query counts, the
export and the relink, and ends with one line: ``worst_p95_ratio=<x> (<endpoint>) errors=<n>
cross_tenant_200=<n> rps=<r>``. Ratios, not absolute times, are the point: locust shares the
machine with the server.
"""

import argparse
import csv
import datetime as dt
import importlib.util
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/enlace_bench_web"
PASSWORD = "bench-web-Password-2026"  # noqa: S105 - a throw-away bench database
SECRET = "bench-web-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
# Ten countries of Latin America and the Caribbean, four offices each (40 offices).
COUNTRIES = ["MX", "GT", "HN", "SV", "CO", "VE", "PE", "EC", "DO", "HT"]
HOSTS = ["US", "MX", "CR", "PA"]
ROLES = ["officer", "supervisor", "national_focal_point", "trafficking_focal_point"]
# The roles the load test signs in as (the module load adds the analysts of the regional
# secretariat and the associations' representatives); anonymous visitors need no identity.
IDENTITY_ROLES = [*ROLES, "analyst", "association_rep"]
SEARCH_WORDS = ["maria", "jose", "hernandez", "garcia", "lopez", "martinez", "rosales", "ana"]
ENDPOINTS = {  # name -> (kind, url template)
    "api me": ("api", "/api/v1/me/"),
    "api case list": ("api", "/api/v1/cases/"),
    "page case list": ("page", "/cases/"),
    "api case search": ("api", "/api/v1/cases/?q={word}"),
    "api case detail": ("api", "/api/v1/cases/{case}/"),
    "page case detail": ("page", "/cases/{case}/"),
    "api people search": ("api", "/api/v1/people/?q={word}"),
    "api person detail": ("api", "/api/v1/people/{person}/"),
    "api tracing list": ("api", "/api/v1/tracing-requests/"),
    "api tracing detail": ("api", "/api/v1/tracing-requests/{request}/"),
    "page home": ("page", "/"),
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def setup_django(url: str) -> None:
    # The server's settings and secret: the sessions written here must be valid there.
    os.environ.update({k: v for k, v in server_env(url).items() if k != "PYTHONPATH"})
    import django

    django.setup()


def admin_exec(url: str, sql: str) -> None:
    import psycopg

    base, _, _name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql)


# ---------------------------------------------------------------- loading


def copy_rows(model: Any, rows: list[Any], fields: list[Any] | None = None) -> None:
    """Write model instances with COPY, every concrete column, values as Django prepares them."""
    from django.db import connection

    fields = fields or list(model._meta.concrete_fields)
    cols = ", ".join(f'"{f.column}"' for f in fields)
    sql = f'COPY "{model._meta.db_table}" ({cols}) FROM STDIN'
    with connection.cursor() as cur, cur.connection.cursor() as raw, raw.copy(sql) as cp:
        for obj in rows:
            values = []
            for f in fields:
                v = f.get_db_prep_save(getattr(obj, f.attname), connection)
                if hasattr(v, "obj") and f.get_internal_type() == "JSONField":
                    v = json.dumps(v.obj)
                values.append(v)
            cp.write_row(values)


def copy_plain(table: str, cols: list[str], rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    sql = f"COPY {table} ({', '.join(cols)}) FROM STDIN"
    with connection.cursor() as cur, cur.connection.cursor() as raw, raw.copy(sql) as cp:
        for row in rows:
            cp.write_row(row)


def modules() -> Any:
    """bench/web_modules.py: the other modules' records (issue 18)."""
    spec = importlib.util.spec_from_file_location(
        "bench_web_modules", ROOT / "bench" / "web_modules.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_web_modules"] = module
    spec.loader.exec_module(module)
    return module


def load_modules(url: str, people: int, cases: int, seed: int) -> dict[str, Any]:
    mods = modules()
    return dict(
        mods.load_modules(
            people,
            cases,
            seed,
            copy_rows=copy_rows,
            copy_plain=copy_plain,
            password=PASSWORD,
            log=log,
            publish=lambda: mods.run_publish(server_env(url), ROOT, PY),
        )
    )


def load_generator() -> Any:
    spec = importlib.util.spec_from_file_location("bench_linkage", ROOT / "bench" / "linkage.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_linkage"] = module
    spec.loader.exec_module(module)
    return module


def sizes(people: int, cases: int) -> dict[str, int]:
    return {
        "people": people,
        "cases": cases,
        "referrals": max(10, cases // 10),
        "requests": max(10, people // 30),
    }


def loaded_sizes() -> dict[str, int] | None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_web_meta')")
        if cur.fetchone()[0] is None:
            return None
        cur.execute("SELECT spec FROM bench_web_meta")
        row = cur.fetchone()
    return json.loads(row[0]) if row else None


def load(people_n: int, cases_n: int, seed: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from enlace.access.models import Grant
    from enlace.accounts.models import Membership, Office, User
    from enlace.cases.models import Case, CaseType, Referral
    from enlace.core.text import fold
    from enlace.linkage import normalize_record, registry_keys, request_keys
    from enlace.linkage.columns import input_record
    from enlace.people.models import Person, PersonIndex, PersonKey
    from enlace.tracing.models import RequestKey, TracingRequest

    spec = sizes(people_n, cases_n)
    rng = random.Random(seed)
    started = time.perf_counter()
    log("migrating")
    call_command("migrate", "--noinput", verbosity=0)
    now = timezone.now()

    def when(days: int = 1000) -> dt.datetime:
        return now - dt.timedelta(seconds=rng.randrange(days * 86400))

    with transaction.atomic():
        offices: list[Office] = []
        for c in COUNTRIES:
            for i, host in enumerate(HOSTS):
                kind = "foreign_ministry" if host == c else "consulate"
                offices.append(
                    Office(
                        name=f"{'Cancillería' if host == c else 'Consulado'} {c}-{host}-{i}",
                        kind=kind,
                        country_id=c,
                        host_country_id=host,
                        city=f"Ciudad {i}",
                    )
                )
        Office.objects.bulk_create(offices)
        pw = make_password(PASSWORD)
        for office in offices:
            for role in ROLES:
                user = User.objects.create(
                    username=f"{role}.{office.country_id}.{office.host_country_id}".lower(),
                    password=pw,
                    first_name=role,
                    last_name=office.name,
                )
                m = Membership.objects.create(user=user, office=office, role=role)
                user.active_membership = m
                user.save(update_fields=["active_membership"])
                TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    log(f"{len(offices)} offices, {len(offices) * len(ROLES)} users")

    gen = load_generator().LatinGenerator(seed)
    weights = [rng.paretovariate(1.2) for _ in offices]  # some offices far bigger than others
    person_office: list[Office] = []
    ids: list[uuid.UUID] = []
    by_office: dict[Any, list[int]] = {o.pk: [] for o in offices}
    nat_through = Person.nationalities.through
    done = 0
    while done < people_n:
        batch_p: list[Any] = []
        batch_i: list[Any] = []
        batch_k: list[tuple[uuid.UUID, str]] = []
        batch_n: list[tuple[uuid.UUID, str]] = []
        while len(batch_p) < 20_000 and done + len(batch_p) < people_n:
            for raw in gen.family():
                if len(batch_p) >= 20_000 or done + len(batch_p) >= people_n:
                    break
                pk = uuid.uuid4()
                office = rng.choices(offices, weights)[0]
                birth = dt.date.fromisoformat(raw["birth_date"]) if raw.get("birth_date") else None
                created = when()
                nationality = office.country_id if rng.random() < 0.9 else raw["nationality"]
                p = Person(
                    id=pk,
                    created=created,
                    modified=created,
                    owner_office=office,
                    given_names=raw["given_names"],
                    first_surname=raw["first_surname"],
                    second_surname=raw["second_surname"],
                    sex=raw.get("sex") or "U",
                    birth_date=birth,
                    birth_place=raw.get("birth_place", ""),
                    mother_name=raw.get("mother_name", ""),
                )
                p.search_text = fold(
                    f"{p.given_names} {p.first_surname} {p.second_surname} {p.other_names}"
                )[:1200]
                rec = normalize_record(
                    input_record(
                        id=str(pk),
                        given_names=p.given_names,
                        first_surname=p.first_surname,
                        second_surname=p.second_surname,
                        sex=p.sex if p.sex in ("F", "M") else "",
                        birth_date=raw.get("birth_date", ""),
                        birth_place=p.birth_place,
                        nationality=nationality,
                        mother_name=p.mother_name,
                    )
                )
                batch_p.append(p)
                batch_i.append(PersonIndex(person_id=pk, normalized=rec.to_dict(), updated=now))
                batch_k.extend((pk, k[:64]) for k in registry_keys(rec))
                batch_n.append((pk, nationality))
                by_office[office.pk].append(len(ids))
                ids.append(pk)
                person_office.append(office)
        copy_rows(Person, batch_p)
        copy_rows(PersonIndex, batch_i)
        copy_plain(PersonKey._meta.db_table, ["person_id", "key"], batch_k)
        copy_plain(nat_through._meta.db_table, ["person_id", "country_id"], batch_n)
        done += len(batch_p)
        log(f"people {done}/{people_n} ({len(batch_k)} keys in this batch)")

    users = {(m.office_id, m.role): m.user_id for m in Membership.objects.all()}
    types = [c.value for c in CaseType]
    cases: list[Case] = []
    case_rows: list[tuple[uuid.UUID, Any, uuid.UUID]] = []
    for n in range(cases_n):
        idx = rng.randrange(len(ids))
        office = person_office[idx]
        created = when()
        case = Case(
            id=uuid.uuid4(),
            created=created,
            modified=created,
            created_by_id=users[(office.pk, "officer")],
            reference=f"B-{office.country_id}-{n:07d}",
            owner_office=office,
            person_id=ids[idx],
            case_type=rng.choice(types),
            summary=rng.choice(
                [
                    "Detenido en la frontera, solicita asistencia consular.",
                    "Hospitalizada tras un accidente laboral.",
                    "Familia reporta desaparición en la ruta migratoria.",
                    "Salarios no pagados en finca agrícola.",
                    "Menor no acompañado en albergue.",
                ]
            ),
            status=rng.choice(["open", "assessment", "case_plan", "in_progress", "closed"]),
            risk_level=rng.choice(["low", "medium", "high", "critical"]),
            assigned_to_id=users[(office.pk, "officer")],
        )
        cases.append(case)
        case_rows.append((case.id, office, ids[idx]))
        if len(cases) == 20_000:
            copy_rows(Case, cases)
            cases.clear()
            log(f"cases {n + 1}/{cases_n}")
    copy_rows(Case, cases)
    # As the services keep it: a person with a trafficking case has a protected identity.
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE people_person SET identity_protection = 'trafficking' WHERE id IN "
            "(SELECT person_id FROM cases_case WHERE case_type = 'possible_trafficking')"
        )

    referrals, grants = [], []
    for _ in range(spec["referrals"]):
        case_id, office, person_id = rng.choice(case_rows)
        to = rng.choice([o for o in offices if o.pk != office.pk])
        created = when(400)
        status = rng.choices(["accepted", "requested", "rejected", "done"], [6, 2, 1, 1])[0]
        ref = Referral(
            id=uuid.uuid4(),
            created=created,
            modified=created,
            created_by_id=users[(office.pk, "officer")],
            case_id=case_id,
            from_office=office,
            to_office=to,
            purpose="Seguimiento del caso por la oficina receptora.",
            status=status,
            override_reason="Bench: consentimiento verbal registrado en el expediente.",
            override_by_id=users[(office.pk, "supervisor")],
        )
        if status in ("accepted", "done"):
            ref.decided_by_id = users[(to.pk, "supervisor")]
            ref.decided_at = created
            grants.append(
                Grant(
                    id=uuid.uuid4(),
                    created=created,
                    modified=created,
                    office=to,
                    case_id=case_id,
                    person_id=person_id,
                    purpose="referral",
                    legal_basis=ref.override_reason,
                    source_type=Grant.Source.REFERRAL,
                    source_id=str(ref.id),
                    granted_by_id=ref.decided_by_id,
                    created_by_id=ref.decided_by_id,
                    granted_at=created,
                )
            )
        referrals.append(ref)
    copy_rows(Referral, referrals)
    copy_rows(Grant, grants)
    log(f"{len(referrals)} referrals, {len(grants)} grants")

    reqs: list[Any] = []
    req_keys: list[tuple[uuid.UUID, str]] = []
    for n in range(spec["requests"]):
        office = rng.choice(offices)
        src = gen.request_from(gen.family()[0], f"r{n}")
        created = when(600)
        tr = TracingRequest(
            id=uuid.uuid4(),
            created=created,
            modified=created,
            created_by_id=users[(office.pk, "officer")],
            reference=f"T-{office.country_id}-{n:07d}",
            office=office,
            status="open",
            requester_name="Familiar " + src["mother_name"],
            requester_relation="parent",
            requester_consent=True,
            given_names=src["given_names"],
            first_surname=src["first_surname"],
            second_surname=src["second_surname"],
            sex=src.get("sex") or "U",
            birth_date=src.get("birth_date", ""),
            birth_place=src.get("birth_place", ""),
            nationality_id=src.get("nationality") or None,
            mother_name=src.get("mother_name", ""),
        )
        rec = normalize_record(
            input_record(
                id=str(tr.id),
                given_names=tr.given_names,
                first_surname=tr.first_surname,
                second_surname=tr.second_surname,
                sex=tr.sex if tr.sex in ("F", "M") else "",
                birth_date=tr.birth_date,
                birth_place=tr.birth_place,
                nationality=tr.nationality_id or "",
                mother_name=tr.mother_name,
            )
        )
        tr.normalized = rec.to_dict()
        reqs.append(tr)
        req_keys.extend((tr.id, k[:64]) for k in request_keys(rec))
    copy_rows(TracingRequest, reqs)
    copy_plain(RequestKey._meta.db_table, ["request_id", "key"], req_keys)
    log(f"{len(reqs)} tracing requests")

    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_web_meta (spec text)")
        cur.execute("DELETE FROM bench_web_meta")
        cur.execute("INSERT INTO bench_web_meta VALUES (%s)", [json.dumps(spec)])
    with connection.cursor() as cur:
        connection.ensure_connection()
        old = connection.connection.autocommit
        connection.connection.autocommit = True
        cur.execute("VACUUM ANALYZE")
        connection.connection.autocommit = old
    log(f"loaded in {time.perf_counter() - started:.0f} s")


def db_size() -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_database_size(current_database())")
        return int(cur.fetchone()[0])


# ---------------------------------------------------------------- identities


def totp_code(device: Any) -> str:
    from django_otp.oath import TOTP

    return str(
        TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    ).zfill(device.digits)


def _ids(sql: str, args: list[Any]) -> list[str]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, args)
        return [str(r[0]) for r in cur.fetchall()]


def samples(role: str, office: Any) -> dict[str, list[str]]:
    """Record ids inside the identity's reach (its office's, or its country's for focal
    points): what its journeys open. check_samples keeps those it can actually open."""
    country = office.country_id
    focal = role in ("national_focal_point", "trafficking_focal_point")
    staff = role in ("officer", "supervisor")
    reach = (
        ("owner_office_id IN (SELECT id FROM accounts_office WHERE country_id=%s)", country)
        if focal
        else ("owner_office_id = %s", office.pk)
    )
    out: dict[str, list[str]] = {k: [] for k in SAMPLE_KEYS}
    if role in ROLES:
        out["cases"] = _ids(
            f"SELECT id FROM cases_case WHERE {reach[0]} "
            "AND case_type NOT IN ('gbv', 'possible_trafficking') LIMIT 50",
            [reach[1]],
        )
        out["people"] = _ids(
            f"SELECT person_id FROM cases_case WHERE {reach[0]} "
            "AND case_type NOT IN ('gbv', 'possible_trafficking') LIMIT 50",
            [reach[1]],
        )
        out["requests"] = _ids(
            "SELECT id FROM tracing_tracingrequest WHERE office_id = %s LIMIT 20", [office.pk]
        )
    if staff or role == "national_focal_point":
        out["returns"] = _ids(
            f"SELECT id FROM returns_return WHERE {reach[0]} LIMIT 20",
            [reach[1]],
        )
    if staff:
        out["rights"] = _ids(
            "SELECT id FROM privacy_rightsrequest WHERE office_id = %s LIMIT 20", [office.pk]
        )
        out["portal"] = _ids(
            "SELECT id FROM portal_publicrequest WHERE office_id = %s AND status <> 'closed' "
            "LIMIT 20",
            [office.pk],
        )
    if role == "trafficking_focal_point":
        out["trafficking"] = _ids(
            "SELECT id FROM trafficking_traffickingcase t WHERE owner_office_id IN "
            "(SELECT id FROM accounts_office WHERE country_id = %s) OR EXISTS (SELECT 1 FROM "
            "trafficking_routestop r WHERE r.case_id = t.id AND r.country_id = %s) LIMIT 20",
            [country, country],
        )
    elif role in ROLES:
        out["trafficking"] = _ids(
            f"SELECT id FROM trafficking_traffickingcase WHERE {reach[0]} LIMIT 20",
            [reach[1]],
        )
    if role == "association_rep":
        out["association"] = _ids(
            "SELECT id FROM diaspora_association WHERE office_id = %s", [office.pk]
        )
    return out


def probes(role: str, office: Any, rng: random.Random) -> list[list[str]]:
    """[name, kind, url] of records the identity must NOT see (expected: 404): another office's
    case and person (of its own country for office staff, of another country otherwise), another
    country's trafficking case (none on a route through its country), another office's return,
    rights request and request from the public. Records shared with its office or country
    (accepted referrals, hand-overs) are left out."""
    country = office.country_id
    focal = role in ("national_focal_point", "trafficking_focal_point")
    not_granted = (
        "NOT EXISTS (SELECT 1 FROM access_grant g JOIN accounts_office go ON go.id = g.office_id "
        "WHERE g.case_id = c.id AND go.country_id = %s)"
    )
    others = (
        "c.owner_office_id IN (SELECT id FROM accounts_office WHERE country_id <> %s)"
        if focal or role not in ROLES
        else "c.owner_office_id IN (SELECT id FROM accounts_office WHERE country_id = %s "
        "AND id <> %s)"
    )
    args: list[Any] = [country] if focal or role not in ROLES else [country, office.pk]
    out: list[list[str]] = []

    def add(name: str, kind: str, template: str, ids: list[str]) -> None:
        out.extend([name, kind, template.format(i)] for i in ids)

    rows = _ids(
        f"SELECT c.id FROM cases_case c WHERE {others} AND {not_granted} ORDER BY c.id LIMIT 5",
        [*args, country],
    )
    add("probe case (api)", "api", "/api/v1/cases/{}/", rows)
    add("probe case (page)", "page", "/cases/{}/", rows)
    people = _ids(
        f"SELECT c.person_id FROM cases_case c WHERE {others} AND {not_granted} "
        "AND NOT EXISTS (SELECT 1 FROM access_grant g JOIN accounts_office go ON "
        "go.id = g.office_id WHERE g.person_id = c.person_id AND go.country_id = %s) "
        "ORDER BY c.person_id LIMIT 5",
        [*args, country, country],
    )
    add("probe person (api)", "api", "/api/v1/people/{}/", people)
    trafficking = _ids(
        "SELECT t.id FROM trafficking_traffickingcase t WHERE owner_office_id IN "
        "(SELECT id FROM accounts_office WHERE country_id <> %s) AND NOT EXISTS (SELECT 1 FROM "
        "trafficking_routestop r WHERE r.case_id = t.id AND r.country_id = %s) "
        "ORDER BY t.id LIMIT 5",
        [country, country],
    )
    add("probe trafficking case (api)", "api", "/api/v1/trafficking-cases/{}/", trafficking)
    add("probe trafficking case (page)", "page", "/trafficking/{}/", trafficking)
    returns = _ids(
        f"SELECT c.id FROM returns_return c WHERE {others} "
        "AND (c.receiving_office_id IS NULL OR c.receiving_office_id NOT IN "
        "(SELECT id FROM accounts_office WHERE country_id = %s)) ORDER BY c.id LIMIT 5",
        [*args, country],
    )
    add("probe return (api)", "api", "/api/v1/returns/{}/", returns)
    add("probe return (page)", "page", "/returns/{}/", returns)
    rights = _ids(
        "SELECT id FROM privacy_rightsrequest WHERE office_id <> %s ORDER BY id LIMIT 5",
        [office.pk],
    )
    add("probe rights request (page)", "page", "/privacy/requests/{}/", rights)
    portal = _ids(
        "SELECT id FROM portal_publicrequest WHERE office_id <> %s ORDER BY id LIMIT 5",
        [office.pk],
    )
    add("probe public request (page)", "page", "/portal/triage/{}/", portal)
    if role == "association_rep":
        assoc = _ids(
            "SELECT id FROM diaspora_association WHERE office_id <> %s ORDER BY id LIMIT 5",
            [office.pk],
        )
        add("probe other association (page)", "page", "/diaspora/manage/{}/", assoc)
    rng.shuffle(out)
    return out


def public_samples() -> dict[str, Any]:
    """Ids every visitor may open: published practices, listed associations, forums, meetings
    and agenda items, corridors, municipalities with projects, portal follow-up codes."""
    from django.db import connection

    out = {
        "practices": _ids(
            "SELECT id FROM practices_practice WHERE status = 'published' ORDER BY id LIMIT 30",
            [],
        ),
        "associations": _ids(
            "SELECT id FROM diaspora_association WHERE listed ORDER BY id LIMIT 30", []
        ),
        "municipalities": _ids(
            "SELECT DISTINCT municipality_id FROM diaspora_project ORDER BY 1 LIMIT 20", []
        ),
        "forums": _ids("SELECT id FROM forums_forum ORDER BY id", []),
        "meetings": _ids("SELECT id FROM forums_meeting ORDER BY id LIMIT 20", []),
        "items": _ids("SELECT id FROM forums_agendaitem ORDER BY id LIMIT 30", []),
        "countries": COUNTRIES,
        "corridors": [[h, c] for h in ("US", "MX", "CR") for c in COUNTRIES if c != h],
    }
    with connection.cursor() as cur:
        cur.execute("SELECT reference, secret FROM bench_web_portal_codes")
        out["portal_codes"] = [list(r) for r in cur.fetchall()]
    return out


SAMPLE_KEYS = (
    "cases",
    "people",
    "requests",
    "returns",
    "rights",
    "portal",
    "trafficking",
    "association",
)


def prepare_identities(base: str, per_role: int, seed: int) -> dict[str, Any]:
    """Per role, a few users in different offices: API token (asked properly), page session,
    sample record ids each can see, ids of records it must not see (probes), search words."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from enlace.accounts.models import Membership

    rng = random.Random(seed)
    out: dict[str, list[dict[str, Any]]] = {}
    for role in IDENTITY_ROLES:
        members = list(
            Membership.objects.filter(role=role).select_related("user", "office").order_by("pk")
        )
        rng.shuffle(members)
        out[role] = []
        for m in members[:per_role]:
            user, office = m.user, m.office
            device = TOTPDevice.objects.get(user=user)
            body = json.dumps(
                {"username": user.username, "password": PASSWORD, "otp_token": totp_code(device)}
            ).encode()
            req = urllib.request.Request(
                f"{base}/api/v1/auth/token/",
                data=body,
                headers={"Content-Type": "application/json", "Accept": "application/json"},
            )
            with urllib.request.urlopen(req, timeout=60) as resp:
                token = json.loads(resp.read())["token"]
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.create()
            out[role].append(
                {
                    "user": user.username,
                    "country": office.country_id,
                    "token": token,
                    "session": session.session_key,
                    **samples(role, office),
                    "probes": probes(role, office, rng),
                    "words": SEARCH_WORDS,
                }
            )
    # Anonymous visitors probe what needs a log-in (expected: log-in page, 401/403 or 404).
    officer = out["officer"][0]
    anon_probes = [
        ["probe case (anonymous api)", "api", f"/api/v1/cases/{c}/"] for c in officer["cases"][:3]
    ] + [["probe case (anonymous page)", "page", f"/cases/{c}/"] for c in officer["cases"][:3]]
    return {
        "identities": out,
        "public": public_samples(),
        "anonymous_probes": anon_probes,
        "session_cookie": settings.SESSION_COOKIE_NAME,
    }


DETAIL_CHECKS = (  # sample key, URL template, through the API (token) or a page (session)
    ("cases", "/api/v1/cases/{}/", "api"),
    ("people", "/api/v1/people/{}/", "api"),
    ("requests", "/api/v1/tracing-requests/{}/", "api"),
    ("returns", "/api/v1/returns/{}/", "api"),
    ("rights", "/privacy/requests/{}/", "page"),
    ("portal", "/portal/triage/{}/", "page"),
    ("trafficking", "/api/v1/trafficking-cases/{}/", "api"),
    ("association", "/diaspora/manage/{}/", "page"),
)


def check_samples(base: str, config: dict[str, Any]) -> None:
    """Keep only sample ids the identity can actually open (the app's scope decides); count
    the probes that already answer 200 (the load test counts them again)."""
    for role, ids in config["identities"].items():
        for me in ids:
            api = {"Authorization": f"Token {me['token']}", "Accept": "application/json"}
            page = {"Cookie": f"{config['session_cookie']}={me['session']}"}
            for key, path, kind in DETAIL_CHECKS:
                kept = []
                for item in me[key][:12]:
                    status, _ = fetch(base + path.format(item), api if kind == "api" else page)
                    if status == 200:
                        kept.append(item)
                me[key] = kept
            log(
                f"{role} {me['user']}: "
                + ", ".join(f"{k} {len(me[k])}" for k, _p, _k in DETAIL_CHECKS)
                + f", probes {len(me['probes'])}"
            )


def probe_sweep(base: str, config: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Before the load: every identity asks once for one record of each kind it must not see
    (the first probe of each name), and the anonymous probes; per probe name, the answers by
    status. Any 200 is a cross-tenant 200 (the load test's probes are random and few)."""
    out: dict[str, dict[str, int]] = {}

    def ask(name: str, url: str, headers: dict[str, str]) -> None:
        status, _ms = fetch(base + url, headers, follow=False)
        row = out.setdefault(name, {})
        row[str(status)] = row.get(str(status), 0) + 1

    for ids in config["identities"].values():
        for me in ids:
            api = {"Authorization": f"Token {me['token']}", "Accept": "application/json"}
            page = {"Cookie": f"{config['session_cookie']}={me['session']}"}
            seen: set[str] = set()
            for name, kind, url in me["probes"]:
                if name not in seen:
                    seen.add(name)
                    ask(name, url, api if kind == "api" else page)
    for name, _kind, url in config["anonymous_probes"]:
        ask(name, url, {"Accept": "application/json"})
    return out


def print_probe_sweep(sweep: dict[str, dict[str, int]]) -> int:
    print("\n### Probe sweep (each identity once per kind, before the load)\n")
    print("| probe | requests | answers | 200s |")
    print("|---|---:|---|---:|")
    leaks = 0
    for name, statuses in sorted(sweep.items()):
        n = sum(statuses.values())
        ok = statuses.get("200", 0)
        leaks += ok
        answers = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))
        print(f"| {name} | {n} | {answers} | {ok} |")
    print(f"\nprobe sweep: {sum(sum(v.values()) for v in sweep.values())} requests, {leaks} × 200")
    return leaks


# ---------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "DATABASE_URL": url,
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on 127.0.0.1
            # As behind the reverse proxy of docs/operator.md: the client's address from the
            # header it writes (the load test's anonymous visitors each send their own).
            "ENLACE_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def start_gunicorn(url: str, port: int, workers: int, logfile: Path) -> subprocess.Popen[bytes]:
    gunicorn = Path(PY).with_name("gunicorn")
    cmd = [
        str(gunicorn),
        "config.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
        "--timeout",
        "30",
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
    ]
    out = open(logfile, "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=server_env(url), stdout=out, stderr=subprocess.STDOUT
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/about/", timeout=5)
            return proc
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {logfile}") from None
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer; see {logfile}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 302 itself is the answer (e.g. to the log-in page)


NO_REDIRECT = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, headers: dict[str, str], *, follow: bool = True) -> tuple[int, float]:
    t0 = time.perf_counter()
    try:
        request = urllib.request.Request(url, headers=headers)
        opened = (
            urllib.request.urlopen(request, timeout=120)
            if follow
            else NO_REDIRECT.open(request, timeout=120)
        )
        with opened as resp:
            resp.read()
            status = resp.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, TimeoutError):
        status = 0
    return status, (time.perf_counter() - t0) * 1000


# ---------------------------------------------------------------- measurements


def run_locust(base: str, config_file: Path, users: int, duration: int, work: Path) -> dict:
    prefix = work / f"locust_{users}"
    cmd = [
        # locust is the `bench` extra (pyproject.toml); BENCH_LOCUST_PYTHON: another Python
        # that has it (its own virtualenv), leaving the project's environment as it is.
        os.environ.get("BENCH_LOCUST_PYTHON") or PY,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "web_locust.py"),
        "--headless",
        "--host",
        base,
        "-u",
        str(users),
        "-r",
        str(max(1, users // 5)),
        "-t",
        f"{duration}s",
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
    ]
    env = dict(os.environ, BENCH_WEB_CONFIG=str(config_file))
    with open(f"{prefix}.log", "wb") as out:
        subprocess.run(cmd, env=env, timeout=duration + 120, stdout=out, stderr=out, check=False)
    rows: dict[str, dict[str, Any]] = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows[r["Name"]] = {
                "n": int(r["Request Count"]),
                "fail": int(r["Failure Count"]),
                "p50": float(r["50%"] or 0),
                "p95": float(r["95%"] or 0),
                "p99": float(r["99%"] or 0),
                "rps": float(r["Requests/s"] or 0),
            }
    leaks, errors = 0, []
    with open(f"{prefix}_failures.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            n = int(r["Occurrences"])
            if CROSS_TENANT in r["Error"]:
                leaks += n
            errors.append(f"{r['Name']}: {r['Error']} × {n}")
    rows.setdefault("Aggregated", {})["cross_tenant_200"] = leaks
    rows["Aggregated"]["errors"] = errors
    return rows


CROSS_TENANT = "cross-tenant 200"


def print_load_table(users: int, rows: dict[str, dict[str, Any]]) -> tuple[float, str]:
    """The table of one run, endpoints in name order (probes last), then the totals against
    the targets; returns the worst p95 ratio (probes left out: they answer a short 404) and
    the endpoint it is for."""
    me = rows.get("api me", {}).get("p95") or float("nan")
    print(f"\n### {users} users\n")
    print("| endpoint | requests | failures | p50 ms | p95 ms | p99 ms | req/s | p95 / me |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    worst, worst_name = 0.0, ""
    for name, r in sorted(
        rows.items(), key=lambda kv: (kv[0] == "Aggregated", kv[0].startswith("probe"), kv[0])
    ):
        ratio = r["p95"] / me if me else float("nan")
        if name != "Aggregated" and not name.startswith("probe") and ratio > worst:
            worst, worst_name = ratio, name
        print(
            f"| {name} | {r['n']} | {r['fail']} | {r['p50']:.0f} | {r['p95']:.0f} | "
            f"{r['p99']:.0f} | {r['rps']:.1f} | {ratio:.1f}× |"
        )
    agg = rows.get("Aggregated", {})
    probes_n = sum(r["n"] for name, r in rows.items() if name.startswith("probe"))
    leaks = agg.get("cross_tenant_200", 0)
    print("\n| total | result | target | met |")
    print("|---|---:|---|---|")
    print(
        f"| errors (failed requests, probes included) | {agg.get('fail', 0)} | 0 | "
        f"{'yes' if not agg.get('fail') else '**no**'} |"
    )
    print(
        f"| cross-tenant 200s (of {probes_n} probes) | {leaks} | 0 | "
        f"{'yes' if not leaks else '**no**'} |"
    )
    print(
        f"| worst p95 / me p95 | {worst:.1f}× ({worst_name}) | ≤ 3× | "
        f"{'yes' if worst <= 3 else '**no**'} |"
    )
    print(f"| requests/s | {agg.get('rps', 0):.1f} | | |")
    for line in agg.get("errors", [])[:20]:
        print(f"\nfailure: {line}")
    return worst, worst_name


def single_requests(base: str, config: dict[str, Any], repeat: int) -> dict[str, float]:
    """Median of `repeat` sequential requests per endpoint, by one officer (unloaded)."""
    me = config["identities"]["officer"][0]
    medians = {}
    for name, (kind, template) in ENDPOINTS.items():
        headers = (
            {"Authorization": f"Token {me['token']}", "Accept": "application/json"}
            if kind == "api"
            else {"Cookie": f"{config['session_cookie']}={me['session']}"}
        )
        times = []
        for i in range(repeat):
            url = template.format(
                word=SEARCH_WORDS[i % len(SEARCH_WORDS)],
                case=(me["cases"] or ["-"])[i % max(1, len(me["cases"]))],
                person=(me["people"] or ["-"])[i % max(1, len(me["people"]))],
                request=(me["requests"] or ["-"])[i % max(1, len(me["requests"]))],
            )
            status, ms = fetch(base + url, headers)
            if status == 200:
                times.append(ms)
        medians[name] = statistics.median(times) if times else float("nan")
    return medians


QUERY_COUNTER = r"""
import json, os, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
conf = json.loads(sys.argv[1])
client = Client(HTTP_HOST="127.0.0.1")
out = {}
for name, (kind, url, cred) in conf.items():
    headers = {"HTTP_AUTHORIZATION": "Token " + cred} if kind == "api" else {}
    if kind == "page":
        client.cookies["SESSION_COOKIE"] = cred
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, **headers)
    out[name] = [r.status_code, len(ctx.captured_queries)]
print(json.dumps(out))
"""


def query_counts(url: str, config: dict[str, Any]) -> dict[str, list[int]]:
    """The same requests through Django's test client in a separate process (production
    settings, same database), counting queries."""
    me = config["identities"]["officer"][0]
    conf = {}
    for name, (kind, template) in ENDPOINTS.items():
        path = template.format(
            word=SEARCH_WORDS[0],
            case=(me["cases"] or ["-"])[0],
            person=(me["people"] or ["-"])[0],
            request=(me["requests"] or ["-"])[0],
        )
        conf[name] = (kind, path, me["token"] if kind == "api" else me["session"])
    script = QUERY_COUNTER.replace("SESSION_COOKIE", config["session_cookie"])
    env = server_env(url)
    try:
        done = subprocess.run(
            [PY, "-c", script, json.dumps(conf)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (subprocess.SubprocessError, json.JSONDecodeError, IndexError) as exc:
        log(f"query counts failed: {exc}")
        return {}


EXPORT = r"""
import json, os, sys, threading, time
import django
django.setup()
PAGE = os.sysconf("SC_PAGE_SIZE")
def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 2**20
peak = [0.0]
running = [True]
def sample():  # the resident set every 20 ms while the job runs
    while running[0]:
        peak[0] = max(peak[0], rss_mib())
        time.sleep(0.02)
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from enlace.accounts.models import Membership
from enlace.core.jobs import run_job
from enlace.core.models import Job
office_id, fmt = sys.argv[1], sys.argv[2]
m = Membership.objects.select_related("user", "office").get(office_id=office_id, role="officer")
job = Job.objects.create(kind="case_export", office=m.office, created_by=m.user)
rss_before = rss_mib()
sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
t0 = time.perf_counter()
with CaptureQueriesContext(connection) as ctx:
    run_job.call(str(job.pk), {"params": {"format": [fmt]}, "language": "es"})
seconds = time.perf_counter() - t0
running[0] = False
sampler.join()
rss_peak = max(peak[0], rss_mib())
job.refresh_from_db()
name = job.result.get("file")
size = default_storage.size(name) if name else 0
if name:
    default_storage.delete(name)
print(json.dumps({"status": job.status, "seconds": seconds, "rows": job.result.get("rows"),
                  "queries": len(ctx.captured_queries), "chunks": -(-job.progress_done // 1000),
                  "peak_mib": rss_peak, "growth_mib": rss_peak - rss_before,
                  "file_mib": size / 2**20, "message": job.message}))
"""


FORMATS = ("csv", "xlsx")


def export_largest(url: str, timeout: int, fmt: str = "csv") -> dict[str, Any]:
    """The case export job (what POST /cases/export/ and POST /api/v1/cases/export/ start) for the
    officer of the office with the most cases, run in a fresh process with production settings
    as the task worker runs it: time, rows, queries, and memory as the process's resident set
    (the whole process, Django loaded) sampled every 20 ms during the job: its peak and its
    growth over the resident set before the job. (Not ru_maxrss: Linux keeps it across exec, so
    the child would report the peak of this process, which holds the loaded volume.)"""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT owner_office_id, count(*) FROM cases_case GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
        )
        office_id, n = cur.fetchone()
    log(f"export ({fmt}): office with {n} cases")
    try:
        done = subprocess.run(
            [PY, "-c", EXPORT, str(office_id), fmt],
            cwd=ROOT,
            env={**server_env(url), "ENLACE_EXPORT_CHUNK_SIZE": "1000"},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        result = {"status": "timeout", "seconds": timeout}
    except (subprocess.SubprocessError, json.JSONDecodeError, IndexError) as exc:
        err = getattr(exc, "stderr", "") or ""
        result = {"status": f"error: {str(exc)[:200]} {err[-300:]}"}
    result["office_cases"] = n
    return result


def export_row(fmt: str, exp: dict[str, Any]) -> str:
    secs = exp.get("seconds")
    return (
        f"| case export job ({fmt}), officer of the largest office ({exp['office_cases']} cases)"
        f" | {exp.get('status')}, "
        + (f"{secs:.1f} s" if isinstance(secs, float) else f"{secs} s")
        + (
            f", {exp['rows']} rows, {exp['queries']} queries, peak RSS during the job "
            f"{exp['peak_mib']:.0f} MiB (+{exp['growth_mib']:.0f} MiB over before it), "
            f"file {exp['file_mib']:.1f} MiB |"
            if exp.get("rows") is not None
            else " |"
        )
    )


def relink(url: str, timeout: int) -> dict[str, Any]:
    """`enlace relink` (manage.py relink) twice, database size before and after each."""
    out: dict[str, Any] = {"size_before_mib": db_size() / 2**20, "runs": []}
    for _ in range(2):
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [PY, "manage.py", "relink"],
            cwd=ROOT,
            env=server_env(url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        result = ""
        try:
            outb, err = proc.communicate(timeout=timeout)
            status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}"
            result = (outb.decode().strip().splitlines() or [""])[-1][:600]
            if proc.returncode:
                log(err.decode()[-500:])
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
            status = "timeout"
        out["runs"].append(
            {
                "status": status,
                "seconds": time.perf_counter() - t0,
                "size_mib": db_size() / 2**20,
                "result": result,
            }
        )
        if status != "ok":
            break
    return out


def print_relink(rl: dict[str, Any]) -> None:
    """Table rows for the relink runs: time, size after, and what each run did."""
    print(f"| database size before relink | {rl['size_before_mib']:.0f} MiB |")
    for i, run in enumerate(rl["runs"], 1):
        print(
            f"| relink {i} | {run['status']}, {run['seconds']:.0f} s, "
            f"database {run['size_mib']:.0f} MiB |"
        )
        if run.get("result"):
            print(f"| relink {i} result | {run['result']} |")


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--users", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--duration", type=int, default=60, help="seconds per locust run")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=20, help="single requests per endpoint")
    parser.add_argument("--reload", action="store_true", help="drop and load even if cached")
    parser.add_argument("--export-timeout", type=int, default=120)
    parser.add_argument("--relink-timeout", type=int, default=600)
    parser.add_argument("--skip-relink", action="store_true")
    parser.add_argument(
        "--only-relink",
        action="store_true",
        help="load if needed, then only the relink (no server, load test or export)",
    )
    parser.add_argument("--only-load", action="store_true", help="load what is missing, then stop")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    # One working directory per database: two runs on different databases do not mix files.
    work = ROOT / "var" / "bench_web" / args.database_url.rpartition("/")[2]
    work.mkdir(parents=True, exist_ok=True)

    spec = sizes(args.people, args.cases)
    setup_django(args.database_url)
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        cached = loaded_sizes()
    except OperationalError:
        cached = None
    if args.reload or cached != spec:
        connection.close()
        name = args.database_url.rpartition("/")[2]
        log(f"(re)creating database {name} for {spec}")
        admin_exec(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin_exec(args.database_url, f'CREATE DATABASE "{name}"')
        load(args.people, args.cases, args.seed)
    else:
        log(f"database already holds {spec}: not reloading (--reload to force)")
        from django.core.management import call_command

        call_command("migrate", "--noinput", verbosity=0)  # the code may have moved on
    mods = modules()
    module_spec = mods.module_sizes(args.people, args.cases)
    if args.reload or cached != spec or mods.loaded_module_sizes() != module_spec:
        log(f"loading the other modules' records: {module_spec}")
        t0, cpu0 = time.perf_counter(), time.process_time()
        counts = load_modules(args.database_url, args.people, args.cases, args.seed)
        log(
            f"modules: {time.perf_counter() - t0:.0f} s wall, "
            f"{time.process_time() - cpu0:.0f} s CPU of this process: {counts}"
        )
    else:
        log(f"database already holds the modules' records {module_spec}")
    connection.close()
    if args.only_load:
        return
    if args.only_relink:
        print(f"\n## Relink: {spec}\n")
        print_relink(relink(args.database_url, args.relink_timeout))
        return

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(args.database_url, port, args.workers, work / "gunicorn.log")
    worst, worst_name, errors, leaks, rps50 = 0.0, "", 0, 0, 0.0
    try:
        config = prepare_identities(base, per_role=3, seed=args.seed)
        check_samples(base, config)
        config_file = work / "locust_config.json"
        config_file.write_text(json.dumps(config))
        print(f"\n## Web at national scale: {spec}, gunicorn {args.workers} workers\n")
        log("probe sweep")
        leaks += print_probe_sweep(probe_sweep(base, config))
        for users in args.users:
            log(f"locust {users} users for {args.duration} s")
            rows = run_locust(base, config_file, users, args.duration, work)
            ratio, name = print_load_table(users, rows)
            if ratio > worst:
                worst, worst_name = ratio, name
            agg = rows.get("Aggregated", {})
            errors += int(agg.get("fail", 0))
            leaks += int(agg.get("cross_tenant_200", 0))
            rps50 = agg.get("rps", 0.0)
        log("single requests")
        medians = single_requests(base, config, args.repeat)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
    counts = query_counts(args.database_url, config)
    me = medians.get("api me") or float("nan")
    print("\n### Single requests (officer, unloaded)\n")
    print(f"| endpoint | median ms of {args.repeat} | / me | queries |")
    print("|---|---:|---:|---:|")
    for name, ms in medians.items():
        q = counts.get(name, ["?", "?"])
        print(f"| {name} | {ms:.1f} | {ms / me:.1f}× | {q[1]} (HTTP {q[0]}) |")

    print("\n### Export and relink\n")
    print("| measure | result |")
    print("|---|---|")
    if not args.skip_export:
        log("export")
        for fmt in FORMATS:
            print(export_row(fmt, export_largest(args.database_url, args.export_timeout, fmt)))
    if not args.skip_relink:
        log("relink")
        setup_django(args.database_url)
        print_relink(relink(args.database_url, args.relink_timeout))
    print(
        f"\nworst_p95_ratio={worst:.1f} ({worst_name}) errors={errors} "
        f"cross_tenant_200={leaks} rps={rps50:.1f}"
    )


if __name__ == "__main__":
    main()
