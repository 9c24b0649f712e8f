"""Who saw what (AccessEvent) and who changed what (ChangeEvent). Rows are never edited."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventBase(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    actor_office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("acting office"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    record_type = models.CharField(_("record type"), max_length=64)
    record_id = models.CharField(_("record"), max_length=64)
    # The office that owns the record: its supervisors may read this history.
    owner_office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("owning office"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.record_type} {self.record_id}"


class Purpose(models.TextChoices):
    """Why a record is read (access log) or shared (grants): a fixed list, never free text."""

    VIEW = "view", _("Record viewed")
    EDIT = "edit", _("Record opened for editing")
    EXPORT = "export", _("Exported")
    LIST = "list", _("Shown in a list")
    SEARCH = "search", _("Shown in search results")
    DOWNLOAD = "download", _("File downloaded")
    REFERRAL = "referral", _("Referral")
    TRACING = "tracing", _("Family tracing")
    REUNIFICATION = "reunification", _("Reunification")
    TRAFFICKING = "trafficking", _("Trafficking or smuggling case")
    RETURN = "return", _("Return reception and reintegration")


class AccessEvent(AuditEventBase):
    """A read of a sensitive record, or a refused attempt to read one (denied)."""

    purpose = models.CharField(_("why"), max_length=200, choices=Purpose.choices)
    denied = models.BooleanField(_("refused"), default=False)

    class Meta(AuditEventBase.Meta):
        verbose_name = _("access event")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["record_type", "record_id"])]


class ChangeEvent(AuditEventBase):
    """A write: create, update, transition or delete, with the fields that changed."""

    action = models.CharField(_("action"), max_length=64)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta(AuditEventBase.Meta):
        verbose_name = _("change event")
        verbose_name_plural = _("change history")
        indexes = [
            models.Index(fields=["record_type", "record_id"]),
            # The trail of an office's records, newest first (enlace.access.views.recent).
            models.Index(fields=["owner_office", "-at", "id"], name="change_office_recent"),
        ]
