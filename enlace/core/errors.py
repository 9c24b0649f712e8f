"""Errors that services raise, and the one mapping from them to HTTP used by the API's exception
handler (enlace.core.api) and by the page middleware (enlace.core.middleware)."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class ValidationFailed(Exception):
    """Input the service refuses: {field: [messages]} shown next to the fields (400)."""

    def __init__(self, errors: dict[str, list[Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


class StaleEdit(Exception):
    """Someone else changed the record since it was read (409)."""


class TransitionNotAllowed(Exception):
    """The workflow does not allow this step from the current status (409)."""

    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message


STALE_EDIT_MESSAGE = _("This record was changed by someone else. Reload and try again.")
NOT_FOUND_MESSAGE = _("Not found.")


@dataclass(frozen=True)
class HttpError:
    """What a service error becomes over HTTP: a status, a message and any field errors."""

    status: int
    detail: Any
    field_errors: dict[str, list[Any]] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        """The JSON body: field errors as DRF writes them, or {"detail": message}."""
        if self.field_errors:
            return {k: [str(m) for m in v] for k, v in self.field_errors.items()}
        return {"detail": str(self.detail)}


def http_error(exc: BaseException) -> HttpError | None:
    """The HTTP form of a service error, or None for an exception that is not one of them.

    Missing and forbidden are the same 404 with the same text, so a response never tells an
    outsider that a record exists.
    """
    if isinstance(exc, ValidationFailed):
        messages = [str(m) for v in exc.errors.values() for m in v]
        return HttpError(400, " ".join(messages), exc.errors)
    if isinstance(exc, StaleEdit):
        return HttpError(409, STALE_EDIT_MESSAGE)
    if isinstance(exc, TransitionNotAllowed):
        return HttpError(409, exc.message)
    if isinstance(exc, Http404 | PermissionDenied | ObjectDoesNotExist):
        return HttpError(404, NOT_FOUND_MESSAGE)
    return None
