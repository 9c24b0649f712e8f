"""Online matching latency inside the application: one new tracing request against a registry
of N persons stored in Enlace's own tables (people_person, people_personindex, people_personkey),
on SQLite (default) or PostgreSQL (--database-url).

    .venv/bin/python bench/tracing_online.py --sizes 100000 1000000
    .venv/bin/python bench/tracing_online.py --sizes 100000 1000000 \
        --database-url postgres://postgres@127.0.0.1:5432/enlace_bench

For each size it times `enlace.people.matching.person_candidates(..., sought=True)` and the
active scorer's ranking (what a tracing request runs, `tracing.services.request_match`: key
lookup with a thin request's wide keys, candidate fetch, scoring) and, side by side as the
reference, the same lookup as one hand-written SQL statement through the same connection, then
scoring; it prints p50/p95 and the ratio. Target (issue 4): p95 <= 100 ms at 1M persons.
"""

import argparse
import gc
import importlib.util
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load_generator():  # the Latin-names generator of bench/linkage.py, with known truth
    spec = importlib.util.spec_from_file_location("bench_linkage", ROOT / "bench" / "linkage.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules["bench_linkage"] = module
    spec.loader.exec_module(module)
    return module.make_latin


def setup_django(database_url: str | None, work: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["ENLACE_VAR_DIR"] = str(work)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def build(size: int, registry, requests, model_json) -> tuple[float, dict[str, str]]:
    from django.core.management import call_command
    from django.db import connection

    from enlace.accounts.models import Office
    from enlace.core.text import fold
    from enlace.linkage import normalize_record, registry_keys
    from enlace.people.models import LinkageModel, Person, PersonIndex, PersonKey

    call_command("migrate", "--noinput", verbosity=0)
    if connection.vendor == "sqlite":  # a throw-away bench database: no fsync while loading
        with connection.cursor() as cur:
            cur.execute("PRAGMA synchronous = OFF")
    tables = [PersonKey, PersonIndex, Person.nationalities.through, Person, LinkageModel, Office]
    from enlace.audit.immutability import audit_purge

    # Start from an empty registry; reference data stays. TRUNCATE … CASCADE reaches the audit
    # tables (they refer to offices), which only audit_purge() may empty.
    with audit_purge(), connection.cursor() as cur:
        for model in tables:
            table = model._meta.db_table
            if connection.vendor == "postgresql":
                cur.execute(f"TRUNCATE {table} CASCADE")
            else:
                cur.execute(f"DELETE FROM {table}")
    office = Office.objects.create(
        name="Bench shelter",
        kind="shelter",
        country_id="MX",
        host_country_id="MX",
        city="Tapachula",
    )
    LinkageModel.objects.create(model=model_json, records=size, is_active=True)
    started = time.perf_counter()
    batch_p, batch_i, batch_k = [], [], []
    ids: dict[str, str] = {}

    def flush() -> None:
        Person.objects.bulk_create(batch_p, batch_size=2000)
        PersonIndex.objects.bulk_create(batch_i, batch_size=5000)
        with connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {PersonKey._meta.db_table} (person_id, key) VALUES (%s, %s)",
                batch_k,
            )
        batch_p.clear(), batch_i.clear(), batch_k.clear()

    for raw in registry:
        pk = uuid.uuid4()
        ids[raw["id"]] = str(pk)
        rec = normalize_record({**raw, "id": str(pk)})
        batch_p.append(
            Person(
                id=pk,
                owner_office=office,
                given_names=raw["given_names"],
                first_surname=raw["first_surname"],
                second_surname=raw["second_surname"],
                sex=raw.get("sex") or "U",
                birth_place=raw.get("birth_place", ""),
                mother_name=raw.get("mother_name", ""),
                search_text=fold(f"{raw['given_names']} {raw['first_surname']}"),
            )
        )
        batch_i.append(PersonIndex(person_id=pk, normalized=rec.to_dict()))
        pk_db = pk.hex if connection.vendor == "sqlite" else pk
        batch_k.extend((pk_db, k[:64]) for k in registry_keys(rec))
        if len(batch_p) >= 20_000:
            flush()
    flush()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return time.perf_counter() - started, ids


def measure(requests, truth_ids) -> dict[str, float]:
    from django.db import connection
    from django.db.models import Q

    from enlace.linkage import NormalizedRecord, normalize_record, request_keys
    from enlace.people.matching import active_scorer, lookup_keys, person_candidates
    from enlace.people.models import PersonIndex, PersonKey

    searchable = Q(searchable=True)  # what request_match uses
    scorer = active_scorer()
    app, ref, cands = [], [], []
    hits = total = 0
    for n, raw in enumerate(requests):
        rec = normalize_record(raw)
        # Alternate which path goes first: the second one finds the candidates' pages already
        # in the OS cache, which on a 1M registry is most of the difference.
        order = ("app", "ref") if n % 2 == 0 else ("ref", "app")
        for path in order:
            t0 = time.perf_counter()
            if path == "app":
                found_app = person_candidates(rec, where=searchable, sought=True)
                best = scorer.rank(rec, found_app, top=10)
                app.append((time.perf_counter() - t0) * 1000)
                continue
            # A thin request's wide keys: one count query first (as person_candidates).
            keys = sorted(lookup_keys(request_keys(rec))) or [""]  # no empty IN () on PostgreSQL
            marks = ",".join(["%s"] * len(keys))
            with connection.cursor() as cur:
                cur.execute(
                    f"SELECT normalized FROM {PersonIndex._meta.db_table} WHERE person_id IN "
                    f"(SELECT person_id FROM {PersonKey._meta.db_table} WHERE key IN ({marks}))",
                    keys,
                )
                rows = [r[0] for r in cur.fetchall()]
            found = [
                NormalizedRecord.from_dict(json.loads(r) if isinstance(r, str) else r) for r in rows
            ]
            scorer.rank(rec, found, top=10)
            ref.append((time.perf_counter() - t0) * 1000)
        cands.append(len(found))
        true_id = truth_ids.get(raw["id"])
        if true_id is not None:
            total += 1
            hits += true_id in {m.candidate_id for m in best}
    app.sort(), ref.sort(), cands.sort()

    def p95(xs):
        return xs[int(0.95 * (len(xs) - 1))]

    return {
        "app_p50": statistics.median(app),
        "app_p95": p95(app),
        "ref_p50": statistics.median(ref),
        "ref_p95": p95(ref),
        "cands_mean": statistics.mean(cands),
        "cands_p95": p95(cands),
        "recall10": hits / total if total else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a registry of the same size already loaded (recall is then "
        "not measured: the ids of the earlier load are not kept)",
    )
    args = parser.parse_args()
    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    setup_django(args.database_url, work)
    from django.db import connection

    from enlace.linkage.model import train

    make_latin = load_generator()
    backend = connection.vendor
    rows = []
    for size in args.sizes:
        registry, requests, truth = make_latin(size, args.queries, args.seed + size)
        model = train(requests, registry[:50_000])
        from django.core.management import call_command

        from enlace.people.models import PersonIndex

        call_command("migrate", "--noinput", verbosity=0)
        if args.reuse and PersonIndex.objects.count() == size:
            seconds, ext = float("nan"), {}
        else:
            seconds, ext = build(size, registry, requests, model)
        # The truth maps request -> registry id; the app stores its own UUIDs.
        truth_ids = {r: ext.get(t) for r, t in truth.items()}
        # The bench holds the generated registry (millions of objects) in memory, which a web
        # process does not: keep the garbage collector from walking it during the timings.
        del registry
        gc.collect()
        gc.freeze()
        result = measure(requests, truth_ids)
        gc.unfreeze()
        rows.append((size, seconds, result))
        print(f"{backend} {size:,}: {result}", flush=True)
    print()
    print(f"Online matching in the app ({backend}), {args.queries} requests per size")
    print()
    print(
        "| persons | build s | mean cands | p95 cands | app p50 ms | app p95 ms | "
        "raw-SQL p50 ms | raw-SQL p95 ms | app/raw p95 | recall@10 |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, seconds, r in rows:
        print(
            f"| {size:,} | {seconds:.0f} | {r['cands_mean']:.0f} | {r['cands_p95']} | "
            f"{r['app_p50']:.1f} | {r['app_p95']:.1f} | {r['ref_p50']:.1f} | "
            f"{r['ref_p95']:.1f} | {r['app_p95'] / r['ref_p95']:.2f} | {r['recall10']:.4f} |"
        )


if __name__ == "__main__":
    main()
