"""Forms of the practices pages: the practice (with its translations), the review, the file
upload, and the public "Ask the author" form (with a honeypot field)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from enlace.core.forms import CountriesField, DateInput, HoneypotForm, Picker, text

from .models import LANGUAGES, GcmObjective, Language, Practice, TargetGroup, Theme

TRANSLATION_FIELDS = ("title", "summary", "description")


class PracticeForm(forms.Form):
    """A practice and its translations (a language left blank has none)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    language = forms.ChoiceField(label=_("Original language"), choices=Language.choices)
    title = text(_("Title of the practice"), 200, required=True)
    summary = text(
        _("Summary"),
        1000,
        required=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: what was done, for whom, with what result."),
    )
    description = text(
        _("Description"), 20000, required=True, widget=forms.Textarea(attrs={"rows": 10})
    )
    countries = CountriesField(label=_("Countries"), required=False)
    partners = text(
        _("Partners"),
        2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Institutions and organisations that took part."),
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes (commitments of the communiqué)"),
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    gcm_objectives = forms.ModelMultipleChoiceField(
        label=_("Global Compact for Migration objectives"),
        queryset=GcmObjective.objects.all(),
        widget=Picker,
        required=False,
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    results = text(_("Results"), 5000, widget=forms.Textarea(attrs={"rows": 4}))
    evidence = text(
        _("Evidence"),
        5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Evaluations, figures, reports that show the results."),
    )
    started_on = forms.DateField(label=_("Start of the period"), required=False, widget=DateInput)
    ended_on = forms.DateField(label=_("End of the period"), required=False, widget=DateInput)
    contact_name = text(_("Contact person"), 200, required=True)
    contact_email = forms.EmailField(
        label=_("Contact e-mail"),
        help_text=_(
            'Never shown: readers write through the library\'s "Ask the author" form, and '
            "their messages are forwarded to this address."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for lang in LANGUAGES:
            name = Language(lang).label
            self.fields[f"title_{lang}"] = text(_("Title (%(language)s)") % {"language": name}, 200)
            self.fields[f"summary_{lang}"] = text(
                _("Summary (%(language)s)") % {"language": name},
                1000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"description_{lang}"] = text(
                _("Description (%(language)s)") % {"language": name},
                20000,
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    def main_fields(self) -> list[Any]:
        return [self[n] for n in self.fields if not n.endswith(tuple(f"_{x}" for x in LANGUAGES))]

    def translation_groups(self) -> list[tuple[str, str, list[Any]]]:
        """(language, its name, its bound fields) for the translations' fieldsets."""
        return [
            (lang, str(Language(lang).label), [self[f"{n}_{lang}"] for n in TRANSLATION_FIELDS])
            for lang in LANGUAGES
        ]

    def service_data(self) -> dict[str, Any]:
        """The cleaned values as the services take them."""
        d = self.cleaned_data
        data = {
            k: d.get(k)
            for k in (
                "language",
                "title",
                "summary",
                "description",
                "partners",
                "results",
                "evidence",
                "started_on",
                "ended_on",
                "contact_name",
                "contact_email",
                "themes",
                "target_groups",
            )
        }
        data["countries"] = [c.code for c in d.get("countries") or []]
        data["gcm_objectives"] = [o.number for o in d.get("gcm_objectives") or []]
        data["translations"] = {
            lang: {n: d.get(f"{n}_{lang}") or "" for n in TRANSLATION_FIELDS} for lang in LANGUAGES
        }
        return data


def initial_of(practice: Practice) -> dict[str, Any]:
    """The form's initial values from a saved practice (also the 'saved now' of a 409)."""
    initial: dict[str, Any] = {
        k: getattr(practice, k)
        for k in (
            "version",
            "language",
            "title",
            "summary",
            "description",
            "partners",
            "results",
            "evidence",
            "started_on",
            "ended_on",
            "contact_name",
            "contact_email",
        )
    }
    initial["countries"] = [c.code for c in practice.countries.all()]
    initial["gcm_objectives"] = [o.number for o in practice.gcm_objectives.all()]
    initial["themes"] = [t.theme for t in practice.themes.all()]
    initial["target_groups"] = [g.group for g in practice.target_groups.all()]
    for t in practice.translations.all():
        for n in TRANSLATION_FIELDS:
            initial[f"{n}_{t.language}"] = getattr(t, n)
    return initial


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish")), ("return", _("Return with comments"))],
        widget=forms.RadioSelect,
    )
    comments = text(
        _("Comments for the author"),
        5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to return the practice; the author reads them."),
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(VersionForm):
    confirm = forms.BooleanField(
        label=_("Yes, withdraw this practice"),
        required=True,
        error_messages={"required": _("Tick the box to confirm.")},
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, PNG, JPEG, DOCX, ODT or XLSX, at most 10 MB.")
    )


class AskForm(HoneypotForm):
    """The public "Ask the author" form, with the honeypot of enlace.core.forms (a message
    that fills it is dropped)."""

    field_order = ["name", "email", "message", "website"]

    name = text(_("Your name"), 120, required=True)
    email = forms.EmailField(
        label=_("Your e-mail"), help_text=_("The author replies to this address.")
    )
    message = text(_("Your message"), 3000, required=True, widget=forms.Textarea(attrs={"rows": 5}))
