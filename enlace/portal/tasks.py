"""Background work of the intake: the requester's codes by e-mail, and the daily purge."""

from django_tasks import task

from . import services


@task()
def send_codes(email: str, language: str, reference: str, secret: str) -> int:
    return services.codes_email_send(
        email=email, language=language, reference=reference, secret=secret
    )


@task()
def purge_requests() -> int:
    return services.requests_purge()
