"""The links between cases as a reader may see them: the linked cases of one case, and the
clusters of linked cases (networkx connected components) drawn as an SVG picture.

A link counts only when the reader may see BOTH cases: a hidden case is never a node, never
an edge, never counted, so a cluster looks the same whether or not hidden cases touch it. What
a link says is its kind; the value behind it (the phone, the name, the account) is given only
to readers who may see the identities of both cases, as the case page shows identifier values
(places included) only with the identities. Route segments are given to everyone who sees both
cases: the case page shows the route to every reader.
"""

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

import django_filters
import networkx as nx
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enlace.access.reads import Purpose, read_many
from enlace.accounts.actor import Actor
from enlace.core.filters import CountryCodeFilter

from . import rules, selectors
from .links import (
    PERPETRATOR,
    PerpetratorRow,
    common_keys,
    name_records,
    names_strength,
    route_segments,
)
from .models import CaseLink, Identifier, LinkKind, Perpetrator, RouteStop, TraffickingCase

# Kinds whose value every reader of both cases sees on their pages (the route).
PLAIN_KINDS = frozenset({LinkKind.ROUTE})
CLUSTERS_PER_PAGE = 12


@dataclass
class LinkShown:
    kind: str
    label: str
    strength: float | None  # None: a perpetrator's score, hidden with the names
    values: list[str] | None  # None: hidden from this reader


@dataclass
class LinkedCase:
    case: TraffickingCase
    links: list[LinkShown] = field(default_factory=list)


def _visible(actor: Actor) -> QuerySet[TraffickingCase]:
    return selectors.case_list(actor=actor).with_branches(None)  # type: ignore[attr-defined,no-any-return]


def _identity_ids(actor: Actor, ids: Sequence[Any]) -> set[Any]:
    """The cases among `ids` whose identities the actor may see (one query)."""
    scope = rules.identity_scope(actor)
    return set(_visible(actor).filter(scope).filter(pk__in=ids).values_list("pk", flat=True))


def _shared_values(case: TraffickingCase, other: TraffickingCase, kind: str) -> list[str]:
    """What the two cases share of `kind`, as written in `case` (for perpetrators: both names,
    as each case writes them)."""
    if kind == LinkKind.ROUTE:
        mine = route_segments(
            list(RouteStop.objects.filter(case=case).values_list("country_id", "place"))
        )
        theirs = route_segments(
            list(RouteStop.objects.filter(case=other).values_list("country_id", "place"))
        )
        return sorted(s.replace(">", " → ").replace(":", " ") for s in mine & theirs)
    if kind == PERPETRATOR:
        found: list[str] = []
        mine_p = list(Perpetrator.objects.filter(case=case))
        theirs_p = list(Perpetrator.objects.filter(case=other))
        for p in mine_p:
            rows_p = name_records("a", [_row(p)])
            for q in theirs_p:
                if names_strength(rows_p, name_records("b", [_row(q)])) is not None:
                    found.append(f"{p} ↔ {q}")
        return found
    theirs_v = set(
        Identifier.objects.filter(case=other, kind=kind).values_list("normalised", flat=True)
    )
    return sorted(
        {
            value
            for value, normalised in Identifier.objects.filter(case=case, kind=kind).values_list(
                "value", "normalised"
            )
            if normalised in theirs_v
        }
    )


def _row(p: Perpetrator) -> PerpetratorRow:
    return PerpetratorRow(
        p.given_names,
        p.surnames,
        tuple(a for a in p.aliases or () if isinstance(a, str)),
        p.sex,
        p.nationality_id or "",
    )


def linked_cases(*, actor: Actor, case: TraffickingCase) -> list[LinkedCase]:
    """The cases linked to `case` (which the actor already reads) that the actor may see,
    each logged as shown; the shared values only where the actor may see the
    identities of both cases (each perpetrator thus named is logged too). In the order of
    their references: an order by score would hint at how alike hidden names are."""
    rows = list(
        CaseLink.objects.filter(Q(case_a=case) | Q(case_b=case)).values_list(
            "case_a_id", "case_b_id", "kind", "strength"
        )
    )
    by_other: dict[Any, list[tuple[str, float]]] = defaultdict(list)
    for a, b, kind, strength in rows:
        by_other[b if a == case.pk else a].append((kind, strength))
    if not by_other:
        return []
    others = list(_visible(actor).filter(pk__in=list(by_other)).order_by("reference"))
    shown = selectors.cases_shown(actor=actor, cases=others, purpose=Purpose.VIEW)
    identities = _identity_ids(actor, [case.pk, *[o.pk for o in shown]])
    labels = dict(LinkKind.choices)
    out: list[LinkedCase] = []
    for other in shown:
        both = case.pk in identities and other.pk in identities
        item = LinkedCase(other)
        for kind, strength in sorted(by_other[other.pk]):
            values = _shared_values(case, other, kind) if both or kind in PLAIN_KINDS else None
            # How alike two names are is said only to whoever may read them.
            said = strength if both or kind != PERPETRATOR else None
            item.links.append(LinkShown(kind, str(labels.get(kind, kind)), said, values))
        out.append(item)
    if any(
        item.links and any(x.kind == PERPETRATOR and x.values for x in item.links) for item in out
    ):
        named = Perpetrator.objects.filter(
            case__in=[case, *[i.case for i in out if any(x.values for x in i.links)]]
        )
        read_many(
            actor=actor,
            records=list(named),
            owner_path="case__owner_office",
            purpose=Purpose.TRAFFICKING,
        )
    return out


# Clusters ------------------------------------------------------------------------------------


class NetworkFilter(django_filters.FilterSet):
    """The network page's filters: a country (owning the case or on its route) and a kind."""

    country = CountryCodeFilter(label=gettext_lazy("Country"))
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Link kind"), choices=LinkKind.choices, empty_label=gettext_lazy("All")
    )

    class Meta:
        model = TraffickingCase
        fields: list[str] = []


@dataclass
class Cluster:
    number: int
    cases: list[TraffickingCase]
    edges: list[tuple[Any, Any, list[str]]]  # (case id, case id, kinds)
    kinds: list[str]

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(LinkKind.choices)
        return [str(labels.get(k, k)) for k in self.kinds]


def components(
    edges: Sequence[tuple[Any, Any, str]],
) -> list[tuple[set[Any], dict[tuple[Any, Any], set[str]]]]:
    """Connected components of the link graph, largest first (ties by their smallest id):
    (nodes, {edge: kinds})."""
    graph = nx.Graph()
    for a, b, kind in edges:
        if graph.has_edge(a, b):
            graph[a][b]["kinds"].add(kind)
        else:
            graph.add_edge(a, b, kinds={kind})
    found = []
    for nodes in nx.connected_components(graph):
        sub = graph.subgraph(nodes)
        found.append((set(nodes), {(a, b): d["kinds"] for a, b, d in sub.edges(data=True)}))
    found.sort(key=lambda c: (-len(c[0]), str(min(c[0], key=str))))
    return found


def cluster_list(
    *, actor: Actor, country: str | None = None, kind: str | None = None
) -> list[tuple[set[Any], dict[tuple[Any, Any], set[str]]]]:
    """The clusters of linked cases the actor may see: links between two visible cases only
    (of `kind` if given), and with `country` only the clusters with a case owned by an office
    of that country or passing through it. Unlogged: the page logs the cases it shows."""
    visible = _visible(actor).values("pk")
    links = CaseLink.objects.filter(case_a__in=visible, case_b__in=visible)
    if kind:
        links = links.filter(kind=kind)
    found = components(list(links.values_list("case_a_id", "case_b_id", "kind")))
    if country:
        # The visible cases of the country, by a subquery (no list of ids: clusters can hold
        # more cases than a database accepts parameters).
        of_country = set(
            _visible(actor)
            .filter(
                Q(owner_office__country_id=country)
                | Q(pk__in=RouteStop.objects.filter(country_id=country).values("case_id"))
            )
            .values_list("pk", flat=True)
        )
        found = [c for c in found if c[0] & of_country]
    return found


# The common keys counted on the network page, by kind.
COMMON_KEY_LABELS = {
    LinkKind.ROUTE: gettext_lazy("Route segments"),
    LinkKind.PLACE: gettext_lazy("Places"),
    LinkKind.PHONE: gettext_lazy("Phone numbers"),
    LinkKind.VEHICLE: gettext_lazy("Vehicles"),
    LinkKind.BANK_ACCOUNT: gettext_lazy("Bank accounts"),
}


def common_keys_shown(*, actor: Actor) -> list[tuple[str, int]]:
    """The keys held by more than links.HUB_CAP of the cases the actor may see, which link
    nobody (links.HUB_CAP), counted by kind: [(label, count)]. A count of keys, never a value
    nor a case; one query."""
    found = common_keys(_visible(actor).values("pk"))
    return [(str(label), found[kind]) for kind, label in COMMON_KEY_LABELS.items() if kind in found]


def clusters_shown(
    *, actor: Actor, found: Sequence[tuple[set[Any], dict[tuple[Any, Any], set[str]]]], first: int
) -> list[Cluster]:
    """The clusters of one page with their cases (one query, each case logged as shown)."""
    ids = [n for nodes, _e in found for n in nodes]
    cases = (
        _visible(actor)
        .filter(pk__in=ids)
        .select_related(None)
        .only("id", "reference", "kind", "status", "owner_office_id")
    )
    by_id = {c.pk: c for c in selectors.cases_shown(actor=actor, cases=cases)}
    out = []
    for i, (nodes, edges) in enumerate(found):
        members = sorted((by_id[n] for n in nodes if n in by_id), key=lambda c: c.reference)
        kinds = sorted({k for ks in edges.values() for k in ks})
        out.append(
            Cluster(first + i, members, [(a, b, sorted(ks)) for (a, b), ks in edges.items()], kinds)
        )
    return out


def svg(clusters: Sequence[Cluster]) -> str:
    """The clusters drawn side by side, each on a circle: nodes labelled with their case
    reference, edges with their link kinds (in the edge's title). Plain SVG, no script."""
    labels = dict(LinkKind.choices)
    cell, per_row = 320, 3
    rows = max(1, math.ceil(len(clusters) / per_row))
    width, height = cell * min(max(len(clusters), 1), per_row), cell * rows
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="network-title" font-family="sans-serif" font-size="11">',
        f'<title id="network-title">{escape(_("Clusters of linked cases"))}</title>',
    ]
    for i, cluster in enumerate(clusters):
        cx = cell * (i % per_row) + cell / 2
        cy = cell * (i // per_row) + cell / 2
        n = len(cluster.cases)
        radius = 0 if n == 1 else min(cell / 2 - 60, 30 + 12 * n)
        where = {
            c.pk: (
                cx + radius * math.cos(2 * math.pi * k / n - math.pi / 2),
                cy + radius * math.sin(2 * math.pi * k / n - math.pi / 2),
            )
            for k, c in enumerate(cluster.cases)
        }
        parts.append(
            f'<g><text x="{cx - cell / 2 + 8:.0f}" y="{cy - cell / 2 + 16:.0f}" '
            f'font-weight="bold">{escape(_("Cluster %(n)s") % {"n": cluster.number})}</text>'
        )
        for a, b, kinds in cluster.edges:
            if a not in where or b not in where:
                continue
            (x1, y1), (x2, y2) = where[a], where[b]
            words = ", ".join(str(labels.get(k, k)) for k in kinds)
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="#5a6b7b" stroke-width="{1 + len(kinds)}">'
                f"<title>{escape(words)}</title></line>"
            )
        for c in cluster.cases:
            x, y = where[c.pk]
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="#1f5f8b">'
                f"<title>{escape(c.reference)}</title></circle>"
                f'<text x="{x:.1f}" y="{y + 20:.1f}" text-anchor="middle">'
                f"{escape(c.reference)}</text>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
