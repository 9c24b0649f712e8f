"""Family tracing: requests, possible matches (reviewed by people, with consent) and
reunification."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.models import BaseModel
from enlace.people.models import Sex


class Relation(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    CHILD = "child", _("Son or daughter")
    SIBLING = "sibling", _("Brother or sister")
    SPOUSE = "spouse", _("Spouse or partner")
    GRANDPARENT = "grandparent", _("Grandparent")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    OTHER = "other", _("Other")


class TracingRequest(BaseModel):
    """A family member asks an office to find someone."""

    class Status(models.TextChoices):
        OPEN = "open", _("Searching")
        MATCH_CONFIRMED = "match_confirmed", _("Match confirmed")
        REUNIFIED = "reunified", _("Reunified")
        CLOSED = "closed", _("Closed without result")
        # The family or the office withdrew it: it no longer searches.
        WITHDRAWN = "withdrawn", _("Withdrawn")

    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("requesting office"),
        on_delete=models.PROTECT,
        related_name="tracing_requests",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    # Who asks
    requester_name = models.CharField(_("requester's name"), max_length=200)
    requester_relation = models.CharField(
        _("relation to the person sought"), max_length=20, choices=Relation.choices
    )
    requester_contact = models.CharField(_("requester's contact"), max_length=200, blank=True)
    requester_consent = models.BooleanField(
        _("the requester consents to share this request for tracing"), default=False
    )
    # Who is sought, as remembered
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    nickname = models.CharField(_("nickname"), max_length=100, blank=True)
    first_surname = models.CharField(_("first surname"), max_length=200, blank=True)
    second_surname = models.CharField(_("second surname"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.CharField(
        _("date of birth"),
        max_length=10,
        blank=True,
        help_text=_("YYYY-MM-DD, YYYY-MM or YYYY, if known."),
    )
    approximate_age = models.PositiveSmallIntegerField(_("approximate age"), null=True, blank=True)
    birth_place = models.CharField(_("place of birth"), max_length=200, blank=True)
    nationality = models.ForeignKey(
        "core.Country",
        verbose_name=_("nationality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    mother_name = models.CharField(_("mother's name"), max_length=200, blank=True)
    document_number = models.CharField(
        _("identity document number"),
        max_length=64,
        blank=True,
        help_text=_("Passport or identity card number, if the family knows it."),
    )
    last_seen_place = models.CharField(_("last seen in"), max_length=200, blank=True)
    last_seen_date = models.DateField(_("last seen on"), null=True, blank=True)
    photo = models.ImageField(_("photo"), upload_to="tracing/photos/", blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    normalized = models.JSONField(default=dict, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("tracing request")
        verbose_name_plural = _("tracing requests")
        indexes = [
            # The office's requests, sortable by date or reference (enlace.tracing.views).
            models.Index(fields=["office", "created", "id"], name="request_office_created"),
            models.Index(fields=["office", "reference"], name="request_office_reference"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def sought_name(self) -> str:
        name = " ".join(p for p in (self.given_names, self.first_surname, self.second_surname) if p)
        if self.nickname:
            name = f"{name} «{self.nickname}»".strip()
        return name


class RequestKey(models.Model):
    """A blocking key of a request, so a newly registered person finds open requests."""

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["key", "request"], name="requestkey_key_request")]

    def __str__(self) -> str:
        return self.key


class TracingMatch(BaseModel):
    """A possible match between a request and a registered person, for the owner to review."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Possible match")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        # The requesting office already had this person proposed too often: kept only so the
        # owning office sees how many requests sought the person, never shown to the requester.
        WITHHELD = "withheld", _("Not proposed (too many requests from that office)")
        # The person refused tracing or withdrew consent: hidden from the requester again.
        WITHDRAWN = "withdrawn", _("Withdrawn")
        # The request was withdrawn before the owning office decided: nothing left to review.
        CLOSED = "closed", _("Closed: the request was withdrawn")

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="matches")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="tracing_matches"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    match_probability = models.FloatField(_("score"))
    match_weight = models.FloatField(_("match weight"))
    explanation = models.JSONField(_("explanation"), default=list)
    # What was compared: a rejected pair comes back only if either record changed since.
    request_fingerprint = models.CharField(max_length=64)
    person_fingerprint = models.CharField(max_length=64)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    consent = models.ForeignKey(
        "people.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("note"), blank=True)
    # How many requests of the requesting office sought this person (the same on each of
    # that office's matches with the person), shown to the owning office.
    repeat_requests = models.PositiveIntegerField(
        _("requests from that office that sought this person"), default=1
    )

    class Meta:
        ordering = ["-match_probability"]
        verbose_name = _("possible match")
        verbose_name_plural = _("possible matches")
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="match_once_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.request} ~ {self.person_id} ({self.match_probability:.2f})"


class Reunification(BaseModel):
    """After a confirmed match: verify the relationship, both consents, best interests of a
    child, then the reunion and its follow-up."""

    class Status(models.TextChoices):
        IN_PREPARATION = "in_preparation", _("In preparation")
        COMPLETED = "completed", _("Reunified")
        CANCELLED = "cancelled", _("Cancelled")

    match = models.OneToOneField(
        TracingMatch, on_delete=models.PROTECT, related_name="reunification"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PREPARATION
    )
    relationship_verified = models.BooleanField(_("relationship verified"), default=False)
    verification_method = models.CharField(_("how it was verified"), max_length=300, blank=True)
    requester_consent = models.BooleanField(
        _("the requester consents to the reunification"), default=False
    )
    person_consent = models.BooleanField(
        _("the person consents to the reunification"), default=False
    )
    involves_child = models.BooleanField(_("a child is to be reunified"), default=False)
    best_interests_on = models.DateField(
        _("best-interests determination on"), null=True, blank=True
    )
    best_interests_by = models.CharField(
        _("best-interests determination by"), max_length=200, blank=True
    )
    best_interests_outcome = models.TextField(_("best-interests determination outcome"), blank=True)
    reunion_date = models.DateField(_("date of reunification"), null=True, blank=True)
    reunion_place = models.CharField(_("place of reunification"), max_length=200, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True, max_length=5000)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("reunification")
        verbose_name_plural = _("reunifications")

    def __str__(self) -> str:
        return f"{self.match}"
