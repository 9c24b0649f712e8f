"""Jobs of the core app."""

from typing import Any

from .jobs import job_function, job_progress
from .models import Country, Currency, Job
from .reference import iter_countries, load_reference_data


@job_function("reference_refresh")
def reference_refresh(job: Job) -> dict[str, Any]:
    """Refresh country and currency names from pycountry's catalogues."""
    total = len(list(iter_countries()))
    job_progress(job, 0, total, "countries and currencies")
    countries, currencies = load_reference_data(Country, Currency)
    job_progress(job, total, total)
    return {"countries": countries, "currencies": currencies}
