"""Who manages which association: the one place these rules live (pages, API and services ask
here).

- A representative edits only their own association: the actor acts as an association
  representative (enlace.access.roles.ASSOCIATION_REPS) in the association's own office
  (`represents`). A representative of another association gets 404, as for a missing one.
- The network's administrators moderate: they may correct any association or project, and take
  an association out of the public directory (`moderates`). Nobody else edits: national focal
  points, officers, analysts and the secretariat read the public directory like everyone.
- Everyone, signed in or not, reads the public directory, association pages and municipality
  pages: an association listed there shows only the contact data it marked public.
"""

from typing import Any

from django.db.models import Q

from enlace.access import roles
from enlace.access.rules import NOTHING
from enlace.accounts.actor import Actor


def _is_rep(actor: Actor) -> bool:
    return actor.office is not None and roles.in_group(actor.role, roles.ASSOCIATION_REPS)


def represents(actor: Actor, association: Any) -> bool:
    """THE rule: the actor is a representative of this association (acting in its office)."""
    office = actor.office
    return _is_rep(actor) and office is not None and office.pk == association.office_id


def moderates(actor: Actor) -> bool:
    """Correct any association or project, list or unlist an association: administrators."""
    return actor.office is not None and roles.in_group(actor.role, roles.ADMINISTRATORS)


def can_edit(actor: Actor, association: Any) -> bool:
    """Edit the association and add, edit or delete its projects."""
    return represents(actor, association) or moderates(actor)


def can_register(actor: Actor) -> bool:
    """Register the association of the actor's office (a representative whose association
    office has no association record yet; services check the office)."""
    return _is_rep(actor)


def manages_some(actor: Actor) -> bool:
    """The navigation item and the "my association" page."""
    return _is_rep(actor) or moderates(actor)


def editable(actor: Actor) -> Q:
    """Filter for the associations the actor may edit (see can_edit)."""
    if moderates(actor):
        return Q()
    if _is_rep(actor) and actor.office is not None:
        return Q(office=actor.office)
    return NOTHING
