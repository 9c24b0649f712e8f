"""Lookups by id from a URL or a request body: a malformed id is a 404 like a missing one."""

import uuid
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def uuid_or_404(value: Any) -> uuid.UUID:
    """The value as a UUID, or 404 (never a 500 from the database) when it is not one."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError) as exc:
        raise Http404 from exc


def get_or_404(queryset: QuerySet[M], pk: Any) -> M:
    """The object with this id in an already scoped queryset; missing, forbidden and malformed
    ids all give the same 404."""
    try:
        return queryset.get(pk=uuid_or_404(pk))
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def uuids(values: Any) -> list[uuid.UUID]:
    """The values that are UUIDs, as UUIDs (the others left out): ids read back from a log."""
    found = []
    for value in values:
        try:
            found.append(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
        except (ValueError, TypeError, AttributeError):
            continue
    return found
