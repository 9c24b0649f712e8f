"""Small public reads the remittance pages need beside the selectors: the countries offered by
the comparison form, and whether a corridor has a World Bank series. Public data, no actor."""

from django.db.models import QuerySet

from enlace.core.models import Country

from . import regions
from .models import SERIES_AVERAGE_TOTAL_COST, Corridor, CorridorQuarter


def _into_lac() -> QuerySet[Corridor]:
    return Corridor.objects.filter(receiving_id__in=regions.LAC)


def sending_countries() -> list[Country]:
    """Countries that send into Latin America and the Caribbean in some corridor."""
    return list(Country.objects.filter(code__in=_into_lac().values("sending_id")))


def receiving_countries() -> list[Country]:
    """The countries of Latin America and the Caribbean that some corridor reaches."""
    return list(Country.objects.filter(code__in=_into_lac().values("receiving_id")))


def has_series(sending: str, receiving: str) -> bool:
    """The corridor has a published World Bank average (its corridor page has a chart)."""
    return CorridorQuarter.objects.filter(
        corridor__sending_id=sending,
        corridor__receiving_id=receiving,
        series_code=SERIES_AVERAGE_TOTAL_COST,
    ).exists()
