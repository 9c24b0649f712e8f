"""The trafficking case form: the case's fields and inline rows (formsets) for the route,
victims, perpetrators, identifiers, events and incidents. Every row is plain fields, so the
form works by keyboard and without JavaScript (empty extra rows are ignored)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from enlace.core.forms import CountryChoiceField, DateInput, text

from . import htcds
from .models import CaseKind, Identifier, Incident, Transport

# Empty rows offered under the rows already recorded (a route needs room for its countries).
EXTRA_ROWS = {"route": 4, "identifiers": 3}


def _multi(name: str, label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=htcds.choices(htcds.field(name).options),
        widget=forms.CheckboxSelectMultiple,
    )


def _single(name: str, label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", "—"), *htcds.choices(htcds.field(name).options)],
    )


class CaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    status = forms.ChoiceField(
        label=_("Status"), choices=htcds.choices(htcds.CASE_STATUS), initial="Active"
    )
    summary = text(_("Summary"), 5000, required=True, widget=forms.Textarea(attrs={"rows": 4}))
    closure_reason = text(
        _("Reason for case closure"), 5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RouteStopForm(forms.Form):
    country = CountryChoiceField(label=_("Country"), required=False)
    place = text(_("Place"), 200)
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    transport = forms.ChoiceField(
        label=_("Means of transport"), required=False, choices=[("", "—"), *Transport.choices]
    )

    def row(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if not d.get("country"):
            if d.get("place") or d.get("date") or d.get("transport"):
                self.add_error("country", _("Choose a country."))
            return None
        return {
            "country": d["country"].pk,
            "place": d.get("place", ""),
            "date": d.get("date"),
            "transport": d.get("transport", ""),
        }


class VictimForm(forms.Form):
    person = forms.ChoiceField(label=_("Person"), required=False)
    protection_case = forms.ChoiceField(label=_("The person's protection case"), required=False)
    trafficking_status = _single("vic_TraffickingStatus", _("Trafficking status"))
    type_of_exploitation = _multi("vic_TypeOfExploitation", _("Type of exploitation"))
    methods_of_control = _multi("vic_MethodsOfControl", _("Methods of control"))
    method_of_recruitment = _multi("vic_MethodOfRecruitment", _("Method of recruitment"))
    forced_labour_industry = _single("vic_ForcedLabourIndustry", _("Forced labour industry"))
    type_of_sex_exploitation = _multi("vic_TypeOfSexExploitation", _("Type of sexual exploitation"))
    relationship_to_trafficker = _single(
        "vic_RelationshipToTrafficker", _("Relationship to trafficker")
    )
    status_decided_by = _single(
        "vic_TraffickingStatusDecisionMakingOrg", _("Trafficking status decided by")
    )
    age_when_trafficked = forms.IntegerField(
        label=_("Age when trafficked"), required=False, min_value=0, max_value=120
    )
    location_of_recruitment = text(_("Location of recruitment"), 200)
    recruitment_websites_and_apps = _multi(
        "vic_RecruitmentWebsitesAndApps", _("Recruitment websites and apps")
    )
    location_of_exploitation = text(_("Location of exploitation"), 200)
    exploitation_websites_and_apps = _multi(
        "vic_ExploitationWebsitesAndApps", _("Exploitation websites and apps")
    )
    consent = forms.NullBooleanField(
        label=_("Consent"),
        required=False,
        help_text=_("The person agreed to the interview and to the use of their data."),
    )
    fee_paid = forms.DecimalField(
        label=_("Fee paid (smuggling)"), required=False, max_digits=12, decimal_places=2
    )
    fee_currency = text(_("Currency (ISO 4217, e.g. USD)"), 3)

    def __init__(
        self,
        *args: Any,
        people: list[tuple[str, str]] | None = None,
        cases: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "—"), *(people or [])]  # type: ignore[attr-defined]
        self.fields["protection_case"].choices = [("", "—"), *(cases or [])]  # type: ignore[attr-defined]

    def row(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if not d.get("person"):
            return None
        row = {k: v for k, v in d.items() if k not in ("fee_currency",)}
        row["fee_currency"] = (d.get("fee_currency") or "").upper()
        row["protection_case"] = d.get("protection_case") or None
        return row


class PerpetratorForm(forms.Form):
    given_names = text(_("Given names"), 200)
    surnames = text(_("Surnames"), 200)
    aliases = text(_("Aliases (separated by commas)"), 500)
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=[
            ("U", _("Unknown")),
            ("F", _("Female")),
            ("M", _("Male")),
            ("X", _("Other / intersex")),
        ],
        required=False,
    )
    nationality = CountryChoiceField(label=_("Nationality"), required=False)
    role_in_process = _multi("per_RoleInProcess", _("Role in process"))
    role_details = text(_("Role details"), 5000, widget=forms.Textarea(attrs={"rows": 2}))
    organisation = text(_("Organisation"), 200)

    def row(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if not (
            d.get("given_names", "").strip()
            or d.get("surnames", "").strip()
            or d.get("aliases", "").strip()
        ):
            return None
        return {
            "given_names": d.get("given_names", ""),
            "surnames": d.get("surnames", ""),
            "aliases": [a.strip() for a in d.get("aliases", "").split(",") if a.strip()],
            "sex": d.get("sex") or "U",
            "nationality": d["nationality"].pk if d.get("nationality") else None,
            "role_in_process": d.get("role_in_process") or [],
            "role_details": d.get("role_details", ""),
            "organisation": d.get("organisation", ""),
        }


class IdentifierForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *Identifier.Kind.choices]
    )
    value = text(_("Value"), 200)
    perpetrator = forms.IntegerField(
        label=_("Perpetrator number"),
        required=False,
        min_value=1,
        help_text=_("The number of the perpetrator above this belongs to, if any."),
    )

    def row(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if not d.get("value", "").strip():
            return None
        if not d.get("kind"):
            self.add_error("kind", _("Choose a kind."))
            return None
        number = d.get("perpetrator")
        return {
            "kind": d["kind"],
            "value": d["value"],
            "perpetrator": number - 1 if number else None,
        }


class EventForm(forms.Form):
    type = _single("hte_Type", _("Type"))
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    country = CountryChoiceField(label=_("Country"), required=False)
    state = text(_("State or province"), 200)
    city = text(_("City"), 200)
    street = text(_("Street"), 200)
    postal_code = text(_("Postal code"), 20)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, decimal_places=6
    )
    description = text(_("Description"), 5000, widget=forms.Textarea(attrs={"rows": 2}))

    def row(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if not d.get("type"):
            if d.get("date") or d.get("country") or d.get("city") or d.get("description"):
                self.add_error("type", _("Choose a type."))
            return None
        return {
            "type": d["type"],
            "date": d.get("date"),
            "country": d["country"].pk if d.get("country") else None,
            "state": d.get("state", ""),
            "city": d.get("city", ""),
            "street": d.get("street", ""),
            "postal_code": d.get("postal_code", ""),
            "latitude": d.get("latitude"),
            "longitude": d.get("longitude"),
            "description": d.get("description", ""),
        }


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *Incident.Kind.choices]
    )
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    country = CountryChoiceField(label=_("Country"), required=False)
    place = text(_("Place"), 200)
    persons_affected = forms.IntegerField(label=_("Persons affected"), required=False, min_value=0)
    deaths = forms.IntegerField(label=_("Deaths"), required=False, min_value=0)
    description = text(_("Description"), 5000, widget=forms.Textarea(attrs={"rows": 2}))

    def row(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if not d.get("kind"):
            if d.get("place") or d.get("description") or d.get("deaths"):
                self.add_error("kind", _("Choose a kind."))
            return None
        return {
            "kind": d["kind"],
            "date": d.get("date"),
            "country": d["country"].pk if d.get("country") else None,
            "place": d.get("place", ""),
            "persons_affected": d.get("persons_affected"),
            "deaths": d.get("deaths") or 0,
            "description": d.get("description", ""),
        }


# name: (form class, heading)
ROW_FORMS: dict[str, tuple[type[forms.Form], Any]] = {
    "route": (RouteStopForm, _("Route")),
    "victims": (VictimForm, _("Victims or smuggled persons")),
    "perpetrators": (PerpetratorForm, _("Traffickers or smugglers")),
    "identifiers": (IdentifierForm, _("Identifiers")),
    "events": (EventForm, _("Historic trafficking events")),
    "incidents": (IncidentForm, _("Incidents on the way (smuggling)")),
}


def row_formsets(
    data: Any,
    initial: dict[str, list[dict[str, Any]]],
    people: list[tuple[str, str]],
    cases: list[tuple[str, str]],
) -> dict[str, Any]:
    """One formset per kind of row, prefixed by its name, with a few empty rows."""
    sets = {}
    for name, (form_class, heading) in ROW_FORMS.items():
        formset_class: Any = forms.formset_factory(
            form_class, extra=EXTRA_ROWS.get(name, 2), max_num=200
        )
        kwargs: dict[str, Any] = {"prefix": name, "initial": initial.get(name) or []}
        if form_class is VictimForm:
            kwargs["form_kwargs"] = {"people": people, "cases": cases}
        formset = formset_class(data, **kwargs)
        formset.heading = heading  # type: ignore[attr-defined]
        sets[name] = formset
    return sets


def rows_of(formsets: dict[str, Any]) -> dict[str, list[dict[str, Any]]] | None:
    """The rows typed in each formset (empty extra rows left out); None when a row is invalid
    (the formsets then carry the errors)."""
    ok = all(fs.is_valid() for fs in formsets.values())
    if not ok:
        return None
    out: dict[str, list[dict[str, Any]]] = {}
    for name, fs in formsets.items():
        out[name] = [r for r in (form.row() for form in fs.forms) if r is not None]
    if any(form.errors for fs in formsets.values() for form in fs.forms):
        return None
    return out
