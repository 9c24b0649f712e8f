"""Jobs of the core app."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from .jobs import job_function, job_progress
from .models import Country, Currency, Job
from .reference import iter_countries, load_reference_data


@job_function(
    "reference_refresh",
    label=_("Refresh of country and currency names"),
    stages={"countries and currencies": _("Countries and currencies")},
    results={"countries": _("Countries"), "currencies": _("Currencies")},
)
def reference_refresh(job: Job) -> dict[str, Any]:
    """Refresh country and currency names from pycountry's catalogues."""
    total = len(list(iter_countries()))
    job_progress(job, 0, total, "countries and currencies")
    countries, currencies = load_reference_data(Country, Currency)
    job_progress(job, total, total)
    return {"countries": countries, "currencies": currencies}
