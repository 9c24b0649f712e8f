"""Tracing endpoints: file a request, list and read matches as each side may see them,
confirm or reject (owning office), and the reunification."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.access.reads import Purpose
from enlace.accounts.actor import api_actor
from enlace.core.api import filter_parameters
from enlace.core.filters import bound_filters

from . import selectors, services
from .filters import MatchFilter
from .models import Reunification, TracingMatch, TracingRequest
from .present import match_fields, request_fields
from .serializers import (
    MatchDecisionSerializer,
    ReunificationSerializer,
    ReunificationUpdateSerializer,
    TracingMatchSerializer,
    TracingRequestOutputSerializer,
    TracingRequestSerializer,
)


def _request_body(
    actor: Any, tr: TracingRequest, found: Sequence[TracingMatch] | None = None
) -> dict[str, Any]:
    if found is None:
        found = selectors.matches_shown(
            actor=actor, matches=selectors.request_matches(actor=actor, request=tr)
        )
    return {
        "id": str(tr.pk),
        "status": tr.status,
        **request_fields(tr),
        "matches": [match_fields(actor, m) for m in found],
    }


def _request_bodies(actor: Any, requests: Sequence[TracingRequest]) -> list[dict[str, Any]]:
    """A page of requests with their matches: the matches of the whole page in one query, their
    reads logged in one insert."""
    found: dict[Any, list[TracingMatch]] = defaultdict(list)
    matches = selectors.requests_matches(actor=actor, requests=requests)
    for match in selectors.matches_shown(actor=actor, matches=matches):
        found[match.request_id].append(match)
    return [_request_body(actor, tr, found[tr.pk]) for tr in requests]


class TracingRequestViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Tracing requests of your office, with their possible matches."""

    queryset = TracingRequest.objects.none()  # for the schema only: data comes from selectors

    @extend_schema(
        operation_id="tracing_requests_list", responses=TracingRequestOutputSerializer(many=True)
    )
    def list(self, request: Request) -> Response:
        actor = api_actor(request)
        page = self.paginate_queryset(selectors.request_list(actor=actor)) or []
        shown = selectors.requests_shown(actor=actor, requests=page)
        return self.get_paginated_response(
            TracingRequestOutputSerializer(_request_bodies(actor, shown), many=True).data
        )

    @extend_schema(responses=TracingRequestOutputSerializer)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        tr = selectors.request_read(actor=actor, request_id=pk)
        return Response(TracingRequestOutputSerializer(_request_body(actor, tr)).data)

    @extend_schema(
        request=TracingRequestSerializer, responses={201: TracingRequestOutputSerializer}
    )
    def create(self, request: Request) -> Response:
        actor = api_actor(request)
        data = TracingRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tr = services.request_create(actor=actor, data=dict(data.validated_data))
        return Response(
            TracingRequestOutputSerializer(_request_body(actor, tr)).data,
            status=status.HTTP_201_CREATED,
        )


class TracingMatchViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Possible matches on people of your office (?side=owner, default) or on your requests
    (?side=requester)."""

    queryset = TracingMatch.objects.none()

    @extend_schema(
        operation_id="tracing_matches_list",
        parameters=filter_parameters(MatchFilter),
        responses=TracingMatchSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        actor = api_actor(request)
        filters = bound_filters(
            MatchFilter, request.query_params, TracingMatch.objects.none(), allow_empty=False
        )
        side = filters.form.cleaned_data.get("side") or "owner"
        page = self.paginate_queryset(selectors.match_list(actor=actor, side=side)) or []
        shown = selectors.matches_shown(actor=actor, matches=page)
        return self.get_paginated_response(
            TracingMatchSerializer([match_fields(actor, m) for m in shown], many=True).data
        )

    @extend_schema(responses=TracingMatchSerializer)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        match = selectors.match_read(actor=actor, match_id=pk)
        return Response(TracingMatchSerializer(match_fields(actor, match)).data)

    @extend_schema(request=MatchDecisionSerializer, responses=TracingMatchSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        match = selectors.match_get(actor=actor, match_id=pk)
        data = MatchDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        match = services.match_confirm(
            actor=actor,
            match=match,
            notice_language=data.validated_data.get("notice_language", ""),
            note=data.validated_data.get("note", ""),
        )
        return Response(TracingMatchSerializer(match_fields(actor, match)).data)

    @extend_schema(request=MatchDecisionSerializer, responses=TracingMatchSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        match = selectors.match_get(actor=actor, match_id=pk)
        data = MatchDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        match = services.match_reject(
            actor=actor, match=match, note=data.validated_data.get("note", "")
        )
        return Response(TracingMatchSerializer(match_fields(actor, match)).data)


class ReunificationViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Reunification after a confirmed match, for both offices."""

    queryset = Reunification.objects.none()

    def _body(self, actor: Any, item: Reunification) -> dict[str, Any]:
        return {
            "id": str(item.pk),
            "status": item.status,
            "version": item.version,
            "involves_child": item.involves_child,
            **{
                k: (v.isoformat() if hasattr(v, "isoformat") else v)
                for k, v in ((k, getattr(item, k)) for k in services.REUNIFICATION_FIELDS)
            },
            "match": match_fields(actor, item.match),
        }

    @extend_schema(responses=ReunificationSerializer)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        item = selectors.reunification_read(actor=actor, reunification_id=pk)
        return Response(ReunificationSerializer(self._body(actor, item)).data)

    @extend_schema(request=ReunificationUpdateSerializer, responses=ReunificationSerializer)
    def partial_update(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        item = selectors.reunification_read(actor=actor, reunification_id=pk, purpose=Purpose.EDIT)
        data = ReunificationUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        complete = values.pop("complete", False)
        item = services.reunification_update(
            actor=actor, reunification=item, version=version, data=values, complete=complete
        )
        return Response(ReunificationSerializer(self._body(actor, item)).data)
