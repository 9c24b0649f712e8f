"""Policy mutants: each rule of the access layer deliberately broken in turn, and the tests that
must notice (issue 18). A mutant that no test kills is a rule no test holds: write the test.

Each mutant swaps one function or constant for a broken one (`swapped`: in its module and in
every module that imported it by name), for as long as its tests run. Its `killers` are tried in
order until one fails: "matrix:<regex>" runs the cells of the policy table (policy.py) whose
endpoint names match, stopping at the first cell that differs; anything else is a pytest node id
(a file, or a file::test) run in the same process. `make mutants` (scripts/mutants.py) runs them
all, one at a time, on one test database; test_policy.py runs a few quick ones in `make test`.
"""

import importlib
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock

from django.db.models import Q
from django.http import Http404

from enlace.access import roles
from enlace.accounts.models import Role

Make = Callable[[Any], Any]  # the original → its broken replacement


@dataclass(frozen=True)
class Mutant:
    name: str  # what the break lets happen, in the words of the domain
    target: str  # "module.attribute" broken
    make: Make
    killers: tuple[str, ...]

    @contextmanager
    def applied(self) -> Iterator[None]:
        with swapped(self.target, self.make):
            yield


@contextmanager
def swapped(target: str, make: Make) -> Iterator[None]:
    """Replace `target` ("package.module.name") by make(original) in its module and in every
    loaded module that holds the same object under the same name (a `from … import name`)."""
    module_name, attr = target.rsplit(".", 1)
    module = importlib.import_module(module_name)
    original = getattr(module, attr)
    replacement = make(original)
    holders = [
        m
        for m in list(sys.modules.values())
        if getattr(m, "__dict__", None) is not None and m.__dict__.get(attr) is original
    ]
    with ExitStack() as stack:
        for holder in holders:
            stack.enter_context(mock.patch.object(holder, attr, replacement))
        yield


def matrix_endpoints(pattern: str) -> list[Any]:
    """The policy table's endpoints whose names match `pattern` (re.search)."""
    from .policy import ENDPOINTS

    found = [e for e in ENDPOINTS if re.search(pattern, e.name)]
    assert found, f"no endpoint of the policy table matches {pattern!r}"
    return found


# Small builders of broken rules ------------------------------------------------------------


def returns(value: Any) -> Make:
    """The rule answers `value` whatever it is asked."""
    return lambda _original: lambda *a, **kw: value


def value(new: Any) -> Make:
    """A constant changed."""
    return lambda _original: new


def widened(*extra: str) -> Make:
    """A role group with more roles in it."""
    return lambda original: frozenset(original | set(extra))


def for_roles(group: frozenset[str], broken: Callable[..., Any]) -> Make:
    """The rule broken for actors of `group` only (others get the original answer)."""

    def make(original: Any) -> Any:
        def rule(actor: Any, *a: Any, **kw: Any) -> Any:
            if actor is not None and roles.in_group(getattr(actor, "role", None), group):
                return broken(original, actor, *a, **kw)
            return original(actor, *a, **kw)

        return rule

    return make


def reach_all(_original: Any, _actor: Any, *_a: Any, **_kw: Any) -> tuple[Q, list[Q]]:
    return Q(), []


def scope_all(*_a: Any, **_kw: Any) -> Q:
    return Q()


def no_grants(original: Any) -> Any:
    """case/person reach with the branch opened by grants dropped (the owner's branch kept)."""

    def reach(actor: Any) -> Any:
        scope, branches = original(actor)
        if len(branches) == 2 and roles.in_group(actor.role, roles.OFFICE_STAFF):
            return branches[0], []
        return scope, branches

    return reach


def trafficking_fp_widened(original: Any) -> Any:
    """Trafficking focal points see every case of their country, trafficking or not."""

    def reach(actor: Any) -> Any:
        if actor.office is not None and roles.in_group(actor.role, roles.TRAFFICKING_FOCAL_POINTS):
            return Q(owner_office__country_id=actor.office.country_id), []
        return original(actor)

    return reach


def region_wide(original: Any) -> Any:
    """National focal points see the offices of every country (the region), not only theirs."""

    def reach(actor: Any) -> Any:
        if actor.office is not None and roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS):
            return Q(), []
        return original(actor)

    return reach


def grant_expiry_ignored(_original: Any) -> Any:
    return lambda: Q(revoked_at__isnull=True)


def grant_revocation_ignored(_original: Any) -> Any:
    from django.utils import timezone

    return lambda: Q(valid_until__isnull=True) | Q(valid_until__gt=timezone.now())


def identity_grants_to_staff(_original: Any) -> Any:
    """_grant_target without the exclusion of trafficking identity grants for staff."""

    def target(actor: Any) -> Q | None:
        office = actor.office
        if office is None:
            return None
        if roles.in_group(actor.role, roles.OFFICE_STAFF):
            return Q(office=office)
        if roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS):
            return Q(office__country_id=office.country_id)
        return None

    return target


def nfp_grants_everywhere(original: Any) -> Any:
    def target(actor: Any) -> Q | None:
        if actor.office is not None and roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS):
            return Q()
        return original(actor)

    return target


def unlogged_reads(_original: Any) -> Any:
    """read_one returns the record without writing its access row (refusals still logged)."""
    from enlace.access import reads

    def read_one(*, actor: Any, record_type: str, record_id: Any, get: Any, **kw: Any) -> Any:
        owner_path = kw.get("owner_path", "owner_office")
        purpose = kw.get("purpose", reads.Purpose.VIEW)
        check = kw.get("check")
        try:
            obj = get()
            if check is not None and not check(actor, obj):
                raise Http404
        except Http404:
            owner = reads._owner_of_missing(record_type, record_id, owner_path)
            reads._event(actor, record_type, str(record_id), owner, purpose, denied=True).save()
            raise
        return obj

    return read_one


def unlogged_refusals(_original: Any) -> Any:
    """read_one logs what it shows but not what it refuses: probing leaves no trace."""
    from enlace.access import reads

    def read_one(*, actor: Any, record_type: str, record_id: Any, get: Any, **kw: Any) -> Any:
        owner_path = kw.get("owner_path", "owner_office")
        purpose = kw.get("purpose", reads.Purpose.VIEW)
        check = kw.get("check")
        obj = get()
        if check is not None and not check(actor, obj):
            raise Http404
        reads._event(
            actor, record_type, str(obj.pk), reads._owner_id(obj, owner_path), purpose
        ).save()
        return obj

    return read_one


def check_ignored(original: Any) -> Any:
    """read_one without its `check` (an edit form opens to whoever may only view)."""

    def read_one(**kw: Any) -> Any:
        kw.pop("check", None)
        return original(**kw)

    return read_one


def lists_unlogged(_original: Any) -> Any:
    return lambda *, actor, records, **kw: list(records)


def revoke_nothing(_original: Any) -> Any:
    return lambda actor, grants: 0


def consent_hooks_skipped(_original: Any) -> Any:
    from enlace.access import grants

    def revoke(*, actor: Any, consent: Any) -> int:
        return grants._revoke(actor, grants.Grant.objects.filter(consent=consent))

    return revoke


def expiry_dropped(original: Any) -> Any:
    def create(**kw: Any) -> Any:
        kw["valid_until"] = None
        return original(**kw)

    return create


def country_not_office(_original: Any) -> Any:
    """'Staff of the owning office' read as 'staff of an office of the same country'."""
    from enlace.accounts.models import Office

    def is_owner_staff(actor: Any, owner_office_id: Any) -> bool:
        office = actor.office
        if office is None or not roles.in_group(actor.role, roles.OFFICE_STAFF):
            return False
        country = Office.objects.filter(pk=owner_office_id).values_list("country_id", flat=True)
        return office.country_id in list(country)

    return is_owner_staff


def trafficking_identities_to_nfp(original: Any) -> Any:
    """National focal points of the owner country see the identities of trafficking cases."""

    def sees(actor: Any, case: Any) -> bool:
        office = actor.office
        if office is not None and roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS):
            return case.owner_office.country_id == office.country_id
        return original(actor, case)

    return sees


def identity_visible_to_all(_original: Any) -> Any:
    return lambda actor, prefix="": Q()


def trafficking_identity_scope_all(_original: Any) -> Any:
    return lambda actor: Q()


def granted_ids_ignoring_revocation(_original: Any) -> Any:
    """trafficking.rules.granted_case_ids counting revoked and expired grants too."""
    import uuid

    from enlace.access.models import Grant
    from enlace.trafficking.models import Victim
    from enlace.trafficking.rules import GRANT_SOURCE

    def granted(country_id: str) -> set[Any]:
        pairs = Grant.objects.filter(
            source_type=GRANT_SOURCE, office__country_id=country_id
        ).values_list("source_id", "person_id")
        wanted = {(uuid.UUID(str(s)), p) for s, p in pairs}
        victims = Victim.objects.filter(case_id__in={c for c, _p in wanted}).values_list(
            "case_id", "person_id"
        )
        return {c for c, p in victims if (c, p) in wanted}

    return granted


def trafficking_fp_other_country_edits(_original: Any) -> Any:
    from enlace.trafficking import rules as trafficking

    return lambda actor, case: trafficking.is_focal_point(actor)


def receiving_without_grant(original: Any) -> Any:
    """returns.rules._grant_active always true: the receiving office keeps the return after
    the hand-over grant is revoked (or before it exists)."""
    return lambda ret, actor, granted: ret.receiving_office_id is not None


def receiving_sees_details(_original: Any) -> Any:
    from enlace.returns import rules as returns_rules

    return lambda actor, ret: returns_rules.sees(actor, ret)


def receiving_works_sending(_original: Any) -> Any:
    from enlace.returns import rules as returns_rules

    return lambda actor, ret: returns_rules.side(actor, ret) is not None


def documents_without_identity(_original: Any) -> Any:
    from enlace.returns import rules as returns_rules

    return lambda actor, ret: returns_rules.sees(actor, ret)


def all_corridors(original: Any) -> Any:
    def scope(actor: Any, prefix: str = "") -> Q:
        if actor.office is not None and roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS):
            return Q()
        return original(actor, prefix)

    return scope


def any_corridor(original: Any) -> Any:
    def may(actor: Any, sending: str, receiving: str) -> bool:
        if actor.office is not None and roles.in_group(actor.role, roles.NATIONAL_FOCAL_POINTS):
            return True
        return original(actor, sending, receiving)

    return may


def reviewers_see_drafts(original: Any) -> Any:
    from enlace.practices import rules as practices

    def reach(actor: Any) -> Q | None:
        if practices.is_reviewer(actor):
            return Q()
        return original(actor)

    return reach


def own_practice_reviewable(_original: Any) -> Any:
    from enlace.practices import rules as practices
    from enlace.practices.models import Status

    return lambda actor, practice: (
        practices.is_reviewer(actor) and practice.status == Status.SUBMITTED
    )


def questions_to_reviewers(_original: Any) -> Any:
    from enlace.practices import rules as practices

    return lambda actor, practice: practices.sees(actor, practice)


def any_country_position(original: Any) -> Any:
    """A national focal point writes for any country."""
    from enlace.forums import rules as forums

    return lambda actor, country_code: forums.focal_country(actor) is not None


def drafts_of_other_countries(_original: Any) -> Any:
    from enlace.forums import rules as forums

    def scope(actor: Any) -> Q:
        if not forums.reads_working_documents(actor):
            return forums.PUBLIC_POSITIONS
        return Q()

    return scope


def public_sees_circulated(original: Any) -> Any:
    from enlace.forums import rules as forums

    def scope(actor: Any) -> Q:
        if not forums.reads_working_documents(actor):
            return ~Q(status="draft")
        return original(actor)

    return scope


def any_rep_edits(_original: Any) -> Any:
    from enlace.diaspora import rules as diaspora

    return lambda actor, association: diaspora._is_rep(actor)


def reps_edit_all(original: Any) -> Any:
    from enlace.diaspora import rules as diaspora

    def editable(actor: Any) -> Q:
        return Q() if diaspora._is_rep(actor) else original(actor)

    return editable


def unlisted_public(_original: Any) -> Any:
    from enlace.diaspora.models import Association
    from enlace.diaspora.selectors import ASSOCIATION_RELATED

    return lambda: Association.objects.select_related(*ASSOCIATION_RELATED)


def drafts_published(_original: Any) -> Any:
    from enlace.core.lookups import get_or_404
    from enlace.practices import selectors
    from enlace.practices.models import Practice

    return lambda *, practice_id: get_or_404(
        selectors._with_details(Practice.objects.all()), practice_id
    )


def secret_ignored(_original: Any) -> Any:
    from enlace.portal import services
    from enlace.portal.models import PublicRequest

    def find(*, reference: Any, secret: Any) -> Any:
        found = PublicRequest.objects.filter(reference=services.normalise_code(reference)).first()
        if found is None:
            raise Http404
        return found

    return find


def inbox_for_everyone_in_office(_original: Any) -> Any:
    def audience(actor: Any) -> Q:
        q = Q(user_id=actor.user.pk)
        if actor.office is not None:
            q |= Q(office_id=actor.office.pk)
        return q

    return audience


def inbox_of_other_users(_original: Any) -> Any:
    return lambda actor: Q()


def requester_sees_proposals_refused(_original: Any) -> Any:
    from enlace.tracing.models import TracingMatch

    return Q(status__in=[s for s, _label in TracingMatch.Status.choices])


def disclosed_always(_original: Any) -> Any:
    from enlace.core.disclosure import Cell

    return lambda persons: Cell(persons)


# The mutants -------------------------------------------------------------------------------

R = "enlace.access.rules"
STAFF = roles.OFFICE_STAFF
CASES = "matrix:^(cases:|api:case-|api:referral-)"
PEOPLE = "matrix:^(people:|api:person-)"
RECORDS = "matrix:^(cases:|api:case-|api:referral-|people:|api:person-)"
TRAFFICKING = "matrix:^(trafficking:|api:trafficking-)"
RETURNS = "matrix:^(returns:|api:return-)"
PORTAL = "matrix:^(portal:|api:public-)"
TRACING = "matrix:^(tracing:|api:tracing-|api:reunification-)"
CASE_WORK = (
    "matrix:^(cases:(action_add|note_add|attachment_add)|api:case-(actions|notes|attachments))$"
)
CASE_STEPS = "matrix:^(cases:transition|api:case-transitions)$"
EDIT_FORMS = "matrix:^(cases:edit|people:edit)$"
ACCESS_LOG = "enlace/tests/access/test_access_log.py"

MUTANTS: list[Mutant] = [
    # enlace.access.rules: scopes
    Mutant(
        "officer sees other offices' cases (owner_office filter dropped)",
        f"{R}.case_reach",
        for_roles(STAFF, reach_all),
        (CASES,),
    ),
    Mutant(
        "national focal point's country scope widened to the region (cases)",
        f"{R}.case_reach",
        region_wide,
        (CASES,),
    ),
    Mutant(
        "trafficking focal point sees every case of its country",
        f"{R}.case_reach",
        trafficking_fp_widened,
        (CASES,),
    ),
    Mutant(
        "an accepted referral opens nothing (grant branch dropped, cases)",
        f"{R}.case_reach",
        no_grants,
        (CASES,),
    ),
    Mutant(
        "officer sees other offices' people",
        f"{R}.person_reach",
        for_roles(STAFF, reach_all),
        (PEOPLE,),
    ),
    Mutant(
        "national focal point's country scope widened to the region (people)",
        f"{R}.person_reach",
        region_wide,
        (PEOPLE,),
    ),
    Mutant(
        "trafficking focal point sees every person of its country",
        f"{R}.person_reach",
        trafficking_fp_widened,
        (PEOPLE,),
    ),
    Mutant(
        "a referral or a confirmed match opens no person (grant branch dropped)",
        f"{R}.person_reach",
        no_grants,
        (PEOPLE,),
    ),
    Mutant(
        "grant expiry ignored",
        f"{R}.active_grants",
        grant_expiry_ignored,
        (
            "enlace/access/tests/test_grants.py",
            RECORDS,
        ),
    ),
    Mutant(
        "revoked grant still honoured",
        f"{R}.active_grants",
        grant_revocation_ignored,
        (
            RECORDS,
            "enlace/access/tests/test_grants.py",
        ),
    ),
    Mutant(
        "a trafficking identity grant opens the person to the office's staff",
        f"{R}._grant_target",
        identity_grants_to_staff,
        ("enlace/trafficking/tests/test_access_requests.py", PEOPLE),
    ),
    Mutant(
        "national focal points hold every country's grants",
        f"{R}._grant_target",
        nfp_grants_everywhere,
        (CASES,),
    ),
    Mutant(
        "search matches protected names for everyone (identity_visible)",
        f"{R}.identity_visible",
        identity_visible_to_all,
        ("enlace/access/tests/test_search.py", "enlace/access/tests/test_rules.py"),
    ),
    Mutant(
        "supervisors read every office's audit history",
        f"{R}.history_scope",
        for_roles(roles.APPROVERS, lambda o, actor, *a: Q()),
        ("matrix:^audit:", "enlace/access/tests/test_rules.py"),
    ),
    Mutant(
        "migratory status shown to whoever sees the record",
        f"{R}.sees_migratory_status",
        returns(True),
        (
            "enlace/cases/tests/test_firewall.py::test_receiving_office_sees_the_case_but_not_the_status",
            CASES,
        ),
    ),
    Mutant(
        "trafficking victims' identities shown to non-trafficking roles",
        f"{R}.sees_identity",
        lambda original: (
            lambda actor, person: (
                True if person.identity_protection == "trafficking" else original(actor, person)
            )
        ),
        (CASES, "enlace/access/tests/test_rules.py"),
    ),
    Mutant(
        "GBV survivors named to the office a case was referred to",
        f"{R}.sees_identity",
        lambda original: (
            lambda actor, person: (
                True if person.identity_protection == "gbv" else original(actor, person)
            )
        ),
        (CASES, "enlace/access/tests/test_rules.py"),
    ),
    Mutant(
        "any office's staff edits a case (is_owner_staff by country)",
        f"{R}.is_owner_staff",
        country_not_office,
        (
            "enlace/access/tests/test_grants.py::"
            "test_a_referral_within_the_country_opens_the_case_but_not_the_owners_rights",
            CASES,
        ),
    ),
    Mutant(
        "a referred-in office edits the case",
        f"{R}.can_edit_case",
        lambda original: lambda actor, case: roles.in_group(actor.role, STAFF),
        (CASES,),
    ),
    Mutant(
        "officers approve assessments and closures",
        f"{R}.can_approve",
        lambda original: lambda actor, case: original.__globals__["can_edit_case"](actor, case),
        (
            CASE_STEPS,
            "enlace/cases/tests/test_permissions.py",
            "enlace/cases/tests/test_services.py",
        ),
    ),
    Mutant(
        "a closed case still takes actions and notes",
        f"{R}.can_work_on_case",
        lambda original: (
            lambda actor, case, *, referred_in: (
                original.__globals__["can_edit_case"](actor, case)
                or (original.__globals__["is_office_staff"](actor) and referred_in)
            )
        ),
        (
            CASE_WORK,
            "enlace/cases/tests/test_permissions.py",
            "enlace/cases/tests/test_services.py",
        ),
    ),
    Mutant(
        "any office's staff works on a case not referred to it",
        f"{R}.can_work_on_case",
        lambda original: (
            lambda actor, case, *, referred_in: original(actor, case, referred_in=True)
        ),
        (
            CASE_WORK,
            "enlace/access/tests/test_rules.py::"
            "test_only_the_owner_and_a_referred_in_office_work_on_a_case",
        ),
    ),
    Mutant(
        "a referred-in office edits the person",
        f"{R}.can_edit_person",
        lambda original: lambda actor, person: roles.in_group(actor.role, STAFF),
        ("matrix:^(people:edit|api:person-detail)$", PEOPLE),
    ),
    Mutant(
        "national focal points read the history of other countries' records",
        f"{R}.can_see_history",
        for_roles(roles.NATIONAL_FOCAL_POINTS, lambda o, actor, owner: owner is not None),
        ("matrix:^audit:", "enlace/access/tests/test_rules.py"),
    ),
    Mutant(
        "any office triages every request from the public",
        f"{R}.public_request_scope",
        for_roles(STAFF, lambda o, actor: Q()),
        (PORTAL,),
    ),
    Mutant(
        "national focal points read requests from the public",
        f"{R}.public_request_scope",
        for_roles(
            roles.NATIONAL_FOCAL_POINTS,
            lambda o, actor: Q(office__country_id=actor.office.country_id),
        ),
        (PORTAL,),
    ),
    Mutant(
        "any staff triages a request routed to another office",
        f"{R}.can_triage_public_request",
        lambda original: lambda actor, office_id: roles.in_group(actor.role, STAFF),
        (
            PORTAL,
            "enlace/access/tests/test_rules.py::"
            "test_only_the_receiving_offices_staff_triage_a_request_from_the_public",
        ),
    ),
    # enlace.access.roles: the groups
    Mutant(
        "officers oversee (read the audit history)",
        "enlace.access.roles.OVERSIGHT_ROLES",
        widened(Role.OFFICER),
        ("matrix:^audit:", "enlace/access/tests/test_rules.py"),
    ),
    Mutant(
        "officers approve (APPROVERS widened)",
        "enlace.access.roles.APPROVERS",
        widened(Role.OFFICER),
        (
            "enlace/access/tests/test_rules.py",
            CASE_STEPS,
            "enlace/cases/tests/test_services.py::test_workflow_with_supervisor_approvals",
        ),
    ),
    Mutant(
        "analysts work cases (CASE_ROLES widened)",
        "enlace.access.roles.CASE_ROLES",
        widened(Role.ANALYST),
        ("enlace/access/tests/test_rules.py", "matrix:^(cases:export|api:case-export)$"),
    ),
    Mutant(
        "national focal points draft the regional position (FORUM_SECRETARIAT widened)",
        "enlace.access.roles.FORUM_SECRETARIAT",
        widened(Role.NATIONAL_FOCAL_POINT),
        ("enlace/access/tests/test_rules.py", "matrix:^(forums|api:forum)"),
    ),
    # enlace.access.reads: the access log
    Mutant(
        "audit row not written on read",
        "enlace.access.reads.read_one",
        unlogged_reads,
        (ACCESS_LOG, "enlace/access/tests/test_reads.py"),
    ),
    Mutant(
        "a refused read leaves no trace",
        "enlace.access.reads.read_one",
        unlogged_refusals,
        ("enlace/access/tests/test_reads.py",),
    ),
    Mutant(
        "an edit form opens to whoever may only view (read_one's check ignored)",
        "enlace.access.reads.read_one",
        check_ignored,
        (EDIT_FORMS, CASES),
    ),
    Mutant(
        "lists and exports shown without access rows",
        "enlace.access.reads.read_many",
        lists_unlogged,
        (ACCESS_LOG, "enlace/access/tests/test_reads.py"),
    ),
    # enlace.access.grants
    Mutant(
        "revoking a grant leaves it active",
        "enlace.access.grants._revoke",
        revoke_nothing,
        ("enlace/access/tests/test_grants.py", "enlace/tracing/tests/test_firewall.py"),
    ),
    Mutant(
        "a consent withdrawal does not reach the referrals (hooks skipped)",
        "enlace.access.grants.grants_revoke_for_consent",
        consent_hooks_skipped,
        ("enlace/access/tests/test_grants.py", "enlace/cases/tests/test_consent.py"),
    ),
    Mutant(
        "a grant's end date is dropped when it is created",
        "enlace.access.grants.grant_create",
        expiry_dropped,
        (
            "enlace/access/tests/test_grants.py",
            "enlace/trafficking/tests/test_access_requests.py",
            "enlace/returns/tests/test_access.py",
        ),
    ),
    # enlace.trafficking.rules
    Mutant(
        "trafficking identities shown to national focal points",
        "enlace.trafficking.rules.sees_identities",
        trafficking_identities_to_nfp,
        (TRAFFICKING, "enlace/trafficking/tests/test_access.py"),
    ),
    # (rules.sees_free_text itself is not mutated: nothing calls it, the pages and exports
    # apply the same rule through sees_identities and free_text_among, mutated here.)
    Mutant(
        "trafficking free text listed with the de-identified cases",
        "enlace.trafficking.rules.free_text_among",
        lambda original: lambda actor, cases: {c.pk for c in cases},
        (TRAFFICKING, "enlace/trafficking/tests/test_freetext.py"),
    ),
    Mutant(
        "trafficking names searchable by whoever sees the case",
        "enlace.trafficking.rules.identity_scope",
        trafficking_identity_scope_all,
        ("enlace/trafficking/tests/test_access.py", "enlace/trafficking/tests/test_freetext.py"),
    ),
    Mutant(
        "a revoked trafficking identity grant still opens the identities",
        "enlace.trafficking.rules.granted_case_ids",
        granted_ids_ignoring_revocation,
        (TRAFFICKING, "enlace/trafficking/tests/test_access.py"),
    ),
    Mutant(
        "trafficking focal points see other countries' cases",
        "enlace.trafficking.rules.case_reach",
        for_roles(roles.TRAFFICKING_FOCAL_POINTS, reach_all),
        (TRAFFICKING, "enlace/trafficking/tests/test_access.py"),
    ),
    Mutant(
        "office staff see every trafficking case",
        "enlace.trafficking.rules.case_reach",
        for_roles(STAFF, reach_all),
        (TRAFFICKING, "enlace/trafficking/tests/test_access.py"),
    ),
    Mutant(
        "trafficking focal points of another country edit the case",
        "enlace.trafficking.rules.can_edit",
        trafficking_fp_other_country_edits,
        (TRAFFICKING, "enlace/trafficking/tests/test_access.py"),
    ),
    # enlace.returns.rules
    Mutant(
        "the receiving office keeps a return without (or after) the hand-over grant",
        "enlace.returns.rules._grant_active",
        receiving_without_grant,
        (RETURNS, "enlace/returns/tests/test_access.py"),
    ),
    Mutant(
        "the receiving side takes the sending side's steps",
        "enlace.returns.rules.works_sending",
        receiving_works_sending,
        (RETURNS, "enlace/returns/tests/test_access.py"),
    ),
    Mutant(
        "the receiving side reads counselling and medical notes",
        "enlace.returns.rules.sees_voluntariness_details",
        receiving_sees_details,
        (RETURNS, "enlace/returns/tests/test_access.py"),
    ),
    Mutant(
        "travel document numbers shown without the identity",
        "enlace.returns.rules.sees_document_numbers",
        documents_without_identity,
        (RETURNS, "enlace/returns/tests/test_access.py"),
    ),
    Mutant(
        "returns of other offices listed to office staff",
        "enlace.returns.rules.return_reach",
        for_roles(STAFF, reach_all),
        (RETURNS, "enlace/returns/tests/test_access.py"),
    ),
    # enlace.remittances.rules
    Mutant(
        "a national focal point edits quotes of corridors not its country's",
        "enlace.remittances.rules.corridor_scope",
        all_corridors,
        ("matrix:^(remittances:|api:remittance)", "enlace/remittances/tests/test_rules.py"),
    ),
    Mutant(
        "a national focal point enters a quote for any corridor",
        "enlace.remittances.rules.may_edit_corridor",
        any_corridor,
        ("matrix:^(remittances:|api:remittance)", "enlace/remittances/tests/test_rules.py"),
    ),
    Mutant(
        "national focal points run the World Bank imports",
        "enlace.remittances.rules.may_import",
        lambda original: lambda actor: original.__globals__["may_edit_quotes"](actor),
        ("matrix:^(remittances:|api:remittance)", "enlace/remittances/tests/test_rules.py"),
    ),
    # enlace.practices
    Mutant(
        "reviewers open other offices' drafts",
        "enlace.practices.rules.reach",
        reviewers_see_drafts,
        ("matrix:^(practices:|api:practice)", "enlace/practices/tests/test_views.py"),
    ),
    Mutant(
        "a reviewer reviews their own practice",
        "enlace.practices.rules.can_review",
        own_practice_reviewable,
        ("matrix:^(practices:|api:practice)", "enlace/practices/tests/test_services.py"),
    ),
    Mutant(
        "questions to the author (with the sender's e-mail) shown to reviewers",
        "enlace.practices.rules.sees_questions",
        questions_to_reviewers,
        ("matrix:^(practices:|api:practice)", "enlace/practices/tests/test_views.py"),
    ),
    Mutant(
        "a practice not yet published shown to the public",
        "enlace.practices.selectors.published_get",
        drafts_published,
        ("matrix:^(practices:|api:practice)", "enlace/practices/tests/test_views.py"),
    ),
    # enlace.forums.rules
    Mutant(
        "a national focal point writes another country's position",
        "enlace.forums.rules.speaks_for",
        any_country_position,
        ("matrix:^(forums|api:forum)", "enlace/forums/tests/test_views.py"),
    ),
    Mutant(
        "country draft positions read by other countries",
        "enlace.forums.rules.position_scope",
        drafts_of_other_countries,
        ("matrix:^(forums|api:forum)", "enlace/forums/tests/test_views.py"),
    ),
    Mutant(
        "the public reads the regional position before adoption",
        "enlace.forums.rules.regional_scope",
        public_sees_circulated,
        ("matrix:^(forums|api:forum)", "enlace/forums/tests/test_views.py"),
    ),
    # enlace.diaspora
    Mutant(
        "a representative edits another association",
        "enlace.diaspora.rules.represents",
        any_rep_edits,
        (
            "matrix:^(diaspora:|api:association)",
            "enlace/diaspora/tests/test_views.py",
            "enlace/diaspora/tests/test_services.py",
        ),
    ),
    Mutant(
        "a representative's list holds every association",
        "enlace.diaspora.rules.editable",
        reps_edit_all,
        ("matrix:^(diaspora:|api:association)", "enlace/diaspora/tests/test_views.py"),
    ),
    Mutant(
        "an unlisted association shown in the public directory",
        "enlace.diaspora.selectors.public_associations",
        unlisted_public,
        ("matrix:^(diaspora:|api:association)", "enlace/diaspora/tests/test_views.py"),
    ),
    # enlace.portal
    Mutant(
        "portal follow-up ignores the secret",
        "enlace.portal.services.request_find",
        secret_ignored,
        (PORTAL, "enlace/portal/tests/test_intake.py"),
    ),
    # enlace.inbox
    Mutant(
        "inbox items meant for one role shown to the office's other roles",
        "enlace.inbox.selectors._audience",
        inbox_for_everyone_in_office,
        ("matrix:^(inbox:|api:inbox)", "enlace/inbox/tests/test_views.py"),
    ),
    Mutant(
        "inbox items of other users and offices readable",
        "enlace.inbox.selectors._audience",
        inbox_of_other_users,
        ("matrix:^(inbox:|api:inbox)", "enlace/inbox/tests/test_views.py"),
    ),
    # enlace.tracing
    Mutant(
        "a requesting office sees proposals the person refused",
        "enlace.tracing.selectors.REQUESTER_VISIBLE",
        requester_sees_proposals_refused,
        (TRACING, "enlace/tracing/tests/test_firewall.py"),
    ),
    Mutant(
        "a withdrawn confirmation still shows the other office's contact",
        "enlace.tracing.selectors.withdrawn_for_requester",
        returns(False),
        (TRACING, "enlace/tracing/tests/test_firewall.py"),
    ),
    # enlace.core.disclosure: aggregates
    Mutant(
        "indicator cell under threshold published (threshold 1)",
        "enlace.core.disclosure.DISCLOSURE_THRESHOLD",
        value(1),
        (
            "enlace/indicators/tests/test_disclosure.py",
            "enlace/indicators/tests/test_home_panels.py",
        ),
    ),
    Mutant(
        "a lone figure under the threshold shown (disclosed)",
        "enlace.core.disclosure.disclosed",
        disclosed_always,
        (
            "enlace/indicators/tests/test_disclosure.py",
            "enlace/cases/tests/test_home_aggregates.py",
            "enlace/indicators/tests/test_home_panels.py",
        ),
    ),
]

# A few quick ones (each killed by the first matrix part it names) for `make test`.
QUICK = (
    "officer sees other offices' cases (owner_office filter dropped)",
    "revoked grant still honoured",
    "supervisors read every office's audit history",
)


def by_name(name: str) -> Mutant:
    return next(m for m in MUTANTS if m.name == name)
