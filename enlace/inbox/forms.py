from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from enlace.core.filters import StrictBooleanField, StrictBooleanWidget

from .models import Preference


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label=_("E-mail me about new items"),
        choices=Preference.Email.choices,
        widget=forms.RadioSelect,
    )


class UnreadField(StrictBooleanField):
    """?unread=: true/false as every boolean filter here, and also 1/0 (the issue's ?unread=1)."""

    default_error_messages = {"invalid": _("Enter true, false, 1 or 0.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", StrictBooleanWidget())
        super().__init__(**kwargs)

    def to_python(self, value: object) -> bool | None:
        if value == "1":
            return True
        if value == "0":
            return False
        return super().to_python(value)


class InboxFilterForm(forms.Form):
    unread = UnreadField(label=_("Unread only"), required=False)
