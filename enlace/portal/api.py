"""The portal's public API (/api/v1/public/requests/): send a request for consular help or
family tracing, and follow it with its reference and secret. No login; rate limited per
address (enlace.core.public.PublicAPIView), and the follow-up locks out after repeated wrong
secrets (lockout.py). The pages use the same services."""

from typing import Any

from django.http import Http404
from django.utils.cache import add_never_cache_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.core.api import ERROR_DESCRIPTIONS, ErrorSerializer
from enlace.core.public import TOO_MANY_SCHEMA, PublicAPIView, TooManyRequests
from enlace.people.models import Sex
from enlace.tracing.models import Relation

from . import lockout, services
from .models import Kind, Situation

CODE_PATTERN = r"^[A-Za-z0-9 -]{1,64}$"


class RequestCreateSerializer(serializers.Serializer[Any]):
    """Both kinds' fields; which are required depends on `kind` (the service checks them)."""

    kind = serializers.ChoiceField(choices=Kind.choices)
    # help
    situation = serializers.ChoiceField(choices=Situation.choices, required=False)
    description = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, trim_whitespace=False
    )
    nationality = serializers.CharField(
        max_length=2, required=False, allow_blank=True, help_text="ISO 3166-1 alpha-2"
    )
    country = serializers.CharField(
        max_length=2,
        required=False,
        allow_blank=True,
        help_text="Where the person is now, ISO 3166-1 alpha-2",
    )
    safe_to_leave_message = serializers.BooleanField(required=False, default=False)
    best_time = serializers.CharField(max_length=100, required=False, allow_blank=True)
    # tracing (and optional identity details of a help request)
    given_names = serializers.CharField(max_length=200, required=False, allow_blank=True)
    first_surname = serializers.CharField(max_length=200, required=False, allow_blank=True)
    second_surname = serializers.CharField(max_length=200, required=False, allow_blank=True)
    nickname = serializers.CharField(max_length=100, required=False, allow_blank=True)
    birth_year = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, allow_null=True
    )
    approximate_age = serializers.IntegerField(
        min_value=0, max_value=120, required=False, allow_null=True
    )
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    last_seen_place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    relation = serializers.ChoiceField(choices=Relation.choices, required=False)
    requester_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    consent = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Tracing: the requester consents to an office searching with these details "
        "(required for tracing).",
    )
    # both
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    language = serializers.CharField(max_length=8, required=False, allow_blank=True)


class ReceiptSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField(help_text="Reference code, grouped by four (99 bits)")
    secret = serializers.CharField(
        help_text="Secret code, shown only now (and e-mailed to the requester if an address "
        "was given): only its keyed hash is stored"
    )


class StatusSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=["received", "working", "closed"],
        help_text="received; working (an office is working on it); closed",
    )
    updated = serializers.DateTimeField()


NOT_FOUND = OpenApiResponse(ErrorSerializer, description=str(ERROR_DESCRIPTIONS["404"]))


class RequestCreateView(PublicAPIView):
    """Ask for consular help (`kind` = help) or file a family tracing request (`kind` =
    tracing). The answer is the same whoever is described: no record of anyone is looked at
    until an office has verified the request."""

    group = "portal-requests"

    @extend_schema(
        operation_id="public_requests_create",
        request=RequestCreateSerializer,
        responses={201: ReceiptSerializer, 429: TOO_MANY_SCHEMA},
    )
    def post(self, request: Request) -> Response:
        if lockout.submission_over_limit(request._request):
            raise TooManyRequests
        serializer = RequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        receipt = services.request_submit(kind=data.pop("kind"), data=data)
        response = Response(
            {"reference": receipt.reference, "secret": receipt.secret},
            status=status.HTTP_201_CREATED,
        )
        add_never_cache_headers(response)
        return response


class RequestStatusView(PublicAPIView):
    """The status of a request: its reference in the path, its secret in the X-Secret header.
    An unknown reference and a wrong or missing secret give the same 404; after repeated
    wrong secrets for a reference or from an address, 429 for a while."""

    group = "portal-follow"

    @extend_schema(
        operation_id="public_requests_status",
        parameters=[
            OpenApiParameter(
                "reference", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=CODE_PATTERN
            ),
            OpenApiParameter(
                "X-Secret",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description="The secret given with the reference",
            ),
        ],
        responses={200: StatusSerializer, 404: NOT_FOUND, 429: TOO_MANY_SCHEMA},
    )
    def get(self, request: Request, reference: str) -> Response:
        if lockout.is_locked(request._request, reference):
            raise TooManyRequests
        try:
            found = services.request_find(
                reference=reference, secret=request.headers.get("X-Secret", "")
            )
        except Http404:
            lockout.record_failure(request._request, reference)
            raise
        return Response({"status": services.status_of(found), "updated": found.updated})

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response.headers.pop("Cache-Control", None)
        add_never_cache_headers(response)  # a status is the requester's own: never cached
        return response
