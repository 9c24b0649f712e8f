"""Links between trafficking and smuggling cases: two cases are linked when they share a
perpetrator (names and aliases matched by the linkage engine), a phone number, a vehicle, a
bank account, a place, or a route segment (the same two consecutive stops, country and place).

The detection itself is plain Python over plain rows (`CaseData`), so the full recompute, the
incremental update of one saved case and the benchmark (bench/trafficking.py) run the same
code. In the database:
- `CaseKey` holds each case's keys, hashed (the index spells out no phone or name);
- `CaseLink` holds one row per pair of cases and kind (case_a < case_b), with its strength.
A saved case (services.on_case_saved) has its keys replaced and looked up in the index: only
the cases sharing a key are compared with it (`links_refresh_case`); an HTCDS import brings all
its cases up to date in one such pass once it has committed (`links_refresh_cases`).
`links_rebuild` recomputes everything (`manage.py trafficking_links --rebuild`, a background
job).

Perpetrators are not registry persons: their fields are given to the engine in its input
columns (enlace.linkage.INPUT_COLUMNS) with the missing ones (birth date, birth place, mother,
documents) empty; each alias that reads as a full name (a given name and a surname) is one
more record of the same perpetrator. A nickname alone ("El Zopilote") is no record: it has no
surname, the engine gives it no blocking key, and a nickname is shared by too many people to
link cases by itself.
"""

import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, pairwise
from typing import Any

from enlace.linkage import NormalizedRecord, Scorer, blocking_keys, input_record, normalize_record
from enlace.linkage.normalize import fold, split_full_name

# A perpetrator's names link two cases when the engine gives the pair at least this match
# probability. With names alone (no birth date, place or documents) the engine's default model,
# which counts the region's most frequent names for less (enlace/linkage/data/
# frequent_names.txt), gives: a rare given name and both surnames 0.99 ("Rigoberto Tun Ixcoy"
# twice); the same given names and both surnames, one of them frequent, 0.97 ("Juan Carlos
# Méndez Ruiz" twice); a frequent name with both surnames 0.89 ("José García López" twice); a
# given name contained in the other and both surnames 0.84 ("Juan Carlos Méndez Ruiz" / "Juan
# Méndez Ruiz"); a rare given name and one surname 0.89; a frequent one and one surname 0.35
# ("José García" twice, no blocking key shared at all). 0.9 keeps the first two and leaves the
# others, which the engine itself calls uncertain, to the reader: a common name alone never
# links (tests/test_links.py shows each of these).
NAME_THRESHOLD = 0.9

EXACT_KINDS = ("phone", "vehicle", "bank_account", "place", "route")

# A key (a route segment, a place, a phone, a vehicle, a bank account) held by more than this
# many cases links none of them: it is common, not the mark of one network. A busy border
# crossing (Tecún Umán → Ciudad Hidalgo) is on thousands of smuggling routes, a bus terminal is
# the place of hundreds of cases, a shelter's phone is in every case it referred; linking each
# pair would store k(k−1)/2 links per key and put unrelated cases in one cluster. Such "common
# keys" are counted instead (`common_keys`; the network page says how many). Fifty: a real
# network seen by a few countries rarely leaves more cases than that on one key, and a key of
# fifty cases already stores 1,225 links. Perpetrators' blocking keys have no cap: they group
# similar names for scoring, and each pair must still reach NAME_THRESHOLD to link (a common
# name alone does not).
HUB_CAP = 50
PERPETRATOR = "perpetrator"

Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class PerpetratorRow:
    """A perpetrator's name fields as stored (Perpetrator: given_names, surnames, aliases)."""

    given_names: str = ""
    surnames: str = ""
    aliases: tuple[str, ...] = ()
    sex: str = ""
    nationality: str = ""


@dataclass(frozen=True, slots=True)
class CaseData:
    """What links a case, as plain rows: identifiers as (kind, normalised value), the route as
    (country, place) in order, and the perpetrators' names."""

    id: str
    identifiers: tuple[tuple[str, str], ...] = ()
    route: tuple[tuple[str, str], ...] = ()
    perpetrators: tuple[PerpetratorRow, ...] = ()


@dataclass(slots=True)
class CaseKeys:
    """A case's exact keys per kind and its perpetrators' name records."""

    id: str
    exact: dict[str, set[str]] = field(default_factory=dict)
    names: list[NormalizedRecord] = field(default_factory=list)
    name_keys: list[set[str]] = field(default_factory=list)


# Keys ----------------------------------------------------------------------------------------


def route_segments(route: Sequence[tuple[str, str]]) -> set[str]:
    """Consecutive stops (country and folded place) as 'GT:tecun uman>MX:tapachula'; a stop
    with no place does not make a segment (a pair of countries alone links everyone)."""
    stops = [(str(country).upper(), fold(place)) for country, place in route]
    return {
        f"{c1}:{p1}>{c2}:{p2}"
        for (c1, p1), (c2, p2) in pairwise(stops)
        if p1 and p2 and (c1, p1) != (c2, p2)
    }


def _sex(value: str) -> str:
    return value if value in ("F", "M") else ""


@lru_cache(maxsize=1 << 16)
def _name_record(
    record_id: str, given: str, surnames: str, sex: str, nationality: str
) -> NormalizedRecord:
    return normalize_record(
        input_record(
            id=record_id,
            given_names=given,
            first_surname=surnames,
            sex=sex,
            nationality=nationality,
        )
    )


def name_records(case_id: str, perpetrators: Iterable[PerpetratorRow]) -> list[NormalizedRecord]:
    """The engine's records of a case's perpetrators: each one's name, and each alias that
    reads as a full name (split by the engine's split_full_name)."""
    records: list[NormalizedRecord] = []
    for i, p in enumerate(perpetrators):
        names: list[tuple[str, str]] = []
        if p.given_names.strip() or p.surnames.strip():
            names.append((p.given_names, p.surnames))
        for alias in p.aliases:
            given, surnames = split_full_name(alias)
            if given and surnames and given not in ("el", "la", "los", "las"):
                names.append((given, surnames))
        seen: set[tuple[str, str]] = set()
        for given, surnames in names:
            if (given, surnames) in seen:  # the same name twice adds nothing
                continue
            seen.add((given, surnames))
            records.append(
                _name_record(
                    f"{case_id}:{i}:{len(seen)}",
                    given,
                    surnames,
                    _sex(p.sex),
                    p.nationality or "",
                )
            )
    return [r for r in records if r.surnames_ph and r.given_ph]


def case_keys(case: CaseData) -> CaseKeys:
    keys = CaseKeys(case.id)
    for kind, value in case.identifiers:
        if kind in EXACT_KINDS and value:
            keys.exact.setdefault(kind, set()).add(value)
    segments = route_segments(case.route)
    if segments:
        keys.exact["route"] = segments
    keys.names = name_records(case.id, case.perpetrators)
    keys.name_keys = [blocking_keys(r) for r in keys.names]
    return keys


def hashed(kind: str, key: str) -> str:
    """The stored form of a key: 128 bits of BLAKE2b over kind and key (32 hex characters)."""
    return hashlib.blake2b(f"{kind}\x1f{key}".encode(), digest_size=16).hexdigest()


def stored_keys(keys: CaseKeys) -> set[tuple[str, str]]:
    """(kind, hashed key) rows of a case for the CaseKey index."""
    rows = {(kind, hashed(kind, v)) for kind, values in keys.exact.items() for v in values}
    rows |= {(PERPETRATOR, hashed(PERPETRATOR, k)) for ks in keys.name_keys for k in ks}
    return rows


# Scoring -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def scorer() -> Scorer:
    """The engine's default model. Not the registry's trained model: that one is estimated on
    registered persons (with birth dates and documents) and changes when retrained, which would
    move perpetrator links without any case changing."""
    return Scorer.default()


def _threshold_weight(threshold: float) -> float:
    return math.log2(threshold / (1 - threshold))


def _probability(weight: float) -> float:
    """The engine's match probability for a match weight (as Match.match_probability)."""
    odds = 2.0 ** min(max(weight, -60.0), 60.0)
    return odds / (1.0 + odds)


def names_strength(
    a: Sequence[NormalizedRecord],
    b: Sequence[NormalizedRecord],
    *,
    a_keys: Sequence[set[str]] | None = None,
    b_keys: Sequence[set[str]] | None = None,
    threshold: float = NAME_THRESHOLD,
) -> float | None:
    """The best match probability between two cases' perpetrator records that share a
    blocking key, if it reaches the threshold. Scored in a fixed order (the record with the
    smaller id first) so both directions give the same number."""
    a_keys = a_keys if a_keys is not None else [blocking_keys(r) for r in a]
    b_keys = b_keys if b_keys is not None else [blocking_keys(r) for r in b]
    engine = scorer()
    limit = _threshold_weight(threshold)
    best: float | None = None
    for ra, ka in zip(a, a_keys, strict=True):
        for rb, kb in zip(b, b_keys, strict=True):
            if ka.isdisjoint(kb):
                continue
            q, c = (ra, rb) if ra.id <= rb.id else (rb, ra)
            weight = engine.weight(q, c)
            if weight >= limit:
                probability = _probability(weight)
                best = probability if best is None else max(best, probability)
    return best


def _ordered(x: str, y: str) -> Pair:
    return (x, y) if x < y else (y, x)


def detect_links(
    cases: Iterable[CaseData | CaseKeys],
    *,
    progress: Callable[[int], None] | None = None,
    hubs: dict[str, int] | None = None,
) -> dict[tuple[str, str, str], float]:
    """Every link among `cases`: {(case_a, case_b, kind): strength} with case_a < case_b (ids
    compared as strings). Cases are grouped by each key (an inverted index), so only cases
    sharing a key are ever compared; a key held by more than HUB_CAP cases links none (counted
    per kind in `hubs` when given); perpetrator records are scored once per pair of records
    sharing a blocking key (as names_strength does for one pair of cases)."""
    exact: dict[tuple[str, str], list[str]] = defaultdict(list)
    blocks: dict[str, list[int]] = defaultdict(list)
    records: list[NormalizedRecord] = []
    owner: list[str] = []
    for n, item in enumerate(cases, 1):
        keys = item if isinstance(item, CaseKeys) else case_keys(item)
        for kind, values in keys.exact.items():
            for value in values:
                exact[(kind, value)].append(keys.id)
        for record, ks in zip(keys.names, keys.name_keys, strict=True):
            number = len(records)
            records.append(record)
            owner.append(keys.id)
            for k in ks:
                blocks[k].append(number)
        if progress is not None and n % 10_000 == 0:
            progress(n)
    links: dict[tuple[str, str, str], float] = {}
    for (kind, _value), ids in exact.items():
        holding = sorted(set(ids))
        if len(holding) > HUB_CAP:  # a common key links nobody
            if hubs is not None:
                hubs[kind] = hubs.get(kind, 0) + 1
            continue
        for x, y in combinations(holding, 2):
            links[(x, y, kind)] = 1.0
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) > 1:  # record numbers in increasing order: x < y
            pairs.update((i, j) for i, j in combinations(members, 2) if owner[i] != owner[j])
    del blocks
    engine = scorer()
    limit = _threshold_weight(NAME_THRESHOLD)
    weight = engine.weight
    for i, j in pairs:
        ra, rb = records[i], records[j]
        q, c = (ra, rb) if ra.id <= rb.id else (rb, ra)
        w = weight(q, c)
        if w >= limit:
            a, b = _ordered(owner[i], owner[j])
            probability = _probability(w)
            if probability > links.get((a, b, PERPETRATOR), 0.0):
                links[(a, b, PERPETRATOR)] = probability
    return links


# The database side ---------------------------------------------------------------------------


def load_cases(case_ids: Iterable[Any] | None = None) -> list[CaseData]:
    """CaseData of the given cases (all when None), in three queries per batch."""
    from .models import Identifier, Perpetrator, RouteStop, TraffickingCase

    if case_ids is None:
        ids = [
            str(pk) for pk in TraffickingCase.objects.order_by("pk").values_list("pk", flat=True)
        ]
    else:
        wanted = list(dict.fromkeys(str(pk) for pk in case_ids))
        ids = sorted(
            str(pk)
            for chunk in _chunks(wanted)
            for pk in TraffickingCase.objects.filter(pk__in=chunk).values_list("pk", flat=True)
        )
    out: list[CaseData] = []
    for start in range(0, len(ids), 2000):
        batch = ids[start : start + 2000]
        identifiers: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for case_id, kind, value in Identifier.objects.filter(case_id__in=batch).values_list(
            "case_id", "kind", "normalised"
        ):
            identifiers[str(case_id)].append((kind, value))
        route: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for case_id, country, place in (
            RouteStop.objects.filter(case_id__in=batch)
            .order_by("case_id", "position")
            .values_list("case_id", "country_id", "place")
        ):
            route[str(case_id)].append((country, place))
        people: dict[str, list[PerpetratorRow]] = defaultdict(list)
        for case_id, given, surnames, aliases, sex, nationality in (
            Perpetrator.objects.filter(case_id__in=batch)
            .order_by("case_id", "created", "id")
            .values_list("case_id", "given_names", "surnames", "aliases", "sex", "nationality_id")
        ):
            people[str(case_id)].append(
                PerpetratorRow(
                    given,
                    surnames,
                    tuple(a for a in aliases or () if isinstance(a, str)),
                    sex,
                    nationality or "",
                )
            )
        out.extend(
            CaseData(
                id=case_id,
                identifiers=tuple(identifiers.get(case_id, ())),
                route=tuple(route.get(case_id, ())),
                perpetrators=tuple(people.get(case_id, ())),
            )
            for case_id in batch
        )
    return out


def _link_rows(links: dict[tuple[str, str, str], float]) -> list[Any]:
    from .models import CaseLink

    return [
        CaseLink(case_a_id=a, case_b_id=b, kind=kind, strength=round(strength, 4))
        for (a, b, kind), strength in links.items()
    ]


CHUNK = 500  # ids or keys per query (SQLite's parameter limit)


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def links_refresh_case(case_id: Any) -> int:
    """Bring one case's keys and links up to date (after it was saved): its keys are looked up
    in the index, and only the cases sharing one are compared with it. Returns its links."""
    return links_refresh_cases([case_id])


def _key_counts(hashes: Iterable[str]) -> dict[str, int]:
    """How many cases hold each key (one query per 500 keys)."""
    from django.db.models import Count

    from .models import CaseKey

    counts: dict[str, int] = {}
    for chunk in _chunks(sorted(set(hashes))):
        counts.update(
            CaseKey.objects.filter(key__in=chunk)
            .values("key")
            .annotate(n=Count("case_id", distinct=True))
            .values_list("key", "n")
        )
    return counts


def links_refresh_cases(case_ids: Iterable[Any]) -> int:
    """Bring the keys and links of several saved cases up to date in one pass (an HTCDS
    import's cases, or one saved case): their keys replace the old ones in the index and are
    looked up there, and only the cases sharing a key are compared with them. Every link
    touching them is recomputed, and so is every link of the cases holding a key that the
    change made common (past HUB_CAP: their links by it go) or no longer common (back under
    it: they come back), so the result is the full recompute's. A fixed number of queries per
    500 cases or keys. Returns the links touching the cases recomputed."""
    from django.db import transaction
    from django.db.models import Q

    from .models import CaseKey, CaseLink

    with transaction.atomic():
        mine = {d.id: case_keys(d) for d in load_cases(list(case_ids))}
        if not mine:
            return 0
        ids = list(mine)
        new_rows = {cid: stored_keys(k) for cid, k in mine.items()}
        old_rows: set[tuple[str, str]] = set()
        for chunk in _chunks(ids):
            old_rows.update(
                CaseKey.objects.filter(case_id__in=chunk).values_list("kind", "key").distinct()
            )
        touched = {h for kind, h in old_rows if kind != PERPETRATOR}
        touched |= {h for r in new_rows.values() for kind, h in r if kind != PERPETRATOR}
        before = _key_counts(touched)
        for chunk in _chunks(ids):
            CaseKey.objects.filter(case_id__in=chunk).delete()
        CaseKey.objects.bulk_create(
            (
                CaseKey(case_id=cid, kind=kind, key=h)
                for cid, r in new_rows.items()
                for kind, h in r
            ),
            batch_size=1000,
        )
        after = _key_counts(touched)
        crossed = [
            h for h in touched if (before.get(h, 0) > HUB_CAP) != (after.get(h, 0) > HUB_CAP)
        ]
        # The cases whose links are recomputed: these, and the holders of a key that crossed.
        dirty = set(ids)
        for chunk in _chunks(crossed):
            dirty.update(
                str(c)
                for c in CaseKey.objects.filter(key__in=chunk).values_list("case_id", flat=True)
            )
        rows: dict[str, set[tuple[str, str]]] = {cid: set(r) for cid, r in new_rows.items()}
        for chunk in _chunks(sorted(dirty - mine.keys())):
            for holder, kind, h in CaseKey.objects.filter(case_id__in=chunk).values_list(
                "case_id", "kind", "key"
            ):
                rows.setdefault(str(holder), set()).add((kind, h))
        counts = _key_counts(h for r in rows.values() for kind, h in r if kind != PERPETRATOR)
        # Who holds each key that can link (themselves included): {(kind, hash): {case ids}}.
        holders: dict[tuple[str, str], set[str]] = defaultdict(set)
        wanted: set[str] = set()
        for cid, r in rows.items():
            for kind, key in r:
                if kind == PERPETRATOR or counts.get(key, 0) <= HUB_CAP:
                    holders[(kind, key)].add(cid)
                    wanted.add(key)
        for chunk in _chunks(sorted(wanted)):
            for other_id, kind, h in CaseKey.objects.filter(key__in=chunk).values_list(
                "case_id", "kind", "key"
            ):
                holders[(kind, h)].add(str(other_id))
        links: dict[tuple[str, str, str], float] = {}
        name_pairs: set[Pair] = set()
        for (kind, _h), members in holders.items():
            if len(members) < 2:
                continue
            for x in members & dirty:
                for y in members:
                    if x == y:
                        continue
                    pair = _ordered(x, y)
                    if kind == PERPETRATOR:
                        name_pairs.add(pair)
                    else:
                        links[(*pair, kind)] = 1.0
        others = sorted({c for pair in name_pairs for c in pair} - mine.keys())
        keys = dict(mine)
        keys.update((d.id, case_keys(d)) for d in load_cases(others))
        for a, b in sorted(name_pairs):
            ka, kb = keys[a], keys[b]
            strength = names_strength(ka.names, kb.names, a_keys=ka.name_keys, b_keys=kb.name_keys)
            if strength is not None:
                links[(a, b, PERPETRATOR)] = strength
        for chunk in _chunks(sorted(dirty)):
            CaseLink.objects.filter(Q(case_a_id__in=chunk) | Q(case_b_id__in=chunk)).delete()
        CaseLink.objects.bulk_create(_link_rows(links), batch_size=1000)
    return len(links)


def common_keys(case_ids: Any) -> dict[str, int]:
    """{kind: how many keys held by more than HUB_CAP of `case_ids` (a queryset of case ids or
    a list)}: the common keys that link nobody, as the network page counts them."""
    from django.db.models import Count

    from .models import CaseKey

    found = (
        CaseKey.objects.filter(case_id__in=case_ids, kind__in=EXACT_KINDS)
        .values("kind", "key")
        .annotate(n=Count("case_id", distinct=True))
        .filter(n__gt=HUB_CAP)
    )
    out: dict[str, int] = {}
    for row in found:
        out[row["kind"]] = out.get(row["kind"], 0) + 1
    return out


def links_rebuild(*, progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Recompute every case's keys and every link from scratch."""
    from django.db import transaction

    from .models import CaseKey, CaseLink

    cases = load_cases()
    total = len(cases)
    all_keys = [case_keys(c) for c in cases]
    if progress is not None:
        progress(total // 2, total)
    links = detect_links(all_keys)
    with transaction.atomic():
        CaseLink.objects.all().delete()
        CaseKey.objects.all().delete()
        CaseKey.objects.bulk_create(
            (
                CaseKey(case_id=k.id, kind=kind, key=h)
                for k in all_keys
                for kind, h in stored_keys(k)
            ),
            batch_size=5000,
        )
        CaseLink.objects.bulk_create(_link_rows(links), batch_size=5000)
    if progress is not None:
        progress(total, total)
    return {"cases": total, "links": len(links)}


def on_case_saved(actor: Any, case: Any, created: bool, changed_route: bool) -> None:
    """services.on_case_saved hook: the saved case's links, kept current."""
    links_refresh_case(case.pk)


def on_cases_saved_in_bulk(actor: Any, saved: Sequence[tuple[Any, bool, bool]]) -> None:
    """services.on_cases_saved_in_bulk hook (an HTCDS import): one pass over all its cases."""
    links_refresh_cases(list(dict.fromkeys(case.pk for case, _created, _route in saved)))
