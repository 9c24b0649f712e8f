"""Forms of the alerts page and of the identity access requests."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enlace.core.filters import StrictBooleanField, StrictBooleanWidget
from enlace.core.forms import text

from .access_requests import MAX_DAYS
from .models import IdentityRequest


class AlertFilterForm(forms.Form):
    unacknowledged = StrictBooleanField(
        label=_("Not acknowledged only"), required=False, widget=StrictBooleanWidget()
    )


class IdentityRequestForm(forms.Form):
    purpose = text(
        _("Purpose"),
        2000,
        required=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why your country needs to know who the victims and perpetrators are."),
    )
    basis = forms.ChoiceField(
        label=_("Grounds"),
        choices=IdentityRequest.Basis.choices,
        widget=forms.RadioSelect,
        initial=IdentityRequest.Basis.LEGAL_BASIS,
    )
    legal_basis = text(
        _("Legal basis"),
        2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The law, treaty or agreement that allows the exchange (if not on consent)."),
    )
    days = forms.IntegerField(
        label=_("Requested duration (days)"), min_value=1, max_value=MAX_DAYS, initial=30
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant access")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = text(
        _("Reason"),
        2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required to refuse. The requesting focal points read it on the request's page."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
