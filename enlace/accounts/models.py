"""Users, the offices they work in, and their role in each office."""

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from enlace.core.models import BaseModel


class Role(models.TextChoices):
    OFFICER = "officer", _("Consular officer")
    SUPERVISOR = "supervisor", _("Protection supervisor")
    NATIONAL_FOCAL_POINT = "national_focal_point", _("National focal point")
    TRAFFICKING_FOCAL_POINT = "trafficking_focal_point", _("Trafficking focal point")
    ANALYST = "analyst", _("Analyst")
    ASSOCIATION_REP = "association_rep", _("Association representative")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that handle protection data: they must use two-factor authentication in production.
STAFF_ROLES = frozenset(
    {
        Role.OFFICER,
        Role.SUPERVISOR,
        Role.NATIONAL_FOCAL_POINT,
        Role.TRAFFICKING_FOCAL_POINT,
        Role.ANALYST,
        Role.ADMINISTRATOR,
    }
)


class User(AbstractUser):
    """A person who logs in to Enlace."""

    active_membership = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("active office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    # A new password ends the API token as it ends the sessions (Django's session hash), however
    # it is set: the password page (which logs the revocation first), an administrator,
    # `manage.py changepassword`, a script.
    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self._password_replaced = True

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        self._password_replaced = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        if getattr(self, "_password_replaced", False):
            from rest_framework.authtoken.models import Token

            Token.objects.filter(user_id=self.pk).delete()
            self._password_replaced = False


class Office(BaseModel):
    """A consulate, ministry, authority, shelter or the secretariat, acting for one country."""

    class Kind(models.TextChoices):
        CONSULATE = "consulate", _("Consulate")
        EMBASSY = "embassy", _("Embassy")
        FOREIGN_MINISTRY = "foreign_ministry", _("Ministry of Foreign Affairs")
        MIGRATION_AUTHORITY = "migration_authority", _("Migration authority")
        CHILD_PROTECTION = "child_protection", _("Child-protection authority")
        SHELTER = "shelter", _("Shelter / NGO")
        SECRETARIAT = "secretariat", _("Regional secretariat")
        ASSOCIATION = "association", _("Migrant association")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country represented"),
        on_delete=models.PROTECT,
        related_name="offices",
    )
    host_country = models.ForeignKey(
        "core.Country",
        verbose_name=_("host country"),
        on_delete=models.PROTECT,
        related_name="hosted_offices",
    )
    city = models.CharField(_("city"), max_length=120)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["country__code", "name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="office_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def handles_cases(self) -> bool:
        """Of a kind that works protection cases (receives referrals, registers people)."""
        return self.kind in CASEWORK_KINDS


# Office kinds that work protection cases: an association or the secretariat does not.
CASEWORK_KINDS = frozenset(
    {
        Office.Kind.CONSULATE,
        Office.Kind.EMBASSY,
        Office.Kind.FOREIGN_MINISTRY,
        Office.Kind.MIGRATION_AUTHORITY,
        Office.Kind.CHILD_PROTECTION,
        Office.Kind.SHELTER,
    }
)


class Membership(BaseModel):
    """A user's role in one office; a user may hold several."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["office__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "office", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.office} · {self.get_role_display()}"
