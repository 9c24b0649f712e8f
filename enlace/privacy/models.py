"""Data protection: the data subjects' rights requests, the consent ledger, the breach register."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.models import BaseModel

from .deadlines import Kind


class RequestKind(models.TextChoices):
    ACCESS = Kind.ACCESS, _("Access")
    RECTIFICATION = Kind.RECTIFICATION, _("Rectification")
    DELETION = Kind.DELETION, _("Deletion or anonymisation")
    OBJECTION = Kind.OBJECTION, _("Objection")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    RECTIFIED = "rectified", _("Rectified")
    ANONYMISED = "anonymised", _("Anonymised")
    REJECTED = "rejected", _("Rejected")


class RightsRequest(BaseModel):
    """A data subject's request to see, correct, erase or object to what the office holds on
    them, answered by the deadline of the law that applies."""

    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="rights_requests",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    law_country = models.CharField(_("law that applies"), max_length=2)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("due on"), db_index=True)
    legal_source = models.CharField(_("legal source of the deadline"), max_length=300)
    details = models.TextField(_("what the person asks"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    # How many fields and texts an anonymisation replaced (enlace.people.services).
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["due_on", "received_on", "id"]
        verbose_name = _("rights request")
        verbose_name_plural = _("rights requests")
        indexes = [models.Index(fields=["office", "status", "due_on"], name="rights_queue")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on}"


class ConsentEvent(models.Model):
    """One line of the consent ledger: a consent given or withdrawn. Appended, never changed;
    the current state of a consent is its latest line."""

    class Action(models.TextChoices):
        GIVEN = "given", _("Given")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        OFFICER = "officer", _("Recorded by an officer")
        PORTAL = "portal", _("Public portal")

    at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)
    # The subject: a person of the registry, or a requester of the public portal (by the id of
    # their request: they are not a person of the registry).
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=80, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=32)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # The consent record it is about (people.Consent), when there is one.
    consent_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("consent ledger entry")
        verbose_name_plural = _("consent ledger")

    def __str__(self) -> str:
        return f"{self.subject} {self.purpose} {self.action} {self.on}"

    def save(self, *args: object, **kwargs: object) -> None:
        # Append-only: a ledger line is written once (a correction is a new line).
        if not self._state.adding:
            raise ValueError("the consent ledger is append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("the consent ledger is append-only")


class Breach(BaseModel):
    """A personal-data breach, with the three-working-day clock to notify it."""

    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    detected_at = models.DateTimeField(_("detected at"))
    description = models.TextField(_("what happened"), max_length=5000)
    records_affected = models.PositiveIntegerField(_("records affected"), default=0)
    persons_affected = models.PositiveIntegerField(_("persons affected"), default=0)
    notify_by = models.DateField(_("notify by"))
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    notified_to = models.CharField(_("notified to"), max_length=300, blank=True)

    class Meta:
        ordering = ["-detected_at", "id"]
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")

    def __str__(self) -> str:
        return f"{self.detected_at:%Y-%m-%d} {self.description[:40]}"
