"""Identity access request endpoints (/api/v1/trafficking-access-requests/): ask for a case's
identities (POST), and decide on a request (POST …/{id}/decide/)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.accounts.actor import api_actor
from enlace.core.serializers import OutputSerializer, text

from . import access_requests, selectors
from .models import IdentityRequest


class IdentityRequestInput(serializers.Serializer[Any]):
    case = serializers.UUIDField(help_text="The trafficking case's id.")
    purpose = text(max_length=2000)
    basis = serializers.ChoiceField(choices=IdentityRequest.Basis.values)
    legal_basis = text(max_length=2000, required=False, default="")
    days = serializers.IntegerField(min_value=1, max_value=access_requests.MAX_DAYS)


class DecisionInput(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=["grant", "refuse"])
    reason = text(max_length=2000, required=False, default="")
    version = serializers.IntegerField(required=False, allow_null=True)


class IdentityRequestOutput(OutputSerializer):
    id = serializers.UUIDField()
    case = serializers.UUIDField()
    reference = serializers.CharField()
    office = serializers.CharField(help_text="The requesting office.")
    status = serializers.ChoiceField(choices=IdentityRequest.Status.values)
    days = serializers.IntegerField()
    valid_until = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


def _out(item: IdentityRequest) -> dict[str, Any]:
    expired = access_requests.is_expired(item)
    return {
        "id": item.pk,
        "case": item.case_id,
        "reference": item.case.reference,
        "office": item.office.name,
        "status": IdentityRequest.Status.EXPIRED if expired else item.status,
        "days": item.days,
        "valid_until": item.valid_until,
        "version": item.version,
    }


class IdentityRequestViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Requests for the identities in a trafficking case: made by a trafficking focal point of
    a country on its route, decided by the owning country's trafficking focal points."""

    queryset = IdentityRequest.objects.none()  # for the schema only: data comes from services

    @extend_schema(
        operation_id="trafficking_access_requests_create",
        request=IdentityRequestInput,
        responses={201: IdentityRequestOutput},
    )
    def create(self, request: Request) -> Response:
        actor = api_actor(request)
        data = IdentityRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        case = selectors.case_get(actor=actor, case_id=v.pop("case"))
        item = access_requests.request_create(actor=actor, case=case, **v)
        return Response(IdentityRequestOutput(_out(item)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="trafficking_access_requests_decide",
        request=DecisionInput,
        responses=IdentityRequestOutput,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        item = access_requests.request_get(actor=actor, request_id=pk)
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        decided = access_requests.request_decide(
            actor=actor,
            request=item,
            grant=v["decision"] == "grant",
            reason=v.get("reason", ""),
            version=v.get("version"),
        )
        return Response(IdentityRequestOutput(_out(decided)).data)
