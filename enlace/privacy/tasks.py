"""Background work of data protection: the daily reminders and the retention purge."""

from django_tasks import task

from . import services


@task()
def remind() -> int:
    return services.requests_remind()


@task()
def purge() -> dict[str, int]:
    return services.privacy_purge(dry_run=False)
