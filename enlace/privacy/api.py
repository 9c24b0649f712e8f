"""Data-protection endpoints (/api/v1/rights-requests/, /api/v1/data-breaches/): the office's
queue of rights requests with the steps that close one, and the breach register. The same
rules and services as the pages (enlace.privacy.views)."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.access.reads import Purpose
from enlace.accounts.actor import api_actor
from enlace.core.api import filter_parameters
from enlace.core.filters import bound_filters, filtered
from enlace.people.selectors import person_read

from . import permissions, selectors, services
from .filters import RightsRequestFilter
from .models import Breach, RightsRequest
from .present import breach_row, request_detail, request_row
from .serializers import (
    AccessExportSerializer,
    BreachCreateSerializer,
    BreachNotifiedSerializer,
    BreachSerializer,
    RectifiedSerializer,
    RejectSerializer,
    RightsRequestCreateSerializer,
    RightsRequestDetailSerializer,
    RightsRequestSerializer,
)


def _detail(request: Request, found: RightsRequest) -> Response:
    actor = api_actor(request)
    data = request_detail(actor, found, timezone.localdate())
    return Response(RightsRequestDetailSerializer(data).data)


class RightsRequestViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """The data subjects' rights requests of your office (its officers and supervisors), the
    earliest deadline first; a closing step on a closed request is a 409."""

    queryset = RightsRequest.objects.none()  # for the schema only: data comes from selectors

    def _step(self, request: Request, pk: str) -> RightsRequest:
        return selectors.request_read(actor=api_actor(request), request_id=pk, purpose=Purpose.EDIT)

    @extend_schema(
        operation_id="rights_requests_list",
        parameters=filter_parameters(RightsRequestFilter),
        responses=RightsRequestSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        actor = api_actor(request)
        params = request.query_params
        none = RightsRequest.objects.none()
        v = bound_filters(RightsRequestFilter, params, none, allow_empty=False).form.cleaned_data
        qs = selectors.request_list(
            actor=actor, status=v.get("status") or "", kind=v.get("kind") or ""
        )
        qs = filtered(RightsRequestFilter, params, qs, allow_empty=False)
        page = self.paginate_queryset(qs) or []
        today = timezone.localdate()
        rows = [request_row(r, today) for r in page]
        return self.get_paginated_response(RightsRequestSerializer(rows, many=True).data)

    @extend_schema(
        request=RightsRequestCreateSerializer, responses={201: RightsRequestDetailSerializer}
    )
    def create(self, request: Request) -> Response:
        actor = api_actor(request)
        if not permissions.handles_requests(actor):
            raise Http404
        data = RightsRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        person = person_read(
            actor=actor,
            person_id=v["person"],
            purpose=Purpose.EDIT,
            check=lambda a, p: p.owner_office_id == a.require_office().pk,
        )
        found = services.rights_request_record(
            actor=actor,
            person=person,
            kind=v["kind"],
            law_country=v["law_country"],
            received_on=v.get("received_on"),
            details=v.get("details") or "",
        )
        data_out = request_detail(actor, found, timezone.localdate())
        return Response(
            RightsRequestDetailSerializer(data_out).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses=RightsRequestDetailSerializer)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        return _detail(request, selectors.request_read(actor=api_actor(request), request_id=pk))

    @extend_schema(request=None, responses=AccessExportSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str = "") -> Response:
        """Answer an access request (or acknowledge an objection) and close it: the answer is
        what Enlace holds on the person, to hand to them."""
        found = self._step(request, pk)
        export = services.rights_request_answer(actor=api_actor(request), request=found)
        return Response(AccessExportSerializer(export).data)

    @extend_schema(request=RectifiedSerializer, responses=RightsRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def rectified(self, request: Request, pk: str = "") -> Response:
        """Close a rectification request once the person's record was corrected."""
        found = self._step(request, pk)
        data = RectifiedSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.rights_request_rectified(
            actor=api_actor(request), request=found, note=data.validated_data.get("note") or ""
        )
        return _detail(request, found)

    @extend_schema(request=None, responses=RightsRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def anonymise(self, request: Request, pk: str = "") -> Response:
        """Answer a deletion request: the person's identity is replaced with placeholders, for
        good (supervisors only)."""
        actor = api_actor(request)
        found = self._step(request, pk)
        if not permissions.may_anonymise(actor):
            raise Http404
        services.rights_request_anonymise(actor=actor, request=found)
        return _detail(request, found)

    @extend_schema(request=RejectSerializer, responses=RightsRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str = "") -> Response:
        """Refuse a request, with the reason the person will be given."""
        found = self._step(request, pk)
        data = RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.rights_request_reject(
            actor=api_actor(request), request=found, reason=data.validated_data["reason"]
        )
        return _detail(request, found)


class BreachViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """The personal-data breach register: supervisors (their office), national focal points
    (their country's offices) and administrators keep it; the regional secretariat reads it."""

    queryset = Breach.objects.none()  # for the schema only: data comes from selectors

    @extend_schema(operation_id="data_breaches_list", responses=BreachSerializer(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.breach_list(actor=api_actor(request))) or []
        today = timezone.localdate()
        return self.get_paginated_response(
            BreachSerializer([breach_row(b, today) for b in page], many=True).data
        )

    @extend_schema(request=BreachCreateSerializer, responses={201: BreachSerializer})
    def create(self, request: Request) -> Response:
        """Register a breach of your office; the clock to notify it starts at detection."""
        actor = api_actor(request)
        if not permissions.records_breaches(actor):
            raise Http404
        data = BreachCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        breach = services.breach_record(actor=actor, **data.validated_data)
        return Response(
            BreachSerializer(breach_row(breach, timezone.localdate())).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=BreachNotifiedSerializer, responses=BreachSerializer)
    @action(detail=True, methods=["post"])
    def notified(self, request: Request, pk: str = "") -> Response:
        """Record when and to whom the breach was notified (a second time is a 409)."""
        actor = api_actor(request)
        breach = selectors.breach_get(actor=actor, breach_id=pk)
        if not permissions.may_edit_breach(actor):
            raise Http404
        data = BreachNotifiedSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        breach = services.breach_notified(actor=actor, breach=breach, **data.validated_data)
        return Response(BreachSerializer(breach_row(breach, timezone.localdate())).data)
