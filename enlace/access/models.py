"""Grants: the recorded, revocable permission for an office to see a record it does not own."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enlace.audit.models import Purpose
from enlace.core.models import BaseModel


class Grant(BaseModel):
    """Office X may see record R (a case and its person, or a person), for purpose P, on consent
    C (or a stated legal basis), until T; granted by U, revoked by V."""

    class Source(models.TextChoices):
        REFERRAL = "cases.referral", _("Referral")
        TRACING_MATCH = "tracing.tracingmatch", _("Confirmed tracing match")
        # A trafficking focal point's request to see a case's identities, granted by the
        # owning focal point: one grant per victim person, source_id the trafficking case.
        TRAFFICKING_IDENTITY_REQUEST = (
            "trafficking.identityrequest",
            _("Granted request for identities in a trafficking case"),
        )
        # An assisted voluntary return handed over to the office in the country of origin.
        RETURN_HANDOVER = "returns.return", _("Return hand-over")

    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office given access"),
        on_delete=models.PROTECT,
        related_name="grants",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="grants",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="grants",
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    consent = models.ForeignKey(
        "people.Consent",
        verbose_name=_("consent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
    )
    legal_basis = models.TextField(_("legal basis (when there is no consent)"), blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    source_type = models.CharField(_("source"), max_length=64, choices=Source.choices)
    source_id = models.CharField(_("source record"), max_length=64)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        indexes = [
            models.Index(fields=["office", "case"], name="grant_office_case"),
            models.Index(fields=["office", "person"], name="grant_office_person"),
            models.Index(fields=["source_type", "source_id"], name="grant_source"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(consent__isnull=True, legal_basis=""),
                name="grant_rests_on_consent_or_legal_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office_id} → {self.case_id or self.person_id} ({self.purpose})"
