"""The firewall in one place: who may see, change or export which case and person, and which of
their fields.

A record belongs to the office that created it. It is visible to that office's staff, to the
national focal points of the same country, to the trafficking focal points of that country for
trafficking matters, and to another office only through an active grant (an accepted referral, a
confirmed tracing match). Missing and forbidden are the same 404 (selectors raise Http404).

Scopes are Q objects for querysets; predicates take one record. Neither imports the domain apps:
they name fields, so people, cases and tracing can build on them.
"""

from typing import Any, Protocol

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from enlace.accounts.actor import Actor
from enlace.audit.models import Purpose

from . import roles

TRAFFICKING_CASE = "possible_trafficking"
TRAFFICKING_FLAG = "trafficking_victim"
# Grant.Source.TRAFFICKING_IDENTITY_REQUEST (see _grant_target).
TRAFFICKING_IDENTITY_GRANT = "trafficking.identityrequest"
GBV_FLAG = "gbv_survivor"
NOTHING = Q(pk__in=[])


class Protection:
    """Values of Person.identity_protection: whose identity only focal points may see."""

    NONE = ""
    GBV = "gbv"
    TRAFFICKING = "trafficking"


class PersonLike(Protocol):
    pk: Any
    owner_office_id: Any
    owner_office: Any
    identity_protection: str


class CaseLike(Protocol):
    pk: Any
    status: str
    owner_office_id: Any


def is_office_staff(actor: Actor) -> bool:
    return actor.office is not None and roles.in_group(actor.role, roles.OFFICE_STAFF)


def is_approver(actor: Actor) -> bool:
    return actor.office is not None and roles.in_group(actor.role, roles.APPROVERS)


def works_cases(actor: Actor) -> bool:
    """May see cases and people at all (each within scope)."""
    return actor.office is not None and roles.in_group(actor.role, roles.CASE_ROLES)


def can_trace(actor: Actor) -> bool:
    return actor.office is not None and roles.in_group(actor.role, roles.TRACING_ROLES)


def is_administrator(actor: Actor) -> bool:
    return actor.office is not None and roles.in_group(actor.role, roles.ADMINISTRATORS)


def oversees_country(actor: Actor) -> bool:
    """Sees every office of the actor's country at a glance (national focal points)."""
    return actor.office is not None and roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS)


def reads_aggregates(actor: Actor) -> bool:
    """Reads regional aggregates only, under the disclosure rule (enlace.core.disclosure)."""
    return actor.office is not None and roles.in_group(actor.role, roles.AGGREGATE_READERS)


def represents_association(actor: Actor) -> bool:
    return actor.office is not None and roles.in_group(actor.role, roles.ASSOCIATION_REPS)


def can_oversee(actor: Actor) -> bool:
    """Reads some record's history (which ones: history_scope)."""
    return actor.office is not None and roles.in_group(actor.role, roles.OVERSIGHT_ROLES)


def uses_api(actor: Actor) -> bool:
    """Connects national systems or analysis tools to Enlace through the API."""
    return actor.office is not None and roles.in_group(actor.role, roles.API_ROLES)


# Grants ---------------------------------------------------------------------------------


def active_grants() -> Q:
    """Grants not revoked and not expired, now."""
    return Q(revoked_at__isnull=True) & (
        Q(valid_until__isnull=True) | Q(valid_until__gt=timezone.now())
    )


def _grant_target(actor: Actor) -> Q | None:
    """Which grants reach the actor: its own office's (staff), or the referrals to its
    country's offices (national focal points oversee referrals addressed to their country, not
    the people found for a family). Others hold no grants."""
    office = actor.office
    if office is None:
        return None
    if roles.in_group(actor.role, roles.OFFICE_STAFF):
        # A trafficking identity grant opens a case's identities to the office's trafficking
        # focal points only (enlace.trafficking.rules reads it), never the person to its staff.
        return Q(office=office) & ~Q(source_type=TRAFFICKING_IDENTITY_GRANT)
    if roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS):
        # …and the returns handed over to their country's offices (enlace.returns).
        return Q(
            office__country_id=office.country_id, purpose__in=[Purpose.REFERRAL, Purpose.RETURN]
        )
    return None


# Up to this many, the ids of granted records are read first and written into the query as a
# list: `owner = X OR id IN (<ids>)` then combines two index scans, where a subquery there makes
# PostgreSQL scan the whole table. Beyond it (rare: grants expire), the subquery.
GRANT_IDS_INLINE = 2000


def _granted(actor: Actor, record: str) -> Q:
    """Records (`record` is "case" or "person") opened to the actor by an active grant."""
    from .models import Grant

    target = _grant_target(actor)
    if target is None:
        return NOTHING
    grants = Grant.objects.filter(target, active_grants(), **{f"{record}__isnull": False})
    ids = grants.order_by().values_list(f"{record}_id", flat=True)
    inline = list(ids[: GRANT_IDS_INLINE + 1])
    return Q(pk__in=set(inline) if len(inline) <= GRANT_IDS_INLINE else ids)


def _exists(model: str, link: str, outer: str, **filters: Any) -> Exists:
    """EXISTS over a domain model named by its label (the access layer imports no domain app),
    rows whose `link` is the outer row's `outer`: a filter through a to-many relation without
    the duplicate rows (and the DISTINCT) a join would bring."""
    rows = apps.get_model(model)._default_manager.filter(**{link: OuterRef(outer)}, **filters)
    return Exists(rows)


# Scopes (Q objects) ---------------------------------------------------------------------


def case_reach(actor: Actor) -> tuple[Any, list[Q]]:
    """(scope, branches) for Case querysets: the filter of what the actor may see (no join to a
    to-many relation, so no DISTINCT), and the parts whose union it is, each readable in order
    through an index (owned cases; cases opened by a grant — see enlace.core.querysets). The
    grant ids are read once for both."""
    office = actor.office
    if office is None:
        return NOTHING, []
    if roles.in_group(actor.role, roles.OFFICE_STAFF):
        branches = [Q(owner_office=office), _granted(actor, "case")]
    elif roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS):
        branches = [Q(owner_office__country_id=office.country_id), _granted(actor, "case")]
    elif roles.in_group(actor.role, roles.TRAFFICKING_FOCAL_POINTS):
        # A trafficking flag always sets the person's identity protection (people's services
        # keep it): the indexed column finds the few candidates, EXISTS keeps the rule exact.
        flagged = Q(person__identity_protection=Protection.TRAFFICKING) & Q(
            _exists("people.Vulnerability", "person_id", "person_id", kind=TRAFFICKING_FLAG)
        )
        branches = [Q(case_type=TRAFFICKING_CASE), flagged]
        country = Q(owner_office__country_id=office.country_id)
        return country & (branches[0] | branches[1]), [country & b for b in branches]
    else:
        return NOTHING, []
    return branches[0] | branches[1], branches


def person_reach(actor: Actor) -> tuple[Any, list[Q]]:
    """(scope, branches) for Person querysets: owned (office or country), or opened by a grant
    (see case_reach)."""
    office = actor.office
    if office is None:
        return NOTHING, []
    if roles.in_group(actor.role, roles.TRAFFICKING_FOCAL_POINTS):
        # Trafficking victims: flagged, or with a trafficking case. People's services keep
        # exactly that in identity_protection (person_protection_refresh, on every change of
        # either), an indexed column: testing the flag and the cases again here would make the
        # database hash every trafficking case of the network for each page.
        return (
            Q(owner_office__country_id=office.country_id)
            & Q(identity_protection=Protection.TRAFFICKING)
        ), []
    if roles.in_group(actor.role, roles.OFFICE_STAFF):
        branches = [Q(owner_office=office), _granted(actor, "person")]
    elif roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS):
        branches = [Q(owner_office__country_id=office.country_id), _granted(actor, "person")]
    else:
        return NOTHING, []
    return branches[0] | branches[1], branches


def identity_visible(actor: Actor, prefix: str = "") -> Any:
    """Filter for people (or `prefix` + person fields) whose identity the actor may see: search
    may match names only there, or it would spell out a protected name letter by letter."""
    office = actor.office
    if office is None:
        return NOTHING
    p = prefix
    own = (
        Q(**{f"{p}owner_office": office})
        if roles.in_group(actor.role, roles.OFFICE_STAFF)
        else NOTHING
    )
    same_country = Q(**{f"{p}owner_office__country_id": office.country_id})
    protection = f"{p}identity_protection"
    visible = Q(**{protection: Protection.NONE}) | own
    if roles.in_group(actor.role, roles.TRAFFICKING_FOCAL_POINTS):
        visible |= Q(**{f"{protection}__in": [Protection.TRAFFICKING, Protection.GBV]}) & (
            same_country
        )
    elif roles.in_group(actor.role, roles.FOCAL_POINTS):
        visible |= Q(**{protection: Protection.GBV}) & same_country
    return visible


def history_scope(actor: Actor) -> Any:
    """Filter for audit rows (by their owning office) the actor may read: supervisors their own
    office's, national focal points their country's, administrators every office's."""
    office = actor.office
    if office is None or not can_oversee(actor):
        return NOTHING
    if roles.in_group(actor.role, roles.ADMINISTRATORS):
        return Q()
    if roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS):
        return Q(owner_office__country_id=office.country_id)
    return Q(owner_office=office)


def receives_referrals() -> Q:
    """Filter for offices a case can be referred to: active, of a kind that works cases, and
    with at least one active officer or supervisor to receive it (not an association)."""
    from enlace.accounts.models import CASEWORK_KINDS, Membership

    staff = Membership.objects.filter(
        office=OuterRef("pk"), is_active=True, user__is_active=True, role__in=roles.OFFICE_STAFF
    )
    return Q(is_active=True, kind__in=CASEWORK_KINDS) & Q(Exists(staff))


# Predicates on one record --------------------------------------------------------------


def is_owner_staff(actor: Actor, owner_office_id: Any) -> bool:
    """Staff of the office that owns the record."""
    office = actor.office
    return is_office_staff(actor) and office is not None and office.pk == owner_office_id


def sees_migratory_status(actor: Actor, owner_office_id: Any) -> bool:
    """Only the owning office's own staff ever see the migratory status."""
    return is_owner_staff(actor, owner_office_id)


def protection_for(kinds: set[str], has_trafficking_case: bool) -> str:
    """Identity protection from the vulnerabilities assessed and whether a trafficking case
    exists (the value people keep in Person.identity_protection)."""
    if TRAFFICKING_FLAG in kinds or has_trafficking_case:
        return Protection.TRAFFICKING
    if GBV_FLAG in kinds:
        return Protection.GBV
    return Protection.NONE


def protection_of(person: PersonLike) -> str:
    """The person's identity protection: the column people's services keep current
    (person_protection_refresh), so a list need not load every person's flags and cases."""
    return person.identity_protection


def sees_identity(actor: Actor, person: PersonLike) -> bool:
    """Trafficking victims: owner office and trafficking focal points. GBV survivors: owner
    office and focal points of its country. Everyone else who can see the record sees the name."""
    office = actor.office
    if office is None:
        return False
    own = is_owner_staff(actor, person.owner_office_id)
    same_country = office.country_id == person.owner_office.country_id
    protection = protection_of(person)
    if protection == Protection.TRAFFICKING:
        return own or (roles.in_group(actor.role, roles.TRAFFICKING_FOCAL_POINTS) and same_country)
    if protection == Protection.GBV:
        return own or (roles.in_group(actor.role, roles.FOCAL_POINTS) and same_country)
    return True


def can_edit_case(actor: Actor, case: CaseLike) -> bool:
    """Edit the facts, take workflow steps, refer: the owning office's staff."""
    return is_owner_staff(actor, case.owner_office_id)


def can_approve(actor: Actor, case: CaseLike) -> bool:
    """Approve an assessment or a closure, refer without consent: the owner's supervisors."""
    return can_edit_case(actor, case) and is_approver(actor)


def can_work_on_case(actor: Actor, case: CaseLike, *, referred_in: bool) -> bool:
    """Add actions, notes and files: the owner office, or the staff of an office whose referral
    of the case is accepted and not yet done (`referred_in`, which cases works out)."""
    if case.status == "closed":
        return False
    return can_edit_case(actor, case) or (is_office_staff(actor) and referred_in)


def can_export_case(actor: Actor, case: CaseLike) -> bool:
    """Take a case away as a file (the list's export, the printable summary): whoever works
    cases and sees this one (the scope is the case's; this adds the role)."""
    return works_cases(actor)


def can_edit_person(actor: Actor, person: PersonLike) -> bool:
    return is_owner_staff(actor, person.owner_office_id)


def can_see_history(actor: Actor, owner_office: Any) -> bool:
    """Who viewed or changed a record of `owner_office` (an Office or its id)."""
    office = actor.office
    if office is None or owner_office is None or not can_oversee(actor):
        return False
    owner_id = getattr(owner_office, "pk", owner_office)
    if roles.in_group(actor.role, roles.ADMINISTRATORS):
        return True
    if roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS):
        country = getattr(owner_office, "country_id", None)
        if country is None:
            from enlace.accounts.models import Office

            country = Office.objects.filter(pk=owner_id).values_list("country_id", flat=True)
            country = next(iter(country), None)
        return country == office.country_id
    return owner_id == office.pk


def person_permissions(actor: Actor, person: PersonLike) -> dict[str, bool]:
    """What a person's page offers the actor, as booleans for the template."""
    return {
        "edit": can_edit_person(actor, person),
        "identity": sees_identity(actor, person),
        "migratory_status": sees_migratory_status(actor, person.owner_office_id),
        "see_history": can_see_history(actor, person.owner_office),
    }


def case_permissions(actor: Actor, case: Any, *, referred_in: bool) -> dict[str, bool]:
    """What a case's page offers the actor, as booleans for the template."""
    return {
        "edit": can_edit_case(actor, case),
        "approve": can_approve(actor, case),
        "work": can_work_on_case(actor, case, referred_in=referred_in),
        "migratory_status": sees_migratory_status(actor, case.owner_office_id),
        "see_history": can_see_history(actor, case.owner_office),
    }


# Requests from the public (enlace.portal) ------------------------------------------------


def public_request_scope(actor: Actor) -> Q:
    """Requests from the public the actor may triage and read: those routed to the actor's
    own office, for its officers and supervisors. Nobody else (not another office, not the
    national focal points: a request is not a record of anyone until triage makes it one)."""
    office = actor.office
    if office is None or not roles.in_group(actor.role, roles.OFFICE_STAFF):
        return NOTHING
    return Q(office=office)


def can_triage_public_request(actor: Actor, office_id: Any) -> bool:
    """Triage a request from the public (accept into a case or a tracing request, close it):
    the staff of the office it was routed to."""
    return is_owner_staff(actor, office_id)
