from django import forms
from django.utils.translation import gettext_lazy as _

from enlace.core.forms import (
    NOTICE_LANGUAGES,
    CountriesField,
    CountryChoiceField,
    DateInput,
    LanguagesField,
    text,
)

from .models import Consent, IdentityDocument, MigratoryStatus, Sex, Vulnerability


class PersonForm(forms.Form):
    given_names = text(_("Given names"), 200, required=True)
    first_surname = text(_("First surname"), 200)
    second_surname = text(_("Second surname"), 200)
    other_names = text(
        _("Other names and aliases"),
        500,
        help_text=_("Nicknames, names used on other documents, separated by commas."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    gender_identity = text(_("Gender identity (optional)"), 100)
    birth_date = forms.CharField(
        label=_("Date of birth"),
        required=False,
        max_length=10,
        help_text=_("YYYY-MM-DD, YYYY-MM or only the year (YYYY)."),
    )
    estimated_age = forms.IntegerField(
        label=_("Estimated age"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("If the date of birth is not known."),
    )
    birth_place = text(_("Place of birth"), 200)
    nationalities = CountriesField(label=_("Nationalities"), required=False)
    mother_name = text(_("Mother's name"), 200)
    languages = LanguagesField(label=_("Languages"), required=False)
    phone = text(_("Phone"), 40)
    email = forms.EmailField(label=_("Email"), required=False)
    address = text(_("Address"), 300)
    migratory_status = forms.ChoiceField(
        label=_("Migratory status"),
        required=False,
        choices=[("", _("Not recorded")), *MigratoryStatus.choices],
        help_text=_("Record it only when the case needs it. Only your office will see it."),
    )
    migratory_status_notes = text(
        _("Migratory status details"), 500, help_text=_("Only your office will see this.")
    )
    photo = forms.FileField(
        label=_("Photo (optional)"), required=False, help_text=_("JPEG or PNG, at most 5 MB.")
    )
    refuses_tracing = forms.BooleanField(label=_("Refuses to be traced"), required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("This is a different person: register anyway"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VulnerabilityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Vulnerability"), choices=Vulnerability.Kind.choices)
    detail = text(_("Detail"), 200)
    assessed_on = forms.DateField(label=_("Assessed on"), required=False, widget=DateInput())


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    notice_language = forms.ChoiceField(
        label=_("Language of the notice"),
        choices=NOTICE_LANGUAGES,
    )
    given_on = forms.DateField(label=_("Given on"), required=False, widget=DateInput())


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Document type"), choices=IdentityDocument.Type.choices)
    number = text(_("Number"), 64, required=True)
    issuing_country = CountryChoiceField(label=_("Issuing country"))


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.csv or .xlsx)"),
        help_text=_("One person per row; the first row holds the column names."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class ImportRunForm(forms.Form):
    valid_only = forms.BooleanField(required=False)
    with_duplicates = forms.BooleanField(
        label=_("Also import the rows flagged as possible duplicates"), required=False
    )
