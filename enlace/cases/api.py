"""Case and referral endpoints (/api/v1/cases/, /api/v1/referrals/)."""

from typing import Any

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.access.reads import Purpose
from enlace.accounts.actor import api_actor
from enlace.accounts.selectors import office_get
from enlace.core.api import ErrorSerializer, filter_parameters
from enlace.core.filters import bound_filters, filtered
from enlace.core.models import Job
from enlace.core.serializers import CreatedSerializer
from enlace.people.selectors import person_get

from . import selectors, services
from .exports import (
    expires_at,
    export_file,
    export_job_get,
    export_open,
    export_read,
    export_start,
)
from .filters import CaseFilter, ExportFilter, ReferralFilter
from .models import Attachment, Case, Referral, RiskLevel
from .present import case_detail_fields, case_fields, referral_fields
from .serializers import (
    ActionSerializer,
    AttachmentCreatedSerializer,
    AttachmentUploadSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    DecisionSerializer,
    DetentionLogSerializer,
    DetentionSerializer,
    ExportJobSerializer,
    NoteSerializer,
    ReferralCreateSerializer,
    ReferralSerializer,
    TransitionSerializer,
)

# An export job's id in a URL: anything else is no route (404), never a malformed-id error.
UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


class CaseViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Cases of your office, of your country (focal points) or referred to you."""

    queryset = Case.objects.none()  # for the schema only: data comes from selectors

    def _case(self, request: Request, pk: str) -> Any:
        return selectors.case_get(actor=api_actor(request), case_id=pk)

    @extend_schema(
        operation_id="cases_list",
        parameters=filter_parameters(CaseFilter),
        responses=CaseSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        actor = api_actor(request)
        qs = filtered(
            CaseFilter,
            request.query_params,
            selectors.case_list(actor=actor),
            actor=actor,
            allow_empty=False,
        )
        page = self.paginate_queryset(qs) or []
        searched = bool(request.query_params.get("q"))
        shown = selectors.cases_shown(
            actor=actor, cases=page, purpose=Purpose.SEARCH if searched else Purpose.LIST
        )
        return self.get_paginated_response(
            CaseSerializer([case_fields(actor, c) for c in shown], many=True).data
        )

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseSerializer})
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
        return Response(
            CaseSerializer(case_fields(actor, case)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses=CaseDetailSerializer)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        case = selectors.case_read(actor=actor, case_id=pk)
        return Response(CaseDetailSerializer(case_detail_fields(actor, case)).data)

    @extend_schema(request=CaseUpdateSerializer, responses=CaseSerializer)
    def partial_update(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        case = selectors.case_read(actor=actor, case_id=pk, purpose=Purpose.EDIT)
        data = CaseUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = services.case_update(
            actor=actor, case=case, version=values.pop("version"), data=values
        )
        return Response(CaseSerializer(case_fields(actor, case)).data)

    @extend_schema(request=TransitionSerializer, responses=CaseSerializer)
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
        return Response(CaseSerializer(case_fields(actor, case)).data)

    @extend_schema(request=DetentionSerializer, responses=DetentionLogSerializer)
    @action(detail=True, methods=["put"])
    def detention(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        case = self._case(request, pk)
        data = DetentionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.detention_log_set(actor=actor, case=case, data=dict(data.validated_data))
        case.refresh_from_db()
        return Response(DetentionLogSerializer(case_detail_fields(actor, case)["detention"]).data)

    @extend_schema(request=ActionSerializer, responses={201: CreatedSerializer})
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
        return Response(CreatedSerializer({"id": item.pk}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NoteSerializer, responses={201: CreatedSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        case = self._case(request, pk)
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.note_add(actor=actor, case=case, text=data.validated_data["text"])
        return Response(CreatedSerializer({"id": note.pk}).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentCreatedSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        case = self._case(request, pk)
        data = AttachmentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.attachment_add(
            actor=actor,
            case=case,
            upload=data.validated_data["file"],
            kind=data.validated_data.get("kind", Attachment.Kind.OTHER),
        )
        return Response(
            AttachmentCreatedSerializer({"id": item.pk, "size": item.size}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
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
        return Response(
            ReferralSerializer(referral_fields(referral)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        operation_id="cases_export_start",
        parameters=filter_parameters(ExportFilter),
        responses={202: ExportJobSerializer},
        request=None,
        description="Start an export of the cases you may see: a POST with no body, filtered as "
        "the list by the same query parameters (a GET is refused with 405: starting a job is "
        "not a read). Answers 202 with the job; poll its status_url until it gives the "
        "download_url. The file holds codes (case type, status, risk) unless values=labels "
        "asks for names in the language of the request.",
    )
    @action(detail=False, methods=["post"], url_path="export")
    def export(self, request: Request) -> Response:
        # Scripts read the file back: codes, as the rest of the API, unless ?values=labels.
        job = export_start(
            api_actor(request), request.query_params, allow_empty=False, values="codes"
        )
        data = _export_job_fields(request, job)
        return Response(
            ExportJobSerializer(data).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": data["status_url"]},
        )

    @extend_schema(operation_id="cases_export_status", responses=ExportJobSerializer)
    @action(
        detail=False,
        methods=["get"],
        url_path=f"export/(?P<job_id>{UUID_PATTERN})",
        url_name="export-status",
    )
    def export_status(self, request: Request, job_id: str) -> Response:
        """An export you started: its progress, and the download URL once the file is written."""
        job = export_job_get(actor=api_actor(request), job_id=job_id)
        return Response(ExportJobSerializer(_export_job_fields(request, job)).data)

    @extend_schema(
        operation_id="cases_export_download",
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="CSV file"),
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiResponse(OpenApiTypes.BINARY, description="XLSX file"),
            409: OpenApiResponse(
                ErrorSerializer,
                description="The export is still being written: poll its status_url.",
            ),
        },
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=f"export/(?P<job_id>{UUID_PATTERN})/download",
        url_name="export-download",
    )
    def export_download(self, request: Request, job_id: str) -> FileResponse:
        """The file of an export you started (the download is logged); 409 while it is still
        being written, 404 once expired."""
        job = export_read(actor=api_actor(request), job_id=job_id)
        file, filename, content_type = export_open(job)
        response = FileResponse(
            file, as_attachment=True, filename=filename, content_type=content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


def _export_job_fields(request: Request, job: Job) -> dict[str, Any]:
    """What the API tells of an export job; the download URL only while the file is there."""
    status_url = reverse("api:case-export-status", kwargs={"job_id": job.pk})
    data: dict[str, Any] = {
        "id": str(job.pk),
        "status": job.status,
        "status_url": request.build_absolute_uri(status_url),
        "progress_done": job.progress_done,
        "progress_total": job.progress_total,
        "percent": job.percent,
        "message": job.message,
    }
    for key in ("rows", "format"):
        if key in job.result:
            data[key] = job.result[key]
    if export_file(job):
        url = reverse("api:case-export-download", kwargs={"job_id": job.pk})
        data["download_url"] = request.build_absolute_uri(url)
        data["expires"] = expires_at(job)
    return data


class ReferralViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Referrals sent by your office (?direction=out) or received (?direction=in, default)."""

    queryset = Referral.objects.none()  # for the schema only: data comes from selectors

    @extend_schema(
        operation_id="referrals_list",
        parameters=filter_parameters(ReferralFilter),
        responses=ReferralSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        actor = api_actor(request)
        filters = bound_filters(
            ReferralFilter, request.query_params, Referral.objects.none(), allow_empty=False
        )
        direction = filters.form.cleaned_data.get("direction") or "in"
        qs = selectors.referral_list(actor=actor, direction=direction)
        page = self.paginate_queryset(qs) or []
        return self.get_paginated_response(
            ReferralSerializer([referral_fields(r) for r in page], many=True).data
        )

    @extend_schema(responses=ReferralSerializer)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        referral = selectors.referral_get(actor=api_actor(request), referral_id=pk)
        return Response(ReferralSerializer(referral_fields(referral)).data)

    def _decide(self, request: Request, pk: str, service: Any) -> Response:
        actor = api_actor(request)
        referral = selectors.referral_get(actor=actor, referral_id=pk)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = service(actor=actor, referral=referral, note=data.validated_data.get("note", ""))
        return Response(ReferralSerializer(referral_fields(referral)).data)

    @extend_schema(request=DecisionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str = "") -> Response:
        return self._decide(request, pk, services.referral_accept)

    @extend_schema(request=DecisionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str = "") -> Response:
        return self._decide(request, pk, services.referral_reject)

    @extend_schema(request=DecisionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: str = "") -> Response:
        return self._decide(request, pk, services.referral_done)

    @extend_schema(request=DecisionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str = "") -> Response:
        return self._decide(request, pk, services.referral_revoke)
