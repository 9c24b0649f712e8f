"""The public API of the library (/api/v1/practices/): published practices only, no login,
rate limited and cacheable (enlace.core.public.PublicAPIView). The contact's e-mail address is
never part of it: readers write through the library's "Ask the author" form."""

from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.core.api import filter_parameters
from enlace.core.filters import bound_filters
from enlace.core.pagination import StandardPagination
from enlace.core.public import TOO_MANY_SCHEMA, PublicAPIView

from . import selectors
from .filters import PracticeFilter
from .models import LANGUAGES, Practice
from .present import api_data


def _language() -> str:
    lang = (get_language() or settings.LANGUAGE_CODE)[:2]
    return lang if lang in LANGUAGES else "es"


class PracticeSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    language = serializers.CharField(help_text="The language the practice was written in")
    shown_language = serializers.CharField(
        help_text="The language of title and summary here: the request's (Accept-Language) "
        "when the practice has that version, else the original"
    )
    title = serializers.CharField()
    summary = serializers.CharField()
    office = serializers.CharField(help_text="The office that shared the practice")
    countries = serializers.ListField(child=serializers.CharField(), help_text="ISO 3166-1")
    themes = serializers.ListField(child=serializers.CharField())
    published_at = serializers.DateTimeField()


class TranslationSerializer(serializers.Serializer[Any]):
    language = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()


class AttachmentSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    size = serializers.IntegerField()


class PracticeDetailSerializer(PracticeSerializer):
    description = serializers.CharField()
    target_groups = serializers.ListField(child=serializers.CharField())
    gcm_objectives = serializers.ListField(
        child=serializers.IntegerField(), help_text="Global Compact for Migration objectives"
    )
    partners = serializers.CharField()
    results = serializers.CharField()
    evidence = serializers.CharField()
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    contact_name = serializers.CharField(
        help_text="Write to the contact through the library page's form; the address is not "
        "published"
    )
    translations = TranslationSerializer(many=True)
    attachments = AttachmentSerializer(many=True)


class PracticeListView(PublicAPIView):
    """Published good practices: full-text search (`q`: accents and word forms ignored, in
    every language version), filters by country, theme, target group and Global Compact
    objective; those in the request's language first. No login needed."""

    group = "practices"
    pagination_class = StandardPagination

    @extend_schema(
        operation_id="practices_list",
        parameters=filter_parameters(PracticeFilter),
        responses={200: PracticeSerializer(many=True), 429: TOO_MANY_SCHEMA},
    )
    def get(self, request: Request) -> Response:
        filterset = bound_filters(
            PracticeFilter, request.query_params, Practice.objects.none(), allow_empty=False
        )
        language = _language()
        found = selectors.search_practices(
            q=filterset.form.cleaned_data.get("q") or "",
            filters=filterset.values(),
            language=language,
        )
        paginator = StandardPagination()
        page = paginator.paginate_queryset(found, request, view=self)
        data = PracticeSerializer([api_data(p, language) for p in page], many=True).data
        return paginator.get_paginated_response(data)


class PracticeDetailView(PublicAPIView):
    """One published practice, in the request's language when it has that version."""

    group = "practices"

    @extend_schema(
        operation_id="practices_retrieve",
        responses={200: PracticeDetailSerializer, 429: TOO_MANY_SCHEMA},
    )
    def get(self, request: Request, practice_id: str) -> Response:
        practice = selectors.published_get(practice_id=practice_id)
        return Response(PracticeDetailSerializer(api_data(practice, _language(), detail=True)).data)
