"""Human-readable, sequential references (MX-2026-000123) allocated safely under concurrency."""

from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils import timezone

M = TypeVar("M", bound=models.Model)


def next_reference(model: type[models.Model], prefix: str) -> str:
    last = (
        model._default_manager.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(str(last).rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:06d}"


def create_with_reference(model: type[M], prefix: str, **fields: Any) -> M:
    """Create a row with the next free `<prefix><year>-<number>`; retried when two offices
    take the same number at the same moment (the unique constraint refuses the second)."""
    full = f"{prefix}{timezone.localdate().year}-"
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return model._default_manager.create(
                    reference=next_reference(model, full), **fields
                )
        except IntegrityError:
            continue
    raise IntegrityError(f"could not allocate a {model._meta.label} reference")
