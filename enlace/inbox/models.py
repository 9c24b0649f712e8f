"""Inbox items: what waits for a user or for an office's staff, and who has read it.

An item stores its kind and a few safe parameters (references, office names), never translated
text or a person's name: its title is written when it is read, in the reader's language
(enlace.inbox.present), and carries no more than the reader could open."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.models import BaseModel


class Kind(models.TextChoices):
    MATCH_TO_REVIEW = "match_to_review", _("Match to review")
    MATCH_PROPOSED = "match_proposed", _("Possible match found")
    MATCH_CONFIRMED = "match_confirmed", _("Match confirmed")
    MATCH_REJECTED = "match_rejected", _("Match rejected")
    MATCH_WITHDRAWN = "match_withdrawn", _("Match withdrawn")
    REQUEST_WITHDRAWN = "request_withdrawn", _("Tracing request withdrawn")
    REFERRAL_RECEIVED = "referral_received", _("Referral received")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_REJECTED = "referral_rejected", _("Referral rejected")
    REFERRAL_DONE = "referral_done", _("Referral finished")
    REFERRAL_REVOKED = "referral_revoked", _("Referral revoked")
    REFERRAL_CASE_CLOSED = "referral_case_closed", _("Referred case closed")
    APPROVAL_WAITING = "approval_waiting", _("Approval waiting")
    REUNIFICATION_STEP = "reunification_step", _("Reunification step")
    CASE_OVERDUE = "case_overdue", _("Case overdue")
    JOB_FINISHED = "job_finished", _("Job finished")
    # Trafficking (enlace.trafficking.alerts, .access_requests): no identity, ever.
    TRAFFICKING_ALERT = "trafficking_alert", _("Trafficking alert")
    TRAFFICKING_ALERT_ESCALATED = "trafficking_alert_escalated", _("Trafficking alert escalated")
    # One item per office for a whole HTCDS import (how many cases touch its country).
    TRAFFICKING_IMPORT_ALERT = "trafficking_import_alert", _("Trafficking cases imported")
    TRAFFICKING_IMPORT_ESCALATED = (
        "trafficking_import_escalated",
        _("Imported trafficking cases not acknowledged"),
    )
    TRAFFICKING_ACCESS_REQUESTED = "trafficking_access_requested", _("Identity access requested")
    TRAFFICKING_ACCESS_GRANTED = "trafficking_access_granted", _("Identity access granted")
    TRAFFICKING_ACCESS_REFUSED = "trafficking_access_refused", _("Identity access refused")
    TRAFFICKING_ACCESS_REVOKED = "trafficking_access_revoked", _("Identity access revoked")
    # Returns (enlace.returns): reference, offices and dates only, never a name.
    RETURN_UPCOMING_ARRIVAL = "return_upcoming_arrival", _("Upcoming arrival")
    RETURN_DEPARTED = "return_departed", _("Returnee departed")
    RETURN_PLAN_OVERDUE = "return_plan_overdue", _("Reintegration plan overdue")
    RETURN_FOLLOW_UP_DUE = "return_follow_up_due", _("Return follow-up due")
    RETURN_HANDOVER_ENDED = "return_handover_ended", _("Return hand-over consent withdrawn")
    # Forums (enlace.forums): agenda items' titles and office names only.
    FORUM_DRAFT_READY = "forum_draft_ready", _("Regional position to endorse")
    FORUM_DRAFT_CHANGED = "forum_draft_changed", _("Regional position changed")
    FORUM_ENDORSED = "forum_endorsed", _("Regional position endorsed")
    FORUM_OBJECTED = "forum_objected", _("Objection to a regional position")
    # Good practices (enlace.practices): the practice's title, never the sender of a question.
    PRACTICE_SUBMITTED = "practice_submitted", _("Practice submitted for review")
    PRACTICE_PUBLISHED = "practice_published", _("Practice published")
    PRACTICE_RETURNED = "practice_returned", _("Practice returned with comments")
    PRACTICE_QUESTION = "practice_question", _("Question about a practice")
    # The public portal (enlace.portal): a date and a link, never the request's content.
    PORTAL_REQUEST = "portal_request", _("Request from the public to triage")
    # Data protection (enlace.privacy): a short reference and dates, never the person.
    PRIVACY_REQUEST = "privacy_request", _("Data-protection request recorded")
    PRIVACY_REQUEST_DUE = "privacy_request_due", _("Data-protection request due soon")
    PRIVACY_BREACH_DUE = "privacy_breach_due", _("Breach to notify")


class Item(BaseModel):
    """Something that waits for one user (`user`) or for the staff of an office (`office`,
    optionally only some of its roles)."""

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inbox_items",
    )
    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inbox_items",
    )
    # The roles of the office who see it, as ",role,role," (empty: every member of the office).
    roles = models.CharField(max_length=200, blank=True)
    # Safe parameters of the title: references, office names, codes; never a person's name.
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    # Set for items that must not be made twice (an overdue case: once per case per day).
    dedupe_key = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        indexes = [
            models.Index(fields=["user", "-created"], name="inbox_user_newest"),
            models.Index(fields=["office", "-created"], name="inbox_office_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=True) ^ models.Q(office__isnull=True),
                name="inbox_item_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="inbox_item_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id or self.office_id}"


class Receipt(models.Model):
    """A user has read an item (an office's item is read by each of its members on their own)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="inbox_receipt_once"),
        ]
        indexes = [models.Index(fields=["user", "item"], name="inbox_receipt_user")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.item_id}"


class Preference(models.Model):
    """How a user wants to hear of new items by e-mail (no row: one e-mail per item)."""

    class Email(models.TextChoices):
        EACH = "each", _("An e-mail for each item")
        DIGEST = "digest", _("A daily digest")
        NONE = "none", _("No e-mail")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_preference"
    )
    email = models.CharField(_("e-mail"), max_length=8, choices=Email.choices, default=Email.EACH)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"
