"""Forum endpoints: /api/v1/forums/ (forums and their meetings), /api/v1/forum-meetings/{id}/
(a meeting and its agenda), /api/v1/forum-items/{id}/ (an agenda item, the country positions
and the regional position the caller may read) and the endorsement of a focal point.

The reads are open to anyone: an anonymous caller (rate limited per IP, cacheable, as every
public endpoint) sees what the public pages show; signed-in staff see more (rules.py)."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.accounts.actor import api_actor
from enlace.core.public import TOO_MANY_SCHEMA, TooManyRequests, make_cacheable, over_limit

from . import rules, selectors, services
from .models import Decision, Forum

PUBLIC_MAX_AGE = 300
# What a focal point may answer (pending is where every answer starts).
ANSWERS = [
    (Decision.ENDORSED.value, Decision.ENDORSED.label),
    (Decision.OBJECTED.value, Decision.OBJECTED.label),
]


class CountryRef(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    name = serializers.CharField()


class MeetingSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    title = serializers.CharField()
    city = serializers.CharField()
    country = CountryRef()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class ForumSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Forum.Kind.choices)
    description = serializers.CharField()


class ForumDetailSerializer(ForumSerializer):
    members = CountryRef(many=True)
    meetings = MeetingSerializer(many=True)


class ItemRef(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    title = serializers.CharField()
    order = serializers.IntegerField()


class MeetingDetailSerializer(MeetingSerializer):
    forum = ForumSerializer()
    items = ItemRef(many=True)


class PositionSerializer(serializers.Serializer[Any]):
    country = CountryRef()
    status = serializers.CharField()
    is_public = serializers.BooleanField()
    text = serializers.CharField()
    version = serializers.IntegerField()


class EndorsementSerializer(serializers.Serializer[Any]):
    country = CountryRef()
    decision = serializers.ChoiceField(choices=Decision.choices)
    draft_number = serializers.IntegerField()
    decided_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()
    version = serializers.IntegerField()


class RegionalSerializer(serializers.Serializer[Any]):
    status = serializers.CharField()
    draft_number = serializers.IntegerField()
    text = serializers.CharField()
    version = serializers.IntegerField()
    endorsements = EndorsementSerializer(
        many=True, required=False, help_text="Staff only: the member countries' answers."
    )


class ItemDetailSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    title = serializers.CharField()
    description = serializers.CharField()
    order = serializers.IntegerField()
    meeting = MeetingSerializer()
    positions = PositionSerializer(many=True)
    regional = RegionalSerializer(allow_null=True)


class EndorseSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=ANSWERS)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    version = serializers.IntegerField(
        help_text="The endorsement's version as read (409 when the draft changed since)."
    )


class _ForumsAPI(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Open reads: the caller's actor when signed in, None (the public) otherwise."""

    permission_classes = [AllowAny]
    queryset = Forum.objects.none()  # for the schema only: data comes from selectors

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not request.user.is_authenticated:
            if request.method != "GET":
                raise NotAuthenticated
            if over_limit(request._request, "forums"):
                raise TooManyRequests

    def actor(self, request: Request) -> Any:
        return api_actor(request) if request.user.is_authenticated else None

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200 and not request.user.is_authenticated:
            make_cacheable(response, PUBLIC_MAX_AGE)
        return response


class ForumViewSet(_ForumsAPI):
    """Multilateral forums (GFMD, the EU-LAC dialogue…) and their meetings: public."""

    @extend_schema(
        operation_id="forums_list",
        responses={200: ForumSerializer(many=True), 429: TOO_MANY_SCHEMA},
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.forum_list(actor=self.actor(request))) or []
        return self.get_paginated_response(ForumSerializer(page, many=True).data)

    @extend_schema(responses={200: ForumDetailSerializer, 429: TOO_MANY_SCHEMA})
    def retrieve(self, request: Request, pk: str = "") -> Response:
        actor = self.actor(request)
        forum = selectors.forum_get(actor=actor, forum_id=pk)
        data = {
            "id": forum.pk,
            "name": forum.name,
            "kind": forum.kind,
            "description": forum.description,
            "members": forum.members.order_by("code"),
            "meetings": selectors.meeting_list(actor=actor, forum=forum),
        }
        return Response(ForumDetailSerializer(data).data)


class MeetingViewSet(_ForumsAPI):
    """A forum meeting and its agenda: public."""

    @extend_schema(responses={200: MeetingDetailSerializer, 429: TOO_MANY_SCHEMA})
    def retrieve(self, request: Request, pk: str = "") -> Response:
        actor = self.actor(request)
        meeting = selectors.meeting_get(actor=actor, meeting_id=pk)
        data = {
            **{f: getattr(meeting, f) for f in ("id", "title", "city", "country")},
            "starts_on": meeting.starts_on,
            "ends_on": meeting.ends_on,
            "forum": meeting.forum,
            "items": selectors.item_list(actor=actor, meeting=meeting),
        }
        return Response(MeetingDetailSerializer(data).data)


class AgendaItemViewSet(_ForumsAPI):
    """An agenda item with the country positions and the regional position the caller may
    read (the public: positions marked public once submitted, adopted regional positions)."""

    def _data(self, actor: Any, pk: str) -> dict[str, Any]:
        item = selectors.item_get(actor=actor, item_id=pk)
        regional = selectors.regional_of(actor=actor, item=item)
        regional_data = None
        if regional is not None:
            regional_data = {
                "status": regional.status,
                "draft_number": regional.draft_number,
                "text": regional.text,
                "version": regional.version,
            }
            if rules.sees_working_parts(actor):
                grid = selectors.endorsement_grid(actor=actor, regional=regional)
                regional_data["endorsements"] = [row.endorsement for row in grid.rows]
        return {
            "id": item.pk,
            "title": item.title,
            "description": item.description,
            "order": item.order,
            "meeting": item.meeting,
            "positions": selectors.position_list(actor=actor, item=item),
            "regional": regional_data,
        }

    @extend_schema(responses={200: ItemDetailSerializer, 429: TOO_MANY_SCHEMA})
    def retrieve(self, request: Request, pk: str = "") -> Response:
        return Response(ItemDetailSerializer(self._data(self.actor(request), pk)).data)

    @extend_schema(request=EndorseSerializer, responses=ItemDetailSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def endorsement(self, request: Request, pk: str = "") -> Response:
        """Your country's answer to the circulated regional position (national focal points:
        endorse, or object with a reason). 409 when the draft changed since you read it."""
        actor = self.actor(request)
        item = selectors.item_get(actor=actor, item_id=pk)
        regional = selectors.regional_get(actor=actor, item=item)
        country = rules.focal_country(actor)
        if country is None:
            raise Http404
        body = EndorseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.endorsement_answer(
            actor=actor, regional=regional, country=country, **body.validated_data
        )
        return Response(ItemDetailSerializer(self._data(actor, pk)).data)
