"""Remittance prices at scale (issue 14): import 100,000 quotes through the app's provider-level
RPW importer, then time the comparison of one corridor through the app (selector, public API
and, when the remittance pages exist, the public page) against the same ranking done by one
plain SQL query in the same run.

    PYTHONPATH=$PWD .venv/bin/python bench/remittances.py                 # 100k quotes, SQLite
    PYTHONPATH=$PWD .venv/bin/python bench/remittances.py --rows 20000    # a quick look
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/enlace_bench_remit \\
        PYTHONPATH=$PWD .venv/bin/python bench/remittances.py              # on PostgreSQL

Data: a generated provider-level RPW CSV (the dataset's columns, two quotes per row: cc1 at
USD 200, cc2 at USD 500) over 10 sending × 20 receiving countries, 25 providers per corridor
and as many quarters as the row count needs. The remittance tables are emptied first.

Targets: import >= 5,000 quotes/s; comparison p95 <= 3x the plain query's p95 and < 100 ms.
Ratios, not absolute times, are the point: the machine is shared.
"""

import argparse
import csv
import html
import io
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SENDING = ["USA", "ESP", "CAN", "ITA", "GBR", "DEU", "FRA", "CHL", "CRI", "DOM"]
RECEIVING = [
    "MEX", "GTM", "HND", "SLV", "NIC", "COL", "ECU", "PER", "BOL", "HTI",
    "JAM", "VEN", "PRY", "BRA", "ARG", "URY", "PAN", "CUB", "GUY", "SUR",
]  # fmt: skip
PROVIDERS_PER_CORRIDOR = 25
SPEEDS = ["Less than one hour", "Same day", "Next day", "2-5 days", "6 days or more"]
KINDS = ["Money Transfer Operator", "Bank", "Post office", "Mobile operator", "Fintech"]
HEADER = [
    "id", "period", "date", "source_code", "destination_code", "firm", "firm_type",
    "speed actual", "payment instrument", "pickup method", "cc1 lcu amount",
    "cc1 denomination amount", "cc1 lcu code", "cc1 lcu fee", "cc1 lcu fx rate", "cc1 fx margin",
    "cc1 total cost %", "cc2 lcu amount", "cc2 denomination amount", "cc2 lcu code",
    "cc2 lcu fee", "cc2 lcu fx rate", "cc2 fx margin", "cc2 total cost %", "inter lcu bank fx",
    "transparent",
]  # fmt: skip
CURRENCY = {
    "USA": "USD", "ESP": "EUR", "CAN": "CAD", "ITA": "EUR", "GBR": "GBP", "DEU": "EUR",
    "FRA": "EUR", "CHL": "CLP", "CRI": "CRC", "DOM": "DOP",
}  # fmt: skip


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except OSError:
        mem = 0.0
    load = os.getloadavg()[0]
    return (
        f"nproc {os.cpu_count()}, CPU {cpu}, RAM {mem:.1f} GiB, Python "
        f"{platform.python_version()}, load average {load:.1f} at the start"
    )


def generate(quotes: int, seed: int) -> tuple[bytes, int]:
    """A provider-level RPW CSV with `quotes` quotes (two per row); returns (bytes, rows)."""
    rng = random.Random(seed)
    corridors = [(s, r) for s in SENDING for r in RECEIVING]
    rows_needed = quotes // 2
    per_quarter = len(corridors) * PROVIDERS_PER_CORRIDOR
    quarters = max(1, -(-rows_needed // per_quarter))
    firms = [f"Bench Remesas {i:03d}" for i in range(300)]
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(HEADER)
    n = 0
    for q in range(quarters):
        year, quarter = 2026 - quarters // 4 + (q // 4) - 1, q % 4 + 1
        for s, r in corridors:
            corridor_rng = random.Random(f"{s}{r}")
            names = corridor_rng.sample(firms, PROVIDERS_PER_CORRIDOR)
            interbank = round(corridor_rng.uniform(0.5, 40), 4)
            for firm in names:
                if n >= rows_needed:
                    break
                n += 1
                amount = (
                    200 if CURRENCY[s] == "USD" else round(200 * corridor_rng.uniform(0.8, 1.2))
                )
                fee1 = round(rng.uniform(0, 15), 2)
                fee2 = round(fee1 * rng.uniform(1, 2), 2)
                rate1 = round(interbank * (1 - rng.uniform(-0.005, 0.05)), 6)
                rate2 = round(interbank * (1 - rng.uniform(-0.005, 0.04)), 6)
                w.writerow([
                    n, f"{year}_{quarter}Q",
                    f"{year}-{3 * quarter - 1:02d}-{rng.randint(1, 28):02d}",
                    s, r, firm, KINDS[hash(firm) % len(KINDS)], rng.choice(SPEEDS),
                    rng.choice(["Cash", "Bank account", "Debit card"]),
                    rng.choice(["Cash pick-up", "Bank account", "Mobile wallet"]),
                    amount, 200, CURRENCY[s], fee1, rate1, "", "",
                    amount * 5 // 2, 500, CURRENCY[s], fee2, rate2, "", "",
                    interbank, rng.choice(["yes", "Yes", "no"]),
                ])  # fmt: skip
    return out.getvalue().encode(), n


def setup_django(work: Path) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["ENLACE_VAR_DIR"] = str(work)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'bench.sqlite3'}")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "--noinput", verbosity=0)
    return connection.vendor


def wipe() -> None:
    from enlace.remittances.models import Corridor, CorridorQuarter, Provider, Quote

    for model in (Quote, CorridorQuarter, Corridor, Provider):
        model.objects.all().delete()


PLAIN_SQL = """
SELECT p.name, q.fee, q.amount, q.applied_rate, q.interbank_rate, q.speed, q.transparent,
       q.collected_on, (q.amount - q.fee) * q.applied_rate AS received
FROM (
    SELECT q.*, ROW_NUMBER() OVER (
        PARTITION BY q.provider_id, q.usd_band
        ORDER BY q.collected_on DESC, (q.amount - q.fee) * q.applied_rate DESC, q.id
    ) AS rn
    FROM remittances_quote q
    JOIN remittances_corridor c ON c.id = q.corridor_id
    WHERE c.sending_id = %s AND c.receiving_id = %s
) q
JOIN remittances_provider p ON p.id = q.provider_id
WHERE q.rn = 1 AND q.usd_band = 200
ORDER BY received DESC, p.name
"""


SQL_MS: list[tuple[str, float]] = []  # (SQL, ms) of the queries run by the current call
COUNTS: dict[int, int] = {}  # id of a `sql` list → queries in its last call
RANKING = "ROW_NUMBER() OVER"  # the ranking query (the app's and the plain one) says this


def sql_clock(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    """A connection.execute_wrapper: adds each query's time to SQL_MS."""
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        SQL_MS.append((sql, (time.perf_counter() - start) * 1000))


def timed(
    fn: Callable[[], Any],
    repeats: int,
    sql: list[float] | None = None,
    ranking: list[float] | None = None,
) -> tuple[list[float], Any]:
    """Time `fn` `repeats` times (after one warm call); with `sql`, also append to it the time
    each call spent in the database (the sum of its queries' times), and to `ranking` the time
    of its ranking query alone."""
    fn()  # warm
    times, result = [], None
    for _ in range(repeats):
        SQL_MS.clear()
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
        if sql is not None:
            sql.append(sum(ms for _sql, ms in SQL_MS))
            COUNTS[id(sql)] = len(SQL_MS)
        if ranking is not None:
            ranking.append(sum(ms for text, ms in SQL_MS if RANKING in text))
    return times, result


def p(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="quotes to import")
    parser.add_argument("--repeats", type=int, default=200, help="comparisons timed per way")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--workdir")
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="enlace_bench_remit_"))
    vendor = setup_django(work)
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import Resolver404, resolve

    from enlace.remittances import selectors
    from enlace.remittances.importers import import_provider_quotes
    from enlace.remittances.models import Quote

    print(f"machine: {machine()}\ndatabase: {vendor}\ncommand: {' '.join(sys.argv)}\n")
    wipe()
    start = time.perf_counter()
    raw, file_rows = generate(args.rows, args.seed)
    made = time.perf_counter() - start
    start = time.perf_counter()
    parsed = sum(1 for _row in csv.reader(io.StringIO(raw.decode("utf-8"))))
    floor = time.perf_counter() - start  # reading the CSV alone: the machine's speed today
    start = time.perf_counter()
    report = import_provider_quotes(raw, file_name="bench.csv")
    seconds = time.perf_counter() - start
    if not report.imported:
        raise SystemExit(f"the import failed: {report.as_dict()['errors'][:5] or report.refused}")
    quotes = Quote.objects.count()
    start = time.perf_counter()
    again = import_provider_quotes(raw, file_name="bench.csv")
    again_seconds = time.perf_counter() - start

    sending, receiving = "US", "GT"
    setup_test_environment()  # the test client's host is allowed; nothing else changes
    client = Client()
    api_url = f"/api/v1/remittances/compare/?from={sending}&to={receiving}&amount=200"
    page_url = f"/remittances/?from={sending}&to={receiving}&amount=200"
    try:
        resolve("/remittances/")
        has_page = True
    except Resolver404:
        has_page = False

    def app_selector() -> list[str]:
        return [r.provider for r in selectors.compare(sending, receiving, None).rows]

    def api() -> Any:
        cache.clear()  # the public rate limit counts in the cache: not what is timed
        response = client.get(api_url)
        assert response.status_code == 200, response.status_code
        return [r["provider"] for r in response.json()["results"]]

    def page() -> Any:
        cache.clear()
        response = client.get(page_url)
        assert response.status_code == 200, response.status_code
        return re.findall(r'<strong class="provider">([^<]+)</strong>', response.content.decode())

    def plain() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(PLAIN_SQL, [sending, receiving])
            return [row[0] for row in cursor.fetchall()]

    # The queries' own time inside each call: what the comparison costs the database through
    # the app, beside the whole request (which adds Django, DRF and template rendering).
    api_sql: list[float] = []
    page_sql: list[float] = []
    sel_sql: list[float] = []
    api_rq: list[float] = []
    page_rq: list[float] = []
    with connection.execute_wrapper(sql_clock):
        plain_times, plain_rank = timed(plain, args.repeats)
        sel_times, sel_rank = timed(app_selector, args.repeats, sel_sql)
        api_times, api_rank = timed(api, args.repeats, api_sql, api_rq)
        page_rank = plain_rank
        if has_page:
            page_times, page_rank = timed(page, args.repeats, page_sql, page_rq)
    ways = [("plain SQL (one query)", plain_times), ("app selector compare()", sel_times)]
    ways.append(("public API GET /api/v1/remittances/compare/", api_times))
    if has_page:
        ways.append(("public page GET /remittances/?from=…", page_times))
    query_ways = [("app selector compare(): its queries", sel_sql)]
    query_ways.append(("public API: every query of one request", api_sql))
    query_ways.append(("public API: its ranking query", api_rq))
    if has_page:
        query_ways.append(("public page: every query of one request", page_sql))
        query_ways.append(("public page: its ranking query", page_rq))
    ranking_ways = [t for name, t in query_ways if name.endswith("ranking query")]
    same = plain_rank == sel_rank == api_rank == [html.unescape(n) for n in page_rank]
    base = p(plain_times, 0.95)
    rate = quotes / seconds
    lines = [
        f"Import: {file_rows:,} provider-level rows (CSV, generated in {made:.1f} s) → "
        f"{report.created:,} quotes in {seconds:.1f} s = {rate:,.0f} quotes/s "
        f"(target >= 5,000: {'met' if rate >= 5000 else 'NOT met'}); re-import (all unchanged, "
        f"{again.unchanged:,}) {again_seconds:.1f} s; {quotes:,} quotes stored; "
        f"{file_rows / seconds:,.0f} file rows/s; csv.reader alone reads the {parsed - 1:,} "
        f"rows in {floor:.2f} s (import / read = {seconds / floor:.0f}x)",
        "",
        f"Comparison US → GT ({len(plain_rank)} providers, "
        f"{Quote.objects.filter(corridor__sending_id='US', corridor__receiving_id='GT').count()} "
        f"quotes in the corridor), {args.repeats} requests each:",
        "",
        "| way | p50 ms | p95 ms | p95 / plain SQL |",
        "|---|---:|---:|---:|",
    ]
    for name, times in ways:
        lines.append(
            f"| {name} | {statistics.median(times):.2f} | {p(times, 0.95):.2f} | "
            f"{p(times, 0.95) / base:.2f} |"
        )
    lines += [
        "",
        "The comparison's database time inside each call (the sum of the call's queries, timed "
        "by a connection.execute_wrapper), against the plain query:",
        "",
        "| way | p50 ms | p95 ms | p95 / plain SQL | queries per call |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, times in query_ways:
        lines.append(
            f"| {name} | {statistics.median(times):.2f} | {p(times, 0.95):.2f} | "
            f"{p(times, 0.95) / base:.2f} | {COUNTS.get(id(times), '')} |"
        )
    worst = max(p(t, 0.95) for name, t in ways[1:])
    worst_sql = max(p(t, 0.95) / base for t in ranking_ways)
    worst_all = max(p(t, 0.95) / base for name, t in query_ways)
    whole = max(p(t, 0.95) / base for name, t in ways[1:])
    lines += [
        "",
        f"same ranking in SQL and the app: {'yes' if same else 'NO'}; "
        f"the compare (ranking) query through the app's page and API, p95 / plain: "
        f"{worst_sql:.2f}x (target <= 3x: {'met' if worst_sql <= 3 else 'NOT met'}); every "
        f"query of a request together, p95 / plain: up to {worst_all:.2f}x; whole request p95 "
        f"{worst:.1f} ms (target "
        f"< 100 ms: {'met' if worst < 100 else 'NOT met'}); whole request p95 / plain query "
        f"{whole:.1f}x (Django, DRF and templates included; shown, not a target)"
        + ("" if has_page else " (no remittance page on this branch: selector and API only)"),
    ]
    print("\n".join(lines))
    if not same:
        sys.exit("the app and the plain query ranked differently")


if __name__ == "__main__":
    main()
