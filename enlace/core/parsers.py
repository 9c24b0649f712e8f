"""The API's request parsing and OPTIONS answers (settings load these while DRF itself is being
imported, so this module imports nothing from DRF's views or from drf-spectacular)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.metadata import BaseMetadata
from rest_framework.parsers import JSONParser
from rest_framework.request import Request

MAX_JSON_DEPTH = 32


def json_depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed JSON value (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing (400) bodies nested more than MAX_JSON_DEPTH levels deep,
    which would otherwise exhaust Python's recursion limit somewhere down the line."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError(_("The JSON body is nested too deeply.")) from exc
        if json_depth(data) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(_("The JSON body is nested too deeply."))
        return data


class PlainMetadata(BaseMetadata):
    """OPTIONS answers with the endpoint's name and formats, never by building a serializer
    (endpoints declare theirs per action, so DRF's default metadata failed with a 500)."""

    def determine_metadata(self, request: Request, view: Any) -> dict[str, Any]:
        return {
            "name": view.get_view_name(),
            "renders": [r.media_type for r in view.renderer_classes],
            "parses": [p.media_type for p in view.parser_classes],
        }
