"""Trafficking benchmark (issue 12): link detection between cases, and the HTCDS import.

    .venv/bin/python bench/trafficking.py                    # 100,000 cases, 10,000 HTCDS rows
    .venv/bin/python bench/trafficking.py --cases 20000 --htcds-rows 0    # a quicker check

(a) HTCDS import: `enlace.trafficking.htcds_io.import_htcds` (the HTCDS helper's import, branch
    traf-io) of a workbook with --htcds-rows rows, written by the same module's export from
    generated cases, into an empty SQLite database; the reference is openpyxl reading the same
    workbook (the floor any import pays). Skipped, and said so, when the module or the function
    is not there.
(b) Link detection over --cases generated cases: Enlace's `enlace.trafficking.links.
    detect_links` (the function the app's full recompute runs on rows loaded from the
    database; here on the same plain rows, no database) and the clusters through
    `enlace.trafficking.network.components` (networkx), against a plain pandas + networkx
    computation of the same links: self-joins on each kind's value, route segments by shift
    within each case, perpetrator name records normalised by the same linkage engine and
    joined on its blocking keys, pairs scored with the same engine and threshold, then
    networkx connected components; on both sides a key (identifier, place, route segment)
    held by more than links.HUB_CAP cases links none of them (a common key, counted). The two
    cluster sets and the two counts of common keys must be equal. Each side runs in its
    own subprocess on the same pickled rows: seconds are its wall time from its rows in memory
    to its clusters, peak MiB its peak resident set (VmHWM, reset at exec). Target: Enlace
    within 2x of the plain computation.

Generated data (seed 12): cases come in hidden rings (sizes 1-12, geometric) sharing the ring's
perpetrators (full names; some cases know one only by an alias, upper case or without
accents), phones (GT, MX, HN numbers written as +502 5555 1234, 5555-1234, (502) 55551234,
00502 5555 1234, normalised to E.164 by the app's `identifiers.normalise` when generated, as
the services do when a case is saved), vehicles, bank accounts, places and a route segment; each
case also has items of its own. Names are drawn from common Latin American given names and
surnames, so the engine sometimes links two rings by a name: clusters form, as in real data.
With --crossings F, a share F of the cases also passes one of four busy border crossings
(Tecún Umán → Ciudad Hidalgo, …): route segments held by thousands of cases, which the cap
turns into common keys instead of millions of links.
"""

import argparse
import gc
import os
import pickle
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GIVEN = [
    "José",
    "Juan",
    "Luis",
    "Carlos",
    "Jorge",
    "Pedro",
    "Miguel",
    "Manuel",
    "Francisco",
    "Antonio",
    "Jesús",
    "Mario",
    "Ricardo",
    "Fernando",
    "Roberto",
    "Héctor",
    "Raúl",
    "Sergio",
    "Óscar",
    "Rafael",
    "Eduardo",
    "Alejandro",
    "Javier",
    "Marco",
    "Edgar",
    "María",
    "Ana",
    "Rosa",
    "Carmen",
    "Lucía",
    "Elena",
    "Sofía",
    "Gabriela",
    "Patricia",
    "Claudia",
    "Verónica",
    "Alejandra",
    "Mónica",
    "Adriana",
    "Silvia",
    "Leticia",
    "Guadalupe",
    "Teresa",
    "Beatriz",
    "Yolanda",
]
SURNAMES = [
    "García",
    "Hernández",
    "López",
    "Martínez",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Flores",
    "Gómez",
    "Morales",
    "Vázquez",
    "Reyes",
    "Jiménez",
    "Torres",
    "Díaz",
    "Gutiérrez",
    "Ruiz",
    "Mendoza",
    "Aguilar",
    "Ortiz",
    "Castillo",
    "Moreno",
    "Romero",
    "Álvarez",
    "Chávez",
    "Rivera",
    "Juárez",
    "Ramos",
    "Domínguez",
    "Herrera",
    "Medina",
    "Castro",
    "Vargas",
    "Guzmán",
    "Velázquez",
    "Rojas",
    "Contreras",
    "Salazar",
    "Luna",
    "Ortega",
    "Cabrera",
    "Estrada",
    "Mejía",
    "Orellana",
    "Quispe",
    "Mamani",
    "Ixcot",
    "Tzul",
    "Coc",
    "Xol",
    "Caal",
    "Choc",
    "Pop",
    "Tum",
    "Batz",
    "Cuxil",
    "Ajú",
    "Chavajay",
    "Tecú",
    "Yat",
]
NICKNAMES = [
    "El Flaco",
    "El Gato",
    "La Güera",
    "El Chino",
    "El Negro",
    "El Compa",
    "El Tigre",
    "La Flaca",
]
COUNTRIES = {"GT": "+502", "MX": "+52", "HN": "+504"}
PLACE_WORDS = [
    "San",
    "Santa",
    "Nueva",
    "Puerto",
    "Villa",
    "El",
    "La",
    "Los",
    "Alta",
    "Baja",
    "Real",
    "Vieja",
    "Rio",
    "Cerro",
    "Valle",
    "Llano",
    "Monte",
]
PLACE_ROOTS = [
    "Ánimas",
    "Marcos",
    "Pedro",
    "Cruz",
    "Esperanza",
    "Concepción",
    "Trinidad",
    "Rosario",
    "Victoria",
    "Palmas",
    "Cedros",
    "Pinos",
    "Robles",
    "Naranjos",
    "Mangos",
    "Ceibas",
    "Flores",
    "Piedras",
    "Lagunas",
    "Arenas",
    "Vegas",
    "Minas",
    "Salinas",
    "Mercedes",
    "Dolores",
    "Lucía",
    "Tomás",
    "Andrés",
    "Lorenzo",
    "Mateo",
    "Felipe",
    "Jacinto",
    "Bartolo",
    "Sebastián",
]


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
    return (
        f"nproc {os.cpu_count()}, CPU {cpu}, RAM {mem:.1f} GiB, Python {platform.python_version()}"
    )


def peak_mib() -> float:
    """Peak resident set of this process (VmHWM: per address space, so reset at exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def setup_django(work: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["ENLACE_VAR_DIR"] = str(work)
    import django

    django.setup()


# Data --------


def _phone_written(rng: random.Random, country: str, local: str) -> str:
    prefix = COUNTRIES[country]
    half = len(local) // 2
    spaced = f"{local[:half]} {local[half:]}"
    forms = [
        f"{prefix} {spaced}",
        f"{local[:half]}-{local[half:]}",  # local form: read in the case's country
        f"({prefix[1:]}) {local}",
        f"00{prefix[1:]} {spaced}",
        f"{prefix}{local}",
    ]
    return rng.choice(forms)


def _local_number(rng: random.Random, country: str) -> str:
    if country == "MX":
        return "55" + "".join(rng.choice("0123456789") for _ in range(8))
    first = rng.choice("345" if country == "GT" else "389")
    return first + "".join(rng.choice("0123456789") for _ in range(7))


def _strip_accents(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _place(rng: random.Random) -> str:
    return f"{rng.choice(PLACE_WORDS)} {rng.choice(PLACE_ROOTS)} {rng.choice(PLACE_ROOTS)}"


# Busy border crossings, on many smuggling routes (with --crossings): common keys.
CROSSINGS = [
    (("GT", "Tecún Umán"), ("MX", "Ciudad Hidalgo")),
    (("GT", "El Carmen"), ("MX", "Talismán")),
    (("MX", "Nuevo Laredo"), ("US", "Laredo")),
    (("MX", "Tijuana"), ("US", "San Diego")),
]


def generate(n: int, seed: int = 12, crossings: float = 0.0) -> dict[str, list[tuple[Any, ...]]]:
    """The three tables the detection reads, as the database holds them: identifiers
    (case, kind, normalised), route (case, position, country, place), perpetrators (case,
    given names, surnames, aliases, sex, nationality). With `crossings` > 0 that share of the
    cases also passes one of four busy border crossings (drawn from a generator of its own, so
    the rest of the data is the same as without)."""
    busy = random.Random(seed + 1)
    from django.core.exceptions import ValidationError

    from enlace.core.errors import ValidationFailed
    from enlace.trafficking.identifiers import normalise

    rng = random.Random(seed)
    identifiers: list[tuple[Any, ...]] = []
    route: list[tuple[Any, ...]] = []
    perpetrators: list[tuple[Any, ...]] = []
    case_no = 0
    width = len(str(n))

    def phone(country: str, local: str, owner: str) -> None:
        written = _phone_written(rng, country, local)
        try:  # a local form is read in the case's country (the owning office's)
            value = normalise("phone", written, region=owner)
        except (ValidationFailed, ValidationError):
            return
        identifiers.append((case_id, "phone", value))

    while case_no < n:
        size = min(1 + int(rng.expovariate(1 / 2.5)), 12, n - case_no)
        ring_people = [
            (
                " ".join(rng.sample(GIVEN, rng.choice((1, 1, 2)))),
                " ".join(rng.sample(SURNAMES, 2)),
                [" ".join((rng.choice(GIVEN), *rng.sample(SURNAMES, 2))), rng.choice(NICKNAMES)],
                rng.choice("MMMF"),
            )
            for _ in range(rng.choice((1, 1, 2, 3)))
        ]
        country = rng.choice(tuple(COUNTRIES))
        ring_phones = [
            (country, _local_number(rng, country)) for _ in range(rng.choice((1, 2, 2, 3)))
        ]
        ring_vehicle = f"{rng.choice('PCAM')}{rng.randrange(100, 999)}{rng.choice('BCDFG')}"
        ring_vehicle += "".join(rng.choice("BCDFGHJKL") for _ in range(2))
        ring_account = "".join(rng.choice("0123456789") for _ in range(14))
        ring_place = _place(rng)
        ring_segment = [(country, _place(rng)), (rng.choice(("MX", "US")), _place(rng))]
        for _ in range(size):
            case_id = f"c{case_no:0{width}d}"
            case_no += 1
            owner = country if rng.random() < 0.8 else rng.choice(tuple(COUNTRIES))
            for given, surnames, aliases, sex in ring_people:
                if rng.random() > 0.6:
                    continue
                choice = rng.random()
                if choice < 0.15:  # known by the alias only
                    perpetrators.append((case_id, "", "", [aliases[0]], sex, ""))
                    continue
                if choice < 0.3:
                    given, surnames = given.upper(), surnames.upper()
                elif choice < 0.45:
                    given, surnames = _strip_accents(given), _strip_accents(surnames)
                known = [a for a in aliases if rng.random() < 0.5]
                perpetrators.append((case_id, given, surnames, known, sex, country))
            for c, local in ring_phones:
                if rng.random() < 0.5:
                    phone(c, local, owner)
            if rng.random() < 0.3:
                identifiers.append((case_id, "vehicle", ring_vehicle))
            if rng.random() < 0.25:
                identifiers.append((case_id, "bank_account", ring_account))
            if rng.random() < 0.2:
                identifiers.append((case_id, "place", _strip_accents(ring_place).lower()))
            # Items of the case's own (rarely shared with anyone).
            if rng.random() < 0.5:
                own = rng.choice(tuple(COUNTRIES))
                phone(own, _local_number(rng, own), owner)
            if rng.random() < 0.3:
                perpetrators.append(
                    (
                        case_id,
                        rng.choice(GIVEN),
                        " ".join(rng.sample(SURNAMES, rng.choice((1, 2)))),
                        [],
                        "U",
                        "",
                    )
                )
            stops: list[tuple[str, str]] = [(owner, _place(rng))]
            if rng.random() < 0.4:
                stops += ring_segment
            if crossings and busy.random() < crossings:
                stops += list(busy.choice(CROSSINGS))
            stops.append((rng.choice(("MX", "US")), _place(rng)))
            for pos, (c, place) in enumerate(stops, 1):
                route.append((case_id, pos, c, place))
    return {"identifiers": identifiers, "route": route, "perpetrators": perpetrators}


# The two systems --------


def run_enlace(tables: dict[str, list[tuple[Any, ...]]]) -> list[frozenset[str]]:
    from collections import defaultdict

    from enlace.trafficking.links import CaseData, PerpetratorRow, detect_links
    from enlace.trafficking.network import components

    # The rows as load_cases gives them from the database.
    idents: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for case_id, kind, value in tables["identifiers"]:
        idents[case_id].append((kind, value))
    route: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for case_id, _pos, country, place in sorted(tables["route"]):
        route[case_id].append((country, place))
    people: dict[str, list[PerpetratorRow]] = defaultdict(list)
    for case_id, given, surnames, aliases, sex, nationality in tables["perpetrators"]:
        people[case_id].append(PerpetratorRow(given, surnames, tuple(aliases), sex, nationality))
    ids = sorted(set(idents) | set(route) | set(people))
    cases = [
        CaseData(i, tuple(idents.get(i, ())), tuple(route.get(i, ())), tuple(people.get(i, ())))
        for i in ids
    ]
    del idents, route, people
    gc.collect()
    start = time.perf_counter()
    hubs: dict[str, int] = {}
    links = detect_links(cases, hubs=hubs)
    found = components([(a, b, kind) for a, b, kind in links])
    seconds = time.perf_counter() - start
    clusters = [frozenset(nodes) for nodes, _edges in found]
    return _result(seconds, clusters, len(links), sum(hubs.values()))


def run_plain(tables: dict[str, list[tuple[Any, ...]]]) -> list[frozenset[str]]:
    import math

    import networkx as nx
    import pandas as pd

    from enlace.linkage import Scorer, blocking_keys, input_record, normalize_record
    from enlace.linkage.normalize import split_full_name
    from enlace.trafficking.links import HUB_CAP, NAME_THRESHOLD

    idents = pd.DataFrame(tables["identifiers"], columns=["case", "kind", "value"])
    route = pd.DataFrame(tables["route"], columns=["case", "pos", "country", "place"])
    people = pd.DataFrame(
        tables["perpetrators"],
        columns=["case", "given", "surnames", "aliases", "sex", "nationality"],
    )
    gc.collect()
    start = time.perf_counter()

    def folded(s: pd.Series) -> pd.Series:
        s = s.fillna("").str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
        return s.str.lower().str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip()

    # Route segments: each stop with the next one of the same case.
    route = route.sort_values(["case", "pos"])
    route["stop"] = route["country"].str.upper() + ":" + folded(route["place"])
    route["next"] = route.groupby("case")["stop"].shift(-1)
    has_place = folded(route["place"]) != ""
    nxt = route.groupby("case")["place"].shift(-1).fillna("")
    seg = route[has_place & (folded(nxt) != "") & route["next"].notna()]
    seg = seg[seg["stop"] != seg["next"]]
    segments = pd.DataFrame(
        {"case": seg["case"], "kind": "route", "value": seg["stop"] + ">" + seg["next"]}
    )
    keys = pd.concat([idents, segments], ignore_index=True).drop_duplicates()
    # A key held by more than HUB_CAP cases links none of them (as links.detect_links).
    holders = keys.groupby(["kind", "value"])["case"].transform("size")
    hubs = int(keys[holders > HUB_CAP][["kind", "value"]].drop_duplicates().shape[0])
    keys = keys[holders <= HUB_CAP]
    pairs = keys.merge(keys, on=["kind", "value"])
    pairs = pairs[pairs["case_x"] < pairs["case_y"]]
    edges = pairs[["case_x", "case_y", "kind"]].drop_duplicates()

    # Perpetrators: a record per name and per alias that reads as a full name.
    names = people.assign(pi=people.index).explode("aliases").reset_index(drop=True)
    names = names[names["aliases"].notna()]
    split = names["aliases"].map(split_full_name)
    alias_rows = pd.DataFrame(
        {
            "case": names["case"],
            "pi": names["pi"],
            "given": split.str[0],
            "surnames": split.str[1],
            "sex": names["sex"],
            "nationality": names["nationality"],
        }
    )
    alias_rows = alias_rows[
        (alias_rows["given"] != "")
        & (alias_rows["surnames"] != "")
        & ~alias_rows["given"].isin(["el", "la", "los", "las"])
    ]
    own = people.assign(pi=people.index)[["case", "pi", "given", "surnames", "sex", "nationality"]]
    own = own[(own["given"].str.strip() != "") | (own["surnames"].str.strip() != "")]
    records = pd.concat([own, alias_rows], ignore_index=True)
    records = records.assign(fg=folded(records["given"]), fs=folded(records["surnames"]))
    records = records.drop_duplicates(["pi", "fg", "fs"]).reset_index(drop=True)
    sexes = records["sex"].where(records["sex"].isin(["F", "M"]), "")
    normalised = [
        normalize_record(
            input_record(id=str(i), given_names=g, first_surname=s, sex=x, nationality=n or "")
        )
        for i, g, s, x, n in zip(
            records.index,
            records["given"],
            records["surnames"],
            sexes,
            records["nationality"],
            strict=True,
        )
    ]
    usable = [r for r in normalised if r.given_ph and r.surnames_ph]
    blocks = pd.DataFrame(
        [(int(r.id), k) for r in usable for k in blocking_keys(r)], columns=["rec", "key"]
    )
    blocks["case"] = records["case"].to_numpy()[blocks["rec"].to_numpy()]
    cand = blocks.merge(blocks, on="key")
    cand = cand[cand["case_x"] < cand["case_y"]][["rec_x", "rec_y", "case_x", "case_y"]]
    cand = cand.drop_duplicates(["rec_x", "rec_y"])
    scorer = Scorer.default()
    limit = math.log2(NAME_THRESHOLD / (1 - NAME_THRESHOLD))
    by_id = {int(r.id): r for r in usable}
    keep = [
        scorer.weight(by_id[x], by_id[y]) >= limit
        for x, y in zip(cand["rec_x"], cand["rec_y"], strict=True)
    ]
    matched = cand[keep][["case_x", "case_y"]].drop_duplicates().assign(kind="perpetrator")
    edges = pd.concat([edges, matched], ignore_index=True)

    graph = nx.Graph()
    graph.add_edges_from(zip(edges["case_x"], edges["case_y"], strict=True))
    clusters = [frozenset(c) for c in nx.connected_components(graph)]
    seconds = time.perf_counter() - start
    return _result(seconds, clusters, len(edges), hubs)


def _result(seconds: float, clusters: list[frozenset[str]], links: int, hubs: int) -> Any:
    return {
        "seconds": seconds,
        "clusters": clusters,
        "links": links,
        "hubs": hubs,
        "peak_mib": peak_mib(),
    }


def child(system: str, data: Path, out: Path, work: Path) -> None:
    setup_django(work)
    tables = pickle.loads(data.read_bytes())  # noqa: S301  (our own file, just written)
    result = (run_enlace if system == "enlace" else run_plain)(tables)
    out.write_bytes(pickle.dumps(result))


def spawn(system: str, data: Path, work: Path) -> dict[str, Any]:
    out = work / f"{system}.pkl"
    subprocess.run(
        [sys.executable, __file__, "--child", system, "--data", str(data), "--out", str(out)],
        check=True,
        cwd=ROOT,
    )
    return pickle.loads(out.read_bytes())  # noqa: S301


# HTCDS import --------


def htcds_import(rows: int, work: Path) -> list[str]:
    """Time import_htcds over a generated workbook of `rows` rows, if the module is here."""
    import importlib.util

    if importlib.util.find_spec("enlace.trafficking.htcds_io") is None:
        return ["(a) HTCDS import: skipped — enlace.trafficking.htcds_io is not on this branch"]
    from enlace.trafficking import htcds_io

    if not hasattr(htcds_io, "import_htcds") or not hasattr(htcds_io, "export_bytes"):
        return ["(a) HTCDS import: skipped — htcds_io has no import_htcds/export_bytes here"]
    raw = _htcds_workbook(rows)
    import io

    import openpyxl

    start = time.perf_counter()
    book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
    cells = sum(1 for sheet in book.worksheets for _row in sheet.iter_rows(values_only=True))
    floor = time.perf_counter() - start
    actor = _wipe_cases()
    start = time.perf_counter()
    report = htcds_io.import_htcds(actor, raw, dry_run=False)
    seconds = time.perf_counter() - start
    if report.get("refused"):
        raise SystemExit(f"the import refused the bench's workbook: {report['refused']}")
    created, errors = report.get("created"), len(report.get("errors") or [])
    sheet_rows = report.get("rows", rows)
    return [
        "(a) HTCDS import (SQLite, in this process): one case per main-sheet row, with its",
        "perpetrators, identifiers and route on their sheets",
        "",
        "| step | rows | seconds | rows/s | ratio to openpyxl read |",
        "|---|---:|---:|---:|---:|",
        f"| openpyxl read of the workbook (all sheets) | {cells} | {floor:.1f} | "
        f"{cells / floor:,.0f} | 1.00 |",
        f"| import_htcds: {created} cases created, {errors} errors | {sheet_rows} | "
        f"{seconds:.1f} | {sheet_rows / seconds:,.0f} | {seconds / floor:.2f} |",
    ]


def _focal_point() -> Any:
    from django.core.management import call_command

    from enlace.accounts.actor import actor_for
    from enlace.accounts.models import Office, Role, User
    from enlace.accounts.testing import make_user

    call_command("migrate", "--noinput", verbosity=0)
    if User.objects.filter(username="bench.tfp").exists():
        return actor_for(User.objects.get(username="bench.tfp"))
    office, _ = Office.objects.get_or_create(
        name="Bench GT", kind=Office.Kind.FOREIGN_MINISTRY, country_id="GT", host_country_id="GT"
    )
    user = make_user("bench.tfp", office, Role.TRAFFICKING_FOCAL_POINT)
    return actor_for(user)


def _htcds_workbook(rows: int) -> bytes:
    """Generated cases written through the services, then exported by htcds_io."""
    from enlace.trafficking import htcds_io, services

    actor = _focal_point()
    tables = generate(rows, seed=99)
    by_case: dict[str, dict[str, list[Any]]] = {}
    for case_id, kind, value in tables["identifiers"]:
        by_case.setdefault(case_id, {}).setdefault("identifiers", []).append(
            {"kind": kind, "value": value}
        )
    for case_id, _pos, country, place in tables["route"]:
        by_case.setdefault(case_id, {}).setdefault("route", []).append(
            {"country": country, "place": place}
        )
    for case_id, given, surnames, aliases, _sex, _n in tables["perpetrators"]:
        by_case.setdefault(case_id, {}).setdefault("perpetrators", []).append(
            {"given_names": given, "surnames": surnames, "aliases": list(aliases)}
        )
    for parts in list(by_case.values())[:rows]:
        services.case_create(actor=actor, kind="trafficking", summary="Caso generado", **parts)
    return htcds_io.export_bytes(actor)


def _wipe_cases() -> Any:
    from enlace.trafficking.models import TraffickingCase

    TraffickingCase.objects.all().delete()
    return _focal_point()


# Main --------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--htcds-rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--crossings",
        type=float,
        default=0.0,
        help="share of the cases whose route passes a busy border crossing (common keys)",
    )
    parser.add_argument("--workdir")
    parser.add_argument("--child", choices=["enlace", "plain"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="enlace_bench_traf_"))
    if args.child:
        child(args.child, args.data, args.out, work)
        return
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    setup_django(work)
    print(f"machine: {machine()}\ncommand: {' '.join(sys.argv)}\nworkdir: {work}\n")
    lines: list[str] = []
    if args.htcds_rows:
        lines += htcds_import(args.htcds_rows, work)
    else:
        lines.append("(a) HTCDS import: not run (--htcds-rows 0)")
    lines.append("")
    if not args.cases:
        print("\n".join(lines))
        return
    start = time.perf_counter()
    tables = generate(args.cases, args.seed, crossings=args.crossings)
    made = time.perf_counter() - start
    data = work / "tables.pkl"
    data.write_bytes(pickle.dumps(tables))
    del tables
    enlace = spawn("enlace", data, work)
    plain = spawn("plain", data, work)
    from enlace.trafficking.links import HUB_CAP

    same = set(enlace["clusters"]) == set(plain["clusters"]) and enlace["hubs"] == plain["hubs"]
    sizes = sorted((len(c) for c in enlace["clusters"]), reverse=True)
    in_clusters = sum(sizes)
    lines += [
        f"(b) Link detection over {args.cases:,} generated cases (plain rows, no database; "
        f"generated and phones normalised in {made:.0f} s)",
        "",
        "| system | seconds | peak MiB | links | clusters | ratio (time) |",
        "|---|---:|---:|---:|---:|---:|",
        f"| Enlace (links.detect_links + network.components) | {enlace['seconds']:.1f} | "
        f"{enlace['peak_mib']:.0f} | {enlace['links']:,} | {len(enlace['clusters']):,} | "
        f"{enlace['seconds'] / plain['seconds']:.2f} |",
        f"| plain pandas + networkx | {plain['seconds']:.1f} | {plain['peak_mib']:.0f} | "
        f"{plain['links']:,} (case pairs x kind) | {len(plain['clusters']):,} | 1.00 |",
        "",
        f"common keys (held by more than {HUB_CAP} cases, no links): Enlace "
        f"{enlace['hubs']:,}, plain {plain['hubs']:,}; busy-crossing share {args.crossings}",
        "",
        f"same clusters: {'yes' if same else 'NO'}; cases in clusters: {in_clusters:,}; "
        f"largest clusters: {sizes[:5]}; target Enlace/plain <= 2.00: "
        f"{'met' if enlace['seconds'] <= 2 * plain['seconds'] else 'NOT met'}",
    ]
    print("\n".join(lines))
    if not same:
        sys.exit("the two systems found different clusters")


if __name__ == "__main__":
    main()
