"""People endpoints: register, list (search), read and edit with the firewall applied."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.access.reads import Purpose
from enlace.api.views import api_actor
from enlace.people.models import MigratoryStatus, Person, Sex

from . import selectors, services
from .present import person_fields


def _text(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, **kwargs)


class PersonWriteSerializer(serializers.Serializer[Person]):
    given_names = serializers.CharField(max_length=200, trim_whitespace=False)
    first_surname = _text(max_length=200)
    second_surname = _text(max_length=200)
    other_names = _text(max_length=500)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    gender_identity = _text(max_length=100)
    birth_date = _text(help_text="YYYY-MM-DD, YYYY-MM or YYYY")
    estimated_age = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=120
    )
    birth_place = _text(max_length=200)
    nationality = _text(help_text="ISO 3166-1 alpha-2 code")
    nationalities = serializers.ListField(child=serializers.CharField(), required=False)
    languages = _text(max_length=200)
    phone = _text(max_length=40)
    email = serializers.EmailField(required=False, allow_blank=True)
    address = _text(max_length=300)
    migratory_status = serializers.ChoiceField(
        choices=MigratoryStatus.choices, required=False, allow_blank=True
    )
    migratory_status_notes = _text(max_length=500)
    mother_name = _text(max_length=200)
    refuses_tracing = serializers.BooleanField(required=False)
    version = serializers.IntegerField(required=False)


def _nationalities(data: dict[str, Any]) -> list[str] | None:
    if "nationalities" in data:
        return list(data["nationalities"])
    if data.get("nationality"):
        return [data["nationality"]]
    return None


class PersonViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """People registered by your office or referred to it (search with ?q=)."""

    queryset = Person.objects.none()  # for the schema only: data comes from selectors

    @extend_schema(
        operation_id="people_list", parameters=[OpenApiParameter("q", str)], responses=dict
    )
    def list(self, request: Request) -> Response:
        from enlace.api.pagination import StandardPagination

        actor = api_actor(request)
        search = request.query_params.get("q", "")
        qs = selectors.person_list(actor=actor, search=search)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self) or []
        shown = selectors.people_shown(actor=actor, people=page, search=search)
        return paginator.get_paginated_response([person_fields(actor, p) for p in shown])

    @extend_schema(responses=dict)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        person = selectors.person_read(actor=actor, person_id=pk)
        return Response(person_fields(actor, person))

    @extend_schema(
        request=PersonWriteSerializer,
        responses={
            201: inline_serializer(
                "PersonCreated",
                {"id": serializers.UUIDField(), "possible_duplicates": serializers.ListField()},
            )
        },
    )
    def create(self, request: Request) -> Response:
        actor = api_actor(request)
        data = PersonWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        duplicates = (
            [p.pk for p in selectors.person_duplicates(actor=actor, data=values)]
            if actor.office
            else []
        )
        person = services.person_create(
            actor=actor, data=values, nationalities=_nationalities(values)
        )
        body = {**person_fields(actor, person), "possible_duplicates": [str(d) for d in duplicates]}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=PersonWriteSerializer, responses=dict)
    def partial_update(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        person = selectors.person_read(actor=actor, person_id=pk, purpose=Purpose.EDIT)
        data = PersonWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = services.person_update(
            actor=actor,
            person=person,
            version=values.pop("version", None),
            data=values,
            nationalities=_nationalities(values),
        )
        return Response(person_fields(actor, person))
