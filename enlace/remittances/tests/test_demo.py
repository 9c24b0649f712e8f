"""The demo: the real World Bank corridor series, and demonstration quotes that say so."""

import pytest

from enlace.audit.models import ChangeEvent
from enlace.remittances import selectors
from enlace.remittances.demo import CORRIDORS, OFFERS, seed_demo_remittances
from enlace.remittances.models import CorridorQuarter, Provider, Quote

pytestmark = pytest.mark.django_db


def test_demo_loads_real_series_and_labelled_demonstration_quotes(demo):
    lines = seed_demo_remittances()
    assert CorridorQuarter.objects.count() > 5000
    assert Quote.objects.count() == len(CORRIDORS) * len(OFFERS) * 2
    assert not Quote.objects.filter(is_demonstration=False).exists()
    assert set(Quote.objects.values_list("source", flat=True)) == {"demonstration"}
    assert all(p.name.startswith("Demo ") for p in Provider.objects.all())
    assert ChangeEvent.objects.filter(record_type="remittances.quote", action="create").count() == (
        Quote.objects.count()
    )
    assert any("not real prices" in line for line in lines)

    result = selectors.compare("US", "HN", None)
    assert len(result.rows) == len(OFFERS) and result.has_demonstration
    # the corridor figures: the quotes' average beside the World Bank's (real) series
    figures = selectors.corridor_figures("US", "GT")
    assert figures.has_demonstration and figures.bands[0].services == len(OFFERS)
    assert figures.bands[0].smart.enough  # 4 transparent services within 5 days
    assert selectors.corridor_series("US", "GT")[0].quarter == "2011Q1"

    again = seed_demo_remittances()
    assert Quote.objects.count() == len(CORRIDORS) * len(OFFERS) * 2
    assert "0 new" in again[0]
