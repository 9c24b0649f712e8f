"""Who may enter and correct remittance quotes and providers: the one place this rule lives
(pages, API and the staff list ask here). Everything public (comparison, corridor figures) needs
no rule: it is for everyone.

- National focal points of a national authority: the quotes of the corridors their country
  sends from or receives into, and the providers.
- Analysts of the regional secretariat and administrators: every quote and provider.
- Everyone else (officers, supervisors, trafficking focal points, association representatives,
  analysts outside the secretariat, anonymous visitors): nothing; out of reach is 404.
"""

from django.db.models import Q

from enlace.access import roles
from enlace.accounts.actor import Actor
from enlace.accounts.models import Office

NOTHING = Q(pk__in=[])


def _secretariat_analyst(actor: Actor) -> bool:
    office = actor.office
    return (
        office is not None
        and office.kind == Office.Kind.SECRETARIAT
        and roles.in_group(actor.role, roles.AGGREGATE_READERS)
    )


def _administrator(actor: Actor) -> bool:
    return actor.office is not None and roles.in_group(actor.role, roles.ADMINISTRATORS)


def _focal(actor: Actor) -> bool:
    return actor.office is not None and roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS)


def regional(actor: Actor) -> bool:
    """Works every corridor: the secretariat's analysts and administrators."""
    return _secretariat_analyst(actor) or _administrator(actor)


def may_edit_quotes(actor: Actor) -> bool:
    """Enter and correct quotes at all (the navigation item, the staff list)."""
    return regional(actor) or _focal(actor)


def may_edit_providers(actor: Actor) -> bool:
    """Create and correct providers (shared by every corridor)."""
    return may_edit_quotes(actor)


def may_import(actor: Actor) -> bool:
    """Run the World Bank imports (they touch every corridor): regional staff only."""
    return regional(actor)


def corridor_scope(actor: Actor, prefix: str = "") -> Q:
    """The corridors (or, with prefix "corridor__", the quotes) the actor may edit."""
    if regional(actor):
        return Q()
    if _focal(actor):
        country = actor.office.country_id  # type: ignore[union-attr]
        return Q(**{f"{prefix}sending_id": country}) | Q(**{f"{prefix}receiving_id": country})
    return NOTHING


def may_edit_corridor(actor: Actor, sending: str, receiving: str) -> bool:
    """A quote of this corridor (ISO alpha-2 codes)."""
    if regional(actor):
        return True
    if _focal(actor):
        country = actor.office.country_id  # type: ignore[union-attr]
        return country in (sending, receiving)
    return False
