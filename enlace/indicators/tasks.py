"""Background work of the indicators: the daily publication of the figures from Enlace's records
(enlace.indicators.releases.publish_due), so that no request ever computes a release."""

from django_tasks import task

from . import releases


@task()
def publish_indicators() -> int:
    """Publish what is due (quarters over, a year over): the number of releases that grew."""
    return len(releases.publish_due())
