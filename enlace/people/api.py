"""People endpoints: register, list (search), read and edit with the firewall applied."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.access.reads import Purpose
from enlace.accounts.actor import api_actor
from enlace.core.api import filter_parameters
from enlace.core.filters import filtered
from enlace.people.models import Person

from . import selectors, services
from .filters import PersonFilter
from .present import person_fields
from .serializers import PersonCreatedSerializer, PersonSerializer, PersonWriteSerializer


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
        operation_id="people_list",
        parameters=filter_parameters(PersonFilter),
        responses=PersonSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        actor = api_actor(request)
        qs = filtered(
            PersonFilter,
            request.query_params,
            selectors.person_list(actor=actor),
            actor=actor,
            allow_empty=False,
        )
        page = self.paginate_queryset(qs) or []
        shown = selectors.people_shown(
            actor=actor, people=page, search=request.query_params.get("q", "")
        )
        return self.get_paginated_response(
            PersonSerializer([person_fields(actor, p) for p in shown], many=True).data
        )

    @extend_schema(responses=PersonSerializer)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        person = selectors.person_read(actor=actor, person_id=pk)
        return Response(PersonSerializer(person_fields(actor, person)).data)

    @extend_schema(request=PersonWriteSerializer, responses={201: PersonCreatedSerializer})
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
        body = {**person_fields(actor, person), "possible_duplicates": duplicates}
        return Response(PersonCreatedSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PersonWriteSerializer, responses=PersonSerializer)
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
        return Response(PersonSerializer(person_fields(actor, person)).data)
