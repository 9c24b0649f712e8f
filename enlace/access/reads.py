"""Logged reads by construction: every sensitive record shown goes through read_one/read_many,
which write one AccessEvent per record (who, when, which record, which purpose). A refused
read (out of scope: the 404) is logged too, as denied, so probing leaves a trace.

The apps' per-kind read functions (cases.selectors.case_read, people.selectors.person_read,
tracing.selectors.match_read …) wrap these; pages, htmx partials, edit forms, API endpoints
and exports call those and never the plain getters.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.apps import apps
from django.core.exceptions import ValidationError
from django.http import Http404

from enlace.accounts.actor import Actor
from enlace.audit.models import AccessEvent, Purpose

T = TypeVar("T")
OwnerOf = Callable[[Any], Any]  # record -> id of the office that owns it

__all__ = ["Purpose", "read_many", "read_one"]


def _event(
    actor: Actor, record_type: str, record_id: str, owner_id: Any, purpose: str, **kw: Any
) -> AccessEvent:
    return AccessEvent(
        actor=actor.user if actor.user.is_authenticated else None,
        actor_office=actor.office,
        record_type=record_type,
        record_id=record_id[:64],
        owner_office_id=owner_id,
        purpose=Purpose(purpose).value,
        **kw,
    )


def _owner_of_missing(record_type: str, record_id: Any, owner_path: str) -> Any:
    """The owning office of a record the actor may not see (None if it does not exist), so the
    owner's overseers see the refused attempt in the record's history."""
    try:
        model = apps.get_model(record_type)
        return (
            model._default_manager.filter(pk=record_id).values_list(owner_path, flat=True).first()
        )
    except (LookupError, ValueError, TypeError, ValidationError):  # a malformed id: no record
        return None


def read_one(
    *,
    actor: Actor,
    record_type: str,
    record_id: Any,
    get: Callable[[], T],
    owner_path: str = "owner_office",
    purpose: str = Purpose.VIEW,
    check: Callable[[Actor, T], bool] | None = None,
) -> T:
    """Fetch one record through the scoped `get` and log the read; log a refusal and re-raise
    the 404 when `get` refuses. `check` narrows who may open this view of the record (an edit
    form: the owner's staff); failing it is a refusal like any other."""
    try:
        obj = get()
        if check is not None and not check(actor, obj):
            raise Http404
    except Http404:
        owner_id = _owner_of_missing(record_type, record_id, owner_path)
        _event(actor, record_type, str(record_id), owner_id, purpose, denied=True).save()
        raise
    _event(actor, record_type, str(obj.pk), _owner_id(obj, owner_path), purpose).save()  # type: ignore[attr-defined]
    return obj


def read_many(
    *,
    actor: Actor,
    records: Iterable[T],
    owner_path: str = "owner_office",
    purpose: str = Purpose.LIST,
) -> Sequence[T]:
    """Log one read per record about to be shown (a page of a list, an export) and return them."""
    shown = list(records)
    if shown:
        AccessEvent.objects.bulk_create(
            _event(
                actor,
                r._meta.label_lower,  # type: ignore[attr-defined]
                str(r.pk),  # type: ignore[attr-defined]
                _owner_id(r, owner_path),
                purpose,
            )
            for r in shown
        )
    return shown


def _owner_id(obj: Any, owner_path: str) -> Any:
    """Follow 'a__b__owner_office' on an object to the office id, using loaded relations."""
    *path, last = owner_path.split("__")
    for step in path:
        obj = getattr(obj, step)
    return getattr(obj, f"{last}_id")
