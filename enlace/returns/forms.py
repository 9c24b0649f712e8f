"""The return pages' forms: open a return, one form per step of the workflow (their fields are
the step service's, enlace.returns.services.STEP_SERVICES), withdraw, the office's cooling-off.

The forms parse what the browser sends; the services decide (a refusal comes back as their
ValidationFailed and is shown next to the field, or at the top of the step's form)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from enlace.core.forms import text
from enlace.core.names import language_choices

from .models import (
    CounsellingOption,
    DocumentType,
    Outcome,
    Transport,
    Vulnerability,
)

YES_NO = [("", "—"), ("true", _("Yes")), ("false", _("No"))]
MAX_FORM_LEGS = 4


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label: Any, *, required: bool = False, **kw: Any) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), **kw)


def _yes_no(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=YES_NO, required=True)


def _area(label: Any, limit: int = 5000, *, required: bool = False) -> forms.CharField:
    return text(label, limit, required=required, widget=forms.Textarea(attrs={"rows": 2}))


def _language(label: Any) -> forms.ChoiceField:
    # A callable: the names are those of the reader's language, listed when the form is shown
    # (a list would be written once, at import, in the default language).
    return forms.ChoiceField(label=label, choices=_language_choices)


def _language_choices() -> list[tuple[str, str]]:
    return [("", "—"), *language_choices()]


class StepForm(forms.Form):
    """A step's form: the version the reader saw goes back with it (a stale one is a 409)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def step_data(self) -> dict[str, Any]:
        """The service's arguments: what the form parsed, minus the version."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class OpenForm(forms.Form):
    origin_country = forms.CharField(
        label=_("Country of origin (ISO code)"),
        max_length=2,
        required=False,
        help_text=_("Leave empty to use the person's nationality."),
    )
    after_detention = forms.ChoiceField(
        label=_("The request follows detention"),
        choices=[("", _("As the case says")), ("true", _("Yes")), ("false", _("No"))],
        required=False,
    )
    declared_child = forms.BooleanField(label=_("Declared or presumed child"), required=False)
    planned_departure_on = _date(_("Planned departure"))
    note = _area(_("Note"))


class CounsellingForm(StepForm):
    options = forms.MultipleChoiceField(
        label=_("Options explained"),
        choices=CounsellingOption.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    language = _language(_("Language of counselling"))
    counselled_on = _date(_("Counselled on"))
    note = _area(_("Counselling notes"))


class ConsentForm(StepForm):
    signed_on = _date(_("Consent signed on"))
    language = _language(_("Language of the consent"))
    note = _area(_("Note"))


class ReconfirmForm(StepForm):
    reconfirmed_on = _date(_("Consent re-confirmed out of detention on"))
    not_possible_reason = _area(
        _("Or: why the consent could not be re-confirmed out of detention"), 2000
    )


class AssessmentForm(StepForm):
    eligible = _yes_no(_("Eligible"))
    reasons = _area(_("Reasons"))
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerabilities"),
        choices=Vulnerability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    medical_check_needed = forms.BooleanField(label=_("Medical check needed"), required=False)
    assessed_on = _date(_("Assessed on"))


class BestInterestsForm(StepForm):
    decided_on = _date(_("Best-interests determination on"))
    decided_by = text(_("Determined by"), 200)
    in_best_interests = _yes_no(_("Return is in the child's best interests"))
    note = _area(_("Determination notes"))


class DocumentRequestForm(StepForm):
    doc_type = forms.ChoiceField(
        label=_("Document type"), choices=[("", "—"), *DocumentType.choices]
    )
    requested_on = _date(_("Requested on"))


class DocumentIssueForm(StepForm):
    document = forms.ChoiceField(label=_("Document"), choices=[])
    number = text(_("Number"), 64)
    issued_on = _date(_("Issued on"))
    valid_until = _date(_("Valid until"))

    def __init__(self, *args: Any, documents: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [  # type: ignore[attr-defined]
            (str(d.pk), f"{d.get_doc_type_display()} ({d.requested_on:%Y-%m-%d})")
            for d in documents
        ]


class MedicalForm(StepForm):
    fit = _yes_no(_("Fit to travel"))
    examined_on = _date(_("Examined on"))
    note = _area(_("Medical notes"), 2000)


class TravelPlanForm(StepForm):
    escort = text(_("Escort"), 200, help_text=_("Required for an unaccompanied child."))
    special_needs = _area(_("Special needs on the journey"), 2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(MAX_FORM_LEGS):
            self.fields[f"leg{i}_origin"] = text(_("From"), 120)
            self.fields[f"leg{i}_destination"] = text(_("To"), 120)
            self.fields[f"leg{i}_date"] = _date(_("Date"))
            self.fields[f"leg{i}_transport"] = forms.ChoiceField(
                label=_("Transport"), choices=[("", "—"), *Transport.choices], required=False
            )
            self.fields[f"leg{i}_carrier"] = text(_("Carrier"), 120)

    def legs(self) -> list[list[Any]]:
        """The legs' bound fields, one row per leg (the template lays them out)."""
        names = ("origin", "destination", "date", "transport", "carrier")
        return [[self[f"leg{i}_{n}"] for n in names] for i in range(MAX_FORM_LEGS)]

    def step_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        legs = []
        for i in range(MAX_FORM_LEGS):
            leg = {
                n: data.get(f"leg{i}_{n}")
                for n in ("origin", "destination", "date", "transport", "carrier")
            }
            if any(v not in (None, "") for v in leg.values()):
                legs.append({k: ("" if v is None else v) for k, v in leg.items()})
        return {"legs": legs, "escort": data["escort"], "special_needs": data["special_needs"]}


class HandOverForm(StepForm):
    receiving_office = forms.ChoiceField(label=_("Receiving office"), choices=[])
    consent_language = _language(_("Language the person consented in"))
    consent_given_on = _date(_("Consent to the hand-over given on"))
    note = _area(_("Note"))

    def __init__(self, *args: Any, offices: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_office"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((str(o.pk), o.name) for o in offices),
        ]


class DepartureForm(StepForm):
    departed_on = _date(_("Departed on"))
    note = _area(_("Note"))


class ArrivalForm(StepForm):
    arrived_on = _date(_("Arrived on"))
    reception_note = _area(_("Reception"))


class ReintegrationPlanForm(StepForm):
    economic = _area(_("Economic support"), required=True)
    social = _area(_("Social support"), required=True)
    psychosocial = _area(_("Psychosocial support"), required=True)
    planned_on = _date(_("Plan agreed on"))


SCORE_HELP = _("From 0 (none) to 1 (fully).")


def _score(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=1,
        decimal_places=3,
        help_text=SCORE_HELP,
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0", "max": "1"}),
    )


class FollowUpForm(StepForm):
    months = forms.ChoiceField(label=_("Follow-up"), choices=[])
    done_on = _date(_("Done on"))
    reached = _yes_no(_("Returnee reached"))
    economic = _score(_("Economic"))
    social = _score(_("Social"))
    psychosocial = _score(_("Psychosocial"))
    note = _area(_("Note"))

    def __init__(self, *args: Any, months: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["months"].choices = [  # type: ignore[attr-defined]
            (str(m), _("%(months)s months") % {"months": m}) for m in months
        ]

    def step_data(self) -> dict[str, Any]:
        data = super().step_data()
        if data.get("reached") == "false":  # not reached: no scores
            for k in ("economic", "social", "psychosocial"):
                data.pop(k, None)
        return data


class CloseForm(StepForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices])
    reason = _area(_("Reason"))
    # Closing is final (no step can be recorded after it): the form asks to confirm, as the
    # withdrawal does. The API's caller confirms by calling.
    confirm = forms.BooleanField(
        label=_("Close this return: no further step can be recorded."), required=True
    )

    def step_data(self) -> dict[str, Any]:
        data = super().step_data()
        data.pop("confirm", None)
        return data


class WithdrawForm(StepForm):
    reason = _area(_("Reason for withdrawal"), 2000)
    confirm = forms.BooleanField(
        label=_("The person has decided not to return: end this return."), required=True
    )

    def step_data(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


class SettingsForm(forms.Form):
    cooling_off_days = forms.IntegerField(
        label=_("Cooling-off period (days)"),
        min_value=0,
        max_value=90,
        help_text=_("Days between counselling and the earliest signed consent (0: none)."),
    )


STEP_FORMS: dict[str, type[StepForm]] = {
    "counselling": CounsellingForm,
    "consent": ConsentForm,
    "consent_reconfirm": ReconfirmForm,
    "assessment": AssessmentForm,
    "best_interests": BestInterestsForm,
    "document_request": DocumentRequestForm,
    "document_issue": DocumentIssueForm,
    "medical": MedicalForm,
    "travel_plan": TravelPlanForm,
    "hand_over": HandOverForm,
    "departure": DepartureForm,
    "arrival": ArrivalForm,
    "reintegration_plan": ReintegrationPlanForm,
    "follow_up": FollowUpForm,
    "close": CloseForm,
    "withdraw": WithdrawForm,
}
