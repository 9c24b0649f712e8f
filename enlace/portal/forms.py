"""The intake's forms: what the public fills in (help, tracing, follow-up) and what triage
asks of an office. The public forms carry a honeypot (`website`): hidden from people and from
assistive technology, filled in by bots; a request that fills it looks sent and is dropped."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from enlace.accounts.models import Office
from enlace.cases.models import CaseType
from enlace.core.forms import HoneypotForm
from enlace.core.models import Country
from enlace.core.names import sort_by_name
from enlace.people.models import Sex
from enlace.tracing.models import Relation

from .models import CloseReason, Situation


def _countries(network_only: bool) -> list[tuple[str, str]]:
    """Countries by name in the reader's language, accents folded (as CountryChoiceField)."""
    qs = Country.objects.all()
    if network_only:
        qs = qs.filter(pk__in=Office.objects.filter(is_active=True).values("country_id"))
    return [("", "—"), *sort_by_name(((c.pk, c.name) for c in qs), lambda c: c[1])]


def _text(label: Any, limit: int, help_text: Any = "", **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


class ContactFields(forms.Form):
    contact_phone = _text(
        _("Phone or WhatsApp number"),
        40,
        _("With the country code, e.g. +52 55 1234 5678."),
        inputmode="tel",
        autocomplete="tel",
    )
    contact_email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("We send your codes here, to you only."),
    )
    best_time = _text(_("Best time to call"), 100)
    safe_to_leave_message = forms.BooleanField(
        label=_("It is safe to leave a message on this phone"), required=False
    )


class HelpForm(HoneypotForm, ContactFields):
    situation = forms.ChoiceField(
        label=_("What happened?"), choices=Situation.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Tell us briefly"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    nationality = forms.ChoiceField(label=_("Your nationality"), choices=())
    country = forms.ChoiceField(label=_("The country where you are now"), choices=())
    given_names = _text(_("Given names (optional)"), 200, autocomplete="given-name")
    first_surname = _text(_("First surname (optional)"), 200, autocomplete="family-name")
    second_surname = _text(_("Second surname (optional)"), 200)
    birth_year = forms.IntegerField(
        label=_("Year of birth (optional)"), required=False, min_value=1900, max_value=2100
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = _countries(True)  # type: ignore[attr-defined]
        self.fields["country"].choices = _countries(False)  # type: ignore[attr-defined]
        order = [
            "situation",
            "description",
            "nationality",
            "country",
            "contact_phone",
            "contact_email",
            "best_time",
            "safe_to_leave_message",
            "given_names",
            "first_surname",
            "second_surname",
            "birth_year",
            "website",
        ]
        self.order_fields(order)


class TracingForm(HoneypotForm, ContactFields):
    given_names = _text(_("Their given names"), 200)
    first_surname = _text(_("Their first surname"), 200)
    second_surname = _text(_("Their second surname"), 200)
    nickname = _text(_("Nickname"), 100)
    sex = forms.ChoiceField(
        label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN, required=False
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    approximate_age = forms.IntegerField(
        label=_("Or their approximate age"), required=False, min_value=0, max_value=120
    )
    last_seen_place = _text(_("Where they were last heard of"), 200)
    relation = forms.ChoiceField(label=_("They are your…"), choices=Relation.choices)
    requester_name = _text(_("Your name"), 200, autocomplete="name")
    nationality = forms.ChoiceField(label=_("Your nationality"), choices=(), required=False)
    country = forms.ChoiceField(
        label=_("The country where you are now"), choices=(), required=False
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that consular offices use these details to search for this person. They "
            "will tell me only what the person agrees to."
        ),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = _countries(True)  # type: ignore[attr-defined]
        self.fields["country"].choices = _countries(False)  # type: ignore[attr-defined]
        self.order_fields(
            [
                "given_names",
                "first_surname",
                "second_surname",
                "nickname",
                "sex",
                "birth_year",
                "approximate_age",
                "last_seen_place",
                "relation",
                "requester_name",
                "nationality",
                "country",
                "contact_phone",
                "contact_email",
                "best_time",
                "safe_to_leave_message",
                "consent",
                "website",
            ]
        )


class FollowForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"), max_length=64, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    secret = forms.CharField(
        label=_("Secret"),
        max_length=64,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class InfoForm(forms.Form):
    text = forms.CharField(
        label=_("Add information"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CaseTriageForm(forms.Form):
    person = forms.ChoiceField(
        label=_("Person"), widget=forms.RadioSelect, required=False, choices=()
    )
    given_names = _text(_("Given names"), 200)
    first_surname = _text(_("First surname"), 200)
    second_surname = _text(_("Second surname"), 200)
    case_type = forms.ChoiceField(label=_("Case type"), choices=CaseType.choices)
    summary = forms.CharField(
        label=_("Summary"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TracingTriageForm(forms.Form):
    requester_name = _text(_("Requester's name"), 200)
    given_names = _text(_("Given names"), 200)
    nickname = _text(_("Nickname"), 100)
    first_surname = _text(_("First surname"), 200)
    second_surname = _text(_("Second surname"), 200)
    last_seen_place = _text(_("Last seen in"), 200)
    verified = forms.BooleanField(
        label=_("We spoke with the requester and verified the request"), required=True
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=CloseReason.choices)


class ForwardForm(forms.Form):
    """Forward a request to the office it belongs to (choices: services.forward_targets)."""

    office = forms.ChoiceField(label=_("Forward to the office"), choices=())

    def __init__(self, *args: Any, offices: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((str(o.pk), office_label(o)) for o in offices),
        ]


def office_label(office: Office) -> str:
    """An office as the forward list shows it: its name, city and host country."""
    return f"{office.name} · {office.city}, {office.host_country.name}"
