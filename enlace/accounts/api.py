"""Account endpoints: token, me, offices and their members (/api/v1/)."""

from typing import Any, cast

from django.contrib.auth import authenticate
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from enlace.core.api import filter_parameters
from enlace.core.filters import filtered
from enlace.core.serializers import StrictCharField

from . import selectors, services
from .actor import actor_for, api_actor
from .filters import OfficeFilter
from .models import Membership, Office, Role, User
from .security import address_blocked, token_expires_at, two_factor_required


class OfficeSerializer(serializers.ModelSerializer[Office]):
    country = serializers.CharField(source="country_id", read_only=True)
    host_country = serializers.CharField(source="host_country_id", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Office
        fields = ["id", "name", "kind", "kind_display", "country", "host_country", "city"]


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    username = serializers.CharField(source="user.username", read_only=True)
    office = serializers.UUIDField(source="office_id", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "office", "role", "is_active"]


class MembershipCreateSerializer(serializers.Serializer[Membership]):
    username = StrictCharField(label=_("Username"), max_length=150)
    role = serializers.ChoiceField(label=_("Role"), choices=Role.choices)


class MeSerializer(serializers.Serializer[object]):
    username = serializers.CharField()
    full_name = serializers.CharField()
    active_office = OfficeSerializer(allow_null=True)
    role = serializers.CharField(allow_null=True)
    memberships = MembershipSerializer(many=True)


class TokenRequestSerializer(serializers.Serializer[object]):
    username = StrictCharField(label=_("Username"), max_length=150)
    password = StrictCharField(
        label=_("Password"), style={"input_type": "password"}, max_length=4096
    )
    otp_token = StrictCharField(
        label=_("Two-factor code"), required=False, allow_blank=True, max_length=16
    )


class TokenResponseSerializer(serializers.Serializer[object]):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField(help_text=_("The token stops working at this time."))


class TokenView(APIView):
    """API tokens: ask for one with the password (and TOTP code), or end one's own."""

    permission_classes = [AllowAny]

    def get_authenticators(self) -> list[Any]:
        # Asking for a token needs no credentials but the ones posted; revoking needs the token.
        if getattr(self.request, "method", "DELETE") == "DELETE":
            return super().get_authenticators()
        return []

    def get_permissions(self) -> list[Any]:
        if getattr(self.request, "method", "DELETE") == "DELETE":
            return [IsAuthenticated()]
        return list(super().get_permissions())

    @extend_schema(
        request=TokenRequestSerializer,
        responses=TokenResponseSerializer,
        description=_(
            "Exchange username and password (and, where required, a TOTP code) for an API "
            "token. The token works for ENLACE_TOKEN_TTL_HOURS hours (12 by default), until "
            "it is revoked, or until its owner logs out or changes the password. Too many failed "
            "log-ins from one address give 429."
        ),
    )
    def post(self, request: Request) -> Response:
        if address_blocked(request._request):
            raise exceptions.Throttled(
                detail=_("Too many failed log-ins from your network. Try again later.")
            )
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"detail": _("Unable to log in with the credentials provided.")}
            )
        if two_factor_required(user):
            code = data.validated_data.get("otp_token") or ""
            if not code or not any(
                d.verify_token(code) for d in devices_for_user(user, confirmed=True)
            ):
                raise serializers.ValidationError(
                    {"otp_token": [_("A valid two-factor code is required.")]}
                )
        token = services.api_token_issue(actor=actor_for(cast(User, user)))
        return Response(
            TokenResponseSerializer(
                {"token": token.key, "expires_at": token_expires_at(token)}
            ).data,
            status=status.HTTP_200_OK,
        )

    @extend_schema(
        request=None,
        responses=OpenApiResponse(),
        description=_("Revoke the caller's API token at once; ask for a new one to go on."),
    )
    def delete(self, request: Request) -> Response:
        services.api_token_revoke(actor=api_actor(request), reason="revoked")
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        actor = api_actor(request)
        user = request.user
        return Response(
            MeSerializer(
                {
                    "username": user.username,
                    "full_name": user.get_full_name(),  # type: ignore[union-attr]
                    "active_office": actor.office,
                    "role": actor.role,
                    "memberships": selectors.my_memberships(user=actor.user),
                }
            ).data
        )


@extend_schema_view(list=extend_schema(parameters=filter_parameters(OfficeFilter)))
class OfficeViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """The directory of offices (filter with ?search= and ?country=)."""

    serializer_class = OfficeSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Office.objects.none()
        qs = selectors.office_list(actor=api_actor(self.request))
        if self.action != "list":
            return qs
        return filtered(OfficeFilter, self.request.query_params, qs, allow_empty=False)

    def get_object(self) -> Any:
        return selectors.office_get(actor=api_actor(self.request), office_id=self.kwargs["pk"])

    @extend_schema(responses=MembershipSerializer(many=True))
    @action(detail=True, methods=["get"])
    def memberships(self, request: Request, pk: str = "") -> Response:
        """The people working in the office: its members, national focal points, admins."""
        qs = selectors.membership_list(actor=api_actor(request), office_id=pk)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(MembershipSerializer(page, many=True).data)

    @extend_schema(request=MembershipCreateSerializer, responses={201: MembershipSerializer})
    @memberships.mapping.post
    def add_membership(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        office = selectors.office_get(actor=actor, office_id=pk)
        if not selectors.can_manage_members(actor, office):
            raise Http404
        data = MembershipCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = User.objects.filter(username=data.validated_data["username"], is_active=True).first()
        if user is None:
            raise serializers.ValidationError(
                {"username": [_("No active user with this username.")]}
            )
        membership = services.membership_create(
            actor=actor, office_id=pk, user=user, role=data.validated_data["role"]
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class MembershipViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()  # objects come from the scoped selector only

    def get_object(self) -> Any:
        return selectors.membership_get(
            actor=api_actor(self.request),
            membership_id=self.kwargs["pk"],
        )

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str = "") -> Response:
        membership = services.membership_deactivate(
            actor=api_actor(request),
            membership=self.get_object(),  # type: ignore[arg-type]
        )
        return Response(MembershipSerializer(membership).data)
