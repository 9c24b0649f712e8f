from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RequestKind


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    law_country = forms.CharField(
        label=_("Country whose law applies"),
        max_length=2,
        help_text=_("ISO code, e.g. AR, BR, CO, MX."),
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    details = forms.CharField(
        label=_("What the person asks"), required=False, widget=forms.Textarea, max_length=2000
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=2000)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("What was corrected"), required=False, widget=forms.Textarea, max_length=2000
    )


class BreachForm(forms.Form):
    detected_at = forms.DateTimeField(
        label=_("Detected at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea, max_length=5000)
    records_affected = forms.IntegerField(label=_("Records affected"), min_value=0, initial=0)
    persons_affected = forms.IntegerField(label=_("Persons affected"), min_value=0, initial=0)


class NotifiedForm(forms.Form):
    notified_at = forms.DateTimeField(
        label=_("Notified at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    notified_to = forms.CharField(label=_("Notified to"), max_length=300)
