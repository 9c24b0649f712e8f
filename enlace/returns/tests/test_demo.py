from enlace.accounts.actor import actor_for
from enlace.accounts.models import User
from enlace.returns import selectors
from enlace.returns.models import Return, Status


def test_demo_returns_for_the_browser_journey(demo):
    from enlace.returns.demo import seed_demo_returns

    seed_demo_returns()
    seed_demo_returns()  # idempotent
    statuses = sorted(Return.objects.values_list("status", flat=True))
    assert statuses == sorted([Status.REQUESTED, Status.DEPARTED, Status.REINTEGRATION])
    focal = actor_for(User.objects.get(username="focal.mx"))
    # focal.mx (national focal point at the receiving office) sees the arrival coming and the
    # 3-month follow-up due.
    arriving = list(selectors.upcoming_arrivals(actor=focal))
    assert [r.status for r in arriving] == [Status.DEPARTED]
    due = list(selectors.follow_ups_due(actor=focal))
    assert [f.months for f in due] == [3]
