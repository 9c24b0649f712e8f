"""Who reads and who writes in the forums: the one place these rules live (pages, API, navigation
and services all ask here).

- A national focal point writes only for their own office's country: that country's positions,
  comments on the regional position, its endorsement (or objection) and its commitment
  statuses. The country is always the one in the URL or the record, checked against the
  focal point's office; another country's is missing (404).
- The regional secretariat (an analyst or administrator of an office of kind "secretariat")
  manages forums, meetings and agenda items and drafts the regional position.
- Other staff (every role that handles the network's work) read: positions once submitted, the
  regional position once circulated, comments and endorsements. A country's draft position is
  seen only by the staff of that country; the secretariat's draft before it is circulated, only
  by the secretariat.
- The public (no login, and association representatives, who are not staff) sees forums,
  meetings, agenda items, the country positions marked public once submitted, and the adopted
  regional positions (their text; not the grid, the comments or the drafts): when in doubt,
  show less. The commitments tracker is for staff: countries report it to each other.
"""

from typing import Any

from django.db.models import Q

from enlace.access import roles
from enlace.accounts.models import Office

from .models import PositionStatus, RegionalStatus


def reads_working_documents(actor: Any) -> bool:
    """Staff of the network: the forums' working pages (and the navigation item)."""
    return (
        bool(actor) and actor.office is not None and roles.in_group(actor.role, roles.FORUM_READERS)
    )


def is_secretariat(actor: Any) -> bool:
    """The regional secretariat: an analyst or administrator of the secretariat's office."""
    office = actor.office if actor else None
    return (
        office is not None
        and office.kind == Office.Kind.SECRETARIAT
        and roles.in_group(actor.role, roles.FORUM_SECRETARIAT)
    )


def focal_country(actor: Any) -> str | None:
    """The country a national focal point speaks for (their office's), or None."""
    if not actor or actor.office is None:
        return None
    if not roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS):
        return None
    return str(actor.office.country_id)


def speaks_for(actor: Any, country_code: str) -> bool:
    """Write a country's position, comment, endorsement and commitment status."""
    return focal_country(actor) == country_code


def manages_forums(actor: Any) -> bool:
    return is_secretariat(actor)


def drafts_regional(actor: Any) -> bool:
    return is_secretariat(actor)


def sees_commitments(actor: Any) -> bool:
    return reads_working_documents(actor)


PUBLIC_POSITIONS = Q(is_public=True) & ~Q(status=PositionStatus.DRAFT)


def position_scope(actor: Any) -> Q:
    """The country positions the actor may read (None: the public)."""
    if not reads_working_documents(actor):
        return PUBLIC_POSITIONS
    return ~Q(status=PositionStatus.DRAFT) | Q(country_id=actor.office.country_id)


def regional_scope(actor: Any) -> Q:
    """The regional positions the actor may read (None: the public)."""
    if not reads_working_documents(actor):
        return Q(status=RegionalStatus.ADOPTED)
    if is_secretariat(actor):
        return Q()
    return ~Q(status=RegionalStatus.DRAFT)


def sees_working_parts(actor: Any) -> bool:
    """The endorsement grid and the comments of a regional position: staff."""
    return reads_working_documents(actor)


def item_permissions(actor: Any) -> dict[str, Any]:
    """What an agenda item's page offers the actor, as flags for the template."""
    country = focal_country(actor)
    return {
        "country": country,
        "writes_position": country is not None,
        "answers": country is not None,
        "comments": country is not None,
        "drafts": drafts_regional(actor),
        "manages": manages_forums(actor),
    }
