"""The good practices library: practices that offices share with the network, in their original
language and in translations, submitted by an office, reviewed by the regional secretariat and,
once published, open to everyone.

Fields follow the spirit of the GFMD Platform for Partnerships and the UN Network on Migration's
repository of practices: what was done, where, with whom, for whom, with what results and
evidence, when, and whom to ask."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.models import BaseModel, in_active_language

# The languages a practice is written or translated in: the interface's four.
LANGUAGES = ("es", "en", "pt", "fr")


class Language(models.TextChoices):
    ES = "es", _("Spanish")
    EN = "en", _("English")
    PT = "pt", _("Portuguese")
    FR = "fr", _("French")


class Status(models.TextChoices):
    """Where the practice stands: drafted by its office, submitted for review, published (open
    to everyone), returned to its office with comments, or withdrawn by its office."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned with comments")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The statuses in which the author's office may still change the practice.
EDITABLE = (Status.DRAFT, Status.RETURNED, Status.WITHDRAWN)


class Theme(models.TextChoices):
    """The commitments of the 2010 communiqué (shared/DESIGN.md, "Commitments → modules")."""

    RIGHTS = "rights", _("Rights of all migrants, whatever their migratory status")
    CONSULAR = "consular", _("Consular networks: attention, protection and assistance")
    FAMILY = "family", _("Family reunification")
    TRAFFICKING = "trafficking", _("Smuggling of migrants and trafficking in persons")
    RETURN = "return", _("Voluntary and dignified return")
    REMITTANCES = "remittances", _("Remittances")
    DIASPORA = "diaspora", _("Migrant networks and associations")
    KNOWLEDGE = "knowledge", _("Exchange of good practices and knowledge")
    GENDER = "gender", _("Gender perspective")
    MANAGEMENT = "management", _("Orderly, informed and safe migration management")
    REGIONAL = "regional", _("Coordinated regional position in multilateral forums")


class TargetGroup(models.TextChoices):
    CHILDREN = "children", _("Children and adolescents")
    UNACCOMPANIED = "unaccompanied", _("Unaccompanied or separated children")
    WOMEN = "women", _("Women")
    FAMILIES = "families", _("Families")
    RETURNEES = "returnees", _("Returnees")
    TRAFFICKING_VICTIMS = "trafficking_victims", _("Victims of trafficking")
    WORKERS = "workers", _("Migrant workers")
    DETAINED = "detained", _("Migrants in detention")
    REFUGEES = "refugees", _("Asylum seekers and refugees")
    INDIGENOUS = "indigenous", _("Indigenous peoples")
    DIASPORA = "diaspora", _("Diaspora communities")
    OFFICIALS = "officials", _("Consular and migration officials")


class GcmObjective(models.Model):
    """One of the 23 objectives of the Global Compact for Safe, Orderly and Regular Migration
    (UN General Assembly resolution 73/195, 2018, paragraph 16), loaded as data (migration
    0002, from data/gcm_objectives.csv; its source in data/SOURCE.md)."""

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_es = models.CharField(_("title (Spanish)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_pt = models.CharField(_("title (Portuguese)"), max_length=300)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Global Compact objective")
        verbose_name_plural = _("Global Compact objectives")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        return in_active_language(self, "title", "en")


class Practice(BaseModel):
    """A practice as its office wrote it (in `language`); translations are PracticeTranslation
    rows. The author is the office and the user who created it."""

    author_office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="practices",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="practices",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    language = models.CharField(
        _("original language"), max_length=2, choices=Language.choices, default=Language.ES
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000)
    description = models.TextField(_("description"), max_length=20000)
    partners = models.TextField(_("partners"), max_length=2000, blank=True)
    results = models.TextField(_("results"), max_length=5000, blank=True)
    evidence = models.TextField(_("evidence"), max_length=5000, blank=True)
    started_on = models.DateField(_("start of the period"), null=True, blank=True)
    ended_on = models.DateField(_("end of the period"), null=True, blank=True)
    # The contact's name is public; their address never leaves the server ("Ask the author"
    # forwards messages to it).
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail (never shown)"))
    countries = models.ManyToManyField(
        "core.Country", verbose_name=_("countries"), related_name="practices", blank=True
    )
    gcm_objectives = models.ManyToManyField(
        GcmObjective,
        verbose_name=_("Global Compact objectives"),
        related_name="practices",
        blank=True,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-published_at", "-created"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="practice_status_published"),
            models.Index(fields=["author_office", "-created"], name="practice_office_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="practice_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PracticeTranslation(BaseModel):
    """The practice's title, summary and description in another language."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000)
    description = models.TextField(_("description"), max_length=20000, blank=True)

    class Meta:
        ordering = ["language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "language"], name="practice_translation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.title}"


class PracticeTheme(models.Model):
    """A theme (a commitment of the communiqué) the practice serves."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(_("theme"), max_length=16, choices=Theme.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "theme"], name="practice_theme_once"),
        ]
        indexes = [models.Index(fields=["theme", "practice"], name="practice_theme_lookup")]

    def __str__(self) -> str:
        return self.theme


class PracticeTargetGroup(models.Model):
    """A group of people the practice is for."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="target_groups")
    group = models.CharField(_("target group"), max_length=24, choices=TargetGroup.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "group"], name="practice_group_once"),
        ]
        indexes = [models.Index(fields=["group", "practice"], name="practice_group_lookup")]

    def __str__(self) -> str:
        return self.group


class Review(BaseModel):
    """A reviewer's decision on a submitted practice: published, or returned with comments."""

    class Decision(models.TextChoices):
        PUBLISH = "publish", _("Published")
        RETURN = "return", _("Returned with comments")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT
    )
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    comments = models.TextField(_("comments"), max_length=5000, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.practice_id}: {self.decision}"


class Attachment(BaseModel):
    """A file of a practice, kept in private storage and served through a view: to the author's
    office and the reviewers always, to everyone once the practice is published."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="practices/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        ordering = ["created"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Question(BaseModel):
    """A message sent through "Ask the author" on a published practice: kept for the author's
    office, forwarded to the contact by e-mail (the sender's address as Reply-To)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="questions")
    name = models.CharField(_("your name"), max_length=120)
    email = models.EmailField(_("your e-mail"))
    message = models.TextField(_("message"), max_length=3000)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("question to the author")
        verbose_name_plural = _("questions to the author")

    def __str__(self) -> str:
        return f"{self.practice_id}: {self.name}"
