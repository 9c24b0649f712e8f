"""Who may do what with a good practice: the one place these rules live (pages, API, navigation
and inbox links all ask here).

- Submit: any member of an office (its staff, focal points, an association's representatives,
  the secretariat): the practice belongs to that office (author = office + user), and any
  member of the office works on it while it is a draft, returned or withdrawn.
- Review: the regional secretariat's analysts and administrators (an office of kind
  "secretariat"), on submitted practices; never their own.
- Everyone (no login): published practices, their files, and "Ask the author".
- Staff pages of a practice: its office's members, and the reviewers once it was submitted
  (a draft is its office's own). Everyone else: 404, as for a missing practice.
- The questions sent to the author (with the sender's e-mail) are seen by its office only.
"""

from django.db.models import Q

from enlace.access import roles
from enlace.accounts.actor import Actor
from enlace.accounts.models import Office

from .models import EDITABLE, Practice, Status

REVIEWER_ROLES = roles.AGGREGATE_READERS | roles.ADMINISTRATORS


def may_submit(actor: Actor) -> bool:
    """Write practices for one's office (the navigation item, "my practices")."""
    return actor is not None and actor.office is not None and actor.role is not None


def is_reviewer(actor: Actor) -> bool:
    office = actor.office if actor is not None else None
    return (
        office is not None
        and office.kind == Office.Kind.SECRETARIAT
        and roles.in_group(actor.role, REVIEWER_ROLES)
    )


def is_author_side(actor: Actor, practice: Practice) -> bool:
    return may_submit(actor) and practice.author_office_id == actor.office.pk  # type: ignore[union-attr]


def reach(actor: Actor) -> Q | None:
    """The practices whose staff page the actor may open (None: none)."""
    if not may_submit(actor):
        return None
    mine = Q(author_office=actor.office)
    if is_reviewer(actor):
        return mine | ~Q(status=Status.DRAFT)
    return mine


def sees(actor: Actor, practice: Practice) -> bool:
    return is_author_side(actor, practice) or (
        is_reviewer(actor) and practice.status != Status.DRAFT
    )


def can_edit(actor: Actor, practice: Practice) -> bool:
    return is_author_side(actor, practice) and practice.status in EDITABLE


def can_submit(actor: Actor, practice: Practice) -> bool:
    return can_edit(actor, practice)


def can_withdraw(actor: Actor, practice: Practice) -> bool:
    return is_author_side(actor, practice) and practice.status in (
        Status.SUBMITTED,
        Status.PUBLISHED,
    )


def can_review(actor: Actor, practice: Practice) -> bool:
    return (
        is_reviewer(actor)
        and practice.status == Status.SUBMITTED
        and practice.author_id != actor.user.pk
    )


def sees_questions(actor: Actor, practice: Practice) -> bool:
    return is_author_side(actor, practice)


def practice_permissions(actor: Actor, practice: Practice) -> dict[str, bool]:
    """What the practice's staff page offers the actor, as booleans for the template."""
    return {
        "edit": can_edit(actor, practice),
        "submit": can_submit(actor, practice),
        "withdraw": can_withdraw(actor, practice),
        "review": can_review(actor, practice),
        "questions": sees_questions(actor, practice),
        "files": can_edit(actor, practice),
    }
