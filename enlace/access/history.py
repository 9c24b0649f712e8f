"""Read the audit trail of one record: only for those who oversee the owning office
(rules.history_scope, the same rule as the link on the record pages: rules.can_see_history)."""

from django.db.models import QuerySet
from django.http import Http404

from enlace.accounts.actor import Actor
from enlace.audit.models import AccessEvent, ChangeEvent

from .rules import can_oversee, history_scope


def _scope(actor: Actor, qs: QuerySet) -> QuerySet:
    if not can_oversee(actor):
        raise Http404
    return qs.filter(history_scope(actor))


def record_history(
    *, actor: Actor, record_type: str, record_id: str
) -> tuple[QuerySet[AccessEvent], QuerySet[ChangeEvent]]:
    """Reads and changes of one record; 404 if the actor may not oversee it or it has none."""
    reads = _scope(actor, AccessEvent.objects.filter(record_type=record_type, record_id=record_id))
    changes = _scope(
        actor, ChangeEvent.objects.filter(record_type=record_type, record_id=record_id)
    )
    if not reads.exists() and not changes.exists():
        raise Http404
    related = ("actor", "actor_office")
    return reads.select_related(*related), changes.select_related(*related)


def recent_events(*, actor: Actor, limit: int = 50) -> QuerySet[ChangeEvent]:
    """The latest changes to records of the offices the actor oversees."""
    return change_list(actor=actor)[:limit]


def change_list(*, actor: Actor) -> QuerySet[ChangeEvent]:
    """Changes to records of the offices the actor oversees (404 for anyone else), newest first;
    filter with enlace.access.filters.AuditFilter."""
    return _scope(actor, ChangeEvent.objects.all()).select_related("actor", "actor_office")
