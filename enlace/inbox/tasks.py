"""Background work of the inbox: the e-mail of one item, and the daily digest."""

from uuid import UUID

from django_tasks import task

from . import services


@task()
def send_item_email(item_id: str) -> int:
    return services.item_email_send(item_id=UUID(item_id))


@task()
def send_digest() -> int:
    return services.digest_send()
