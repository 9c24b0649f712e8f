"""Who sees a trafficking or smuggling case, and who sees the identities in it: the one place
these rules live (the pages, the API, the panel and search all ask here).

- The case at all: trafficking focal points whose office's country owns the case, is on its
  route, or was granted access; national focal points of the owner country and the owning
  office's staff (both de-identified). Everyone else: 404.
- Identities (victims' names and person links, perpetrators' names and aliases, the values of
  phone, vehicle and bank account identifiers): only trafficking focal points of the owner
  country and of countries granted access.
- Free text (summary, closure reason, referral details, events' and incidents' descriptions,
  perpetrators' role details and organisation): exactly as the identities — a name typed
  there must not leak.
- Granted countries: the countries of offices holding an active grant (enlace.access, not
  revoked, not expired) of source `trafficking.identityrequest` whose source_id is the case and
  whose person is one of its victims.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q

from enlace.access import roles
from enlace.access.models import Grant
from enlace.access.rules import NOTHING, active_grants
from enlace.accounts.actor import Actor

from .models import RouteStop, TraffickingCase, Victim

GRANT_SOURCE = Grant.Source.TRAFFICKING_IDENTITY_REQUEST.value


def _country(actor: Actor) -> str | None:
    office = actor.office
    return None if office is None else office.country_id


def is_focal_point(actor: Actor) -> bool:
    """Opens, edits and (for its country's cases) sees the identities of trafficking cases."""
    return actor.office is not None and roles.in_group(actor.role, roles.TRAFFICKING_FOCAL_POINTS)


def may_see_some(actor: Actor) -> bool:
    """Some trafficking case may be in reach (the navigation item, the list page)."""
    return actor.office is not None and roles.in_group(
        actor.role,
        roles.TRAFFICKING_FOCAL_POINTS | roles.NATIONAL_FOCAL_POINTS | roles.OFFICE_STAFF,
    )


def can_create(actor: Actor) -> bool:
    return is_focal_point(actor)


def granted_case_ids(country_id: str) -> set[uuid.UUID]:
    """Cases whose identities the offices of `country_id` were granted (an active grant on one
    of the case's victims, from an identity request)."""
    pairs = list(
        Grant.objects.filter(
            active_grants(), source_type=GRANT_SOURCE, office__country_id=country_id
        ).values_list("source_id", "person_id")
    )
    wanted: set[tuple[uuid.UUID, Any]] = set()
    for source_id, person_id in pairs:
        try:
            wanted.add((uuid.UUID(str(source_id)), person_id))
        except ValueError:
            continue
    if not wanted:
        return set()
    victims = Victim.objects.filter(
        case_id__in={c for c, _p in wanted}, person_id__in={p for _c, p in wanted}
    ).values_list("case_id", "person_id")
    return {case_id for case_id, person_id in victims if (case_id, person_id) in wanted}


def case_reach(actor: Actor) -> tuple[Any, list[Q]]:
    """(scope, branches) for TraffickingCase querysets (see enlace.core.querysets): what the
    actor may see at all, and the index-friendly parts whose union it is."""
    office = actor.office
    if office is None:
        return NOTHING, []
    country = office.country_id
    if roles.in_group(actor.role, roles.TRAFFICKING_FOCAL_POINTS):
        on_route = Exists(RouteStop.objects.filter(case=OuterRef("pk"), country_id=country))
        branches = [Q(owner_office__country_id=country), Q(on_route)]
        granted = granted_case_ids(country)
        if granted:
            branches.append(Q(pk__in=granted))
        scope = branches[0]
        for branch in branches[1:]:
            scope |= branch
        return scope, branches
    if roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS):
        return Q(owner_office__country_id=country), []
    if roles.in_group(actor.role, roles.OFFICE_STAFF):
        return Q(owner_office=office), []
    return NOTHING, []


def identity_scope(actor: Actor) -> Any:
    """Filter for the cases whose identities the actor may see: search may match names only
    there, or it would spell out a hidden name letter by letter."""
    country = _country(actor)
    if country is None or not is_focal_point(actor):
        return NOTHING
    granted = granted_case_ids(country)
    own = Q(owner_office__country_id=country)
    return own | Q(pk__in=granted) if granted else own


def sees_identities(actor: Actor, case: TraffickingCase) -> bool:
    """Names, person links and identifying values: trafficking focal points of the owner
    country and of countries granted access."""
    country = _country(actor)
    if country is None or not is_focal_point(actor):
        return False
    return case.owner_office.country_id == country or case.pk in granted_case_ids(country)


# Free text anyone may have typed a name into: shown, exported and searched only with the
# identities (issue 12), or it would be a side door through the firewall.
FREE_TEXT_FIELDS = (
    "summary",
    "closure_reason",
    "incoming_referral_details",
    "outgoing_referral_details",
)


def sees_free_text(actor: Actor, case: TraffickingCase) -> bool:
    """The case's free text (summary, closure reason, descriptions, role details): only with
    the identities. Its search column is matched only inside identity_scope."""
    return sees_identities(actor, case)


def free_text_among(actor: Actor, cases: Iterable[TraffickingCase]) -> set[uuid.UUID]:
    """The cases among `cases` (owner office loaded) whose free text the actor may read, in
    one query at most: for lists."""
    country = _country(actor)
    if country is None or not is_focal_point(actor):
        return set()
    granted = granted_case_ids(country)
    return {c.pk for c in cases if c.owner_office.country_id == country or c.pk in granted}


def can_edit(actor: Actor, case: TraffickingCase) -> bool:
    """Change the case: trafficking focal points of the owner country."""
    country = _country(actor)
    return is_focal_point(actor) and case.owner_office.country_id == country


def case_permissions(actor: Actor, case: TraffickingCase) -> dict[str, bool]:
    """What the case's page offers the actor, as booleans for the template."""
    identities = sees_identities(actor, case)
    return {"identities": identities, "edit": can_edit(actor, case)}
