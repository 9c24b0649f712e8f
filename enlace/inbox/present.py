"""An item's title, written when it is read, in the active language (the reader's page, or the
recipient's language for an e-mail). Only the parameters named in each template are used, and
those are references, office names and codes: never a person's name."""

import contextlib
import datetime as dt
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from enlace.core.models import Job

from .models import Item, Kind

TITLES: dict[str, Any] = {
    Kind.MATCH_TO_REVIEW: _(
        "Possible match to review: tracing request %(reference)s of %(office)s"
    ),
    Kind.MATCH_PROPOSED: _("A possible match for tracing request %(reference)s at %(office)s"),
    Kind.MATCH_CONFIRMED: _("%(office)s confirmed a match for tracing request %(reference)s"),
    Kind.MATCH_REJECTED: _(
        "%(office)s found that the possible match for tracing request %(reference)s is not "
        "the person sought"
    ),
    Kind.MATCH_WITHDRAWN: _(
        "The match for tracing request %(reference)s at %(office)s was withdrawn: the search "
        "goes on"
    ),
    Kind.REQUEST_WITHDRAWN: _(
        "%(office)s withdrew tracing request %(reference)s: its possible match needs no review"
    ),
    Kind.REFERRAL_RECEIVED: _("Case %(reference)s referred to your office by %(office)s"),
    Kind.REFERRAL_ACCEPTED: _("%(office)s accepted the referral of case %(reference)s"),
    Kind.REFERRAL_REJECTED: _("%(office)s rejected the referral of case %(reference)s"),
    Kind.REFERRAL_DONE: _("%(office)s finished its work on the referral of case %(reference)s"),
    Kind.REFERRAL_REVOKED: _("%(office)s withdrew the referral of case %(reference)s"),
    Kind.REFERRAL_CASE_CLOSED: _(
        "%(office)s closed case %(reference)s: your office's work on the referral is finished"
    ),
    Kind.APPROVAL_WAITING: _("Case %(reference)s waits for approval: %(step)s"),
    Kind.REUNIFICATION_STEP: _(
        "%(office)s recorded a reunification step for tracing request %(reference)s"
    ),
    Kind.CASE_OVERDUE: _("Case %(reference)s is overdue (due on %(due)s)"),
    Kind.JOB_FINISHED: _("Job finished: %(job)s (%(status)s)"),
    Kind.TRAFFICKING_ALERT: _(
        "%(case_kind)s %(reference)s of %(office)s, opened on %(date)s: its route passes "
        "through your country (%(route)s)"
    ),
    Kind.TRAFFICKING_ALERT_ESCALATED: _(
        "Not acknowledged yet: %(case_kind)s %(reference)s of %(office)s, opened on %(date)s, "
        "route %(route)s"
    ),
    Kind.TRAFFICKING_IMPORT_ALERT: _(
        "Cases imported by %(office)s on %(date)s whose route passes through your country: "
        "%(count)s"
    ),
    Kind.TRAFFICKING_IMPORT_ESCALATED: _(
        "Not acknowledged yet: cases imported by %(office)s on %(date)s whose route passes "
        "through your country: %(count)s"
    ),
    Kind.TRAFFICKING_ACCESS_REQUESTED: _(
        "%(office)s asks to see the identities in case %(reference)s"
    ),
    Kind.TRAFFICKING_ACCESS_GRANTED: _(
        "%(office)s granted your request to see the identities in case %(reference)s"
    ),
    Kind.TRAFFICKING_ACCESS_REFUSED: _(
        "%(office)s refused your request to see the identities in case %(reference)s"
    ),
    Kind.TRAFFICKING_ACCESS_REVOKED: _(
        "%(office)s revoked your access to the identities in case %(reference)s"
    ),
    Kind.RETURN_UPCOMING_ARRIVAL: _(
        "Upcoming arrival: return %(reference)s handed over by %(office)s, departure planned "
        "on %(date)s"
    ),
    Kind.RETURN_DEPARTED: _("Return %(reference)s of %(office)s departed: arriving on %(date)s"),
    Kind.RETURN_PLAN_OVERDUE: _("Return %(reference)s: the reintegration plan was due on %(due)s"),
    Kind.RETURN_FOLLOW_UP_DUE: _("Return %(reference)s: a follow-up is due (since %(due)s)"),
    Kind.RETURN_HANDOVER_ENDED: _(
        "Return %(reference)s: the person withdrew the consent to the hand-over to %(office)s"
    ),
    Kind.FORUM_DRAFT_READY: _(
        "The regional position on “%(reference)s” waits for your country's endorsement"
    ),
    Kind.FORUM_DRAFT_CHANGED: _(
        "The regional position on “%(reference)s” changed (draft %(count)s): your "
        "country's endorsement is asked again"
    ),
    Kind.FORUM_ENDORSED: _("%(office)s endorsed the regional position on “%(reference)s”"),
    Kind.FORUM_OBJECTED: _("%(office)s objected to the regional position on “%(reference)s”"),
    Kind.PRACTICE_SUBMITTED: _("%(office)s submitted a practice for review: %(reference)s"),
    Kind.PRACTICE_PUBLISHED: _("Your practice was published: %(reference)s"),
    Kind.PRACTICE_RETURNED: _("Your practice was returned with comments: %(reference)s"),
    Kind.PRACTICE_QUESTION: _("A question about your practice: %(reference)s"),
    Kind.PORTAL_REQUEST: _("A request from the public to triage, sent on %(date)s"),
    Kind.PRIVACY_REQUEST: _("Data-protection request %(reference)s recorded: answer by %(due)s"),
    Kind.PRIVACY_REQUEST_DUE: _("Data-protection request %(reference)s: answer by %(due)s"),
    Kind.PRIVACY_BREACH_DUE: _("Breach %(reference)s: notify it by %(due)s"),
}

# Trafficking case kinds (enlace.trafficking.models.CaseKind values), named here so that the
# inbox imports no domain app.
CASE_KINDS = {
    "trafficking": _("Trafficking case"),
    "smuggling": _("Smuggling case"),
}

STEPS = {
    "assessment": _("the assessment"),
    "closure": _("the closure"),
}
SAFE_PARAMS = ("reference", "office", "due", "job", "route", "count")


def title(item: Item) -> str:
    """The item's title in the active language."""
    params = {k: str(item.params.get(k, "")) for k in SAFE_PARAMS}
    params["step"] = str(STEPS.get(item.params.get("step", ""), ""))
    if params["due"]:
        with contextlib.suppress(ValueError):
            params["due"] = date_format(dt.date.fromisoformat(params["due"]), "SHORT_DATE_FORMAT")
    params["case_kind"] = str(CASE_KINDS.get(item.params.get("case_kind", ""), ""))
    params["date"] = ""
    with contextlib.suppress(ValueError):
        params["date"] = date_format(
            dt.date.fromisoformat(str(item.params.get("date", ""))), "SHORT_DATE_FORMAT"
        )
    status = item.params.get("status", "")
    params["status"] = str(Job.Status(status).label) if status in Job.Status.values else ""
    template = TITLES.get(item.kind)
    if template is None:
        return str(item.get_kind_display())
    return str(template) % params


def item_fields(item: Any) -> dict[str, Any]:
    """What a page row and the API show of an item (`item.is_read` from the selector)."""
    return {
        "id": item.pk,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "title": title(item),
        "created": item.created,
        "read": bool(getattr(item, "is_read", False)),
        "link": item.link,
    }
