"""Assisted voluntary return and reintegration: one Return per person's return, from the
request in the country of destination to the last follow-up in the country of origin.

The workflow is an explicit status plus one service per step (enlace.returns.services); every
step taken is a ReturnStep row (who, when, what). The office that opens the return (a consulate
abroad) owns it; the receiving office in the country of origin works it from arrival on,
through the hand-over grant (enlace.access.grants), and never sees the migratory status.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.core.models import BaseModel
from enlace.core.querysets import BranchedQuerySet

# Return references: RT-MX-2026-000001 (the owner office's country).
REFERENCE_PREFIX = "RT"
# Default cooling-off period between counselling and the signed consent, in days. No
# international instrument fixes a number: a configurable choice of each office
# (ReturnSettings), 0 allowed.
DEFAULT_COOLING_OFF_DAYS = 3
# The reintegration plan is due within 30 days of arrival (the issue; IOM, Reintegration
# Handbook, 2019, module 1: the plan is drawn up with the returnee soon after arrival).
REINTEGRATION_PLAN_DAYS = 30
# Follow-ups at 3, 6 and 12 months after arrival (the issue).
FOLLOW_UP_MONTHS = (3, 6, 12)


class Status(models.TextChoices):
    """Where the return stands: the last step completed (the chain of the issue)."""

    REQUESTED = "requested", _("Requested")
    COUNSELLING = "counselling", _("Counselling")
    ASSESSMENT = "assessment", _("Eligibility and vulnerability assessed")
    BEST_INTERESTS = "best_interests", _("Best-interests determination")
    TRAVEL_DOCUMENTS = "travel_documents", _("Travel documents")
    MEDICAL = "medical", _("Medical fitness")
    TRAVEL_PLAN = "travel_plan", _("Travel plan")
    DEPARTED = "departed", _("Departed")
    ARRIVED = "arrived", _("Arrived")
    REINTEGRATION = "reintegration", _("Reintegration plan")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The statuses before departure (the person may withdraw; the owner office works them).
BEFORE_DEPARTURE = (
    Status.REQUESTED,
    Status.COUNSELLING,
    Status.ASSESSMENT,
    Status.BEST_INTERESTS,
    Status.TRAVEL_DOCUMENTS,
    Status.MEDICAL,
    Status.TRAVEL_PLAN,
)
# The statuses the receiving office works (arrival on).
AFTER_ARRIVAL = (Status.ARRIVED, Status.REINTEGRATION, Status.FOLLOW_UP)
ENDED = (Status.CLOSED, Status.WITHDRAWN)


class Step(models.TextChoices):
    """The steps a return goes through; each one taken is a ReturnStep."""

    OPEN = "open", _("Return requested")
    COUNSELLING = "counselling", _("Counselling recorded")
    CONSENT = "consent", _("Informed consent signed")
    CONSENT_RECONFIRM = "consent_reconfirm", _("Consent re-confirmed after detention")
    ASSESSMENT = "assessment", _("Eligibility and vulnerability assessed")
    BEST_INTERESTS = "best_interests", _("Best-interests determination recorded")
    DOCUMENT_REQUEST = "document_request", _("Travel document requested")
    DOCUMENT_ISSUE = "document_issue", _("Travel document issued")
    MEDICAL = "medical", _("Medical fitness recorded")
    TRAVEL_PLAN = "travel_plan", _("Travel plan recorded")
    HAND_OVER = "hand_over", _("Handed over to the receiving office")
    HAND_OVER_ENDED = "hand_over_ended", _("Consent to the hand-over withdrawn by the person")
    DEPARTURE = "departure", _("Departed")
    ARRIVAL = "arrival", _("Arrival and reception recorded")
    REINTEGRATION_PLAN = "reintegration_plan", _("Reintegration plan recorded")
    FOLLOW_UP = "follow_up", _("Follow-up recorded")
    CLOSE = "close", _("Return closed")
    WITHDRAW = "withdraw", _("Return withdrawn by the person")


class CounsellingOption(models.TextChoices):
    """What the counsellor explained: return is one option among others (voluntariness)."""

    RETURN = "return", _("Assisted voluntary return")
    STAY = "stay", _("Staying in the country")
    REGULARISATION = "regularisation", _("Regularisation routes")
    ASYLUM = "asylum", _("Asylum or refugee status")
    OTHER_PROTECTION = "other_protection", _("Other protection (e.g. for victims of crime)")
    ONWARD = "onward", _("Resettlement or onward migration")


class Vulnerability(models.TextChoices):
    """Vulnerability categories of the assessment (IOM's determinants of migrant
    vulnerability; those that change how a return is prepared)."""

    UNACCOMPANIED_CHILD = "unaccompanied_child", _("Unaccompanied or separated child")
    CHILD_WITH_FAMILY = "child_with_family", _("Child travelling with family")
    HEALTH = "health", _("Health condition")
    DISABILITY = "disability", _("Disability")
    OLDER_PERSON = "older_person", _("Older person")
    PREGNANCY = "pregnancy", _("Pregnancy")
    GBV_SURVIVOR = "gbv_survivor", _("Survivor of gender-based violence")
    TRAFFICKING_VICTIM = "trafficking_victim", _("Victim of trafficking")
    TORTURE_SURVIVOR = "torture_survivor", _("Survivor of torture or violence")
    PROTECTION_RISK = "protection_risk", _("Risk of harm on return")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    EMERGENCY = "emergency_travel", _("Emergency travel document")
    SAFE_CONDUCT = "safe_conduct", _("Safe-conduct")
    CONSULAR_CERTIFICATE = "consular_certificate", _("Consular certificate of nationality")


class Transport(models.TextChoices):
    AIR = "air", _("Air")
    BUS = "bus", _("Bus")
    LAND = "land", _("Other land transport")
    SEA = "sea", _("Sea or river")


class Outcome(models.TextChoices):
    """How the return ended (closure), after the 12-month follow-up or earlier with a reason.
    The reintegration outcomes follow IOM's sustainability levels (Reintegration Handbook,
    2019, and the Reintegration Sustainability Survey)."""

    SUSTAINABLE = "sustainable", _("Sustainably reintegrated")
    PARTIAL = "partial", _("Partially reintegrated")
    NOT_REINTEGRATED = "not_reintegrated", _("Not reintegrated")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    REMIGRATED = "remigrated", _("Migrated again")
    DID_NOT_RETURN = "did_not_return", _("Return did not take place")


class ReturnSettings(BaseModel):
    """An office's settings for the returns it opens: the cooling-off period between
    counselling and the signed consent."""

    office = models.OneToOneField(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="return_settings",
    )
    cooling_off_days = models.PositiveSmallIntegerField(
        _("cooling-off period (days)"),
        default=DEFAULT_COOLING_OFF_DAYS,
        validators=[MaxValueValidator(90)],
        help_text=_("Days between counselling and the earliest signed consent (0: none)."),
    )

    class Meta:
        verbose_name = _("return settings")
        verbose_name_plural = _("return settings")

    def __str__(self) -> str:
        return f"{self.office_id}: {self.cooling_off_days}"


class Return(BaseModel):
    """One person's assisted voluntary return, owned by the office that opened it."""

    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="returns"
    )
    protection_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("protection case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="returns",
    )
    owner_office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="returns",
    )
    # The office in the country of origin that receives the person (chosen at hand-over).
    receiving_office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("receiving office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_returns",
    )
    # The country the person returns to (their nationality): the receiving office's country.
    origin_country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country of origin"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # Age: a person whose age is not established but who says or seems to be under 18 is
    # treated as a child (presumption of minority, UN CRC General Comment No. 6, para. 31).
    declared_child = models.BooleanField(_("declared or presumed child"), default=False)
    planned_departure_on = models.DateField(_("planned departure"), null=True, blank=True)

    # Voluntariness: counselling and consent.
    after_detention = models.BooleanField(_("follows detention"), default=False)
    counselled_on = models.DateField(_("counselled on"), null=True, blank=True)
    counselling_options = models.JSONField(_("options explained"), default=list, blank=True)
    counselling_language = models.CharField(_("language of counselling"), max_length=3, blank=True)
    counselling_note = models.TextField(_("counselling notes"), blank=True, max_length=5000)
    consent_signed_on = models.DateField(_("consent signed on"), null=True, blank=True)
    consent_language = models.CharField(_("language of the consent"), max_length=3, blank=True)
    consent_reconfirmed_on = models.DateField(
        _("consent re-confirmed out of detention on"), null=True, blank=True
    )
    reconfirmation_not_possible = models.TextField(
        _("why the consent could not be re-confirmed out of detention"),
        blank=True,
        max_length=2000,
    )

    # Eligibility and vulnerability assessment.
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    eligible = models.BooleanField(_("eligible"), null=True, blank=True)
    eligibility_reasons = models.TextField(_("reasons"), blank=True, max_length=5000)
    vulnerabilities = models.JSONField(_("vulnerabilities"), default=list, blank=True)
    medical_check_needed = models.BooleanField(_("medical check needed"), default=False)

    # Best-interests determination (children only).
    bid_on = models.DateField(_("best-interests determination on"), null=True, blank=True)
    bid_decided_by = models.CharField(_("determined by"), max_length=200, blank=True)
    bid_in_best_interests = models.BooleanField(
        _("return is in the child's best interests"), null=True, blank=True
    )
    bid_note = models.TextField(_("determination notes"), blank=True, max_length=5000)

    # Medical fitness to travel.
    medical_examined_on = models.DateField(_("examined on"), null=True, blank=True)
    fit_to_travel = models.BooleanField(_("fit to travel"), null=True, blank=True)
    medical_note = models.TextField(_("medical notes"), blank=True, max_length=2000)

    # Travel plan (its legs are TravelLeg rows).
    escort_required = models.BooleanField(_("escort required"), default=False)
    escort = models.CharField(_("escort"), max_length=200, blank=True)
    special_needs = models.TextField(_("special needs on the journey"), blank=True, max_length=2000)

    # Hand-over to the receiving office.
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    handover_consent = models.ForeignKey(
        "people.Consent",
        verbose_name=_("consent to the hand-over"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Departure, arrival and reception.
    departed_on = models.DateField(_("departed on"), null=True, blank=True)
    expected_arrival_on = models.DateField(_("expected arrival"), null=True, blank=True)
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    reception_note = models.TextField(_("reception"), blank=True, max_length=5000)

    # Reintegration plan: economic, social and psychosocial parts (IOM, Reintegration
    # Handbook, 2019: the integrated approach's three dimensions).
    plan_on = models.DateField(_("plan agreed on"), null=True, blank=True)
    plan_economic = models.TextField(_("economic support"), blank=True, max_length=5000)
    plan_social = models.TextField(_("social support"), blank=True, max_length=5000)
    plan_psychosocial = models.TextField(_("psychosocial support"), blank=True, max_length=5000)

    # Closure or withdrawal.
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    closure_reason = models.TextField(_("reason"), blank=True, max_length=5000)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, max_length=2000)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = BranchedQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "id"]
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        indexes = [
            models.Index(fields=["owner_office", "-created", "id"], name="return_office_newest"),
            models.Index(
                fields=["receiving_office", "-created", "id"], name="return_receiving_newest"
            ),
            models.Index(fields=["-created", "id"], name="return_newest"),
            models.Index(fields=["status"], name="return_status"),
        ]
        constraints = [
            # One return under way per person at a time.
            models.UniqueConstraint(
                fields=["person"],
                condition=~models.Q(status__in=["closed", "withdrawn"]),
                name="return_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED

    @property
    def before_departure(self) -> bool:
        return self.status in BEFORE_DEPARTURE

    @property
    def unaccompanied_child(self) -> bool:
        return Vulnerability.UNACCOMPANIED_CHILD in (self.vulnerabilities or [])

    @property
    def plan_due_on(self) -> dt.date | None:
        if self.arrived_on is None:
            return None
        return self.arrived_on + dt.timedelta(days=REINTEGRATION_PLAN_DAYS)

    @property
    def plan_overdue(self) -> bool:
        """No plan within 30 days of arrival (or one agreed late): flagged, not refused."""
        due = self.plan_due_on
        if due is None:
            return False
        if self.plan_on is not None:
            return self.plan_on > due
        return timezone.localdate() > due and not self.is_ended


class ReturnStep(models.Model):
    """One step taken: who took it, when, from which status to which, and what it recorded."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=24, choices=Step.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True, max_length=5000)
    # What the step recorded (the fields as given), for the timeline; never the migratory
    # status or an identity document's number.
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("return step")
        verbose_name_plural = _("return steps")
        indexes = [models.Index(fields=["ret", "at"], name="return_step_ret_at")]

    def __str__(self) -> str:
        return f"{self.ret_id}: {self.step}"


class TravelDocumentRequest(BaseModel):
    """A travel document the owner office (the consulate) requested and issued for the return.
    Its number is identity data: shown only to whoever sees the person's identity."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("document type"), max_length=24, choices=DocumentType.choices)
    requested_on = models.DateField(_("requested on"))
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    number = models.CharField(_("number"), max_length=64, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issued_by = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["requested_on", "created"]
        verbose_name = _("travel document request")
        verbose_name_plural = _("travel document requests")

    def __str__(self) -> str:
        return str(self.get_doc_type_display())

    @property
    def is_issued(self) -> bool:
        return self.issued_on is not None


class TravelLeg(models.Model):
    """One leg of the itinerary."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="legs")
    position = models.PositiveSmallIntegerField(_("order"))
    origin = models.CharField(_("from"), max_length=120)
    destination = models.CharField(_("to"), max_length=120)
    date = models.DateField(_("date"))
    transport = models.CharField(_("transport"), max_length=8, choices=Transport.choices)
    carrier = models.CharField(_("carrier"), max_length=120, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("travel leg")
        verbose_name_plural = _("travel legs")
        constraints = [
            models.UniqueConstraint(fields=["ret", "position"], name="return_leg_position"),
        ]

    def __str__(self) -> str:
        return f"{self.origin} → {self.destination}"


SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(1)]


def _score(label: Any) -> Any:
    """A follow-up's score of one dimension, from 0 to 1 (IOM Reintegration Sustainability
    Survey); empty when the returnee was not reached."""
    return models.DecimalField(
        label, max_digits=4, decimal_places=3, null=True, blank=True, validators=SCORE_VALIDATORS
    )


class FollowUp(models.Model):
    """A follow-up at 3, 6 or 12 months after arrival, made when the return arrives. Each
    scores the economic, social and psychosocial dimensions from 0 to 1, as IOM's
    Reintegration Sustainability Survey does (IOM, Reintegration Handbook, 2019, annex 4;
    Samuel Hall / IOM, "Setting standards for an integrated approach to reintegration", 2017)."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after arrival"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # False: the returnee could not be reached (no scores); None: not done yet.
    reached = models.BooleanField(_("returnee reached"), null=True, blank=True)
    economic = _score(_("economic"))
    social = _score(_("social"))
    psychosocial = _score(_("psychosocial"))
    note = models.TextField(_("note"), blank=True, max_length=5000)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when the office was told it fell due (notify_return_followups), once.
    notified_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["months"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["ret", "months"], name="return_follow_up_once"),
        ]
        indexes = [
            models.Index(
                fields=["due_on"], condition=models.Q(done_on__isnull=True), name="followup_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ret_id}: {self.months}"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_due(self, today: dt.date | None = None) -> bool:
        """Due: its date is reached and it is not done."""
        return not self.is_done and (today or timezone.localdate()) >= self.due_on
