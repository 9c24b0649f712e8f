"""Follow-ups: due = the date reached and not done; the daily command tells the receiving
office once per follow-up, and once per return whose plan is overdue."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from enlace.inbox.models import Item, Kind
from enlace.returns import selectors, services
from enlace.returns.models import FollowUp, Return

from .conftest import ADULT_SKIPS, open_adult, take, walk


def _arrived(rw, days_ago, *, plan=True):
    ret = walk(rw, open_adult(rw), until="departure", skip=ADULT_SKIPS)
    arrived = timezone.localdate() - dt.timedelta(days=days_ago)
    Return.objects.filter(pk=ret.pk).update(departed_on=arrived)
    ret = take(rw, ret, "arrival", data={"arrived_on": arrived})
    if plan:
        ret = take(rw, ret, "reintegration_plan", data={"planned_on": arrived})
    return ret


def test_due_is_date_reached_and_not_done(rw):
    ret = _arrived(rw, 10)
    three = ret.follow_ups.get(months=3)
    assert not three.is_due()
    assert three.is_due(three.due_on)  # on the day
    assert not three.is_due(three.due_on - dt.timedelta(days=1))
    rows = selectors.trend(ret, three.due_on + dt.timedelta(days=1))
    assert [(r["months"], r["due"], r["overdue"]) for r in rows] == [
        (3, True, False),
        (6, False, False),
        (12, False, False),
    ]
    # Overdue once the next one's date is reached too.
    later = selectors.trend(ret, ret.follow_ups.get(months=6).due_on)
    assert [(r["months"], r["due"], r["overdue"]) for r in later] == [
        (3, True, True),
        (6, True, False),
        (12, False, False),
    ]
    # Done: not due any more, and the scores are in the trend.
    ret.refresh_from_db()
    services.return_follow_up(
        actor=rw.receiver,
        ret=ret,
        version=ret.version,
        months=3,
        economic="0.2",
        social="0.4",
        psychosocial="0.6",
    )
    rows = selectors.trend(ret, three.due_on + dt.timedelta(days=1))
    assert rows[0]["due"] is False and str(rows[0]["economic"]) == "0.200"
    assert selectors.next_follow_up(ret).months == 6


def test_due_follow_ups_for_the_receiving_side_only(rw):
    ret = _arrived(rw, 100)
    due = list(selectors.follow_ups_due(actor=rw.receiver))
    assert [(f.ret_id, f.months) for f in due] == [(ret.pk, 3)]
    assert list(selectors.follow_ups_due(actor=rw.focal)) == due
    assert list(selectors.follow_ups_due(actor=rw.officer)) == []  # the sending office


def test_command_notifies_each_due_follow_up_once(rw):
    ret = _arrived(rw, 100)
    _arrived(rw, 10)  # nothing due yet
    call_command("notify_return_followups", stdout=open("/dev/null", "w"))  # noqa: SIM115
    items = Item.objects.filter(kind=Kind.RETURN_FOLLOW_UP_DUE)
    assert [(i.office_id, i.params["reference"]) for i in items] == [
        (rw.receiving_office.pk, ret.reference)
    ]
    assert items[0].params["due"] == ret.follow_ups.get(months=3).due_on.isoformat()
    assert ret.person.given_names not in str(items[0].params)
    assert services.return_followups_notify() == 0  # once
    assert FollowUp.objects.get(ret=ret, months=3).notified_on == timezone.localdate()
    # The 6-month one, when it falls due (the other return's 3-month one by then too).
    six = ret.follow_ups.get(months=6)
    services.return_followups_notify(today=six.due_on - dt.timedelta(days=1))
    before = Item.objects.filter(params__reference=ret.reference).count()
    services.return_followups_notify(today=six.due_on)
    assert Item.objects.filter(params__reference=ret.reference).count() == before + 1
    assert FollowUp.objects.get(ret=ret, months=6).notified_on == six.due_on


def test_command_notifies_an_overdue_plan_once(rw):
    ret = _arrived(rw, 45, plan=False)
    _arrived(rw, 20, plan=False)  # still within 30 days
    assert ret.plan_overdue
    assert services.return_followups_notify() == 1
    item = Item.objects.get(kind=Kind.RETURN_PLAN_OVERDUE)
    assert item.params == {"reference": ret.reference, "due": ret.plan_due_on.isoformat()}
    assert services.return_followups_notify() == 0


def test_ended_returns_are_not_followed_up(rw):
    ret = _arrived(rw, 100)
    ret.refresh_from_db()
    services.return_close(
        actor=rw.receiver, ret=ret, version=ret.version, outcome="lost_contact", reason="Sin datos"
    )
    assert services.return_followups_notify() == 0
    assert list(selectors.follow_ups_due(actor=rw.receiver)) == []
