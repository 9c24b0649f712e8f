"""Protection and consular cases, their workflow, actions, notes, attachments and referrals."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.core.models import BaseModel
from enlace.core.querysets import BranchedQuerySet


class CaseType(models.TextChoices):
    DETENTION = "detention", _("Detention or arrest")
    HOSPITAL = "hospital", _("Hospitalisation")
    DEATH = "death", _("Death and repatriation of remains")
    MISSING = "missing_person", _("Missing person")
    LABOUR = "labour", _("Labour rights and unpaid wages")
    UNACCOMPANIED_CHILD = "unaccompanied_child", _("Unaccompanied child")
    FAMILY = "family_custody", _("Family and custody")
    GBV = "gbv", _("Gender-based violence")
    TRAFFICKING = "possible_trafficking", _("Possible trafficking")
    DOCUMENTS = "documents", _("Documents")
    VOLUNTARY_RETURN = "voluntary_return", _("Voluntary return")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ASSESSMENT = "assessment", _("Assessment")
    CASE_PLAN = "case_plan", _("Case plan")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Case(BaseModel):
    """A protection or consular assistance case of one person, owned by one office."""

    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    owner_office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="cases"
    )
    case_type = models.CharField(_("case type"), max_length=32, choices=CaseType.choices)
    summary = models.TextField(_("summary"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    assessment_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessment approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closure requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closure_reason = models.TextField(_("reason for closure"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = BranchedQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["owner_office", "status"]),
            # An office's list, newest first, read in order (enlace.core.querysets).
            models.Index(fields=["owner_office", "-created", "id"], name="case_office_newest"),
            models.Index(fields=["-created", "id"], name="case_newest"),
            # The home page's overdue card: open cases of an office, most overdue first.
            models.Index(
                fields=["owner_office", "due_date", "id"],
                condition=~models.Q(status="closed"),
                name="case_office_open_due",
            ),
            # The trafficking focal points' list (enlace.access.rules.case_reach).
            models.Index(fields=["case_type", "-created", "id"], name="case_type_newest"),
            # The list's sortable columns (enlace.cases.views.CASE_SORTS), read in order.
            models.Index(fields=["owner_office", "reference"], name="case_office_reference"),
            models.Index(fields=["owner_office", "due_date", "id"], name="case_office_due"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_overdue(self) -> bool:
        today = timezone.localdate()
        return bool(self.due_date and self.due_date < today and self.status != CaseStatus.CLOSED)

    @property
    def closure_pending(self) -> bool:
        return self.closure_requested_by_id is not None and self.status != CaseStatus.CLOSED


# What each workflow step looks like in the case's timeline. A closure request leaves the status
# as it was, so the step's name, not the status it led to, says what happened.
TRANSITION_EVENTS = {
    "open": _("Case opened"),
    "start_assessment": _("Assessment started"),
    "approve_assessment": _("Assessment approved"),
    "start_work": _("Work on the case plan started"),
    "request_closure": _("Closure requested"),
    "approve_closure": _("Case closed"),
    "reopen": _("Case reopened"),
}


class CaseTransition(models.Model):
    """One step of the workflow: who moved the case from which status to which, and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=16, choices=CaseStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=CaseStatus.choices)
    name = models.CharField(_("step"), max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at"]
        verbose_name = _("case transition")
        verbose_name_plural = _("case transitions")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    @property
    def event_label(self) -> str:
        """What happened, in the reader's language (the status reached for an unknown step)."""
        return str(TRANSITION_EVENTS.get(self.name) or self.get_to_status_display())


class DetentionLog(models.Model):
    """Vienna Convention on Consular Relations art. 36: notification and access to a detainee."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="detention")
    arrest_date = models.DateField(_("date of arrest"))
    detention_place = models.CharField(_("place of detention"), max_length=200, blank=True)
    informed_of_rights = models.BooleanField(
        _("informed of the right to consular notification"), null=True, blank=True
    )
    notified_on = models.DateField(_("date the consulate was notified"), null=True, blank=True)
    notified_by = models.CharField(_("notified by"), max_length=200, blank=True)
    first_contact_on = models.DateField(_("first contact"), null=True, blank=True)
    first_visit_on = models.DateField(_("first visit"), null=True, blank=True)

    class Meta:
        verbose_name = _("art. 36 notification log")
        verbose_name_plural = _("art. 36 notification logs")

    def __str__(self) -> str:
        return f"{self.case} art. 36"

    @property
    def notification_delay_days(self) -> int | None:
        if self.notified_on is None:
            return None
        return (self.notified_on - self.arrest_date).days

    def dates_in_order(self) -> list[tuple[str, dt.date]]:
        return [
            (name, value)
            for name, value in (
                ("arrest_date", self.arrest_date),
                ("notified_on", self.notified_on),
                ("first_contact_on", self.first_contact_on),
                ("first_visit_on", self.first_visit_on),
            )
            if value is not None
        ]


class CaseAction(BaseModel):
    """A service given or an action taken in the case."""

    class ServiceType(models.TextChoices):
        CONSULAR_VISIT = "consular_visit", _("Consular visit")
        LEGAL_AID = "legal_aid", _("Legal aid")
        DOCUMENTS = "documents", _("Document issuance")
        MEDICAL = "medical", _("Medical care")
        PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
        SHELTER = "shelter", _("Shelter")
        FAMILY_CONTACT = "family_contact", _("Contact with family")
        INTERPRETATION = "interpretation", _("Interpretation")
        FINANCIAL = "financial", _("Financial assistance")
        REPATRIATION = "repatriation", _("Repatriation")
        LABOUR_CLAIM = "labour_claim", _("Labour claim")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    service_type = models.CharField(_("service"), max_length=32, choices=ServiceType.choices)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    outcome = models.TextField(_("outcome"), blank=True, max_length=5000)

    class Meta:
        ordering = ["-date", "-created"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return str(self.get_service_type_display())


class CaseNote(BaseModel):
    """A free-text note on the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("note"), max_length=10000)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return self.text[:40]


class Attachment(BaseModel):
    """A file kept in private storage; served only through a permission-checked view."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Identity document")
        MEDICAL = "medical", _("Medical report")
        LEGAL = "legal", _("Legal document")
        PHOTO = "photo", _("Photograph")
        CORRESPONDENCE = "correspondence", _("Correspondence")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("file"), upload_to="cases/attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        ordering = ["-created"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Referral(BaseModel):
    """A case referred to another office, with consent or a supervisor's recorded override."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        DONE = "done", _("Done")
        REVOKED = "revoked", _("Revoked")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("from office"),
        on_delete=models.PROTECT,
        related_name="referrals_out",
    )
    to_office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("to office"),
        on_delete=models.PROTECT,
        related_name="referrals_in",
    )
    purpose = models.TextField(_("purpose"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    consent = models.ForeignKey(
        "people.Consent",
        verbose_name=_("consent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    override_reason = models.TextField(_("reason for proceeding without consent"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("override by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            # The home page's and the referral lists' "received"/"sent", newest first.
            models.Index(fields=["to_office", "status", "-created"], name="referral_in"),
            models.Index(fields=["from_office", "status", "-created"], name="referral_out"),
            # The referral lists' default order with no status filter (newest first).
            models.Index(fields=["to_office", "-created"], name="referral_in_newest"),
            models.Index(fields=["from_office", "-created"], name="referral_out_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.to_office}"
