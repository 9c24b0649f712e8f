"""Errors that services raise, and the one mapping from them to HTTP used by the API's exception
handler (enlace.core.api) and by the page middleware (enlace.core.middleware)."""

import logging
import sqlite3
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

# The database ran out of something (503): the transaction was rolled back, nothing of the
# request was saved, and only the operator can fix it (docs/operator.md, "When the disk fills").
DATABASE_FULL = "database_full"
DATABASE_SHORT = "database_short"
SHORTAGE_MESSAGES = {
    DATABASE_FULL: _(
        "The database has no space left: nothing of this was saved. Tell your administrator."
    ),
    DATABASE_SHORT: _(
        "The database is short of memory or connections: nothing of this was saved. Try again "
        "in a few minutes; if it goes on, tell your administrator."
    ),
}
# PostgreSQL's SQLSTATE class 53, "insufficient resources": 53100 disk_full, 53200
# out_of_memory, 53300 too_many_connections, 53400 configuration_limit_exceeded
# (https://www.postgresql.org/docs/15/errcodes-appendix.html).
PG_INSUFFICIENT_RESOURCES = "53"
PG_DISK_FULL = "53100"

logger = logging.getLogger("enlace.database")


def database_shortage(exc: BaseException) -> str | None:
    """DATABASE_FULL or DATABASE_SHORT when the exception (or what caused it: Django wraps the
    driver's error) is the database running out of disk, memory or connections, else None.
    PostgreSQL: SQLSTATE class 53; SQLite: SQLITE_FULL ("database or disk is full")."""
    seen: BaseException | None = exc
    for _depth in range(10):
        if seen is None:
            break
        sqlstate = getattr(seen, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(PG_INSUFFICIENT_RESOURCES):
            return DATABASE_FULL if sqlstate == PG_DISK_FULL else DATABASE_SHORT
        if getattr(seen, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            return DATABASE_FULL
        seen = seen.__cause__ or seen.__context__
    return None


def log_shortage(exc: BaseException, where: str) -> None:
    """What the operator reads in the log when a request or a job met a database shortage."""
    logger.error("database shortage (%s) in %s: %s", database_shortage(exc), where, exc)


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
    shortage = database_shortage(exc)
    if shortage is not None:
        return HttpError(503, SHORTAGE_MESSAGES[shortage])
    return None
