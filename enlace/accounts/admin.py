from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from enlace.core.errors import ValidationFailed

from .models import Membership, Office, User
from .services import office_phone


class OfficeAdminForm(forms.ModelForm):
    """The office directory in Django's admin: the phone checked as on the edit page."""

    class Meta:
        model = Office
        fields = "__all__"  # noqa: DJ007 - every field of the directory is the admin's to keep

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        host = data.get("host_country")
        try:
            data["phone"] = office_phone(data.get("phone") or "", host.pk if host else "")
        except ValidationFailed as exc:
            for message in exc.errors["phone"]:
                self.add_error("phone", message)
        return data


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    form = OfficeAdminForm
    list_display = ("name", "kind", "country", "city", "phone", "email", "is_active")
    list_filter = ("kind", "country", "is_active")
    search_fields = ("name", "city")


admin.site.register(User, UserAdmin)
admin.site.register(Membership)
