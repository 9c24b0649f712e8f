"""Public reference data endpoints (/api/v1/public/…): anonymous, rate limited, cacheable."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from .models import Country
from .public import TOO_MANY_SCHEMA, PublicAPIView


class CountrySerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    alpha3 = serializers.CharField(help_text="ISO 3166-1 alpha-3")
    name = serializers.CharField(help_text="Name in the language asked for (Accept-Language)")


class CountryListSerializer(serializers.Serializer[Any]):
    results = CountrySerializer(many=True)


class CountryListView(PublicAPIView):
    """Every country (ISO 3166-1), named in the requested language; no login needed."""

    group = "countries"
    max_age = 86400

    @extend_schema(
        operation_id="public_countries_list",
        responses={200: CountryListSerializer, 429: TOO_MANY_SCHEMA},
    )
    def get(self, request: Request) -> Response:
        countries = Country.objects.order_by("code")
        return Response(CountryListSerializer({"results": countries}).data)
