"""Alerts to the countries on a case's route: opening a case, or changing it, tells the
trafficking focal points of every office of every country on its route (but the author's
office) through the inbox (and so by e-mail, as each reader chose); each office acknowledges
its alert; an alert nobody acknowledged in ENLACE_TRAFFICKING_ALERT_ESCALATION_DAYS days is
escalated once, to the same focal points and to the national focal points of that country.

An alert carries no identity: the case's reference, kind, route countries, owner office and
date, never a name, an identifier or free text (the inbox writes the title from those safe
parameters, in the reader's language).
"""

import datetime as dt
from collections.abc import Sequence
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
from enlace.audit.services import change_record
from enlace.core.lookups import get_or_404
from enlace.inbox.models import Kind
from enlace.inbox.services import notify

from . import rules, selectors
from .models import Alert, TraffickingCase

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
    for alert_id in list(waiting.values_list("pk", flat=True)):
        done += _escalate(alert_id, now)
    return done


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
    link = reverse("trafficking:alerts")
    stamp = int(alert.alerted_at.timestamp())
    notify(
        kind=Kind.TRAFFICKING_ALERT_ESCALATED,
        office=alert.office,
        roles=TFP_ROLES,
        params=params,
        link=link,
        dedupe_key=f"trafesc:{alert.pk}:{stamp}",
    )
    for office in _offices_with(roles.NATIONAL_FOCAL_POINTS, [alert.office.country_id]):
        notify(
            kind=Kind.TRAFFICKING_ALERT_ESCALATED,
            office=office,
            roles=NFP_ROLES,
            params=params,
            link=link,
            dedupe_key=f"trafesc:{alert.pk}:{stamp}:{office.pk}",
        )
    return 1
