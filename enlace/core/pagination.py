"""Pagination: pages of the HTML lists, and the API's page-number pagination (kept here, away
from DRF's views, because DRF loads it from settings while it is being imported)."""

from typing import Any

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

PAGE_SIZE = 25


def paginate(request: HttpRequest, qs: QuerySet, per_page: int = PAGE_SIZE) -> Page:
    """The requested page of a list; out-of-range or junk page numbers give the nearest page."""
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


MAX_PAGE_SIZE = 100


def _positive_int(request: Request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise exceptions.ValidationError({name: [_("Enter a whole number of 1 or more.")]})
    value = int(raw)
    if maximum is not None and value > maximum:
        raise exceptions.ValidationError(
            {name: [_("Enter a number of at most %(max)d.") % {"max": maximum}]}
        )
    return value


class StandardPagination(PageNumberPagination):
    """?page= and ?page_size= (at most 100): a malformed value is a 400, a page past the last
    one a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int:
        return _positive_int(request, self.page_size_query_param, self.page_size, MAX_PAGE_SIZE)

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        size = self.get_page_size(request)
        number = _positive_int(request, self.page_query_param, 1)
        paginator = self.django_paginator_class(queryset, size)
        try:
            self.page = paginator.page(number)
        except InvalidPage as exc:
            raise exceptions.NotFound(
                _("There is no page %(number)d.") % {"number": number}
            ) from exc
        self.request = request
        return list(self.page)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": str(_("Page number (a page past the last one is a 404).")),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(_("Results per page (at most 100).")),
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
