"""Public endpoints of the official-source indicators (no login, rate limited, cacheable)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.core.errors import ValidationFailed
from enlace.core.public import TOO_MANY_SCHEMA, PublicAPIView

from . import sources

COUNTRY_PATTERN = r"^[A-Za-z]{2}$"
UNKNOWN_COUNTRY = _("No country with this ISO 3166-1 alpha-2 code in UN DESA's migrant stock.")
BAD_YEAR = _("UN DESA's migrant stock has the years 1990, 1995, 2000, 2005, 2010, 2015 and 2020.")

MigrantStockOut = inline_serializer(
    "MigrantStock",
    {
        "all": serializers.IntegerField(help_text="Migrants, both sexes."),
        "female": serializers.IntegerField(help_text="Women and girls."),
        "male": serializers.IntegerField(help_text="Men and boys."),
        "destination": serializers.CharField(
            allow_null=True, help_text="ISO alpha-2, or null: every destination."
        ),
        "origin": serializers.CharField(
            allow_null=True, help_text="ISO alpha-2, or null: every origin."
        ),
        "year": serializers.IntegerField(),
        "source": serializers.CharField(),
        "total": serializers.CharField(
            help_text="How a total over an omitted side is made (empty for one corridor)."
        ),
    },
)


EMPTY_PARAMETER = _("Give a value, or leave the parameter out.")


def refuse_empty(params: Any, names: tuple[str, ...]) -> None:
    """A parameter sent empty is refused (400) rather than read as left out: the schema says
    what a value looks like, and an empty one is none of them."""
    empty = {name: [EMPTY_PARAMETER] for name in names if params.get(name, None) == ""}
    if empty:
        raise ValidationFailed(empty)


def _code(field: str, value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) != 2 or not value.isalpha() or not value.isascii():
        raise ValidationFailed({field: [UNKNOWN_COUNTRY]})
    try:
        return sources.area_of(value).iso2
    except sources.UnknownCode as exc:
        raise ValidationFailed({field: [UNKNOWN_COUNTRY]}) from exc


def _year(value: Any) -> int:
    if value in (None, ""):
        return sources.LATEST_YEAR
    if not (isinstance(value, str) and value.isdigit() and int(value) in sources.YEARS):
        raise ValidationFailed({"year": [BAD_YEAR]})
    return int(value)


class MigrantStockView(PublicAPIView):
    """International migrants (UN DESA International Migrant Stock 2020) from `origin` living in
    `destination`, by sex, in `year` (default: 2020). Omit `destination` for every country of
    destination, `origin` for every country of origin: the file has no total rows, so a total
    is the sum of the places listed (countries, other areas and "Other"), regional aggregates
    left out (`total` says so). Source: United Nations, Department of Economic and Social
    Affairs, Population Division (2020). International Migrant Stock 2020."""

    group = "indicators"
    max_age = 3600

    @extend_schema(
        operation_id="indicators_migrant_stock",
        parameters=[
            OpenApiParameter(
                "destination",
                {"type": "string", "pattern": COUNTRY_PATTERN},
                OpenApiParameter.QUERY,
                required=False,
                description="Country of destination, ISO 3166-1 alpha-2 (e.g. US).",
            ),
            OpenApiParameter(
                "origin",
                {"type": "string", "pattern": COUNTRY_PATTERN},
                OpenApiParameter.QUERY,
                required=False,
                description="Country of origin, ISO 3166-1 alpha-2 (e.g. MX).",
            ),
            OpenApiParameter(
                "year",
                {"type": "integer", "enum": list(sources.YEARS)},
                OpenApiParameter.QUERY,
                required=False,
                description="Year (mid-year stock); default 2020.",
            ),
        ],
        responses={200: MigrantStockOut, 429: TOO_MANY_SCHEMA},
        examples=[
            OpenApiExample(
                "People born in Mexico living in the United States, 2020",
                value={
                    "all": 10853105,
                    "female": 5056331,
                    "male": 5796774,
                    "destination": "US",
                    "origin": "MX",
                    "year": 2020,
                    "source": sources.SOURCE_UNDESA,
                    "total": "",
                },
                response_only=True,
                status_codes=["200"],
            )
        ],
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        refuse_empty(params, ("destination", "origin", "year"))
        errors: dict[str, list[Any]] = {}
        values: dict[str, Any] = {}
        for name, parse in (("destination", _code), ("origin", _code), ("year", None)):
            try:
                values[name] = (
                    _year(params.get(name)) if parse is None else parse(name, params.get(name))
                )
            except ValidationFailed as exc:
                errors.update(exc.errors)
        if errors:
            raise ValidationFailed(errors)
        return Response(
            sources.migrant_stock(values["destination"], values["origin"], values["year"])
        )
