"""Reads of the forums, always scoped by the actor (None: the public, which sees only what
rules.py opens to everyone). A record out of reach raises Http404, as a missing one."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from enlace.accounts.models import Office
from enlace.core.models import Country

from . import rules
from .models import (
    AgendaItem,
    Commitment,
    CommitmentStatus,
    CountryPosition,
    Endorsement,
    Forum,
    Meeting,
    RegionalComment,
    RegionalPosition,
)


def _id(value: Any) -> uuid.UUID:
    """A record's id from a URL or a filter; anything else is missing (404)."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError) as exc:
        raise Http404 from exc


def forum_list(*, actor: Any) -> QuerySet[Forum]:
    """Forums are public: everyone sees the list."""
    return Forum.objects.all()


def forum_get(*, actor: Any, forum_id: Any) -> Forum:
    forum = Forum.objects.filter(pk=_id(forum_id)).first()
    if forum is None:
        raise Http404
    return forum


def meeting_list(*, actor: Any, forum: Forum | None = None, q: str = "") -> QuerySet[Meeting]:
    """Meetings (public), of one forum or all, searched by title or city."""
    qs = Meeting.objects.select_related("forum", "country")
    if forum is not None:
        qs = qs.filter(forum=forum)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(city__icontains=q) | Q(forum__name__icontains=q))
    return qs


def meeting_get(*, actor: Any, meeting_id: Any) -> Meeting:
    meeting = Meeting.objects.select_related("forum", "country").filter(pk=_id(meeting_id)).first()
    if meeting is None:
        raise Http404
    return meeting


def item_list(*, actor: Any, meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.items.all()


def item_get(*, actor: Any, item_id: Any) -> AgendaItem:
    item = (
        AgendaItem.objects.select_related("meeting__forum", "meeting__country")
        .filter(pk=_id(item_id))
        .first()
    )
    if item is None:
        raise Http404
    return item


def position_list(*, actor: Any, item: AgendaItem) -> QuerySet[CountryPosition]:
    """The country positions on an item the actor may read."""
    return (
        CountryPosition.objects.filter(item=item)
        .filter(rules.position_scope(actor))
        .select_related("country", "author")
    )


def position_of(*, actor: Any, item: AgendaItem, country: str) -> CountryPosition | None:
    """A country's own position for its focal point (None: not written yet); 404 for others."""
    if not rules.speaks_for(actor, country):
        raise Http404
    return CountryPosition.objects.filter(item=item, country_id=country).first()


def regional_of(*, actor: Any, item: AgendaItem) -> RegionalPosition | None:
    """The item's regional position if it exists and the actor may read it."""
    return RegionalPosition.objects.filter(item=item).filter(rules.regional_scope(actor)).first()


def regional_get(*, actor: Any, item: AgendaItem) -> RegionalPosition:
    regional = regional_of(actor=actor, item=item)
    if regional is None:
        raise Http404
    return regional


@dataclass
class GridRow:
    """One row of the endorsement grid: a member country and its answer."""

    country: Country
    endorsement: Endorsement
    mine: bool = False


@dataclass
class Grid:
    rows: list[GridRow] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"endorsed": 0, "objected": 0, "pending": 0}
        for row in self.rows:
            counts[row.endorsement.decision] += 1
        return counts


def endorsement_grid(*, actor: Any, regional: RegionalPosition) -> Grid:
    """The member countries' answers to the current draft (staff only: 404 for the public)."""
    if not rules.sees_working_parts(actor):
        raise Http404
    mine = rules.focal_country(actor)
    rows = [
        GridRow(country=e.country, endorsement=e, mine=e.country_id == mine)
        for e in regional.endorsements.select_related("country", "decided_by").order_by(
            "country__code"
        )
    ]
    return Grid(rows=rows)


def comment_list(*, actor: Any, regional: RegionalPosition) -> QuerySet[RegionalComment]:
    if not rules.sees_working_parts(actor):
        raise Http404
    return regional.comments.select_related("country", "author")


def commitment_get(*, actor: Any, code: str) -> Commitment:
    if not rules.sees_commitments(actor):
        raise Http404
    commitment = Commitment.objects.filter(pk=code).first()
    if commitment is None:
        raise Http404
    return commitment


def network_countries() -> list[Country]:
    """The countries of the network (those with an active office other than an association's):
    the tracker's columns."""
    codes = (
        Office.objects.filter(is_active=True)
        .exclude(kind__in=[Office.Kind.ASSOCIATION, Office.Kind.SECRETARIAT])
        .values_list("country_id", flat=True)
    )
    return list(Country.objects.filter(code__in=codes).order_by("code"))


@dataclass
class TrackerRow:
    commitment: Commitment
    cells: list[tuple[Country, CommitmentStatus | None]]
    indicators: list[tuple[str, str]]  # (code, URL or "")


def indicator_links(commitment: Commitment) -> list[tuple[str, str]]:
    """The commitment's indicators as (code, URL); the URL is empty while the page that shows
    the indicator does not exist yet (its app not installed)."""
    links = []
    for entry in commitment.indicators or []:
        url = ""
        if entry.get("url_name"):
            try:
                url = reverse(entry["url_name"])
            except NoReverseMatch:
                url = ""
        links.append((str(entry.get("code", "")), url))
    return links


def commitment_tracker(*, actor: Any) -> tuple[list[Country], list[TrackerRow]]:
    """Commitment × country grid, in two queries (plus the countries)."""
    if not rules.sees_commitments(actor):
        raise Http404
    countries = network_countries()
    commitments = Commitment.objects.prefetch_related(
        Prefetch(
            "statuses",
            queryset=CommitmentStatus.objects.filter(country__in=countries),
            to_attr="country_statuses",
        )
    )
    rows = []
    for commitment in commitments:
        by_country = {s.country_id: s for s in commitment.country_statuses}  # type: ignore[attr-defined]
        rows.append(
            TrackerRow(
                commitment=commitment,
                cells=[(c, by_country.get(c.code)) for c in countries],
                indicators=indicator_links(commitment),
            )
        )
    return countries, rows
