"""Reads of cases and referrals, always scoped by the actor (404 when out of scope)."""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from typing import Any
from uuid import UUID

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from enlace.access import rules
from enlace.access.reads import Purpose, read_many, read_one
from enlace.access.rules import case_reach
from enlace.accounts.actor import Actor
from enlace.core.counting import DaysBetween, age_years, first_of_year_counts
from enlace.core.filters import filtered
from enlace.core.lookups import get_or_404
from enlace.core.querysets import bounded_count, top_ids

from .filters import CaseFilter
from .models import Attachment, Case, CaseStatus, CaseType, DetentionLog, Referral

DASHBOARD_ROWS = 10


def case_list(*, actor: Actor, filters: Any = None) -> QuerySet[Case]:
    """Cases the actor may see, filtered by CaseFilter (status, type, risk, assignee, overdue,
    office, name); a bad filter value raises ValidationFailed."""
    scope, branches = case_reach(actor)
    qs = Case.objects.scoped(scope, branches).select_related(
        "person",
        "person__owner_office",
        "owner_office",
        "owner_office__country",
        "assigned_to",
    )
    if filters:
        qs = filtered(CaseFilter, filters, qs, actor=actor)
    return qs


def case_get(*, actor: Actor, case_id: UUID | str) -> Case:
    """One case in scope, without logging: for writes and checks. To show a case, case_read."""
    return get_or_404(case_list(actor=actor), case_id)


def case_read(
    *,
    actor: Actor,
    case_id: UUID | str,
    purpose: str = Purpose.VIEW,
    check: Callable[[Actor, Case], bool] | None = None,
) -> Case:
    """One case to show (page, partial, form, API): the read is logged, a refusal too. `check`
    narrows who may open this view of it (an edit form: the owner's staff)."""
    return read_one(
        actor=actor,
        record_type="cases.case",
        record_id=case_id,
        get=lambda: case_get(actor=actor, case_id=case_id),
        purpose=purpose,
        check=check,
    )


def case_timeline(*, actor: Actor, case: Case) -> list[dict[str, Any]]:
    """Transitions, actions, notes, referrals and files, newest first, as the case's page and
    its printout show them: a receiving office sees only its own referral, not the others."""
    items: Iterable[dict[str, Any]] = chain(
        (
            {"at": t.at, "kind": "transition", "obj": t}
            for t in case.transitions.select_related("actor")
        ),
        (
            {"at": a.created, "kind": "action", "obj": a}
            for a in case.actions.select_related("office", "created_by")
        ),
        (
            {"at": n.created, "kind": "note", "obj": n}
            for n in case.notes.select_related("office", "created_by")
        ),
        (
            {"at": r.created, "kind": "referral", "obj": r}
            for r in case.referrals.select_related("to_office")
        ),
        (
            {"at": f.created, "kind": "attachment", "obj": f}
            for f in case.attachments.select_related("office")
        ),
    )
    timeline = sorted(items, key=lambda i: i["at"], reverse=True)
    if rules.can_edit_case(actor, case):
        return timeline
    office_id = actor.office.pk if actor.office is not None else None
    return [i for i in timeline if i["kind"] != "referral" or i["obj"].to_office_id == office_id]


def cases_shown(
    *, actor: Actor, cases: Iterable[Case], purpose: str = Purpose.LIST
) -> Sequence[Case]:
    """Cases about to be shown in a list or an export: one logged read each."""
    return read_many(actor=actor, records=cases, purpose=purpose)


def is_owner_staff(actor: Actor, case: Case) -> bool:
    return rules.can_edit_case(actor, case)


def accepted_referral(actor: Actor, case: Case) -> Referral | None:
    if not rules.is_office_staff(actor):
        return None
    return case.referrals.filter(to_office=actor.office, status=Referral.Status.ACCEPTED).first()


def can_work_on(actor: Actor, case: Case) -> bool:
    """Add actions and notes: the owner office, or an office the case was referred to."""
    return rules.can_work_on_case(
        actor, case, referred_in=accepted_referral(actor, case) is not None
    )


def case_permissions(actor: Actor, case: Case) -> dict[str, bool]:
    """The case page's permission flags for this actor."""
    return rules.case_permissions(
        actor, case, referred_in=accepted_referral(actor, case) is not None
    )


def referral_list(*, actor: Actor, direction: str = "in") -> QuerySet[Referral]:
    """Referrals addressed to the actor's office ('in') or sent by it ('out')."""
    office = actor.office
    if office is None or not rules.is_office_staff(actor):
        return Referral.objects.none()
    qs = Referral.objects.select_related("case", "from_office", "to_office")
    return qs.filter(to_office=office) if direction == "in" else qs.filter(from_office=office)


def referral_get(*, actor: Actor, referral_id: UUID | str) -> Referral:
    """A referral the actor's office sent or received."""
    office = actor.office
    if office is None or not rules.is_office_staff(actor):
        raise Http404
    return get_or_404(
        Referral.objects.select_related("case", "from_office", "to_office").filter(
            Q(to_office=office) | Q(from_office=office)
        ),
        referral_id,
    )


def attachment_get(*, actor: Actor, attachment_id: UUID | str) -> Attachment:
    attachment = get_or_404(Attachment.objects.select_related("case"), attachment_id)
    case_get(actor=actor, case_id=attachment.case_id)  # 404 unless the case is visible
    return attachment


def attachment_read(*, actor: Actor, attachment_id: UUID | str) -> Attachment:
    """A file of a case to download: the read is logged, a refusal too."""
    return read_one(
        actor=actor,
        record_type="cases.attachment",
        record_id=attachment_id,
        get=lambda: attachment_get(actor=actor, attachment_id=attachment_id),
        owner_path="case__owner_office",
        purpose=Purpose.DOWNLOAD,
    )


def _top(qs: QuerySet[Referral]) -> list[Referral]:
    """The newest few, found through the index before their cases and offices are joined (joined
    first, the database hashes every case to sort a few hundred referrals)."""
    ids = top_ids(qs, DASHBOARD_ROWS)
    loaded = qs.in_bulk(ids)
    return [loaded[pk] for pk in ids]


def dashboard(*, actor: Actor) -> dict[str, Any]:
    """Counts and short lists for the home page of each role: each list is the top of the
    scope's branches (index reads), and the cases of all of them load in one query."""
    cases = case_list(actor=actor)
    open_cases = cases.exclude(status=CaseStatus.CLOSED)
    lists = {
        # Office staff: the cases assigned to them; focal points (who are assigned none): the
        # newest open cases of their scope.
        "my_cases": (
            open_cases.filter(assigned_to=actor.user)
            if rules.is_office_staff(actor)
            else open_cases
        ),
        "overdue": open_cases.filter(due_date__lt=timezone.localdate()).order_by("due_date"),
    }
    if rules.is_approver(actor):
        # What waits for this supervisor: steps of their own office's cases (a case referred in
        # is approved by its owner), read through the (owner_office, status) index.
        own = open_cases.filter(owner_office=actor.office)
        lists["closure_pending"] = own.filter(closure_requested_by__isnull=False)
        lists["assessment_pending"] = own.filter(status=CaseStatus.ASSESSMENT)
    ids = {key: top_ids(qs, DASHBOARD_ROWS) for key, qs in lists.items()}
    loaded = cases.in_bulk({pk for found in ids.values() for pk in found})
    open_count, open_count_exact = bounded_count(open_cases)
    board: dict[str, Any] = {"closure_pending": [], "assessment_pending": []} | {
        key: [loaded[pk] for pk in found if pk in loaded] for key, found in ids.items()
    }
    return board | {
        "open_count": open_count,
        "open_count_exact": open_count_exact,
        "referrals_in": _top(
            referral_list(actor=actor, direction="in").filter(status=Referral.Status.REQUESTED)
        ),
        "referrals_out": _top(
            referral_list(actor=actor, direction="out").filter(
                status__in=[Referral.Status.REQUESTED, Referral.Status.ACCEPTED]
            )
        ),
    }


# Home aggregates: each one GROUP BY query over an indexed scope, never a loop over rows --------

ART36_DAYS = 3  # art. 36 asks for notification "without delay": later than this is counted late


def team_workload(*, actor: Actor) -> list[dict[str, Any]]:
    """Open and overdue cases per officer of the supervisor's office (unassigned first)."""
    if not rules.is_approver(actor):
        return []
    today = timezone.localdate()
    rows = (
        Case.objects.filter(owner_office=actor.office)
        .exclude(status=CaseStatus.CLOSED)
        .values(
            "assigned_to",
            "assigned_to__username",
            "assigned_to__first_name",
            "assigned_to__last_name",
        )
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
        .order_by("-open", "assigned_to__username")
    )
    return [
        {
            "officer": " ".join(
                filter(None, (r["assigned_to__first_name"], r["assigned_to__last_name"]))
            )
            or r["assigned_to__username"],
            "assigned": r["assigned_to"] is not None,
            "open": r["open"],
            "overdue": r["overdue"],
        }
        for r in rows
    ]


def _median(histogram: list[tuple[int, int]]) -> float | None:
    """The median of values given as (value, how many) pairs, sorted by value."""
    total = sum(n for _, n in histogram)
    if not total:
        return None
    seen, middle = 0, [(total - 1) // 2, total // 2]
    found: list[int] = []
    for value, n in histogram:
        for position in middle:
            if seen <= position < seen + n:
                found.append(value)
        seen += n
    return sum(found) / len(found)


def country_overview(*, actor: Actor) -> dict[str, Any] | None:
    """The national focal point's country at a glance: open cases by office and type, overdue,
    art. 36 notification delays (median days, count over ART36_DAYS, not yet notified) and
    referrals to and from the country's offices, by status."""
    if not rules.oversees_country(actor):
        return None
    country = actor.country_code
    today = timezone.localdate()
    open_cases = (
        Case.objects.filter(owner_office__country_id=country)
        .exclude(status=CaseStatus.CLOSED)
        .values("owner_office", "owner_office__name", "case_type")
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
        .order_by()
    )
    offices: dict[Any, dict[str, Any]] = {}
    types_seen: set[str] = set()
    for r in open_cases:
        office = offices.setdefault(
            r["owner_office"],
            {"name": r["owner_office__name"], "by_type": {}, "open": 0, "overdue": 0},
        )
        office["by_type"][r["case_type"]] = r["n"]
        office["open"] += r["n"]
        office["overdue"] += r["overdue"]
        types_seen.add(r["case_type"])
    delay = ExpressionWrapper(F("notified_on") - F("arrest_date"), output_field=DurationField())
    delays = (
        DetentionLog.objects.filter(case__owner_office__country_id=country)
        .values("case__owner_office", "case__owner_office__name")
        .annotate(delay=delay, n=Count("pk"))
        .values_list("case__owner_office", "case__owner_office__name", "delay", "n")
        .order_by("case__owner_office", "delay")
    )
    art36: dict[Any, dict[str, Any]] = {}
    histograms: dict[Any, list[tuple[int, int]]] = {}
    for office_id, name, gap, n in delays:
        row = art36.setdefault(office_id, {"name": name, "logs": 0, "late": 0, "pending": 0})
        row["logs"] += n
        if gap is None:
            row["pending"] += n
            continue
        days = gap.days if hasattr(gap, "days") else int(gap) // 86_400_000_000
        histograms.setdefault(office_id, []).append((days, n))
        if days > ART36_DAYS:
            row["late"] += n
    for office_id, row in art36.items():
        row["median"] = _median(histograms.get(office_id, []))
    referrals = {
        direction: dict(
            Referral.objects.filter(**{f"{side}__country_id": country})
            .values_list("status")
            .annotate(n=Count("id"))
            .order_by()
        )
        for direction, side in (("in", "to_office"), ("out", "from_office"))
    }
    types = [(value, label) for value, label in CaseType.choices if value in types_seen]
    table = [
        {**office, "cells": [office["by_type"].get(value, 0) for value, _ in types]}
        for office in sorted(offices.values(), key=lambda o: o["name"])
    ]
    statuses = Referral.Status.choices
    return {
        "types": [label for _, label in types],
        "offices": table,
        "art36": sorted(art36.values(), key=lambda r: r["name"]),
        "art36_days": ART36_DAYS,
        "referrals": [
            (label, referrals["in"].get(value, 0), referrals["out"].get(value, 0))
            for value, label in statuses
        ],
    }


# Figures for the indicators module (enlace.indicators.protection) ---------------------------


def _person_age(on: str, prefix: str = "person__") -> Any:
    return age_years(
        on=on,
        born=f"{prefix}birth_date",
        estimated=f"{prefix}estimated_age",
        reported=f"{prefix}age_reported_on",
    )


def protection_counts(
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    parts: Iterable[str] = ("opened", "closed", "art36"),
) -> dict[str, list[dict[str, Any]]]:
    """Distinct persons with protection cases, for published statistics (counts only, never a
    person), each counted once a year in the cell of their first record (enlace.core.counting):

    - "opened": by case type, on the day the case was opened (country: the owner office's);
    - "closed": by case type, on the day it was closed, with the histogram of the days from
      opening to closure ("days": (days, persons) pairs);
    - "art36": art. 36 notification logs on the date of arrest, with the histogram of the days
      from the arrest to the consulate's notification (days None: not notified yet).

    `since`/`until`: only the whole calendar years they fall in; `parts`: which of the three
    (each its own GROUP BY query, none reading a row into Python: they can run apart, on
    several connections at once, enlace.core.counting.run_counts)."""
    parts = set(parts)
    out: dict[str, list[dict[str, Any]]] = {}
    dims = {
        "country": F("owner_office__country_id"),
        "sex": F("person__sex"),
        "category": F("case_type"),
    }
    if "opened" in parts:
        out["opened"] = first_of_year_counts(
            Case.objects.all(),
            person="person",
            on="created",
            dims=dims,
            age=_person_age("created"),
            partition=("category",),
            since=since,
            until=until,
        )
    if "closed" in parts:
        out["closed"] = first_of_year_counts(
            Case.objects.filter(status=CaseStatus.CLOSED),
            person="person",
            on="closed_at",
            dims={**dims, "days": DaysBetween(F("created"), F("closed_at"))},
            age=_person_age("closed_at"),
            partition=("category",),
            since=since,
            until=until,
            histogram="days",
        )
    if "art36" in parts:
        out["art36"] = first_of_year_counts(
            DetentionLog.objects.all(),
            person="case__person",
            on="arrest_date",
            dims={
                "country": F("case__owner_office__country_id"),
                "sex": F("case__person__sex"),
                "days": DaysBetween(F("arrest_date"), F("notified_on")),
            },
            age=_person_age("arrest_date", "case__person__"),
            since=since,
            until=until,
            histogram="days",
        )
    return out
