"""Public association endpoints (/api/v1/associations/): the directory, an association with
its projects, and its projects alone. No login: listed associations only, contact data only
where the association made it public."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.core.api import filter_parameters
from enlace.core.public import TOO_MANY_SCHEMA, PublicAPIView

from . import selectors
from .filters import AssociationFilter
from .models import Association
from .present import association_row, project_row
from .serializers import AssociationDetailSerializer, AssociationSerializer, ProjectSerializer


class AssociationViewSet(viewsets.ViewSetMixin, generics.GenericAPIView, PublicAPIView):  # type: ignore[type-arg]
    """Migrant associations abroad and their projects in communities of origin (public)."""

    queryset = Association.objects.none()  # for the schema only: data comes from selectors
    group = "associations"

    @extend_schema(
        operation_id="associations_list",
        parameters=filter_parameters(AssociationFilter),
        responses={200: AssociationSerializer(many=True), 429: TOO_MANY_SCHEMA},
    )
    def list(self, request: Request) -> Response:
        qs = selectors.directory(request.query_params, allow_empty=False)
        page = self.paginate_queryset(qs) or []
        return self.get_paginated_response(
            AssociationSerializer([association_row(a) for a in page], many=True).data
        )

    @extend_schema(responses={200: AssociationDetailSerializer, 429: TOO_MANY_SCHEMA})
    def retrieve(self, request: Request, pk: str = "") -> Response:
        association = selectors.public_association_get(pk)
        data: dict[str, Any] = association_row(association)
        data["projects"] = [project_row(p) for p in selectors.public_projects(association)]
        return Response(AssociationDetailSerializer(data).data)

    @extend_schema(responses={200: ProjectSerializer(many=True), 429: TOO_MANY_SCHEMA})
    @action(detail=True, methods=["get"])
    def projects(self, request: Request, pk: str = "") -> Response:
        association = selectors.public_association_get(pk)
        page = self.paginate_queryset(selectors.public_projects(association)) or []
        return self.get_paginated_response(
            ProjectSerializer([project_row(p) for p in page], many=True).data
        )
