"""People endpoints: register, list (search), read and edit with the firewall applied."""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from enlace.access.reads import Purpose
from enlace.accounts.actor import api_actor
from enlace.core.api import filter_parameters
from enlace.core.filters import filtered
from enlace.core.parsers import BoundedJSONParser
from enlace.people.models import Person

from . import imports, selectors, services
from .filters import PersonFilter
from .present import person_fields
from .serializers import (
    ImportJobSerializer,
    ImportRunSerializer,
    ImportUploadSerializer,
    PersonCreatedSerializer,
    PersonSerializer,
    PersonWriteSerializer,
)


def _nationalities(data: dict[str, Any]) -> list[str] | None:
    if "nationalities" in data:
        return list(data["nationalities"])
    if data.get("nationality"):
        return [data["nationality"]]
    return None


class PersonViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """People registered by your office or referred to it (search with ?q=)."""

    queryset = Person.objects.none()  # for the schema only: data comes from selectors

    @extend_schema(
        operation_id="people_list",
        parameters=filter_parameters(PersonFilter),
        responses=PersonSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        actor = api_actor(request)
        qs = filtered(
            PersonFilter,
            request.query_params,
            selectors.person_list(actor=actor),
            actor=actor,
            allow_empty=False,
        )
        page = self.paginate_queryset(qs) or []
        shown = selectors.people_shown(
            actor=actor, people=page, search=request.query_params.get("q", "")
        )
        return self.get_paginated_response(
            PersonSerializer([person_fields(actor, p) for p in shown], many=True).data
        )

    @extend_schema(responses=PersonSerializer)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        person = selectors.person_read(actor=actor, person_id=pk)
        return Response(PersonSerializer(person_fields(actor, person)).data)

    @extend_schema(request=PersonWriteSerializer, responses={201: PersonCreatedSerializer})
    def create(self, request: Request) -> Response:
        actor = api_actor(request)
        data = PersonWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        duplicates = (
            [p.pk for p in selectors.person_duplicates(actor=actor, data=values)]
            if actor.office
            else []
        )
        person = services.person_create(
            actor=actor, data=values, nationalities=_nationalities(values)
        )
        body = {**person_fields(actor, person), "possible_duplicates": duplicates}
        return Response(PersonCreatedSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PersonWriteSerializer, responses=PersonSerializer)
    def partial_update(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        person = selectors.person_read(actor=actor, person_id=pk, purpose=Purpose.EDIT)
        data = PersonWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = services.person_update(
            actor=actor,
            person=person,
            version=values.pop("version", None),
            data=values,
            nationalities=_nationalities(values),
        )
        return Response(PersonSerializer(person_fields(actor, person)).data)


def _import_fields(request: Request, job: Any) -> dict[str, Any]:
    """A bulk import job as the API shows it (the same report as its page)."""
    result = job.result if job.is_finished else {}
    report = result.get("report") or {}
    out: dict[str, Any] = {
        "id": job.pk,
        "kind": "check" if job.kind == imports.CHECK else "import",
        "status": job.status,
        "percent": job.percent,
        "status_url": request.build_absolute_uri(
            reverse("api:person-import-detail", args=[job.pk])
        ),
    }
    if job.status == job.Status.FAILED and job.message:
        out["error"] = job.message_label  # e.g. the database is full: nothing was saved
    for key in ("refused", "rows", "valid", "invalid", "duplicates", "import_job", "imported"):
        if key in result:
            out[key] = result[key]
    if "errors" in report:
        out["row_errors"] = [{"row": r, "column": c, "message": m} for r, c, m in report["errors"]]
    if "duplicates" in report:
        out["possible_duplicates"] = report["duplicates"]
    if "people" in report:
        out["people"] = [{"row": r, "id": pid} for r, pid in report["people"]]
    return out


def _accepted(request: Request, job: Any) -> Response:
    data = _import_fields(request, job)
    return Response(
        ImportJobSerializer(data).data,
        status=status.HTTP_202_ACCEPTED,
        headers={"Location": data["status_url"]},
    )


class PersonImportViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Bulk import of people from a CSV or XLSX register: a dry run, then the import."""

    queryset = Person.objects.none()  # for the schema only
    parser_classes = [BoundedJSONParser, MultiPartParser]
    lookup_value_regex = "[0-9a-fA-F-]{36}"

    @extend_schema(
        operation_id="people_import_start",
        request={"multipart/form-data": ImportUploadSerializer},
        responses={202: ImportJobSerializer},
        description="Upload a register: answers 202 with its dry run; poll status_url for the "
        "report (errors per row and column, possible duplicates in your office and the file).",
    )
    def create(self, request: Request) -> Response:
        data = ImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = imports.import_upload(actor=api_actor(request), upload=data.validated_data["file"])
        return _accepted(request, job)

    @extend_schema(operation_id="people_import_status", responses=ImportJobSerializer)
    def retrieve(self, request: Request, pk: str = "") -> Response:
        job = imports.import_job_get(actor=api_actor(request), job_id=pk)
        return Response(ImportJobSerializer(_import_fields(request, job)).data)

    @extend_schema(
        operation_id="people_import_run",
        request=ImportRunSerializer,
        responses={202: ImportJobSerializer},
        description="Import a finished dry run's rows, all or none: refused (400) when a row "
        "has errors unless valid_only; possible duplicates only with with_duplicates.",
    )
    @action(detail=True, methods=["post"])
    def run(self, request: Request, pk: str = "") -> Response:
        actor = api_actor(request)
        check = imports.import_job_get(actor=actor, job_id=pk)
        data = ImportRunSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = imports.import_start(
            actor=actor,
            check_job_id=check.pk,
            valid_only=data.validated_data["valid_only"],
            with_duplicates=data.validated_data["with_duplicates"],
        )
        return _accepted(request, job)
