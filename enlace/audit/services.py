"""Write audit rows. Callers run inside their own transaction, so the row commits with the act."""

from collections.abc import Iterable
from typing import Any

from django.db import connection, models

from enlace.accounts.actor import Actor
from enlace.accounts.models import Office

from .immutability import REDACT_FUNCTION, audit_purge
from .models import AccessEvent, ChangeEvent


def record_type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def access_record(
    *, actor: Actor, obj: models.Model, owner_office: Office | None, purpose: str
) -> AccessEvent:
    """Log that the actor read a sensitive record, and why."""
    return AccessEvent.objects.create(
        actor=actor.user,
        actor_office=actor.office,
        record_type=record_type_of(obj),
        record_id=str(obj.pk),
        owner_office=owner_office,
        purpose=purpose[:200],
    )


def change_record(
    *,
    actor: Actor,
    obj: models.Model,
    owner_office: Office | None,
    action: str,
    changes: dict[str, Any] | None = None,
) -> ChangeEvent:
    """Log a write to a record: what was done and which fields changed."""
    return ChangeEvent.objects.create(
        actor=actor.user,
        actor_office=actor.office,
        record_type=record_type_of(obj),
        record_id=str(obj.pk),
        owner_office=owner_office,
        action=action,
        changes=changes or {},
    )


def change_records(
    *,
    actor: Actor,
    records: Iterable[tuple[models.Model, Office | None, str, dict[str, Any]]],
) -> int:
    """Log many writes at once (a bulk import): (record, owner office, action, changes) each,
    as change_record would one by one. Returns how many were logged."""
    rows = [
        ChangeEvent(
            actor=actor.user,
            actor_office=actor.office,
            record_type=record_type_of(obj),
            record_id=str(obj.pk),
            owner_office=owner_office,
            action=action,
            changes=changes or {},
        )
        for obj, owner_office, action, changes in records
    ]
    ChangeEvent.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed, as strings."""
    return {
        k: [str(before.get(k)), str(v)] for k, v in after.items() if str(before.get(k)) != str(v)
    }


def changes_redact(*, obj: models.Model, keys: Iterable[str]) -> int:
    """Blank the former and new values of `keys` in a record's change history (an anonymised
    person's names): who changed what, and when, stays. Returns how many rows changed."""
    wanted = set(keys)
    if not wanted:
        return 0
    if connection.vendor == "postgresql":
        # The application's role may not update audit rows: the owner's function does exactly
        # this rewrite and nothing else (enlace.audit.immutability, migration 0007).
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {REDACT_FUNCTION}(%s, %s, %s)",
                [record_type_of(obj), str(obj.pk), sorted(wanted)],
            )
            return int(cursor.fetchone()[0])
    changed = 0
    rows = ChangeEvent.objects.filter(record_type=record_type_of(obj), record_id=str(obj.pk))
    # SQLite has no roles: the triggers let the rewrite through inside audit_purge() only.
    with audit_purge():
        for row in rows.only("pk", "changes"):
            if not isinstance(row.changes, dict) or not wanted & row.changes.keys():
                continue
            redacted = {k: (["…", "…"] if k in wanted else v) for k, v in row.changes.items()}
            ChangeEvent.objects.filter(pk=row.pk).update(changes=redacted)
            changed += 1
    return changed
