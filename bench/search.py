"""Name search at national scale (issue 9): the search before and after the name index.

    .venv/bin/python bench/search.py                          # PostgreSQL, 300k people, 200k cases
    .venv/bin/python bench/search.py --database-url sqlite:///var/bench_search.sqlite3
    .venv/bin/python bench/search.py --people 30000 --cases 20000     # a quick look

Loads a fresh database (dropped and made again; default search_bench on the local PostgreSQL):
40 offices in 10 countries, an officer and a national focal point per office, people with
accented names spread over the offices (3 % GBV survivors, 2 % trafficking victims), cases of
some of them. Then, for each search and each of the two roles:

- before: migrations people 0007 / cases 0004 undone (no trigram index, no FTS5 table) and the
  search as it was (`search_text LIKE '%word%'` per word; cases: name OR reference per word);
- after: migrated again (the index build is timed) and the search as it is now.

Prints median milliseconds for the first page (50 rows, page_of) and for the count
(bounded_count), then the plan of one
search after. Not part of `make test`.
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/search_bench"
COUNTRIES = ["MX", "GT", "HN", "SV", "CO", "VE", "PE", "EC", "DO", "HT"]
GIVEN = [
    "María",
    "José",
    "Juan",
    "Ana",
    "Luis",
    "Carmen",
    "Jesús",
    "Rosa",
    "Andrés",
    "Lucía",
    "Jorge",
    "Sofía",
    "Miguel",
    "Valentina",
    "Ángel",
    "Camila",
    "Héctor",
    "Inés",
    "Raúl",
    "Yolanda",
    "Óscar",
    "Beatriz",
    "Tomás",
    "Noemí",
    "Efraín",
    "Guadalupe",
    "Benjamín",
]
SURNAMES = ["García", "Hernández", "López", "Martínez", "González", "Pérez", "Rodríguez",
            "Sánchez", "Ramírez", "Cruz", "Flores", "Gómez", "Díaz", "Reyes", "Morales",
            "Jiménez", "Ruiz", "Álvarez", "Castillo", "Quispe", "Mamani", "Rosales", "Núñez",
            "Ordóñez", "Chávez", "Gutiérrez", "Villanueva", "Ixcoy", "Tzul", "Pop"]  # fmt: skip
SEARCHES = ["garcia", "Hernández López", "rosa quis", "ixcoy", "j perez", "mx-2026-00012", "zzqzz"]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def setup(url: str, reload: bool) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if reload and url.startswith("postgres"):
        import psycopg

        base, _, name = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    elif reload and url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    import django

    django.setup()


def load(people_n: int, cases_n: int, seed: int) -> dict[str, Any]:
    """Offices, two users per office, people and cases (bulk_create: works on either database)."""
    from django.core.management import call_command
    from django.utils import timezone

    from enlace.accounts.models import Office, Role
    from enlace.accounts.testing import make_user
    from enlace.cases.models import Case
    from enlace.core.text import fold
    from enlace.people.models import Person

    rng = random.Random(seed)
    call_command("migrate", "--noinput", verbosity=0)
    offices, actors = [], {}
    for country in COUNTRIES:
        for i in range(4):
            office = Office.objects.create(
                name=f"{country} office {i}",
                kind=Office.Kind.CONSULATE,
                country_id=country,
                host_country_id="US",
                city="City",
            )
            offices.append(office)
    actors["officer"] = make_user("bench.officer", offices[0], Role.OFFICER)
    actors["national_focal_point"] = make_user("bench.focal", offices[1], Role.NATIONAL_FOCAL_POINT)
    now = timezone.now()
    started = time.perf_counter()
    people: list[Person] = []
    for n in range(people_n):
        given = rng.choice(GIVEN) + (f" {rng.choice(GIVEN)}" if rng.random() < 0.4 else "")
        first, second = rng.choice(SURNAMES), rng.choice(SURNAMES)
        roll = rng.random()
        people.append(
            Person(
                owner_office=rng.choice(offices),
                given_names=given,
                first_surname=first,
                second_surname=second,
                search_text=fold(f"{given} {first} {second}"),
                identity_protection="trafficking" if roll < 0.02 else "gbv" if roll < 0.05 else "",
                created=now,
                modified=now,
            )
        )
        if len(people) == 5000 or n == people_n - 1:
            Person.objects.bulk_create(people)
            people = []
    ids = list(Person.objects.values_list("pk", "owner_office_id"))
    cases: list[Case] = []
    for n, (pk, office_id) in enumerate(rng.sample(ids, min(cases_n, len(ids)))):
        country = next(o.country_id for o in offices if o.pk == office_id)
        cases.append(
            Case(
                reference=f"{country}-2026-{n + 1:06d}",
                person_id=pk,
                owner_office_id=office_id,
                case_type="labour",
                created=now,
                modified=now,
            )
        )
        if len(cases) == 5000 or n == cases_n - 1:
            Case.objects.bulk_create(cases)
            cases = []
    log(f"loaded {people_n} people, {cases_n} cases in {time.perf_counter() - started:.0f} s")
    return actors


def old_person_search(qs: Any, search: str, actor: Any) -> Any:
    """people.selectors.person_search before the name index."""
    from enlace.access.rules import identity_visible
    from enlace.core.text import fold

    words = fold(search).split()
    if words:
        qs = qs.filter(identity_visible(actor))
        for word in words:
            qs = qs.filter(search_text__contains=word)
    return qs


def old_case_search(qs: Any, search: str, actor: Any) -> Any:
    """cases.filters.CaseFilter.filter_q before the name index."""
    from django.db.models import Q

    from enlace.access.rules import identity_visible
    from enlace.core.text import fold

    named = identity_visible(actor, "person__")
    for word in fold(search).split():
        qs = qs.filter(
            (Q(person__search_text__contains=word) & named) | Q(reference__icontains=word)
        )
    return qs


def new_person_search(qs: Any, search: str, actor: Any) -> Any:
    from enlace.people.selectors import person_search

    return person_search(qs, search, actor=actor)


def new_case_search(qs: Any, search: str, actor: Any) -> Any:
    from enlace.cases.filters import CaseFilter

    return CaseFilter({}, queryset=qs, actor=actor).filter_q(qs, "q", search)


def page(qs: Any) -> Any:
    """The first page as the lists read it (through the scope's branches)."""
    from enlace.core.querysets import page_of

    return page_of(qs, 0, 50)


def count(qs: Any) -> Any:
    """The count as the lists take it (bounded at COUNT_LIMIT)."""
    from enlace.core.querysets import bounded_count

    return bounded_count(qs)


def median_ms(fn: Callable[[Any], Any], qs: Any, repeat: int) -> float:
    fn(qs)  # warm the cache: both sides are timed warm
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn(qs)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def measure(actors: dict[str, Any], searches: dict[str, Callable[..., Any]], repeat: int) -> dict:
    from enlace.accounts.actor import actor_for
    from enlace.cases.selectors import case_list
    from enlace.people.selectors import person_list

    results = {}
    for role, user in actors.items():
        actor = actor_for(user)
        for text in SEARCHES:
            people = searches["people"](person_list(actor=actor), text, actor)
            cases = searches["cases"](case_list(actor=actor), text, actor)
            results[(role, text)] = (
                median_ms(page, people, repeat),
                median_ms(count, people, repeat),
                median_ms(page, cases, repeat),
                median_ms(count, cases, repeat),
                people.count(),
                cases.count(),
            )
    return results


def migrate_to(app: str, target: str) -> float:
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", app, target, "--noinput", verbosity=0)
    return time.perf_counter() - t


def explain(actors: dict[str, Any]) -> str:
    from django.db import connection

    from enlace.accounts.actor import actor_for
    from enlace.cases.selectors import case_list
    from enlace.people.selectors import person_list

    actor = actor_for(actors["national_focal_point"])
    people = new_person_search(person_list(actor=actor), "rosa quis", actor)
    cases = new_case_search(case_list(actor=actor), "ixcoy", actor)
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    out = []
    for name, qs in (("people 'rosa quis'", people[:50]), ("cases 'ixcoy'", cases[:50])):
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute(prefix + sql, params)
            rows = cur.fetchall()
        out.append(f"-- {name}\n" + "\n".join(" ".join(str(c) for c in r) for r in rows))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--no-load", action="store_true", help="time the database as loaded")
    args = parser.parse_args()
    setup(args.database_url, reload=not args.no_load)
    from django.core.management import call_command
    from django.db import connection

    from enlace.accounts.models import User

    if args.no_load:
        call_command("migrate", "--noinput", verbosity=0)
        users = {u.username: u for u in User.objects.filter(username__startswith="bench.")}
        actors = {"officer": users["bench.officer"], "national_focal_point": users["bench.focal"]}
    else:
        actors = load(args.people, args.cases, args.seed)
    migrate_to("cases", "0003_list_indexes")
    migrate_to("people", "0006_personindex_fingerprint")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    log("before")
    before = measure(actors, {"people": old_person_search, "cases": old_case_search}, args.repeat)
    build = migrate_to("cases", "0004_reference_search_index")  # people 0007 with it
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    log(f"after (index build {build:.1f} s)")
    after = measure(actors, {"people": new_person_search, "cases": new_case_search}, args.repeat)

    print(f"\n## Name search, {connection.vendor}, {args.people} people, {args.cases} cases")
    print(f"index build (migrate people 0007 + cases 0004): {build:.1f} s\n")
    print("| role | search | people page ms | people count ms | cases page ms | cases count ms "
          "| found people / cases |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---|")
    for key, old in before.items():
        new = after[key]
        cells = " | ".join(f"{o:.1f} → {n:.1f}" for o, n in zip(old[:4], new[:4], strict=True))
        found = f"{old[4]}/{old[5]} → {new[4]}/{new[5]}"
        print(f"| {key[0]} | {key[1]} | {cells} | {found} |")
    print("\n```\n" + explain(actors) + "\n```")


if __name__ == "__main__":
    main()
