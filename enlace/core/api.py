"""API plumbing shared by every app's api.py: the exception handler, pagination, a bounded JSON
parser, OPTIONS metadata, the schema's error responses and filter parameters.

It lives in core (not in enlace.api) so domain apps can use it without importing the API package.
"""

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import NOT_FOUND_MESSAGE, http_error, log_shortage
from .filters import SEARCH_MAX_CHARS, SEARCH_PATTERN, SearchFilter, StrictBooleanFilter

# ---------------------------------------------------------------- errors


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Service errors through the one mapping in enlace.core.errors; DRF's own errors as DRF
    writes them, except that a refusal looks like a missing record (404)."""
    error = http_error(exc)
    if error is not None:
        if error.status == 503:
            request = context.get("request")
            log_shortage(exc, getattr(request, "path", "the API"))
        return Response(error.body(), status=error.status)
    if isinstance(exc, exceptions.PermissionDenied):
        return Response({"detail": NOT_FOUND_MESSAGE}, status=404)
    return drf_exception_handler(exc, context)


class ErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text=_("What went wrong, in the request's language."))


# ---------------------------------------------------------------- schema

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

ERROR_DESCRIPTIONS = {
    "400": _("Invalid input: messages by field name, or a 'detail' message."),
    "401": _("No valid token was sent."),
    "404": _("Not found, or not visible to you (both look the same)."),
    "409": _("The record changed since you read it, or the workflow does not allow this step."),
    "415": _("Unsupported content type."),
    "429": _("Too many attempts: wait and try again."),
    "503": _(
        "The database ran out of disk space, memory or connections: nothing of the request was "
        "saved. Tell your administrator."
    ),
}


# What DRF's CharField refuses besides max_length: a NUL character always, and text that is
# only whitespace where the field trims it and may not be blank.
NO_NUL = r"^[^\x00]*$"
NOT_ONLY_SPACE = r"^[^\x00]*[^\s\x00][^\x00]*$"


class AutoSchema(SpectacularAutoSchema):
    """Documents, for every operation, the error responses it can give, and requests exactly as
    the serializers validate them (so a fuzzer's "valid" input is valid)."""

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and not isinstance(field, serializers.RegexField | serializers.EmailField)
            and isinstance(schema, dict)
            and "pattern" not in schema
            and "format" not in schema
        ):
            blank_refused = not field.allow_blank and field.trim_whitespace
            schema["pattern"] = NOT_ONLY_SPACE if blank_refused else NO_NUL
        return schema

    def _get_request_for_media_type(self, serializer: Any, direction: Any = "request") -> Any:
        # A serializer marked patch_is_partial = False validates PATCH bodies in full (the
        # version the edit is based on is required), so the schema must not make it partial.
        if self.method == "PATCH" and getattr(serializer, "patch_is_partial", True) is False:
            self.method = "PUT"
            try:
                return super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
        return super()._get_request_for_media_type(serializer, direction)

    def _error_codes(self) -> list[str]:
        view = self.view
        public = any(isinstance(p, AllowAny) for p in view.get_permissions())
        has_body = self.method in ("POST", "PUT", "PATCH")
        codes = []
        if (
            has_body
            or self._get_filter_parameters()
            or self._get_pagination_parameters()
            or any(p.get("in") == "query" for p in self._get_parameters())
        ):
            codes.append("400")
        # A page past the last one is a 404 (StandardPagination), public lists included.
        paged = bool(self._get_pagination_parameters()) or any(
            p.get("in") == "query" and p.get("name") == "page" for p in self._get_parameters()
        )
        if not public:
            codes += ["401", "404"]
        elif "{" in self.path or paged:
            codes.append("404")
        if self.method in WRITE_METHODS and not public:
            codes.append("409")
        if has_body:
            codes.append("415")
        if public or getattr(view, "throttle_classes", None):
            codes.append("429")
        codes.append("503")  # every request may write (an access row at least)
        return codes

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code in responses:
                continue
            body: Any = OpenApiTypes.OBJECT if code == "400" else ErrorSerializer
            responses[code] = self._get_response_for_code(
                OpenApiResponse(body, description=str(ERROR_DESCRIPTIONS[code])), code
            )
        return responses


def _parameter_schema(f: django_filters.Filter) -> dict[str, Any]:
    if isinstance(f, SearchFilter):
        return {"type": "string", "maxLength": SEARCH_MAX_CHARS, "pattern": SEARCH_PATTERN}
    if isinstance(f, StrictBooleanFilter):
        return {"type": "boolean"}
    if isinstance(f, django_filters.UUIDFilter):
        return {"type": "string", "format": "uuid"}
    if isinstance(f, django_filters.DateFilter):
        return {"type": "string", "format": "date"}
    if isinstance(f, django_filters.ChoiceFilter):
        choices = f.extra.get("choices") or []
        return {"type": "string", "enum": [str(value) for value, _label in choices if value != ""]}
    field_pattern = getattr(f.field_class, "schema_pattern", None)
    schema: dict[str, Any] = {"type": "string"}
    if field_pattern:
        schema["pattern"] = field_pattern
    return schema


def filter_parameters(filterset_class: type[django_filters.FilterSet]) -> list[OpenApiParameter]:
    """The filterset's filters as documented query parameters (types, enums, limits)."""
    return [
        OpenApiParameter(
            name,
            _parameter_schema(f),  # type: ignore[arg-type]
            OpenApiParameter.QUERY,
            description=str(f.label or ""),
        )
        for name, f in filterset_class.base_filters.items()
    ]


__all__ = [
    "AutoSchema",
    "ErrorSerializer",
    "exception_handler",
    "filter_parameters",
]
