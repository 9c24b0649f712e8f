"""The forums' forms: they parse what the browser sends; the services decide (a refusal comes
back as their ValidationFailed and is shown next to the field)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from enlace.core.forms import CountriesField, CountryChoiceField, text

from .models import Decision, Forum, Progress


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionForm(forms.Form):
    """A form on an edited record: the version the editor saw (409 when it moved on)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ForumForm(forms.Form):
    name = text(_("Name"), 200, required=True)
    kind = forms.ChoiceField(label=_("Kind"), choices=Forum.Kind.choices)
    description = text(_("Description"), 20000, widget=forms.Textarea(attrs={"rows": 4}))
    members = CountriesField(
        label=_("Member countries"),
        required=False,
        help_text=_("The countries that endorse the regional position."),
    )


class MeetingForm(forms.Form):
    title = text(_("Title"), 200, required=True)
    city = text(_("City"), 120)
    country = CountryChoiceField(label=_("Country"))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput(), required=False)


class ItemForm(forms.Form):
    title = text(_("Title"), 200, required=True)
    description = text(_("Description"), 20000, widget=forms.Textarea(attrs={"rows": 4}))
    order = forms.IntegerField(label=_("Order"), min_value=1, max_value=999, required=False)


class PositionForm(VersionForm):
    text = text(_("Position"), 20000, required=True, widget=forms.Textarea(attrs={"rows": 8}))
    is_public = forms.BooleanField(
        label=_("Public"),
        required=False,
        help_text=_("Shown on the public pages once submitted."),
    )


class RegionalForm(VersionForm):
    text = text(_("Draft text"), 20000, required=True, widget=forms.Textarea(attrs={"rows": 10}))


class EndorsementForm(VersionForm):
    decision = forms.ChoiceField(
        label=_("Your country's answer"),
        choices=[(Decision.ENDORSED, _("Endorse")), (Decision.OBJECTED, _("Object"))],
        widget=forms.RadioSelect,
    )
    note = text(_("Reason (required to object)"), 500, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = text(_("Comment"), 5000, required=True, widget=forms.Textarea(attrs={"rows": 3}))


class CommitmentStatusForm(VersionForm):
    status = forms.ChoiceField(label=_("Status"), choices=Progress.choices)
    note = text(_("Note"), 500, widget=forms.Textarea(attrs={"rows": 2}))
