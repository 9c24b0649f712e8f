"""Migrant associations abroad (hometown associations, federations of clubs) and the projects
they fund in their communities of origin."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from enlace.core.models import BaseModel


class FocusArea(models.TextChoices):
    """What an association works on (several may apply)."""

    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    PRODUCTIVE = "productive", _("Productive projects and jobs")
    CULTURE = "culture", _("Culture and sport")
    RELIEF = "relief", _("Emergencies and disaster relief")
    MIGRANT_RIGHTS = "migrant_rights", _("Migrants' rights and assistance")


class Association(BaseModel):
    """A migrant association abroad. It is an office of kind "association" (accounts.Office):
    its representatives are the users holding the association-representative role in that
    office (enlace.diaspora.rules.represents)."""

    office = models.OneToOneField(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="association",
    )
    name = models.CharField(_("name"), max_length=200)
    residence_country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country of residence"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    residence_city = models.CharField(_("city of residence"), max_length=120)
    origin_country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country of origin"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    origin_municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("municipality of origin"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    focus_areas = models.JSONField(_("focus areas"), default=list, blank=True)
    members_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    # Contact data is public only where the association says so.
    email_public = models.BooleanField(_("show the e-mail in the public directory"), default=False)
    phone_public = models.BooleanField(_("show the phone in the public directory"), default=False)
    contact_public = models.BooleanField(
        _("show the contact person in the public directory"), default=False
    )
    # Moderation: the network's administrators may take an association out of the directory.
    listed = models.BooleanField(_("listed in the public directory"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        indexes = [
            models.Index(fields=["origin_country", "name"], name="assoc_origin_name"),
            models.Index(fields=["residence_country", "name"], name="assoc_residence_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True) | Q(founded_year__gte=1800),
                name="association_founded_year",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def focus_area_labels(self) -> list[str]:
        labels = dict(FocusArea.choices)
        return [str(labels[a]) for a in self.focus_areas if a in labels]


class ProjectType(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    PRODUCTIVE = "productive", _("Productive")
    CULTURAL = "cultural", _("Cultural")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    FUNDRAISING = "fundraising", _("Raising funds")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Called off")


class Project(BaseModel):
    """A project an association funds in a municipality of origin."""

    association = models.ForeignKey(
        Association,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="projects",
    )
    title = models.CharField(_("project title"), max_length=200)
    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("municipality served"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    project_type = models.CharField(_("type"), max_length=20, choices=ProjectType.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.ForeignKey(
        "core.Currency",
        verbose_name=_("currency"),
        on_delete=models.PROTECT,
        default="USD",
        related_name="+",
    )
    beneficiaries_women = models.PositiveIntegerField(_("women and girls"), default=0)
    beneficiaries_men = models.PositiveIntegerField(_("men and boys"), default=0)
    beneficiaries_other = models.PositiveIntegerField(_("other or not known"), default=0)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            models.Index(fields=["municipality", "created"], name="project_municipality"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="project_budget_positive"
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="project_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def beneficiaries_total(self) -> int:
        return self.beneficiaries_women + self.beneficiaries_men + self.beneficiaries_other


class CoFunding(models.Model):
    """A partner that co-funds a project, e.g. a matching-fund programme (Mexico's 3×1 para
    Migrantes), a municipality or a foundation."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="co_funding"
    )
    partner = models.CharField(_("partner"), max_length=200)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("co-funding partner")
        verbose_name_plural = _("co-funding partners")

    def __str__(self) -> str:
        return self.partner
