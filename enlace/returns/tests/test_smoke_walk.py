from enlace.returns.models import Status

from .conftest import ADULT_SKIPS, open_adult, walk


def test_adult_walks_to_reintegration(rw):
    ret = walk(rw, open_adult(rw), until="reintegration_plan", skip=ADULT_SKIPS)
    assert ret.status == Status.REINTEGRATION
    assert ret.follow_ups.count() == 3
