from django import forms
from django.utils.translation import gettext_lazy as _

from enlace.core.forms import NOTICE_LANGUAGES, CountryChoiceField, DateInput, text
from enlace.people.models import Sex

from .models import Relation


class TracingRequestForm(forms.Form):
    requester_name = text(_("Requester's name"), 200, required=True)
    requester_relation = forms.ChoiceField(
        label=_("Relation to the person sought"), choices=Relation.choices
    )
    requester_contact = text(
        _("Requester's contact"),
        200,
        help_text=_("Phone or address where the family can be reached."),
    )
    given_names = text(_("Given names of the person sought"), 200)
    nickname = text(_("Nickname"), 100, help_text=_("As the family calls the person, e.g. Chuy."))
    first_surname = text(_("First surname"), 200)
    second_surname = text(_("Second surname"), 200)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_date = forms.CharField(
        label=_("Date of birth"),
        required=False,
        max_length=10,
        help_text=_("YYYY-MM-DD, YYYY-MM or only the year (YYYY)."),
    )
    approximate_age = forms.IntegerField(
        label=_("Approximate age"), required=False, min_value=0, max_value=120
    )
    birth_place = text(_("Place of birth"), 200)
    nationality = CountryChoiceField(label=_("Nationality"), required=False)
    mother_name = text(_("Mother's name"), 200)
    document_number = text(
        _("Identity document number"),
        64,
        help_text=_("Passport or identity card number, if the family knows it."),
    )
    last_seen_place = text(_("Last seen in"), 200)
    last_seen_date = forms.DateField(label=_("Last seen on"), required=False, widget=DateInput())
    notes = text(_("Notes"), 5000, widget=forms.Textarea(attrs={"rows": 3}))
    requester_consent = forms.BooleanField(
        label=_(
            "The requester consents to the use of this information to search for the "
            "person across the network"
        ),
        required=False,
    )


class TracingRequestEditForm(TracingRequestForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawRequestForm(forms.Form):
    reason = text(
        _("Why is the request withdrawn?"),
        2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the family found the person, or no longer wants the search."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConfirmForm(forms.Form):
    notice_language = forms.ChoiceField(
        label=_("Language in which the person agreed to be found"),
        choices=NOTICE_LANGUAGES,
    )
    person_consents = forms.BooleanField(
        label=_("The person was told who is looking for them and agrees to be found"),
        required=True,
    )
    note = text(_("Note"), 2000, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(forms.Form):
    note = text(_("Why is it not the same person?"), 2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReunificationForm(forms.Form):
    relationship_verified = forms.BooleanField(label=_("Relationship verified"), required=False)
    verification_method = text(_("How it was verified"), 300)
    requester_consent = forms.BooleanField(
        label=_("The requester consents to the reunification"), required=False
    )
    person_consent = forms.BooleanField(
        label=_("The person consents to the reunification"), required=False
    )
    best_interests_on = forms.DateField(
        label=_("Best-interests determination on"), required=False, widget=DateInput()
    )
    best_interests_by = text(_("Best-interests determination by"), 200)
    best_interests_outcome = text(
        _("Best-interests determination outcome"), 5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reunion_date = forms.DateField(
        label=_("Date of reunification"), required=False, widget=DateInput()
    )
    reunion_place = text(_("Place of reunification"), 200)
    follow_up = text(_("Follow-up"), 5000, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)
