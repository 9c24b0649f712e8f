"""Assisted voluntary return endpoints (/api/v1/returns/)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.access.reads import Purpose
from enlace.accounts.actor import api_actor
from enlace.cases.selectors import case_get
from enlace.people.selectors import person_get

from . import selectors, services
from .models import Return, Step
from .present import return_data, return_rows
from .serializers import (
    ReturnCreateSerializer,
    ReturnDetailSerializer,
    ReturnSerializer,
    ReturnStepSerializer,
)

# The API's names of the follow-up scores (the plan's parts take the plain names).
SCORE_FIELDS = {
    "economic_score": "economic",
    "social_score": "social",
    "psychosocial_score": "psychosocial",
}


def _step_data(step: str, values: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in values.items() if k not in ("step", "version")}
    if step == Step.FOLLOW_UP:
        for k in ("economic", "social", "psychosocial"):
            data.pop(k, None)
        for api_name, name in SCORE_FIELDS.items():
            if api_name in data:
                data[name] = data.pop(api_name)
    else:
        for api_name in SCORE_FIELDS:
            data.pop(api_name, None)
    if "legs" in data:
        data["legs"] = [dict(leg) for leg in data["legs"]]
    return data


class ReturnViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Assisted voluntary returns: those of your office (or country, for national focal
    points), and those handed over to your office for reception and reintegration."""

    queryset = Return.objects.none()  # for the schema only: data comes from selectors

    @extend_schema(operation_id="returns_list", responses=ReturnSerializer(many=True))
    def list(self, request: Request) -> Response:
        actor = api_actor(request)
        page = self.paginate_queryset(selectors.return_list(actor=actor)) or []
        shown = selectors.returns_shown(actor=actor, returns=page)
        return self.get_paginated_response(
            ReturnSerializer(return_rows(actor, shown), many=True).data
        )

    @extend_schema(request=ReturnCreateSerializer, responses={201: ReturnDetailSerializer})
    def create(self, request: Request) -> Response:
        actor = api_actor(request)
        data = ReturnCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        person = person_get(actor=actor, person_id=v.pop("person"))
        case_id = v.pop("protection_case", None)
        case = case_get(actor=actor, case_id=case_id) if case_id else None
        ret = services.return_open(
            actor=actor,
            person=person,
            protection_case=case,
            **{k: ("" if k == "note" and val is None else val) for k, val in v.items()},
        )
        ret = selectors.return_read(actor=actor, return_id=ret.pk)
        return Response(
            ReturnDetailSerializer(return_data(actor, ret)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses=ReturnDetailSerializer)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        ret = selectors.return_read(actor=actor, return_id=pk)
        return Response(ReturnDetailSerializer(return_data(actor, ret)).data)

    @extend_schema(request=ReturnStepSerializer, responses=ReturnDetailSerializer)
    @action(detail=True, methods=["post"])
    def steps(self, request: Request, pk: str = "") -> Response:
        """Take one step of the return's workflow (409 when the version is stale; 400 with the
        reason when the step is refused)."""
        actor = api_actor(request)
        ret = selectors.return_read(actor=actor, return_id=pk, purpose=Purpose.EDIT)
        data = ReturnStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        services.return_step(
            actor=actor,
            ret=ret,
            step=v["step"],
            version=v["version"],
            data=_step_data(v["step"], v),
        )
        ret = selectors.return_get(actor=actor, return_id=pk)
        return Response(ReturnDetailSerializer(return_data(actor, ret)).data)
