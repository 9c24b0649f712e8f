from django import forms
from django.utils.translation import gettext_lazy as _

from enlace.accounts.models import Office
from enlace.core.forms import DateInput, text

from .models import Attachment, CaseAction, CaseType, RiskLevel


class CaseForm(forms.Form):
    case_type = forms.ChoiceField(label=_("Case type"), choices=CaseType.choices)
    summary = text(_("Summary"), 5000, required=True, widget=forms.Textarea(attrs={"rows": 4}))
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=RiskLevel.choices, initial=RiskLevel.MEDIUM
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())


class CaseEditForm(forms.Form):
    summary = text(_("Summary"), 5000, required=True, widget=forms.Textarea(attrs={"rows": 4}))
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    assigned_to = forms.ChoiceField(label=_("Assigned officer"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DetentionForm(forms.Form):
    arrest_date = forms.DateField(label=_("Date of arrest"), widget=DateInput())
    detention_place = text(_("Place of detention"), 200)
    informed_of_rights = forms.ChoiceField(
        label=_("Informed of the right to consular notification"),
        required=False,
        choices=[("unknown", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))],
    )
    notified_on = forms.DateField(
        label=_("Date the consulate was notified"), required=False, widget=DateInput()
    )
    notified_by = text(_("Notified by"), 200, help_text=_("Authority and person who notified."))
    first_contact_on = forms.DateField(label=_("First contact"), required=False, widget=DateInput())
    first_visit_on = forms.DateField(label=_("First visit"), required=False, widget=DateInput())


class ActionForm(forms.Form):
    service_type = forms.ChoiceField(label=_("Service"), choices=CaseAction.ServiceType.choices)
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    provider = text(_("Provider"), 200)
    outcome = text(_("Outcome"), 5000, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    text = text(_("Note"), 10000, required=True, widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, PNG, JPEG, DOCX, XLSX, ODT or TXT; at most 10 MB.")
    )
    kind = forms.ChoiceField(label=_("Type"), choices=Attachment.Kind.choices)


class ReferralForm(forms.Form):
    to_office = forms.ModelChoiceField(label=_("Refer to office"), queryset=Office.objects.none())
    purpose = text(
        _("Purpose of the referral"), 2000, required=True, widget=forms.Textarea(attrs={"rows": 3})
    )
    consent = forms.BooleanField(
        label=_("The person consents to this referral"),
        required=False,
        help_text=_("The notice was explained in a language the person understands."),
    )
    override_reason = text(
        _("Reason to refer without consent (supervisors only)"),
        2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: object, offices: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["to_office"].queryset = offices  # type: ignore[attr-defined]


class TransitionForm(forms.Form):
    note = text(_("Note"), 5000, widget=forms.Textarea(attrs={"rows": 2}))
