"""The directory's filters, declared once for the public page and the API: a malformed value is
a clear 400, never a 500 or a filter silently ignored."""

import re
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from enlace.core.filters import CountryCodeFilter, SearchFilter

MUNICIPALITY_PATTERN = r"^[A-Z]{2}-\d{2,6}$"
SUBDIVISION_PATTERN = r"^[A-Z]{2}-[A-Z0-9]{1,3}$"


class CodeField(forms.CharField):
    """A code in capitals (lower case is accepted) that must match `schema_pattern`."""

    schema_pattern = ""
    default_error_messages = {"invalid": _("Enter a valid code.")}

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).upper()

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not re.match(self.schema_pattern, value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")


class MunicipalityField(CodeField):
    schema_pattern = MUNICIPALITY_PATTERN
    default_error_messages = {
        "invalid": _("Enter a municipality as its country and national code, e.g. SV-1407.")
    }


class SubdivisionField(CodeField):
    schema_pattern = SUBDIVISION_PATTERN
    default_error_messages = {
        "invalid": _("Enter a department or state as its ISO 3166-2 code, e.g. SV-UN or MX-ZAC.")
    }


class MunicipalityFilter(django_filters.CharFilter):
    field_class = MunicipalityField


class SubdivisionFilter(django_filters.CharFilter):
    field_class = SubdivisionField


class AssociationFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Search"), method="search")
    origin_country = CountryCodeFilter(
        label=_("Country of origin"), field_name="origin_country_id", method="country"
    )
    department = SubdivisionFilter(
        label=_("Department or state of origin"),
        field_name="origin_municipality__subdivision",
    )
    municipality = MunicipalityFilter(label=_("Municipality"), method="serving")
    residence_country = CountryCodeFilter(
        label=_("Country of residence"), field_name="residence_country_id", method="country"
    )

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        for word in value.split():
            qs = qs.filter(
                Q(name__icontains=word)
                | Q(residence_city__icontains=word)
                | Q(origin_municipality__name__icontains=word)
                | Q(origin_municipality__municipality_2024__icontains=word)
            )
        return qs

    def country(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(**{name: value.upper()})

    def serving(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Associations from the municipality, or with a project there."""
        from .models import Project

        served = Project.objects.filter(municipality_id=value).values("association_id")
        return qs.filter(Q(origin_municipality_id=value) | Q(pk__in=served))
