"""Alerts to the countries on a case's route: opening a case, or changing it, tells the
trafficking focal points of every office of every country on its route (but the author's
office) through the inbox (and so by e-mail, as each reader chose); each office acknowledges
its alert; an alert nobody acknowledged in ENLACE_TRAFFICKING_ALERT_ESCALATION_DAYS days is
escalated once, to the same focal points and to the national focal points of that country.

An alert carries no identity: the case's reference, kind, route countries, owner office and
date, never a name, an identifier or free text (the inbox writes the title from those safe
parameters, in the reader's language).

An HTCDS import (services.saving_in_bulk) makes the same alert rows, one per case and office
concerned, with the reason "imported" and one alerting time for the whole file; but each office
gets ONE inbox item for the whole import ("N cases imported by … touch your country"), and,
when nobody acknowledged them in time, one escalation item for them all.
"""

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from enlace.access import roles
from enlace.access.reads import Purpose
from enlace.accounts.actor import Actor
from enlace.accounts.models import Membership, Office
from enlace.audit.services import change_record, change_records
from enlace.core.lookups import get_or_404
from enlace.inbox.models import Kind
from enlace.inbox.services import notify

from . import rules, selectors
from .models import Alert, RouteStop, TraffickingCase

TFP_ROLES = sorted(roles.TRAFFICKING_FOCAL_POINTS)
NFP_ROLES = sorted(roles.NATIONAL_FOCAL_POINTS)


def escalation_days() -> int:
    return int(getattr(settings, "ENLACE_TRAFFICKING_ALERT_ESCALATION_DAYS", 3))


def _offices_with(role_group: frozenset[str], countries: Sequence[str]) -> QuerySet[Office]:
    """Active offices of these countries with an active member in one of the roles."""
    members = Membership.objects.filter(
        office=OuterRef("pk"), is_active=True, user__is_active=True, role__in=role_group
    )
    return Office.objects.filter(Q(Exists(members)), is_active=True, country_id__in=countries)


def route_text(countries: Sequence[str]) -> str:
    """The route as country codes in order ("HN → GT → MX → US"), a country met twice in a
    row named once."""
    steps: list[str] = []
    for code in countries:
        if not steps or steps[-1] != code:
            steps.append(code)
    return " → ".join(steps)


def _params(case: TraffickingCase, countries: Sequence[str]) -> dict[str, str]:
    """The safe parameters of an alert's inbox item: never a name, identifier or free text."""
    return {
        "reference": case.reference,
        "case_kind": case.kind,
        "office": case.owner_office.name,
        "route": route_text(countries),
        "date": timezone.localdate(case.created).isoformat(),
    }


@transaction.atomic
def case_alert(actor: Actor, case: TraffickingCase, created: bool, changed_route: bool) -> int:
    """The on_case_saved hook: alert every office of the route's countries with trafficking
    focal points (but the author's) that the case was opened or changed; an office alerted
    before is alerted again (a new acknowledgement is due). Offices whose country left the
    route lose their alert. Returns how many offices were alerted."""
    case = TraffickingCase.objects.select_related("owner_office").get(pk=case.pk)
    countries = selectors.route_countries(case)
    offices = list(_offices_with(roles.TRAFFICKING_FOCAL_POINTS, countries).order_by("pk"))
    if actor.office is not None:
        offices = [o for o in offices if o.pk != actor.office.pk]
    Alert.objects.filter(case=case).exclude(office__in=offices).delete()
    if created:
        reason = Alert.Reason.OPENED
    else:
        reason = Alert.Reason.ROUTE_CHANGED if changed_route else Alert.Reason.UPDATED
    now = timezone.now()
    params = _params(case, countries)
    link = reverse("trafficking:alerts")
    for office in offices:
        Alert.objects.update_or_create(
            case=case,
            office=office,
            defaults={
                "reason": reason,
                "alerted_at": now,
                "acknowledged_at": None,
                "acknowledged_by": None,
                "escalated_at": None,
            },
            create_defaults={"reason": reason, "alerted_at": now, "created_by": actor.user},
        )
        notify(
            kind=Kind.TRAFFICKING_ALERT, office=office, roles=TFP_ROLES, params=params, link=link
        )
    if offices:
        change_record(
            actor=actor,
            obj=case,
            owner_office=case.owner_office,
            action="trafficking_alert_send",
            changes={"alerted_offices": ["", str(len(offices))], "reason": ["", reason]},
        )
    return len(offices)


def on_case_saved(actor: Actor, case: TraffickingCase, created: bool, changed_route: bool) -> None:
    """Registered with services.on_case_saved (apps.py): alert the route's countries."""
    case_alert(actor, case, created, changed_route)


CHUNK = 500  # ids per query (SQLite's parameter limit)


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _import_params(actor: Actor, count: int, when: dt.datetime) -> dict[str, str]:
    """The safe parameters of an import's inbox item: who imported, when, how many cases."""
    return {
        "office": actor.office.name if actor.office is not None else "",
        "date": timezone.localdate(when).isoformat(),
        "count": str(count),
    }


@transaction.atomic
def cases_alert_bulk(actor: Actor, saved: Sequence[tuple[TraffickingCase, bool, bool]]) -> int:
    """The bulk hook (services.on_cases_saved_in_bulk, an HTCDS import): every case saved gets
    the alert rows case_alert would give it (offices of its route's countries with trafficking
    focal points, but the importer's; offices whose country left the route lose theirs), with
    the reason "imported" and one alerting time; each office concerned gets ONE inbox item
    saying how many of the imported cases touch its country. A fixed number of queries per 500
    cases. Returns how many offices were notified."""
    ids = list(dict.fromkeys(case.pk for case, _created, _route in saved))
    cases: dict[Any, TraffickingCase] = {}
    routes: dict[Any, list[str]] = {}
    for chunk in _chunks(ids):
        cases.update(
            (c.pk, c)
            for c in TraffickingCase.objects.filter(pk__in=chunk).select_related("owner_office")
        )
        for case_id, country in (
            RouteStop.objects.filter(case_id__in=chunk)
            .order_by("case_id", "position")
            .values_list("case_id", "country_id")
        ):
            routes.setdefault(case_id, []).append(country)
    countries = sorted({c for route in routes.values() for c in route})
    offices = list(_offices_with(roles.TRAFFICKING_FOCAL_POINTS, countries).order_by("pk"))
    if actor.office is not None:
        offices = [o for o in offices if o.pk != actor.office.pk]
    by_country: dict[str, list[Office]] = {}
    for office in offices:
        by_country.setdefault(office.country_id, []).append(office)
    wanted: dict[Any, set[Any]] = {
        case_id: {o.pk for c in set(routes.get(case_id, ())) for o in by_country.get(c, ())}
        for case_id in cases
    }
    now = timezone.now()
    reason = Alert.Reason.IMPORTED
    renewed: list[Any] = []
    gone: list[Any] = []
    have: set[tuple[Any, Any]] = set()
    for chunk in _chunks(list(cases)):
        for pk, case_id, office_id in Alert.objects.filter(case_id__in=chunk).values_list(
            "pk", "case_id", "office_id"
        ):
            (renewed if office_id in wanted[case_id] else gone).append(pk)
            have.add((case_id, office_id))
    for chunk in _chunks(gone):
        Alert.objects.filter(pk__in=chunk).delete()
    for chunk in _chunks(renewed):
        Alert.objects.filter(pk__in=chunk).update(
            reason=reason,
            alerted_at=now,
            acknowledged_at=None,
            acknowledged_by=None,
            escalated_at=None,
            modified=now,
        )
    Alert.objects.bulk_create(
        (
            Alert(
                case_id=case_id,
                office_id=office_id,
                reason=reason,
                alerted_at=now,
                created_by=actor.user,
            )
            for case_id, office_ids in wanted.items()
            for office_id in sorted(office_ids, key=str)
            if (case_id, office_id) not in have
        ),
        batch_size=1000,
    )
    link = reverse("trafficking:alerts")
    notified = 0
    for office in offices:
        count = sum(1 for office_ids in wanted.values() if office.pk in office_ids)
        if not count:
            continue
        notify(
            kind=Kind.TRAFFICKING_IMPORT_ALERT,
            office=office,
            roles=TFP_ROLES,
            params=_import_params(actor, count, now),
            link=link,
        )
        notified += 1
    change_records(
        actor=actor,
        records=(
            (
                case,
                case.owner_office,
                "trafficking_alert_send",
                {"alerted_offices": ["", str(len(wanted[pk]))], "reason": ["", reason]},
            )
            for pk, case in cases.items()
            if wanted[pk]
        ),
    )
    return notified


def on_cases_saved_in_bulk(
    actor: Actor, saved: Sequence[tuple[TraffickingCase, bool, bool]]
) -> None:
    """Registered with services.on_cases_saved_in_bulk (apps.py)."""
    cases_alert_bulk(actor, saved)


# Reads ---------------------------------------------------------------------------------------


def may_see_alerts(actor: Actor) -> bool:
    """The alerts page: trafficking focal points (their office's alerts) and national focal
    points (the escalated alerts of their country's offices)."""
    return actor.office is not None and roles.in_group(
        actor.role, roles.TRAFFICKING_FOCAL_POINTS | roles.NATIONAL_FOCAL_POINTS
    )


def alert_list(*, actor: Actor, unacknowledged: bool | None = None) -> QuerySet[Alert]:
    """The alerts the actor is to act on, newest first."""
    office = actor.office
    if office is None:
        return Alert.objects.none()
    if roles.in_group(actor.role, roles.TRAFFICKING_FOCAL_POINTS):
        qs = Alert.objects.filter(office=office)
    elif roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS):
        qs = Alert.objects.filter(office__country_id=office.country_id, escalated_at__isnull=False)
    else:
        return Alert.objects.none()
    if unacknowledged is True:
        qs = qs.filter(acknowledged_at__isnull=True)
    elif unacknowledged is False:
        qs = qs.filter(acknowledged_at__isnull=False)
    return qs.select_related("case", "case__owner_office", "office", "acknowledged_by").order_by(
        "-alerted_at", "id"
    )


def can_acknowledge(actor: Actor, alert: Alert) -> bool:
    """The trafficking focal points of the alerted office."""
    return (
        rules.is_focal_point(actor)
        and actor.office is not None
        and (alert.office_id == actor.office.pk)
    )


def alert_get(*, actor: Actor, alert_id: UUID | str) -> Alert:
    """One alert the actor may acknowledge; anyone else's (or none) is a 404."""
    if not rules.is_focal_point(actor):
        return get_or_404(Alert.objects.none(), alert_id)
    return get_or_404(alert_list(actor=actor), alert_id)


def alert_rows(*, actor: Actor, alerts: Sequence[Alert]) -> list[dict[str, Any]]:
    """What the alerts page shows of each alert; the case is linked (and its listing logged)
    only where the reader may open it."""
    case_ids = {a.case_id for a in alerts}
    visible = (
        selectors.case_list(actor=actor).filter(pk__in=case_ids).with_branches(None)  # type: ignore[attr-defined]
    )
    shown = {c.pk for c in selectors.cases_shown(actor=actor, cases=visible, purpose=Purpose.LIST)}
    routes = selectors.route_countries_of([a.case for a in alerts])
    return [
        {
            "alert": a,
            "case": a.case,
            "route": route_text(routes.get(a.case_id, [])),
            "can_open": a.case_id in shown,
            "can_acknowledge": a.acknowledged_at is None and can_acknowledge(actor, a),
        }
        for a in alerts
    ]


# Writes --------------------------------------------------------------------------------------


@transaction.atomic
def alert_acknowledge(*, actor: Actor, alert: Alert) -> Alert:
    """The alerted office's focal point has seen the alert: recorded once (who, when)."""
    if not can_acknowledge(actor, alert):
        return get_or_404(Alert.objects.none(), alert.pk)
    locked = (
        Alert.objects.select_for_update(of=("self",))
        .select_related("case__owner_office")
        .get(pk=alert.pk)
    )
    if locked.acknowledged_at is not None:
        return locked
    locked.acknowledged_at = timezone.now()
    locked.acknowledged_by = actor.user
    locked.save(update_fields=["acknowledged_at", "acknowledged_by", "modified"])
    change_record(
        actor=actor,
        obj=locked.case,
        owner_office=locked.case.owner_office,
        action="trafficking_alert_acknowledge",
        changes={"alert": [str(locked.pk), str(locked.office_id)]},
    )
    return locked


def alerts_escalate(*, now: dt.datetime | None = None) -> int:
    """Escalate, once, every alert nobody acknowledged within the set days: a second inbox item
    to the alerted office's trafficking focal points and one to each office of its country with
    national focal points. Safe to run again; returns how many alerts were escalated."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=escalation_days())
    waiting = Alert.objects.filter(
        acknowledged_at__isnull=True, escalated_at__isnull=True, alerted_at__lte=cutoff
    ).order_by("alerted_at", "id")
    done = 0
    # An import's alerts to one office (same reason and alerting time) escalate together.
    imported: dict[tuple[Any, dt.datetime], list[UUID]] = {}
    for alert_id, reason, office_id, alerted_at in waiting.values_list(
        "pk", "reason", "office_id", "alerted_at"
    ):
        if reason == Alert.Reason.IMPORTED:
            imported.setdefault((office_id, alerted_at), []).append(alert_id)
        else:
            done += _escalate(alert_id, now)
    for (office_id, alerted_at), alert_ids in imported.items():
        done += _escalate_import(office_id, alerted_at, alert_ids, now)
    return done


@transaction.atomic
def _escalate_import(
    office_id: Any, alerted_at: dt.datetime, alert_ids: list[UUID], now: dt.datetime
) -> int:
    """One import's unacknowledged alerts to one office, escalated at once: ONE item to the
    office's trafficking focal points and one to each office of its country with national
    focal points, saying how many cases wait."""
    marked = 0
    for chunk in _chunks(alert_ids):
        marked += Alert.objects.filter(
            pk__in=chunk, acknowledged_at__isnull=True, escalated_at__isnull=True
        ).update(escalated_at=now)
    if not marked:
        return 0
    first = Alert.objects.select_related("case__owner_office", "office").get(pk=alert_ids[0])
    params = {
        "office": first.case.owner_office.name,
        "date": timezone.localdate(alerted_at).isoformat(),
        "count": str(marked),
    }
    stamp = f"{alerted_at.timestamp():.6f}"
    _notify_escalation(
        Kind.TRAFFICKING_IMPORT_ESCALATED, first.office, params, f"trafimpesc:{office_id}:{stamp}"
    )
    return marked


def _notify_escalation(kind: str, office: Any, params: dict[str, str], dedupe: str) -> None:
    """An escalation goes to the alerted office's trafficking focal points and to the national
    focal points of its country (each item deduplicated under `dedupe`)."""
    link = reverse("trafficking:alerts")
    notify(kind=kind, office=office, roles=TFP_ROLES, params=params, link=link, dedupe_key=dedupe)
    for national in _offices_with(roles.NATIONAL_FOCAL_POINTS, [office.country_id]):
        notify(
            kind=kind,
            office=national,
            roles=NFP_ROLES,
            params=params,
            link=link,
            dedupe_key=f"{dedupe}:{national.pk}",
        )


@transaction.atomic
def _escalate(alert_id: UUID, now: dt.datetime) -> int:
    # Marked first, under the row's condition: a concurrent run or an acknowledgement in the
    # meantime leaves nothing to do.
    marked = Alert.objects.filter(
        pk=alert_id, acknowledged_at__isnull=True, escalated_at__isnull=True
    ).update(escalated_at=now)
    if not marked:
        return 0
    alert = Alert.objects.select_related("case__owner_office", "office").get(pk=alert_id)
    params = _params(alert.case, selectors.route_countries(alert.case))
    stamp = int(alert.alerted_at.timestamp())
    _notify_escalation(
        Kind.TRAFFICKING_ALERT_ESCALATED, alert.office, params, f"trafesc:{alert.pk}:{stamp}"
    )
    return 1
