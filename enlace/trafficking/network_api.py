"""GET /api/v1/trafficking-cases/{id}/links/: the case's linked cases, as the reader may see
them (mixed into TraffickingCaseViewSet)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.accounts.actor import api_actor

from . import network, selectors


class TraffickingCaseLinkSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=network.LinkKind.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    strength = serializers.FloatField(
        allow_null=True,
        help_text="1 for a shared identifier or route segment; the linkage engine's match "
        "probability for a perpetrator (null unless the reader may see both cases' identities)",
    )
    values = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="What the cases share; null unless the reader may see the identities of both "
        "cases (route segments: whoever sees both cases)",
    )


class TraffickingLinkedCaseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    reference = serializers.CharField()
    links = TraffickingCaseLinkSerializer(many=True)


class TraffickingCaseLinksSerializer(serializers.Serializer):  # type: ignore[type-arg]
    linked_cases = TraffickingLinkedCaseSerializer(many=True)


class CaseLinksMixin:
    """The links action of the trafficking cases' endpoint."""

    @extend_schema(
        operation_id="trafficking_cases_links",
        description="The cases linked to this one (sharing a perpetrator, a phone number, a "
        "vehicle, a bank account, a place or a route segment) that the reader may see, each "
        "with the kinds of its links; what they share only for readers who may see the "
        "identities of both cases.",
        responses=TraffickingCaseLinksSerializer,
    )
    @action(detail=True, methods=["get"], url_path="links", pagination_class=None)
    def links(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        case = selectors.case_read(actor=actor, case_id=pk)
        found = network.linked_cases(actor=actor, case=case)
        data = [
            {
                "id": item.case.pk,
                "reference": item.case.reference,
                "links": [vars(link) for link in item.links],
            }
            for item in found
        ]
        return Response(TraffickingCaseLinksSerializer({"linked_cases": data}).data)
