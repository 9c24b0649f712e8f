"""Trafficking and smuggling case endpoints (/api/v1/trafficking-cases/)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.access.reads import Purpose
from enlace.accounts.actor import api_actor
from enlace.core.api import filter_parameters
from enlace.core.filters import filtered

from . import rules, selectors, services
from .api_io import HtcdsActions  # traf-io: HTCDS import/export, CTDC extract
from .filters import TraffickingCaseFilter
from .models import TraffickingCase
from .network_api import CaseLinksMixin
from .present import case_fields, case_summary
from .serializers import (
    TraffickingCaseCreateSerializer,
    TraffickingCaseDetailSerializer,
    TraffickingCaseSerializer,
)


def _plain(value: Any) -> Any:
    """Validated data as plain values (dates and decimals as the services take them)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class TraffickingCaseViewSet(HtcdsActions, CaseLinksMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Trafficking and smuggling cases, each as the reader may see it: identities only for the
    trafficking focal points of the owning country and of countries granted access."""

    queryset = TraffickingCase.objects.none()  # for the schema only: data comes from selectors

    @extend_schema(
        operation_id="trafficking_cases_list",
        parameters=filter_parameters(TraffickingCaseFilter),
        responses=TraffickingCaseSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        actor = api_actor(request)
        qs = filtered(
            TraffickingCaseFilter,
            request.query_params,
            selectors.case_list(actor=actor),
            actor=actor,
            allow_empty=False,
        )
        page = self.paginate_queryset(qs) or []
        searched = bool(request.query_params.get("q"))
        shown = selectors.cases_shown(
            actor=actor, cases=page, purpose=Purpose.SEARCH if searched else Purpose.LIST
        )
        free_text = rules.free_text_among(actor, shown)
        return self.get_paginated_response(
            TraffickingCaseSerializer(
                [case_summary(c, free_text=c.pk in free_text) for c in shown], many=True
            ).data
        )

    @extend_schema(
        request=TraffickingCaseCreateSerializer, responses={201: TraffickingCaseDetailSerializer}
    )
    def create(self, request: Request) -> Response:
        actor = api_actor(request)
        data = TraffickingCaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = _plain(dict(data.validated_data))
        case = services.case_create(actor=actor, **values)
        case = selectors.case_read(actor=actor, case_id=case.pk)
        return Response(
            TraffickingCaseDetailSerializer(case_fields(actor, case)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses=TraffickingCaseDetailSerializer)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        case = selectors.case_read(actor=actor, case_id=pk)
        return Response(TraffickingCaseDetailSerializer(case_fields(actor, case)).data)
