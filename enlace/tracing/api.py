"""Tracing endpoints: file a request, list and read matches as each side may see them,
confirm or reject (owning office), and the reunification."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.access.reads import Purpose
from enlace.api.pagination import StandardPagination
from enlace.api.views import api_actor
from enlace.people.models import Sex

from . import selectors, services
from .models import Relation, Reunification, TracingMatch, TracingRequest
from .present import match_fields, request_fields


def _text(max_length: int, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=max_length, **kwargs
    )


class TracingRequestSerializer(serializers.Serializer[Any]):
    requester_name = serializers.CharField(max_length=200, trim_whitespace=False)
    requester_relation = serializers.ChoiceField(choices=Relation.choices)
    requester_contact = _text(200)
    requester_consent = serializers.BooleanField()
    given_names = _text(200)
    nickname = _text(100)
    first_surname = _text(200)
    second_surname = _text(200)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    birth_date = _text(10)
    approximate_age = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=120
    )
    birth_place = _text(200)
    nationality = _text(2)
    mother_name = _text(200)
    document_number = _text(64)
    last_seen_place = _text(200)
    last_seen_date = serializers.DateField(required=False, allow_null=True)
    notes = _text(5000)


class MatchDecisionSerializer(serializers.Serializer[Any]):
    notice_language = serializers.CharField(required=False, allow_blank=True, max_length=8)
    note = _text(2000)


class ReunificationSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    complete = serializers.BooleanField(required=False, default=False)
    relationship_verified = serializers.BooleanField(required=False)
    verification_method = _text(300)
    requester_consent = serializers.BooleanField(required=False)
    person_consent = serializers.BooleanField(required=False)
    best_interests_on = serializers.DateField(required=False, allow_null=True)
    best_interests_by = _text(200)
    best_interests_outcome = _text(5000)
    reunion_date = serializers.DateField(required=False, allow_null=True)
    reunion_place = _text(200)
    follow_up = _text(5000)


def _request_body(actor: Any, tr: TracingRequest) -> dict[str, Any]:
    found = selectors.matches_shown(actor=actor, matches=tr.matches.exclude(status="rejected"))
    return {
        "id": str(tr.pk),
        "status": tr.status,
        **request_fields(tr),
        "matches": [match_fields(actor, m) for m in found],
    }


class TracingRequestViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Tracing requests of your office, with their possible matches."""

    queryset = TracingRequest.objects.none()  # for the schema only: data comes from selectors

    @extend_schema(operation_id="tracing_requests_list", responses=dict)
    def list(self, request: Request) -> Response:
        actor = api_actor(request)
        paginator = StandardPagination()
        page = (
            paginator.paginate_queryset(selectors.request_list(actor=actor), request, view=self)
            or []
        )
        shown = selectors.requests_shown(actor=actor, requests=page)
        return paginator.get_paginated_response([_request_body(actor, t) for t in shown])

    @extend_schema(responses=dict)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        return Response(_request_body(actor, selectors.request_read(actor=actor, request_id=pk)))

    @extend_schema(request=TracingRequestSerializer, responses={201: dict})
    def create(self, request: Request) -> Response:
        actor = api_actor(request)
        data = TracingRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tr = services.request_create(actor=actor, data=dict(data.validated_data))
        return Response(_request_body(actor, tr), status=status.HTTP_201_CREATED)


class TracingMatchViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Possible matches on people of your office (?side=owner, default) or on your requests
    (?side=requester)."""

    queryset = TracingMatch.objects.none()

    @extend_schema(operation_id="tracing_matches_list", responses=dict)
    def list(self, request: Request) -> Response:
        actor = api_actor(request)
        side = "requester" if request.query_params.get("side") == "requester" else "owner"
        paginator = StandardPagination()
        page = (
            paginator.paginate_queryset(
                selectors.match_list(actor=actor, side=side), request, view=self
            )
            or []
        )
        shown = selectors.matches_shown(actor=actor, matches=page)
        return paginator.get_paginated_response([match_fields(actor, m) for m in shown])

    @extend_schema(responses=dict)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        return Response(match_fields(actor, selectors.match_read(actor=actor, match_id=pk)))

    @extend_schema(request=MatchDecisionSerializer, responses=dict)
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
        return Response(match_fields(actor, match))

    @extend_schema(request=MatchDecisionSerializer, responses=dict)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        match = selectors.match_get(actor=actor, match_id=pk)
        data = MatchDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        match = services.match_reject(
            actor=actor, match=match, note=data.validated_data.get("note", "")
        )
        return Response(match_fields(actor, match))


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

    @extend_schema(responses=dict)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        item = selectors.reunification_read(actor=actor, reunification_id=pk)
        return Response(self._body(actor, item))

    @extend_schema(request=ReunificationSerializer, responses=dict)
    def partial_update(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        item = selectors.reunification_read(actor=actor, reunification_id=pk, purpose=Purpose.EDIT)
        data = ReunificationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        complete = values.pop("complete", False)
        item = services.reunification_update(
            actor=actor, reunification=item, version=version, data=values, complete=complete
        )
        return Response(self._body(actor, item))
