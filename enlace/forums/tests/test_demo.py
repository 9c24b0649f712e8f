from enlace.forums.demo import seed_demo_forums
from enlace.forums.models import (
    CommitmentStatus,
    CountryPosition,
    Decision,
    Forum,
    Meeting,
    RegionalStatus,
)
from enlace.inbox.models import Item, Kind


def test_the_demo_loads_the_forums_once_with_a_position_waiting_for_guatemala(fw):
    seed_demo_forums()  # twice: nothing more
    assert Forum.objects.count() == 2
    assert CountryPosition.objects.count() == 3
    assert Meeting.objects.filter(title="FMMD 2010 Puerto Vallarta").exists()
    statuses = dict(CountryPosition.objects.values_list("country_id", "status"))
    assert statuses == {"MX": "endorsed", "GT": "draft", "HN": "submitted"}
    assert fw.regional.status == RegionalStatus.CONSULTATION
    answers = dict(fw.regional.endorsements.values_list("country_id", "decision"))
    assert answers == {
        "MX": Decision.ENDORSED,
        "HN": Decision.ENDORSED,
        "GT": Decision.PENDING,
        "SV": Decision.PENDING,
    }
    # Guatemala's focal points were told the draft waits for them; the secretariat that Mexico
    # endorsed it.
    assert Item.objects.filter(kind=Kind.FORUM_DRAFT_READY, office__country_id="GT").exists()
    assert Item.objects.filter(kind=Kind.FORUM_ENDORSED, office__kind="secretariat").exists()
    assert CommitmentStatus.objects.filter(country_id="GT", status="achieved").exists()
