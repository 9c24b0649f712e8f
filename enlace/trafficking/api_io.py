"""HTCDS import and export, and the CTDC extract, on /api/v1/trafficking-cases/ (traf-io):
actions mixed into the case viewset so they sit before its detail route."""

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.accounts.actor import api_actor
from enlace.core.models import Job

from . import ctdc, htcds_io


class HtcdsImportInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    file = serializers.FileField(help_text="A workbook in the HTCDS Excel template's layout.")
    dry_run = serializers.BooleanField(default=True, help_text="Check only: nothing is written.")
    accept_valid_rows = serializers.BooleanField(
        default=False, help_text="Import the valid cases even when some rows have errors."
    )


class HtcdsProblemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    sheet = serializers.CharField()
    row = serializers.IntegerField()
    field = serializers.CharField()
    value = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class HtcdsReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    dry_run = serializers.BooleanField()
    accept_valid_rows = serializers.BooleanField()
    rows = serializers.IntegerField()
    cases = serializers.IntegerField()
    valid_cases = serializers.IntegerField()
    invalid_cases = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    created_references = serializers.ListField(child=serializers.CharField())
    updated_references = serializers.ListField(child=serializers.CharField())
    imported = serializers.BooleanField()
    refused = serializers.CharField(allow_blank=True)
    errors = HtcdsProblemSerializer(many=True)  # type: ignore[assignment]  # output only
    warnings = HtcdsProblemSerializer(many=True)


class HtcdsJobSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    kind = serializers.CharField()
    status = serializers.CharField()
    page_url = serializers.CharField(help_text="The job's page, with its progress and result.")
    download_url = serializers.CharField(allow_blank=True)


def _job_fields(request: Request, job: Job) -> dict[str, Any]:
    download = ""
    if job.kind == htcds_io.EXPORT_KIND:
        download = request.build_absolute_uri(
            reverse("trafficking:htcds_export_download", args=[job.pk])
        )
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "page_url": request.build_absolute_uri(reverse("core:job_detail", args=[job.pk])),
        "download_url": download,
    }


class HtcdsActions:
    """/htcds-imports/, /htcds-export/ and /ctdc-extract/ of the trafficking case viewset."""

    @extend_schema(
        operation_id="trafficking_cases_htcds_import",
        request={"multipart/form-data": HtcdsImportInputSerializer},
        responses={200: HtcdsReportSerializer, 202: HtcdsJobSerializer},
        description="Check (dry_run, the default) or import a workbook in the HTCDS Excel "
        "template's layout. The report lists, per sheet, row and HTCDS field, what is wrong. "
        "Nothing is imported when a row is invalid unless accept_valid_rows; importing the same "
        "file again changes nothing. Trafficking focal points only. A large file runs as a job "
        "(202): follow page_url.",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="htcds-imports",
        url_name="htcds-imports",
        parser_classes=[MultiPartParser, FormParser],
    )
    def htcds_imports(self, request: Request) -> Response:
        actor = api_actor(request)
        if not htcds_io._may_import(actor):
            from django.http import Http404

            raise Http404
        data = HtcdsImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        raw = upload.read()
        dry_run = data.validated_data["dry_run"]
        accept = data.validated_data["accept_valid_rows"]
        if len(raw) > htcds_io.INLINE_BYTES:
            job = htcds_io.import_start(
                actor=actor, raw=raw, dry_run=dry_run, accept_valid_rows=accept
            )
            return Response(
                HtcdsJobSerializer(_job_fields(request, job)).data, status=status.HTTP_202_ACCEPTED
            )
        report = htcds_io.import_htcds(actor, raw, dry_run=dry_run, accept_valid_rows=accept)
        return Response(HtcdsReportSerializer(report).data)

    @extend_schema(
        operation_id="trafficking_cases_htcds_export",
        request=None,
        responses={202: HtcdsJobSerializer},
        description="Start an export of the trafficking cases you may see (filtered as the list "
        "by the same query parameters) to the HTCDS Excel template's layout: identities only "
        "where you may see them. Answers 202 with the job; its download_url gives the file.",
    )
    @action(detail=False, methods=["post"], url_path="htcds-export", url_name="htcds-export")
    def htcds_export(self, request: Request) -> Response:
        job = htcds_io.export_start(api_actor(request), request.query_params)
        return Response(
            HtcdsJobSerializer(_job_fields(request, job)).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(
        operation_id="trafficking_cases_ctdc_extract",
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.BINARY, description="CTDC-layout CSV, k-anonymised (k = 11)"
            )
        },
        description="A de-identified case-level extract in the CTDC column layout, "
        "k-anonymised with k = 11. The regional secretariat's analysts and trafficking focal "
        "points only; logged.",
    )
    @action(detail=False, methods=["get"], url_path="ctdc-extract", url_name="ctdc-extract")
    def ctdc_extract(self, request: Request) -> HttpResponse:
        body = ctdc.extract_csv(api_actor(request))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="enlace-ctdc.csv"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
