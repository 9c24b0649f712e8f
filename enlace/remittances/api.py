"""Remittance endpoints: the public comparison and corridor series (/api/v1/remittances/…, no
login, rate limited, cacheable) for comparison sites and central banks, and the staff endpoints
for the authorities that enter and correct quotes (/api/v1/remittance-quotes/,
/api/v1/remittance-providers/)."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.accounts.actor import api_actor
from enlace.core.api import ErrorSerializer
from enlace.core.errors import NOT_FOUND_MESSAGE
from enlace.core.public import TOO_MANY_SCHEMA, PublicAPIView

from . import present, rules, selectors, services
from .models import Provider, Quote
from .serializers import (
    CompareOut,
    ProviderIn,
    ProviderOut,
    QuoteIn,
    QuoteOut,
    QuoteUpdateIn,
    SeriesOut,
)

NOT_FOUND = OpenApiResponse(ErrorSerializer, description=str(NOT_FOUND_MESSAGE))

COMPARE_EXAMPLE = {
    "corridor": {
        "sending": "US",
        "receiving": "HN",
        "sending_name": "Estados Unidos",
        "receiving_name": "Honduras",
    },
    "amount": "200.00",
    "method": "Quotes are collected for the sending-currency equivalents of USD 200 and …",
    "has_demonstration": True,
    "demonstration_notice": "Demonstration data: these quotes are invented …",
    "results": [
        {
            "provider": "Demo Envíos A",
            "provider_kind": "mto",
            "provider_kind_label": "Money transfer operator",
            "amount": "200.00",
            "currency": "USD",
            "fee": "5.00",
            "fee_pct": "2.50",
            "fx_margin_pct": "1.96",
            "total_cost_pct": "4.46",
            "amount_received": "3315.00",
            "receiving_currency": "HNL",
            "applied_rate": "17",
            "interbank_rate": "17.34",
            "speed": "same_day",
            "speed_label": "Same day",
            "funding_method": "cash",
            "funding_method_label": "Cash",
            "pickup_method": "cash",
            "pickup_method_label": "Cash pick-up",
            "product": "",
            "transparent": True,
            "collected_on": "2026-11-16",
            "period": "2026Q4",
            "usd_band": 200,
            "quoted_amount": "200.00",
            "is_demonstration": True,
            "source": "demonstration",
        }
    ],
}
SERIES_EXAMPLE = {
    "corridor": {
        "sending": "US",
        "receiving": "GT",
        "sending_name": "Estados Unidos",
        "receiving_name": "Guatemala",
    },
    "series_code": "ATCR.CORR",
    "source": "The World Bank, Remittance Prices Worldwide, available at "
    "http://remittanceprices.worldbank.org",
    "global_target_pct": "3.00",
    "corridor_target_pct": "5.00",
    "quarters": [
        {
            "quarter": "2011Q1",
            "average_total_cost_pct": "6.00",
            "meets_corridor_target": False,
            "meets_global_target": False,
        },
        {
            "quarter": "2013Q2",
            "average_total_cost_pct": "4.91",
            "meets_corridor_target": True,
            "meets_global_target": False,
        },
    ],
}


class CompareView(PublicAPIView):
    """Providers of a corridor ranked by the amount the recipient gets, each with its fee,
    FX margin %, total cost % (World Bank RPW method), speed and methods, from its latest
    quote; quotes marked `is_demonstration` are invented demonstration data.

    `amount` is in the sending currency. Quotes are collected for the equivalents of USD 200
    and USD 500: each provider's quote for the nearer of the two (by ratio) is used, its fee
    as quoted (flat) and its rates as quoted, so fee % = fee / amount and amount received =
    (amount − fee) × applied rate for the amount asked; `usd_band` and `quoted_amount` say
    which quote a row rests on. Without `amount`, each provider's USD 200 quote as collected.
    """

    group = "remittances"

    @extend_schema(
        operation_id="remittances_compare",
        parameters=[
            OpenApiParameter(
                "from",
                {"type": "string", "pattern": selectors.COUNTRY_RE.pattern},
                OpenApiParameter.QUERY,
                required=True,
                description="Sending country, ISO 3166-1 alpha-2 (e.g. US).",
            ),
            OpenApiParameter(
                "to",
                {"type": "string", "pattern": selectors.COUNTRY_RE.pattern},
                OpenApiParameter.QUERY,
                required=True,
                description="Receiving country, ISO 3166-1 alpha-2 (e.g. GT).",
            ),
            OpenApiParameter(
                "amount",
                {
                    "type": "number",
                    "minimum": float(selectors.MIN_AMOUNT),
                    "maximum": float(selectors.MAX_AMOUNT),
                },
                OpenApiParameter.QUERY,
                required=False,
                description="Amount sent, in the sending currency (e.g. 200).",
            ),
        ],
        responses={200: CompareOut, 404: NOT_FOUND, 429: TOO_MANY_SCHEMA},
        examples=[
            OpenApiExample(
                "USD 200 from the United States to Honduras",
                value=COMPARE_EXAMPLE,
                response_only=True,
                status_codes=["200"],
            )
        ],
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        sending = selectors.country_code("from", params.get("from"))
        receiving = selectors.country_code("to", params.get("to"))
        amount = selectors.parse_amount("amount", params.get("amount"))
        result = selectors.compare(sending, receiving, amount)
        # CompareOut documents this body; it is written directly (the serializer's field-by-
        # field pass cost more than the comparison itself, bench/remittances.py), and
        # test_api checks the two agree.
        return Response(present.jsonable(present.compare_data(result)))


class CorridorSeriesView(PublicAPIView):
    """The World Bank's average total cost to remit in the corridor (%, series ATCR.CORR of
    Remittance Prices Worldwide), quarter by quarter, against the SDG 10.c targets (3 % global
    average, 5 % every corridor). Source: The World Bank, Remittance Prices Worldwide,
    available at http://remittanceprices.worldbank.org."""

    group = "remittances"
    max_age = 3600

    @extend_schema(
        operation_id="remittances_corridor_series",
        parameters=[
            OpenApiParameter(
                "sending",
                {"type": "string", "pattern": selectors.COUNTRY_RE.pattern},
                OpenApiParameter.PATH,
                description="Sending country, ISO 3166-1 alpha-2.",
            ),
            OpenApiParameter(
                "receiving",
                {"type": "string", "pattern": selectors.COUNTRY_RE.pattern},
                OpenApiParameter.PATH,
                description="Receiving country, ISO 3166-1 alpha-2.",
            ),
        ],
        responses={200: SeriesOut, 404: NOT_FOUND, 429: TOO_MANY_SCHEMA},
        examples=[
            OpenApiExample(
                "United States to Guatemala",
                value=SERIES_EXAMPLE,
                response_only=True,
                status_codes=["200"],
            )
        ],
    )
    def get(self, request: Request, sending: str, receiving: str) -> Response:
        corridor = selectors.corridor_get(sending, receiving)
        points = selectors.corridor_series(sending, receiving)
        return Response(SeriesOut(present.series_data(corridor, points)).data)


# ------------------------------------------------------------------ staff


def _editor(request: Request) -> Any:
    actor = api_actor(request)
    if not rules.may_edit_quotes(actor):
        raise Http404
    return actor


class QuoteViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Remittance quotes entered by the authorities: national focal points (the corridors of
    their country), the regional secretariat's analysts and administrators (every corridor).
    Every change is in the change history; PATCH needs the version read (409 when stale)."""

    queryset = Quote.objects.none()  # for the schema only: data comes from selectors

    @extend_schema(operation_id="remittance_quotes_list", responses=QuoteOut(many=True))
    def list(self, request: Request) -> Response:
        actor = _editor(request)
        page = (
            self.paginate_queryset(
                selectors.quote_list(actor=actor).order_by("-collected_on", "pk")
            )
            or []
        )
        return self.get_paginated_response(
            QuoteOut([present.quote_data(q) for q in page], many=True).data
        )

    @extend_schema(request=QuoteIn, responses={201: QuoteOut})
    def create(self, request: Request) -> Response:
        actor = _editor(request)
        data = QuoteIn(data=request.data)
        data.is_valid(raise_exception=True)
        quote = services.quote_create(actor=actor, data=dict(data.validated_data))
        quote = selectors.quote_get(actor=actor, quote_id=quote.pk)
        return Response(QuoteOut(present.quote_data(quote)).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=QuoteOut)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        actor = _editor(request)
        quote = selectors.quote_get(actor=actor, quote_id=pk)
        return Response(QuoteOut(present.quote_data(quote)).data)

    @extend_schema(request=QuoteUpdateIn, responses=QuoteOut)
    def partial_update(self, request: Request, pk: str = "") -> Response:
        actor = _editor(request)
        quote = selectors.quote_get(actor=actor, quote_id=pk)
        data = QuoteUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        services.quote_update(actor=actor, quote=quote, data=values, version=version)
        quote = selectors.quote_get(actor=actor, quote_id=pk)
        return Response(QuoteOut(present.quote_data(quote)).data)


class ProviderViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Remittance providers (for the quotes' editors)."""

    queryset = Provider.objects.none()  # for the schema only

    @extend_schema(operation_id="remittance_providers_list", responses=ProviderOut(many=True))
    def list(self, request: Request) -> Response:
        _editor(request)
        page = self.paginate_queryset(selectors.provider_list().order_by("name", "pk")) or []
        return self.get_paginated_response(
            ProviderOut([_provider_data(p) for p in page], many=True).data
        )

    @extend_schema(request=ProviderIn, responses={201: ProviderOut})
    def create(self, request: Request) -> Response:
        actor = _editor(request)
        data = ProviderIn(data=request.data)
        data.is_valid(raise_exception=True)
        provider = services.provider_create(actor=actor, data=dict(data.validated_data))
        return Response(ProviderOut(_provider_data(provider)).data, status=status.HTTP_201_CREATED)


def _provider_data(provider: Provider) -> dict[str, Any]:
    return {
        "id": provider.pk,
        "version": provider.version,
        "name": provider.name,
        "kind": provider.kind,
        "website": provider.website,
        "is_demonstration": provider.is_demonstration,
    }
