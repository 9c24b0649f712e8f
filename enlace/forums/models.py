"""Forums and the regional position: multilateral forums and their meetings, the agenda items,
each country's position on an item, the consolidated regional position with its comments and
its endorsements country by country, and the tracker of the 2010 communiqué's commitments."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.models import BaseModel, in_active_language

# Where the commitments come from (written next to the data, see migrations/0002).
COMMUNIQUE_SOURCE = (
    "Comunicado especial sobre cooperación en materia migratoria, Cumbre de la Unidad de "
    "América Latina y el Caribe, Riviera Maya, 23 de febrero de 2010"
)


class Forum(BaseModel):
    """A multilateral forum where the region speaks with one voice (GFMD, EU-LAC dialogue…)."""

    class Kind(models.TextChoices):
        GFMD = "gfmd", _("Global Forum on Migration and Development")
        EU_LAC = "eu_lac", _("EU-LAC migration dialogue")
        RCM = "rcm", _("Regional Conference on Migration")
        SACM = "sacm", _("South American Conference on Migration")
        OTHER = "other", _("Other forum")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    # The countries that take part in the regional position (the endorsement grid's rows).
    members = models.ManyToManyField(
        "core.Country", verbose_name=_("member countries"), related_name="+", blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self) -> str:
        return self.name


class Meeting(BaseModel):
    """A meeting of a forum (e.g. GFMD 2010 Puerto Vallarta)."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="forums_meeting_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(BaseModel):
    """An item of a meeting's agenda: what the countries take a position on."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["meeting", "order", "title"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class PositionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ENDORSED = "endorsed", _("Endorsed by the government")


class CountryPosition(BaseModel):
    """One country's position on an agenda item, written by its national focal points."""

    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("position"))
    status = models.CharField(
        _("status"), max_length=16, choices=PositionStatus.choices, default=PositionStatus.DRAFT
    )
    is_public = models.BooleanField(_("public"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["item", "country__code"]
        verbose_name = _("country position")
        verbose_name_plural = _("country positions")
        constraints = [
            models.UniqueConstraint(fields=["item", "country"], name="forums_one_position"),
        ]

    def __str__(self) -> str:
        return f"{self.country_id}: {self.item}"


class RegionalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (secretariat)")
    CONSULTATION = "consultation", _("Open for endorsement")
    ADOPTED = "adopted", _("Adopted")


class RegionalPosition(BaseModel):
    """The consolidated regional position on an agenda item, drafted by the secretariat and
    endorsed country by country. `draft_number` counts the texts circulated; `version` is the
    optimistic lock of the record."""

    item = models.OneToOneField(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="regional"
    )
    text = models.TextField(_("draft text"))
    status = models.CharField(
        _("status"), max_length=16, choices=RegionalStatus.choices, default=RegionalStatus.DRAFT
    )
    draft_number = models.PositiveIntegerField(_("draft"), default=1)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("regional position")
        verbose_name_plural = _("regional positions")

    def __str__(self) -> str:
        return str(self.item)


class RegionalComment(BaseModel):
    """A country's comment on a draft of the regional position (by a national focal point)."""

    regional = models.ForeignKey(
        RegionalPosition,
        verbose_name=_("regional position"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("comment"))
    draft_number = models.PositiveIntegerField(_("draft"))

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    ENDORSED = "endorsed", _("Endorsed")
    OBJECTED = "objected", _("Objected")


class Endorsement(BaseModel):
    """A member country's answer to the circulated draft of a regional position. A new draft
    resets every answer to pending: an endorsement is of a text (see services)."""

    regional = models.ForeignKey(
        RegionalPosition,
        verbose_name=_("regional position"),
        on_delete=models.CASCADE,
        related_name="endorsements",
    )
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(
        _("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    draft_number = models.PositiveIntegerField(_("draft"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["regional", "country__code"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(fields=["regional", "country"], name="forums_one_endorsement"),
        ]


class Commitment(models.Model):
    """A commitment of the 2010 Riviera Maya communiqué (COMMUNIQUE_SOURCE), its phrase in
    Spanish as written and in the other interface languages, and the indicators that measure
    it as codes with the URL name of the page that shows them (no import of that app)."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    order = models.PositiveSmallIntegerField(_("order"))
    text_es = models.CharField(_("commitment (Spanish)"), max_length=300)
    text_en = models.CharField(_("commitment (English)"), max_length=300)
    text_pt = models.CharField(_("commitment (Portuguese)"), max_length=300)
    text_fr = models.CharField(_("commitment (French)"), max_length=300)
    module = models.CharField(_("module"), max_length=60, blank=True)
    # [{"code": "SDG 10.c.1", "url_name": "remittances:corridors"}, …]
    indicators = models.JSONField(_("indicators"), default=list, blank=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_active_language(self, "text", "es")


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")


class CommitmentStatus(BaseModel):
    """How far a country has come on a commitment, kept by its national focal points."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="statuses",
    )
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["commitment", "country__code"]
        verbose_name = _("commitment status")
        verbose_name_plural = _("commitment statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "country"], name="forums_one_commitment_status"
            ),
        ]
