"""Case and referral endpoints (/api/v1/cases/, /api/v1/referrals/)."""

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.access.reads import Purpose
from enlace.accounts.selectors import office_get
from enlace.api.pagination import StandardPagination
from enlace.api.views import api_actor
from enlace.people.selectors import person_get

from . import exports, selectors, services
from .models import Attachment, Case, CaseAction, CaseType, Referral, RiskLevel
from .present import case_detail_fields, case_fields, referral_fields


def _text(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(trim_whitespace=False, **kwargs)


class CaseCreateSerializer(serializers.Serializer[Any]):
    person = serializers.UUIDField()
    case_type = serializers.ChoiceField(choices=CaseType.choices)
    summary = _text(max_length=5000)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False)
    due_date = serializers.DateField(required=False, allow_null=True)


class CaseUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    summary = _text(max_length=5000, required=False)
    case_type = serializers.ChoiceField(choices=CaseType.choices, required=False)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False)
    due_date = serializers.DateField(required=False, allow_null=True)
    assigned_to = serializers.IntegerField(required=False, allow_null=True)


class TransitionSerializer(serializers.Serializer[Any]):
    name = serializers.ChoiceField(choices=list(services.TRANSITIONS))
    note = _text(required=False, allow_blank=True, max_length=5000)
    version = serializers.IntegerField(required=False)


class DetentionSerializer(serializers.Serializer[Any]):
    arrest_date = serializers.DateField()
    detention_place = _text(required=False, allow_blank=True, max_length=200)
    informed_of_rights = serializers.BooleanField(required=False, allow_null=True)
    notified_on = serializers.DateField(required=False, allow_null=True)
    notified_by = _text(required=False, allow_blank=True, max_length=200)
    first_contact_on = serializers.DateField(required=False, allow_null=True)
    first_visit_on = serializers.DateField(required=False, allow_null=True)


class ActionSerializer(serializers.Serializer[Any]):
    service_type = serializers.ChoiceField(choices=CaseAction.ServiceType.choices)
    date = serializers.DateField(required=False)
    provider = _text(required=False, allow_blank=True, max_length=200)
    outcome = _text(required=False, allow_blank=True, max_length=5000)


class NoteSerializer(serializers.Serializer[Any]):
    text = _text(max_length=10000)


class ReferralCreateSerializer(serializers.Serializer[Any]):
    to_office = serializers.UUIDField()
    purpose = _text(max_length=2000)
    consent = serializers.BooleanField()
    override_reason = _text(required=False, allow_blank=True, max_length=2000)
    notice_language = serializers.CharField(required=False, allow_blank=True, max_length=8)


class DecisionSerializer(serializers.Serializer[Any]):
    note = _text(required=False, allow_blank=True, max_length=2000)


CASE_FILTER_PARAMS = [OpenApiParameter(name, str) for name in selectors.CASE_FILTERS]


class CaseViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Cases of your office, of your country (focal points) or referred to you."""

    queryset = Case.objects.none()  # for the schema only: data comes from selectors

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def _case(self, request: Request, pk: str) -> Any:
        return selectors.case_get(actor=api_actor(request), case_id=pk)

    @extend_schema(operation_id="cases_list", parameters=CASE_FILTER_PARAMS, responses=dict)
    def list(self, request: Request) -> Response:
        actor = api_actor(request)
        filters = request.query_params.dict()
        qs = selectors.case_list(actor=actor, filters=filters)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self) or []
        shown = selectors.cases_shown(
            actor=actor, cases=page, purpose=Purpose.SEARCH if filters.get("q") else Purpose.LIST
        )
        return paginator.get_paginated_response([case_fields(actor, c) for c in shown])

    @extend_schema(request=CaseCreateSerializer, responses={201: dict})
    def create(self, request: Request) -> Response:
        actor = api_actor(request)
        data = CaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        person = person_get(actor=actor, person_id=v["person"])
        case = services.case_open(
            actor=actor,
            person=person,
            case_type=v["case_type"],
            summary=v["summary"],
            risk_level=v.get("risk_level", RiskLevel.MEDIUM),
            due_date=v.get("due_date"),
        )
        return Response(case_fields(actor, case), status=status.HTTP_201_CREATED)

    @extend_schema(responses=dict)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        case = selectors.case_read(actor=actor, case_id=pk)
        return Response(case_detail_fields(actor, case))

    @extend_schema(request=CaseUpdateSerializer, responses=dict)
    def partial_update(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        case = selectors.case_read(actor=actor, case_id=pk, purpose=Purpose.EDIT)
        data = CaseUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = services.case_update(
            actor=actor, case=case, version=values.pop("version"), data=values
        )
        return Response(case_fields(actor, case))

    @extend_schema(request=TransitionSerializer, responses=dict)
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        case = self._case(request, pk)
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        case = services.case_transition(
            actor=actor, case=case, name=v["name"], note=v.get("note", ""), version=v.get("version")
        )
        return Response(case_fields(actor, case))

    @extend_schema(request=DetentionSerializer, responses=dict)
    @action(detail=True, methods=["put"])
    def detention(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        case = self._case(request, pk)
        data = DetentionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.detention_log_set(actor=actor, case=case, data=dict(data.validated_data))
        case.refresh_from_db()
        return Response(case_detail_fields(actor, case)["detention"])

    @extend_schema(request=ActionSerializer, responses={201: dict})
    @action(detail=True, methods=["post"])
    def actions(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        case = self._case(request, pk)
        data = ActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        item = services.action_add(
            actor=actor,
            case=case,
            service_type=v["service_type"],
            date=v.get("date"),
            provider=v.get("provider", ""),
            outcome=v.get("outcome", ""),
        )
        return Response({"id": str(item.pk)}, status=status.HTTP_201_CREATED)

    @extend_schema(request=NoteSerializer, responses={201: dict})
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        case = self._case(request, pk)
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.note_add(actor=actor, case=case, text=data.validated_data["text"])
        return Response({"id": str(note.pk)}, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=inline_serializer(
            "AttachmentUpload",
            {
                "file": serializers.FileField(),
                "kind": serializers.ChoiceField(choices=Attachment.Kind.choices, required=False),
            },
        ),
        responses={201: dict},
    )
    @action(detail=True, methods=["post"])
    def attachments(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        case = self._case(request, pk)
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError(
                {"file": [serializers.Field.default_error_messages["required"]]}
            )
        item = services.attachment_add(
            actor=actor,
            case=case,
            upload=upload,
            kind=request.data.get("kind", Attachment.Kind.OTHER),
        )
        return Response({"id": str(item.pk), "size": item.size}, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralCreateSerializer, responses={201: dict})
    @action(detail=True, methods=["post"])
    def referrals(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        case = self._case(request, pk)
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        referral = services.referral_create(
            actor=actor,
            case=case,
            to_office=office_get(actor=actor, office_id=v["to_office"]),
            purpose=v["purpose"],
            consent=v["consent"],
            override_reason=v.get("override_reason", ""),
            notice_language=v.get("notice_language", ""),
        )
        return Response(referral_fields(referral), status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[*CASE_FILTER_PARAMS, OpenApiParameter("format", str, enum=["csv", "xlsx"])],
        responses={(200, "text/csv"): bytes},
    )
    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request: Request) -> HttpResponse:
        actor = api_actor(request)
        return export_response(actor, request.query_params.dict())


def export_response(actor: Any, params: dict[str, Any]) -> HttpResponse:
    """The scoped, filtered case list as a CSV or XLSX download."""
    fmt = params.pop("format", "csv")
    if actor.office is None:
        from django.http import Http404

        raise Http404
    qs = selectors.case_list(actor=actor, filters=params)
    if fmt == "xlsx":
        body = exports.export_xlsx(actor, qs)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        fmt = "csv"
        body = exports.export_csv(actor, qs)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="enlace-cases.{fmt}"'
    return response


class ReferralViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Referrals sent by your office (?direction=out) or received (?direction=in, default)."""

    queryset = Referral.objects.none()  # for the schema only: data comes from selectors

    @extend_schema(
        operation_id="referrals_list",
        parameters=[OpenApiParameter("direction", str, enum=["in", "out"])],
        responses=dict,
    )
    def list(self, request: Request) -> Response:
        actor = api_actor(request)
        qs = selectors.referral_list(
            actor=actor, direction=request.query_params.get("direction", "in")
        )
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self) or []
        return paginator.get_paginated_response([referral_fields(r) for r in page])

    @extend_schema(responses=dict)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        referral = selectors.referral_get(actor=api_actor(request), referral_id=pk)
        return Response(referral_fields(referral))

    def _decide(self, request: Request, pk: str, service: Any) -> Response:
        actor = api_actor(request)
        referral = selectors.referral_get(actor=actor, referral_id=pk)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = service(actor=actor, referral=referral, note=data.validated_data.get("note", ""))
        return Response(referral_fields(referral))

    @extend_schema(request=DecisionSerializer, responses=dict)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str = "") -> Response:
        return self._decide(request, pk, services.referral_accept)

    @extend_schema(request=DecisionSerializer, responses=dict)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str = "") -> Response:
        return self._decide(request, pk, services.referral_reject)

    @extend_schema(request=DecisionSerializer, responses=dict)
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: str = "") -> Response:
        return self._decide(request, pk, services.referral_done)

    @extend_schema(request=DecisionSerializer, responses=dict)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str = "") -> Response:
        return self._decide(request, pk, services.referral_revoke)
