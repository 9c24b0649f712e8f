"""Shared base model, reference data (countries, currencies, municipalities) and background
jobs."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .languages import content_language


class BaseModel(models.Model):
    """UUID primary key, timestamps and author: every domain record has these."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


def in_active_language(record: Any, field: str, fallback: str) -> str:
    """The value of `field_<language>` for the active interface language (es, en, pt, fr), or of
    `field_<fallback>` when that column is empty or the language has none. Haitian Creole reads
    the French column (records are not written in Kreyòl; French is Haiti's other official
    language)."""
    lang = content_language((get_language() or "es")[:2])
    return str(getattr(record, f"{field}_{lang}", "") or getattr(record, f"{field}_{fallback}"))


class TranslatedNameMixin(models.Model):
    """Names in the four interface languages, picked by the active language."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_active_language(self, "name", "en")


class Country(TranslatedNameMixin):
    """An ISO 3166-1 country, loaded from pycountry."""

    code = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO 3166-1 numeric"), max_length=3)

    class Meta:
        ordering = ["name_es"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")


class Currency(TranslatedNameMixin):
    """An ISO 4217 currency, loaded from pycountry."""

    code = models.CharField(_("ISO 4217 code"), max_length=3, primary_key=True)
    numeric = models.CharField(_("ISO 4217 numeric"), max_length=3, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")


class Municipality(models.Model):
    """A municipality of a country of origin (its second-level division), by its national
    statistical code: DIGESTYC (El Salvador, the 262 municipalities before the 2024 reform, now
    its districts), INE (Guatemala, Honduras), INEGI (Mexico). Loaded from data/municipalities.csv
    (see data/SOURCE.md); `id` is "<country>-<code>", e.g. "SV-1407" (Intipucá)."""

    id = models.CharField(_("identifier"), max_length=16, primary_key=True)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    subdivision = models.CharField(_("ISO 3166-2 subdivision"), max_length=6, db_index=True)
    subdivision_name = models.CharField(_("department or state"), max_length=120)
    code = models.CharField(_("national code"), max_length=10)
    name = models.CharField(_("name"), max_length=120)
    # El Salvador: the municipality (of the 44 since May 2024) this one is now a district of.
    municipality_2024 = models.CharField(_("municipality since 2024"), max_length=120, blank=True)

    class Meta:
        ordering = ["country_id", "subdivision_name", "name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="municipality_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.subdivision_name})"


class Job(BaseModel):
    """A background job started by a user; its progress is shown in the UI."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=64)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return f"{self.kind} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(100 * self.progress_done / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    # Result keys a job function may set for the job's page rather than as figures to list:
    # "download", the URL of the file it wrote (the view behind it decides who may download
    # it), "file", the file's name in storage, "page", the URL of a page that shows the job's
    # result in full, and "report", the details that page shows.
    LINK_KEYS = ("download", "file", "page", "report")

    @property
    def download_url(self) -> str:
        if self.status != self.Status.SUCCEEDED:
            return ""
        return str(self.result.get("download", ""))

    @property
    def page_url(self) -> str:
        if not self.is_finished:
            return ""
        return str(self.result.get("page", ""))

    @property
    def result_items(self) -> list[tuple[str, str]]:
        """The result's figures, labelled in the reader's language, for the job's page."""
        from . import joblabels

        return [
            (joblabels.result_label(self.kind, k), joblabels.value_text(self.kind, v))
            for k, v in self.result.items()
            if k not in self.LINK_KEYS
        ]

    @property
    def kind_label(self) -> str:
        """What the job does, in the reader's language ("Case export")."""
        from . import joblabels

        return joblabels.kind_label(self.kind)

    @property
    def message_label(self) -> str:
        """The progress message: a stage's name in words, or the text the job wrote."""
        from . import joblabels

        return joblabels.stage_label(self.kind, self.message)
