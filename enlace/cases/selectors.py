"""Reads of cases and referrals, always scoped by the actor (404 when out of scope)."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from enlace.access import rules
from enlace.access.reads import Purpose, read_many, read_one
from enlace.access.rules import case_reach
from enlace.accounts.actor import Actor
from enlace.core.filters import filtered
from enlace.core.lookups import get_or_404
from enlace.core.querysets import bounded_count, top_ids

from .filters import CaseFilter
from .models import Attachment, Case, CaseStatus, Referral

DASHBOARD_ROWS = 10


def case_list(*, actor: Actor, filters: Any = None) -> QuerySet[Case]:
    """Cases the actor may see, filtered by CaseFilter (status, type, risk, assignee, overdue,
    office, name); a bad filter value raises ValidationFailed."""
    scope, branches = case_reach(actor)
    qs = Case.objects.scoped(scope, branches).select_related(
        "person",
        "person__owner_office",
        "owner_office",
        "owner_office__country",
        "assigned_to",
    )
    if filters:
        qs = filtered(CaseFilter, filters, qs, actor=actor)
    return qs


def case_get(*, actor: Actor, case_id: UUID | str) -> Case:
    """One case in scope, without logging: for writes and checks. To show a case, case_read."""
    return get_or_404(case_list(actor=actor), case_id)


def case_read(
    *,
    actor: Actor,
    case_id: UUID | str,
    purpose: str = Purpose.VIEW,
    check: Callable[[Actor, Case], bool] | None = None,
) -> Case:
    """One case to show (page, partial, form, API): the read is logged, a refusal too. `check`
    narrows who may open this view of it (an edit form: the owner's staff)."""
    return read_one(
        actor=actor,
        record_type="cases.case",
        record_id=case_id,
        get=lambda: case_get(actor=actor, case_id=case_id),
        purpose=purpose,
        check=check,
    )


def cases_shown(
    *, actor: Actor, cases: Iterable[Case], purpose: str = Purpose.LIST
) -> Sequence[Case]:
    """Cases about to be shown in a list or an export: one logged read each."""
    return read_many(actor=actor, records=cases, purpose=purpose)


def is_owner_staff(actor: Actor, case: Case) -> bool:
    return rules.can_edit_case(actor, case)


def accepted_referral(actor: Actor, case: Case) -> Referral | None:
    if not rules.is_office_staff(actor):
        return None
    return case.referrals.filter(to_office=actor.office, status=Referral.Status.ACCEPTED).first()


def can_work_on(actor: Actor, case: Case) -> bool:
    """Add actions and notes: the owner office, or an office the case was referred to."""
    return rules.can_work_on_case(
        actor, case, referred_in=accepted_referral(actor, case) is not None
    )


def case_permissions(actor: Actor, case: Case) -> dict[str, bool]:
    """The case page's permission flags for this actor."""
    return rules.case_permissions(
        actor, case, referred_in=accepted_referral(actor, case) is not None
    )


def referral_list(*, actor: Actor, direction: str = "in") -> QuerySet[Referral]:
    """Referrals addressed to the actor's office ('in') or sent by it ('out')."""
    office = actor.office
    if office is None or not rules.is_office_staff(actor):
        return Referral.objects.none()
    qs = Referral.objects.select_related("case", "from_office", "to_office")
    return qs.filter(to_office=office) if direction == "in" else qs.filter(from_office=office)


def referral_get(*, actor: Actor, referral_id: UUID | str) -> Referral:
    """A referral the actor's office sent or received."""
    office = actor.office
    if office is None or not rules.is_office_staff(actor):
        raise Http404
    return get_or_404(
        Referral.objects.select_related("case", "from_office", "to_office").filter(
            Q(to_office=office) | Q(from_office=office)
        ),
        referral_id,
    )


def attachment_get(*, actor: Actor, attachment_id: UUID | str) -> Attachment:
    attachment = get_or_404(Attachment.objects.select_related("case"), attachment_id)
    case_get(actor=actor, case_id=attachment.case_id)  # 404 unless the case is visible
    return attachment


def attachment_read(*, actor: Actor, attachment_id: UUID | str) -> Attachment:
    """A file of a case to download: the read is logged, a refusal too."""
    return read_one(
        actor=actor,
        record_type="cases.attachment",
        record_id=attachment_id,
        get=lambda: attachment_get(actor=actor, attachment_id=attachment_id),
        owner_path="case__owner_office",
        purpose=Purpose.DOWNLOAD,
    )


def _top(qs: QuerySet[Referral]) -> list[Referral]:
    """The newest few, found through the index before their cases and offices are joined (joined
    first, the database hashes every case to sort a few hundred referrals)."""
    ids = top_ids(qs, DASHBOARD_ROWS)
    loaded = qs.in_bulk(ids)
    return [loaded[pk] for pk in ids]


def dashboard(*, actor: Actor) -> dict[str, Any]:
    """Counts and short lists for the home page of each role: each list is the top of the
    scope's branches (index reads), and the cases of all of them load in one query."""
    cases = case_list(actor=actor)
    open_cases = cases.exclude(status=CaseStatus.CLOSED)
    lists = {
        "my_cases": open_cases.filter(assigned_to=actor.user),
        "overdue": open_cases.filter(due_date__lt=timezone.localdate()).order_by("due_date"),
        "closure_pending": open_cases.filter(closure_requested_by__isnull=False),
        "assessment_pending": open_cases.filter(status=CaseStatus.ASSESSMENT),
    }
    ids = {key: top_ids(qs, DASHBOARD_ROWS) for key, qs in lists.items()}
    loaded = cases.in_bulk({pk for found in ids.values() for pk in found})
    open_count, open_count_exact = bounded_count(open_cases)
    board: dict[str, Any] = {
        key: [loaded[pk] for pk in found if pk in loaded] for key, found in ids.items()
    }
    return board | {
        "open_count": open_count,
        "open_count_exact": open_count_exact,
        "referrals_in": _top(
            referral_list(actor=actor, direction="in").filter(status=Referral.Status.REQUESTED)
        ),
        "referrals_out": _top(
            referral_list(actor=actor, direction="out").filter(
                status__in=[Referral.Status.REQUESTED, Referral.Status.ACCEPTED]
            )
        ),
    }
