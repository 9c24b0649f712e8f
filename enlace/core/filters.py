"""List filters declared once (django-filter FilterSets), validated the same way for pages,
exports and the API: a bad value is a clear 400, never a 500 or a silently ignored filter."""

from typing import Any, TypeVar

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    ProhibitNullCharactersValidator,
    RegexValidator,
)
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .errors import ValidationFailed

# A search is a few words of a name or a reference; a long one is refused before it reaches
# the database (a search of hundreds of words once took the server down).
SEARCH_MAX_WORDS = 8
SEARCH_MAX_CHARS = 200
# The same rule as a regular expression, for the OpenAPI schema (Python's \s is str.split()'s).
SEARCH_PATTERN = (
    r"^\s*(?:[^\s\x00]+\s+){0,%d}(?:[^\s\x00]+\s*)?$" % (SEARCH_MAX_WORDS - 1)  # noqa: UP031
)


def validate_search(value: str) -> None:
    """Refuse a search of more than SEARCH_MAX_WORDS words (or SEARCH_MAX_CHARS characters)."""
    if len(value.split()) > SEARCH_MAX_WORDS:
        raise ValidationError(
            _("Search with at most %(max)d words.") % {"max": SEARCH_MAX_WORDS},
            code="too_many_words",
        )


class SearchField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strip", False)  # the limits apply to what was sent
        super().__init__(**kwargs)
        self.validators = [
            MaxLengthValidator(SEARCH_MAX_CHARS),
            ProhibitNullCharactersValidator(),
            validate_search,
        ]


class SearchFilter(django_filters.CharFilter):
    """Free-text search: at most SEARCH_MAX_WORDS words and SEARCH_MAX_CHARS characters."""

    field_class = SearchField


class StrictBooleanField(forms.Field):
    """'true' or 'false' (a checkbox sends 'true'); anything else is an error, not 'no filter'."""

    widget = forms.CheckboxInput(attrs={"value": "true"})
    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, "", False):
            return None
        if value is True or value == "true":
            return True
        if value == "false":
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def bound_data(self, data: Any, initial: Any) -> Any:
        return data


class StrictBooleanWidget(forms.CheckboxInput):
    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", StrictBooleanWidget(attrs={"value": "true"}))
        super().__init__(*args, **kwargs)


class CountryCodeField(forms.CharField):
    schema_pattern = r"^[A-Za-z]{2}$"
    default_error_messages = {"invalid": _("Enter a two-letter ISO 3166-1 country code.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [RegexValidator(self.schema_pattern, code="invalid")]

    def run_validators(self, value: Any) -> None:
        try:
            super().run_validators(value)
        except ValidationError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class CountryCodeFilter(django_filters.CharFilter):
    """An ISO 3166-1 alpha-2 code (any case); an unknown but well-formed code finds nothing."""

    field_class = CountryCodeField


F = TypeVar("F", bound=django_filters.FilterSet)


EMPTY_MESSAGE = _("Leave this parameter out rather than sending it empty.")


def bound_filters(
    filterset_class: type[F],
    data: Any,
    queryset: QuerySet[Any],
    *,
    allow_empty: bool = True,
    **kwargs: Any,
) -> F:
    """The filterset bound to the request's parameters; ValidationFailed (400) when a value is
    bad, with the message next to the parameter's name.

    Forms on pages send every field, empty ones meaning "any"; API clients leave a parameter
    out instead (allow_empty=False), so that an empty value is refused as the schema says.
    """
    data = data if data is not None else {}
    errors: dict[str, list[Any]] = {}
    if not allow_empty:
        errors = {
            name: [EMPTY_MESSAGE]
            for name, f in filterset_class.base_filters.items()
            if data.get(name) == "" and not isinstance(f, SearchFilter)
        }
    filterset = filterset_class(data=data, queryset=queryset, **kwargs)
    if not filterset.is_valid():
        errors |= {k: list(v) for k, v in filterset.errors.items()}
    if errors:
        raise ValidationFailed(errors)
    return filterset


def filtered(
    filterset_class: type[F],
    data: Any,
    queryset: QuerySet[Any],
    *,
    allow_empty: bool = True,
    **kwargs: Any,
) -> Any:
    """The queryset filtered by the request's parameters (ValidationFailed when one is bad)."""
    return bound_filters(filterset_class, data, queryset, allow_empty=allow_empty, **kwargs).qs
