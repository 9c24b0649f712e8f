"""Requests from the public, held for triage (intake half of the portal).

A request is what a migrant or a relative sent through the portal, as they wrote it, with no
link to any record until an office has triaged it. It is followed with a reference and a secret:
the secret is never stored, only its HMAC (services.secret_digest). What is not taken into a
case is purged after the receiving office's retention period (PortalSettings)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.models import BaseModel

DEFAULT_RETENTION_DAYS = 90


class Kind(models.TextChoices):
    HELP = "help", _("Consular help")
    TRACING = "tracing", _("Family tracing")


class Situation(models.TextChoices):
    DETENTION = "detention", _("Detention or arrest")
    HOSPITAL = "hospital", _("In hospital")
    LABOUR = "labour", _("Work: unpaid wages or abuse")
    DEATH = "death", _("A death")
    MISSING = "missing", _("A missing relative")
    DOCUMENTS = "documents", _("Documents")
    OTHER = "other", _("Something else")


class Status(models.TextChoices):
    """What the requester sees: three words, nothing more."""

    RECEIVED = "received", _("Request received")
    WORKING = "working", _("An office is working on it")
    CLOSED = "closed", _("Request closed")


class Outcome(models.TextChoices):
    """What triage decided (offices only; the requester sees the status word)."""

    PENDING = "", _("Waiting for triage")
    CASE = "case", _("Taken into a case")
    TRACING = "tracing", _("Turned into a tracing request")
    CLOSED = "closed", _("Closed by the office")
    WITHDRAWN = "withdrawn", _("Withdrawn by the requester")


class CloseReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate of another request")
    NOT_OUR_COUNTRY = "not_our_country", _("Not for this office")
    UNREACHABLE = "unreachable", _("The requester could not be reached")
    NOT_CONSULAR = "not_consular", _("Not a consular matter: referred elsewhere")
    ABUSIVE = "abusive", _("Spam or abusive")
    RESOLVED = "resolved", _("Resolved without a case")


class PublicRequest(BaseModel):
    """One request from the public. `details` holds what the form asked, as sent (a help
    request's situation and story, a tracing request's person sought); contact fields are kept
    apart because the e-mail receives the secret."""

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # 20 characters of a 31-symbol alphabet (services.REFERENCE_ALPHABET): 99 bits.
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    secret_digest = models.CharField(max_length=64, editable=False)
    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("receiving office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portal_requests",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default="", blank=True
    )
    close_reason = models.CharField(
        _("reason"), max_length=20, choices=CloseReason.choices, blank=True
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    nationality = models.ForeignKey(
        "core.Country",
        verbose_name=_("nationality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country where they are"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    safe_to_leave_message = models.BooleanField(_("safe to leave a message"), default=False)
    consent = models.BooleanField(_("consent to share for tracing"), default=False)
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn on"), null=True, blank=True)
    # What triage made of it (ids only: the portal shows no record).
    case_id = models.UUIDField(null=True, blank=True)
    tracing_request_id = models.UUIDField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    # Moved on each change the requester may see (status) or make (information, withdrawal).
    updated = models.DateTimeField(_("updated"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("request from the public")
        verbose_name_plural = _("requests from the public")
        indexes = [
            models.Index(fields=["office", "status", "created"], name="portal_request_inbox"),
            models.Index(fields=["status", "updated"], name="portal_request_purge"),
        ]

    def __str__(self) -> str:
        return self.reference


class RequestEvent(models.Model):
    """What happened to a request, in order: sent, information added, withdrawn, consent
    withdrawn, triaged. The requester's own steps have no user."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Sent")
        INFO_ADDED = "info_added", _("Information added by the requester")
        WITHDRAWN = "withdrawn", _("Withdrawn by the requester")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn by the requester")
        ACCEPTED_CASE = "accepted_case", _("Taken into a case")
        ACCEPTED_TRACING = "accepted_tracing", _("Turned into a tracing request")
        CLOSED = "closed", _("Closed by the office")
        FORWARDED = "forwarded", _("Forwarded to another office")

    request = models.ForeignKey(PublicRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Information the requester added (text), or the office's reason.
    text = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action}"


class PortalSettings(models.Model):
    """An office's settings for the portal: how long requests it did not take into a case
    are kept (days after their last change)."""

    office = models.OneToOneField(
        "accounts.Office", on_delete=models.CASCADE, related_name="portal_settings"
    )
    retention_days = models.PositiveIntegerField(
        _("keep requests not taken into a case for (days)"), default=DEFAULT_RETENTION_DAYS
    )

    class Meta:
        verbose_name = _("portal settings")
        verbose_name_plural = _("portal settings")

    def __str__(self) -> str:
        return f"{self.office_id}: {self.retention_days} d"
