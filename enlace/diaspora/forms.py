"""The pages' forms: an association, a project with its co-funding partners, the directory's
filters. Services check everything again; these give the fields, labels and first errors."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from enlace.core.forms import CountryChoiceField, DateInput
from enlace.core.models import Country, Currency, Municipality

from .models import FocusArea, ProjectStatus, ProjectType

MAX_VERSION = 2**31 - 1


def municipality_choices(countries: Any = None) -> list[Any]:
    """Municipalities grouped by country and department ("El Salvador — La Unión")."""
    qs = Municipality.objects.select_related("country").order_by(
        "country_id", "subdivision_name", "name"
    )
    if countries is not None:
        qs = qs.filter(country_id__in=countries)
    groups: dict[str, list[tuple[str, str]]] = {}
    for m in qs:
        label = f"{m.name} ({m.municipality_2024})" if m.municipality_2024 else m.name
        groups.setdefault(f"{m.country.name} — {m.subdivision_name}", []).append((m.pk, label))
    return [("", "—"), *groups.items()]


def currency_choices() -> list[tuple[str, str]]:
    return [(c.code, f"{c.code} — {c.name}") for c in Currency.objects.order_by("code")]


def _choices(form: forms.Form, name: str, choices: Any) -> None:
    form.fields[name].choices = choices  # type: ignore[attr-defined]


class AssociationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, strip=False)
    residence_country = CountryChoiceField(label=_("Country of residence"))
    residence_city = forms.CharField(label=_("City of residence"), max_length=120, strip=False)
    origin_country = CountryChoiceField(label=_("Country of origin"))
    origin_municipality = forms.ChoiceField(
        label=_("Municipality of origin"),
        required=False,
        help_text=_("El Salvador: the 262 municipalities before the 2024 reform (now districts)."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea
    )
    focus_areas = forms.MultipleChoiceField(
        label=_("Focus areas"),
        choices=FocusArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    members_count = forms.IntegerField(label=_("Members"), min_value=0, required=False)
    founded_year = forms.IntegerField(
        label=_("Year founded"), min_value=1800, max_value=2100, required=False
    )
    contact_name = forms.CharField(
        label=_("Contact person"), max_length=200, required=False, strip=False
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    contact_public = forms.BooleanField(
        label=_("Show the contact person in the public directory"), required=False
    )
    email_public = forms.BooleanField(
        label=_("Show the e-mail in the public directory"), required=False
    )
    phone_public = forms.BooleanField(
        label=_("Show the phone in the public directory"), required=False
    )
    listed = forms.BooleanField(
        label=_("Listed in the public directory"),
        required=False,
        help_text=_("Administrators may take an association out of the directory."),
    )
    version = forms.IntegerField(
        min_value=0, max_value=MAX_VERSION, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, moderator: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "origin_municipality", municipality_choices())
        if not moderator:
            del self.fields["listed"]

    def service_data(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d.pop("version", None)
        d["residence_country"] = d["residence_country"].pk
        d["origin_country"] = d["origin_country"].pk
        return d


def association_initial(association: Any) -> dict[str, Any]:
    fields = AssociationForm.base_fields
    initial = {name: getattr(association, name) for name in fields if name != "version"}
    initial["origin_municipality"] = association.origin_municipality_id or ""
    initial["version"] = association.version
    return initial


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=200, strip=False)
    municipality = forms.ChoiceField(label=_("Municipality served"))
    project_type = forms.ChoiceField(label=_("Type"), choices=ProjectType.choices)
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    description = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea
    )
    budget = forms.DecimalField(
        label=_("Budget"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    currency = forms.ChoiceField(label=_("Currency"), initial="USD")
    beneficiaries_women = forms.IntegerField(
        label=_("Beneficiaries: women and girls"), min_value=0, initial=0
    )
    beneficiaries_men = forms.IntegerField(
        label=_("Beneficiaries: men and boys"), min_value=0, initial=0
    )
    beneficiaries_other = forms.IntegerField(
        label=_("Beneficiaries: other or not known"), min_value=0, initial=0
    )
    start_date = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End"), required=False, widget=DateInput())
    version = forms.IntegerField(
        min_value=0, max_value=MAX_VERSION, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "municipality", municipality_choices())
        _choices(self, "currency", currency_choices())

    def service_data(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d.pop("version", None)
        return d


def project_initial(project: Any) -> dict[str, Any]:
    initial = {
        name: getattr(project, name) for name in ProjectForm.base_fields if name != "version"
    }
    initial["municipality"] = project.municipality_id
    initial["currency"] = project.currency_id
    initial["version"] = project.version
    return initial


class CoFundingForm(forms.Form):
    partner = forms.CharField(label=_("Partner"), max_length=200, required=False)
    programme = forms.CharField(label=_("Programme"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Amount"), min_value=0, max_digits=14, decimal_places=2, required=False
    )


CoFundingFormSet = forms.formset_factory(CoFundingForm, extra=2, max_num=10, validate_max=True)


def co_funding_rows(formset: Any) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data]


class DirectoryForm(forms.Form):
    """The directory's filter form (AssociationFilter validates the same parameters)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    origin_country = forms.ChoiceField(label=_("Country of origin"), required=False)
    department = forms.ChoiceField(label=_("Department or state of origin"), required=False)
    residence_country = forms.ChoiceField(label=_("Country of residence"), required=False)

    def __init__(
        self,
        *args: Any,
        origin: list[Any],
        departments: list[Any],
        residence: list[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "origin_country", [("", _("Any")), *origin])
        _choices(self, "department", [("", _("Any")), *departments])
        _choices(self, "residence_country", [("", _("Any")), *residence])


def country_names(codes: Any) -> list[tuple[str, str]]:
    return sorted(
        ((c.pk, c.name) for c in Country.objects.filter(pk__in=list(codes))), key=lambda c: c[1]
    )
