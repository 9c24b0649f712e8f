"""Pagination: pages of the HTML lists, and the API's page-number pagination (kept here, away
from DRF's views, because DRF loads it from settings while it is being imported)."""

from typing import Any

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from .querysets import bounded_count, page_of

PAGE_SIZE = 25


class ListPaginator(Paginator):
    """Pages read through the list's branches (core.querysets) and a bounded count: past
    COUNT_LIMIT rows the list says "more than" and offers no further pages, so no page ever
    counts or sorts the whole table."""

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        if isinstance(self.object_list, QuerySet):
            return bounded_count(self.object_list)
        return len(self.object_list), True

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return self._counted[0]

    @property
    def count_exact(self) -> bool:
        return self._counted[1]

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count and self.count_exact:
            top = self.count
        if isinstance(self.object_list, QuerySet):
            rows: Any = page_of(self.object_list, bottom, top - bottom)
        else:
            rows = self.object_list[bottom:top]
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]


def paginate(
    request: HttpRequest, qs: QuerySet, per_page: int = PAGE_SIZE, param: str = "page"
) -> Page:
    """The requested page of a list (its number in `param`, for pages with two lists);
    out-of-range or junk page numbers give the nearest page."""
    page = ListPaginator(qs, per_page).get_page(request.GET.get(param))
    page.param = param  # type: ignore[attr-defined]  # the page links' parameter
    return page


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
    django_paginator_class = ListPaginator

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

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        # `count` stops at COUNT_LIMIT: count_exact says whether there are more.
        paginator = self.page.paginator if self.page is not None else None
        response.data["count_exact"] = getattr(paginator, "count_exact", True)
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count_exact"] = {
            "type": "boolean",
            "description": "False when there are more results than `count` (a bounded count).",
        }
        out["required"] = [*out.get("required", []), "count_exact"]
        return out

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
