"""Migrants registered by an office: identity, vulnerability, consent and the firewalled status."""

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from enlace.core.models import BaseModel
from enlace.core.querysets import BranchedQuerySet
from enlace.core.validation import DatePrecision


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other / intersex")
    UNKNOWN = "U", _("Unknown")


class MigratoryStatus(models.TextChoices):
    REGULAR = "regular", _("Regular")
    IRREGULAR = "irregular", _("Irregular")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    REFUGEE = "refugee", _("Refugee")
    TEMPORARY_PROTECTION = "temporary_protection", _("Temporary protection")
    IN_PROCESS = "in_process", _("Regularisation in process")
    UNKNOWN = "unknown", _("Unknown")


class Person(BaseModel):
    """A migrant as registered by one office (the owner)."""

    owner_office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    given_names = models.CharField(_("given names"), max_length=200)
    first_surname = models.CharField(_("first surname"), max_length=200, blank=True)
    second_surname = models.CharField(_("second surname"), max_length=200, blank=True)
    other_names = models.CharField(
        _("other names and aliases"),
        max_length=500,
        blank=True,
        help_text=_("Nicknames, names used on other documents, separated by commas."),
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_identity = models.CharField(_("gender identity"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of the date of birth"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.EXACT,
    )
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    age_reported_on = models.DateField(_("age reported on"), null=True, blank=True)
    birth_place = models.CharField(_("place of birth"), max_length=200, blank=True)
    birth_country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country of birth"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    nationalities = models.ManyToManyField(
        "core.Country", verbose_name=_("nationalities"), blank=True, related_name="+"
    )
    mother_name = models.CharField(_("mother's name"), max_length=200, blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("ISO 639 codes separated by commas, e.g. spa, quc, mam."),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    photo = models.ImageField(_("photo"), upload_to="people/photos/", blank=True)
    # The firewall: shown only to the owning office, never exported, referred or counted.
    migratory_status = models.CharField(
        _("migratory status"),
        max_length=32,
        choices=MigratoryStatus.choices,
        blank=True,
        help_text=_("Record it only when the case needs it. Only your office will see it."),
    )
    migratory_status_notes = models.CharField(
        _("migratory status details"),
        max_length=500,
        blank=True,
        help_text=_("Only your office will see this."),
    )
    refuses_tracing = models.BooleanField(
        _("refuses to be traced"),
        default=False,
        help_text=_("The person does not want to be found by family tracing."),
    )
    search_text = models.CharField(max_length=1200, editable=False, db_index=True)
    # Whose identity only focal points may see ("", "gbv", "trafficking"): kept current by the
    # services that add vulnerabilities and trafficking cases, so search can filter on it.
    identity_protection = models.CharField(
        max_length=16, blank=True, default="", editable=False, db_index=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = BranchedQuerySet.as_manager()

    class Meta:
        ordering = ["first_surname", "given_names", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            # An office's list in name order, read in order (enlace.core.querysets).
            models.Index(
                fields=["owner_office", "first_surname", "given_names", "id"],
                name="person_office_name",
            ),
            models.Index(fields=["first_surname", "given_names", "id"], name="person_name"),
            # The list's "Registered" column (enlace.people.views.PERSON_SORTS).
            models.Index(fields=["owner_office", "created", "id"], name="person_office_created"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @cached_property
    def flag_kinds(self) -> set[str]:
        """The kinds of vulnerability assessed (uses prefetched rows when there are)."""
        return {v.kind for v in self.vulnerabilities.all()}

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.first_surname, self.second_surname) if p)


class IdentityDocument(BaseModel):
    """A document that identifies the person."""

    class Type(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        NATIONAL_ID = "national_id", _("National identity card")
        BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
        CONSULAR_ID = "consular_id", _("Consular identity card")
        TRAVEL_DOCUMENT = "travel_document", _("Travel document")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("document type"), max_length=32, choices=Type.choices)
    number = models.CharField(_("number"), max_length=64)
    issuing_country = models.ForeignKey(
        "core.Country",
        verbose_name=_("issuing country"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.number}"


class Vulnerability(BaseModel):
    """A vulnerability assessed for the person, with when and by whom."""

    class Kind(models.TextChoices):
        CHILD = "child", _("Child")
        UNACCOMPANIED_CHILD = "unaccompanied_child", _("Unaccompanied or separated child")
        PREGNANT = "pregnant", _("Pregnant")
        DISABILITY = "disability", _("Disability")
        OLDER_PERSON = "older_person", _("Older person")
        GBV_SURVIVOR = "gbv_survivor", _("Survivor of gender-based violence")
        TRAFFICKING_VICTIM = "trafficking_victim", _("Possible victim of trafficking")
        LGBTIQ = "lgbtiq", _("LGBTIQ+")
        INDIGENOUS = "indigenous", _("Indigenous")
        CHRONIC_ILLNESS = "chronic_illness", _("Chronic illness")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="vulnerabilities")
    kind = models.CharField(_("vulnerability"), max_length=32, choices=Kind.choices)
    detail = models.CharField(
        _("detail"),
        max_length=200,
        blank=True,
        help_text=_("For indigenous persons: people and language."),
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("vulnerability")
        verbose_name_plural = _("vulnerabilities")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="vulnerability_once"),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class Consent(BaseModel):
    """The person's informed consent for one purpose; revocable."""

    class Purpose(models.TextChoices):
        CASE_MANAGEMENT = "case_management", _("Case management")
        REFERRAL = "referral", _("Referral to another office")
        FAMILY_TRACING = "family_tracing", _("Family tracing")
        STATISTICS = "statistics", _("Statistics")
        # Assisted voluntary return: the hand-over to the office in the country of origin.
        RETURN_HANDOVER = "return_handover", _("Return reception and reintegration")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    given_on = models.DateField(_("given on"))
    notice_language = models.CharField(_("language of the notice"), max_length=8)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-given_on"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return str(self.get_purpose_display())

    @property
    def is_active(self) -> bool:
        return self.revoked_on is None


class PersonIndex(models.Model):
    """The person's record in the form the linkage engine compares (enlace.linkage)."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="linkage"
    )
    normalized = models.JSONField()
    # Copy of "not person.refuses_tracing", so matching filters candidates without a join.
    searchable = models.BooleanField(default=True)
    # enlace.people.matching.index_fingerprint of the input this row was made from: a relink
    # skips the people whose fingerprint is current ("" = unknown, always rebuilt).
    fingerprint = models.CharField(max_length=32, blank=True, default="")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("linkage record")
        verbose_name_plural = _("linkage records")

    def __str__(self) -> str:
        return str(self.person_id)


class PersonKey(models.Model):
    """A blocking key of a person: candidates for a new record share at least one key."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="linkage_keys")
    key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("blocking key")
        verbose_name_plural = _("blocking keys")
        indexes = [models.Index(fields=["key", "person"], name="personkey_key_person")]

    def __str__(self) -> str:
        return self.key


class LinkageModel(BaseModel):
    """Fellegi-Sunter parameters estimated by Splink over the registry, saved as JSON."""

    model = models.JSONField()
    records = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("linkage model")
        verbose_name_plural = _("linkage models")

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d} ({self.records})"
