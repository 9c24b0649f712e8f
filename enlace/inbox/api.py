"""Inbox endpoints: GET /api/v1/inbox/ (the reader's items, newest first, ?unread=) and
POST /api/v1/inbox/{id}/read/."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.accounts.actor import api_actor
from enlace.core.errors import ValidationFailed

from . import selectors, services
from .forms import InboxFilterForm
from .models import Item, Kind
from .present import item_fields

UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


class ItemSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    title = serializers.CharField(help_text=_("In the reader's language; never a person's name."))
    created = serializers.DateTimeField()
    read = serializers.BooleanField()
    link = serializers.CharField(
        help_text=_("The page of what the item concerns (it may since have closed to you).")
    )


UNREAD = OpenApiParameter(
    "unread",
    {"type": "string", "enum": ["true", "false", "1", "0"]},  # type: ignore[arg-type]
    OpenApiParameter.QUERY,
    description=_("Only unread (true, 1) or read (false, 0) items."),  # type: ignore[arg-type]
)


class InboxViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Your inbox: what waits for you and for your role in your active office."""

    queryset = Item.objects.none()  # for the schema only: data comes from selectors
    lookup_value_regex = UUID_PATTERN

    @extend_schema(
        operation_id="inbox_list", parameters=[UNREAD], responses=ItemSerializer(many=True)
    )
    def list(self, request: Request) -> Response:
        actor = api_actor(request)
        form = InboxFilterForm(request.query_params)
        if request.query_params.get("unread") == "" or not form.is_valid():
            raise ValidationFailed(
                {"unread": [str(form.fields["unread"].error_messages["invalid"])]}
            )
        qs = selectors.item_list(actor=actor, unread=form.cleaned_data["unread"])
        page = self.paginate_queryset(qs) or []
        return self.get_paginated_response(
            ItemSerializer([item_fields(i) for i in page], many=True).data
        )

    @extend_schema(operation_id="inbox_read", request=None, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        item = selectors.item_get(actor=actor, item_id=pk)
        item = services.item_mark_read(actor=actor, item=item)
        return Response(ItemSerializer(item_fields(item)).data)
